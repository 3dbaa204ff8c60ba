"""The optional C kernels: which ones are built, and the switch that turns them off.

A kernel is a C extension module built from ``src/guardwrap/**/<name>.c`` (see ``setup.py``) that
does, faster, what a pure-Python function of guardwrap already does; the Python function stays the
reference and a differential test holds the kernel to it. Code that has a kernel asks for it with
`kernel` and falls back to its own Python when it gets None: when the build had no compiler, or
when ``GUARDWRAP_PURE_PYTHON=1`` is set (to compare, or to rule the kernels out while debugging).
Either way the decisions are the same; only the time differs.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

__all__ = ["PURE_PYTHON", "kernel", "status"]

#: set from the environment at import: every `kernel` answers None
PURE_PYTHON = os.environ.get("GUARDWRAP_PURE_PYTHON", "") not in ("", "0")
_REQUIRED = os.environ.get("GUARDWRAP_REQUIRE_SPEEDUPS") == "1"
_asked: dict[str, bool] = {}


def kernel(name: str) -> ModuleType | None:
    """The compiled module ``name`` (``"guardwrap.injection._cscore"``), or None when it was not
    built or ``GUARDWRAP_PURE_PYTHON`` is set. With ``GUARDWRAP_REQUIRE_SPEEDUPS=1`` (CI) a kernel
    that was not built is an ImportError instead, so the tests never run the fallback unknowingly."""
    if PURE_PYTHON:
        _asked[name] = False
        return None
    try:
        mod = importlib.import_module(name)
    except ImportError as exc:
        if _REQUIRED:
            raise ImportError(
                f"{name} (a C kernel) is not built but GUARDWRAP_REQUIRE_SPEEDUPS=1: reinstall "
                "guardwrap with a C compiler (pip install -e .), or unset the variable"
            ) from exc
        _asked[name] = False
        return None
    _asked[name] = True
    return mod


def status() -> dict[str, str]:
    """``{kernel: "C" | "python"}`` for every kernel asked for so far (benchmarks print it)."""
    return {name: "C" if built else "python" for name, built in sorted(_asked.items())}
