"""The one exception type for bad input; the CLI turns it into one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Input the package cannot use: the message names the file, row or field and the fix."""


class NotEnoughDataError(ValueError):
    """A measure that needs more data than the corpus has (too few texts or terms for a topic
    model, say). A figure that meets it is replaced by a one-line note in the report; the
    message says what was missing."""
