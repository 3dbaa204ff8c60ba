"""Hyperscan, when it is installed: compiled databases with a scratch space per thread.

Hyperscan has wheels for CPython 3.9+ on Linux, macOS and Windows (it is a core dependency); on a
platform without one, ``AVAILABLE`` is False and every caller takes its exact pure-Python path.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .._native import kernel

#: Hyperscan is installed here (imported on first use: ``import guardwrap`` stays fast)
AVAILABLE = importlib.util.find_spec("hyperscan") is not None


@functools.cache
def _module() -> Any:
    import hyperscan

    return hyperscan


class Database:
    """A compiled block-mode database; `scan` is safe to call from any thread."""

    __slots__ = ("_db", "_local")

    def __init__(self, db: Any) -> None:
        self._db = db
        self._local = threading.local()  # Hyperscan's scratch space cannot be shared by threads

    def scan(self, data: bytes, on_match: Callable[[int, int, int, int, Any], Any]) -> bool:
        """Call ``on_match(id, start, end, flags, ctx)`` for every match; a handler that returns
        True stops the scan, and then this returns False."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _module().Scratch(self._db)
        try:
            self._db.scan(data, on_match, 0, None, scratch)  # (positional: read faster than keywords)
        except _module().ScanTerminated:
            return False
        return True


def compile_db(patterns: Sequence[tuple[str, bool, bool]]) -> Database | None:
    """A database of ``(regex, caseless, exists)`` patterns, ids in order; None without
    Hyperscan. ``exists`` patterns are reported once per scan, without a start offset; the others
    with their leftmost start."""
    if not AVAILABLE or not patterns:
        return None
    hs = _module()
    flags = [(hs.HS_FLAG_SINGLEMATCH if exists else hs.HS_FLAG_SOM_LEFTMOST)
             | (hs.HS_FLAG_CASELESS if caseless else 0) for _, caseless, exists in patterns]
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=[p.encode("ascii") for p, _, _ in patterns], ids=list(range(len(patterns))),
               elements=len(patterns), flags=flags)
    _release_heap()
    return Database(db)


def _release_heap() -> None:
    """Give back to the system the memory Hyperscan's compiler used for a moment: glibc keeps what
    a C library frees in the process's heap, and a full guard's compiles leave about 3 MB there
    (measured with `benchmarks/bench_footprint.py`). A no-op without the text kernel or off glibc."""
    release = getattr(kernel("guardwrap._text._cfold"), "release_heap", None)
    if release is not None:  # (None too from a kernel built before it had the call)
        release()
