"""The one exception type for bad input; the CLI turns it into one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Input the package cannot use: the message names the file, row or field and the fix."""
