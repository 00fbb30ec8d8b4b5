"""``python -m analysis`` runs the ``framing`` command line."""

import sys

from analysis.cli.main import main

sys.exit(main())
