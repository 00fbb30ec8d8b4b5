"""``python -m analysis`` runs the ``framing`` command line."""

import sys

from analysis.cli import main

sys.exit(main())
