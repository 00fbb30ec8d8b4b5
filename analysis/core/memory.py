"""Giving freed memory back to the operating system between the stages of a long build.

Memory that Python frees is kept by the allocators for reuse: the C library's heap (glibc
returns only the free space at the top of its heap by itself) and Arrow's pool, which holds
pandas' string columns. A build of every figure of a large corpus frees large tables stage by
stage; without this the process keeps their pages (measured on the first 10,000 AllSides
articles: 150 MB after loading, 170 MB after the frame measures; benchmarks/RESULTS.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache


@cache
def _malloc_trim():
    """The C library's ``malloc_trim``, or ``None`` where there is none (not glibc)."""
    name = ctypes.util.find_library("c")
    try:
        library = ctypes.CDLL(name)
        return library.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


def return_free_memory() -> None:
    """Collect garbage, then give the free pages of the C heap and of Arrow's memory pool back
    to the operating system (where the platform allows; otherwise only collect). The tables
    still in use are untouched; it takes a few milliseconds.

    >>> return_free_memory()
    """
    gc.collect()
    pyarrow = sys.modules.get("pyarrow")  # only if something loaded it: never imported here
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
