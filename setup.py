"""Build hook for guardwrap's optional C kernels; everything else is declared in pyproject.toml.

Every ``src/guardwrap/**/*.c`` is one extension module of the same dotted name
(``src/guardwrap/injection/_cscore.c`` -> ``guardwrap.injection._cscore``), next to the pure-Python
module that is its reference. The kernels are optional: where the C compiler is missing or fails,
the install goes on and guardwrap runs the pure-Python code, which gives the same results (a
differential test holds every kernel to its reference). ``GUARDWRAP_REQUIRE_SPEEDUPS=1`` makes a
failed build an error instead (CI sets it, so the kernels are always the ones under test there).
"""

from __future__ import annotations

import glob
import os
import sys

from setuptools import Extension, setup

_REQUIRED = os.environ.get("GUARDWRAP_REQUIRE_SPEEDUPS") == "1"
_ARGS = [] if sys.platform == "win32" else ["-O2", "-std=c99", "-Wall", "-Wno-unused-function"]


def _extension(path: str) -> Extension:
    name = os.path.splitext(os.path.relpath(path, "src"))[0].replace(os.sep, ".")
    return Extension(name, [path], optional=not _REQUIRED, extra_compile_args=_ARGS)


setup(ext_modules=[_extension(p) for p in sorted(glob.glob("src/guardwrap/**/*.c", recursive=True))])
