"""Media-framing analysis: corpus, cleaning, sentences, measures, figures.

The package behind the study of how news outlets framed S. Jaishankar's 2-4 February 2026
visit to the United States, and a toolkit for running the same measures on any news corpus.
"""

__version__ = "0.1.0"

from analysis import _moved

_moved.install()
