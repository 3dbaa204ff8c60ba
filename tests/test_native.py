"""The optional C kernels: every one that exists is built (in CI), and the switch turns them off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guardwrap import _native

SRC = Path(__file__).resolve().parents[1] / "src"
KERNELS = sorted(
    ".".join(p.relative_to(SRC).with_suffix("").parts) for p in SRC.glob("guardwrap/**/*.c")
)


@pytest.mark.parametrize("name", KERNELS or ["<none yet>"])
def test_every_kernel_is_built_where_ci_requires_it(name: str) -> None:
    if not KERNELS:
        pytest.skip("no C kernels in the tree")
    if os.environ.get("GUARDWRAP_REQUIRE_SPEEDUPS") != "1" and _native.kernel(name) is None:
        pytest.skip(f"{name} is not built here (no compiler?); CI requires it")
    mod = _native.kernel(name)
    assert mod is not None and mod.__file__ is not None
    assert not mod.__file__.endswith(".py"), "a kernel must be the compiled module"
    assert _native.status()[name] == "C"


def test_pure_python_switch_turns_every_kernel_off() -> None:
    code = (
        "from guardwrap import _native; import sys;"
        "sys.exit(0 if _native.PURE_PYTHON and all(_native.kernel(k) is None for k in sys.argv[1:])"
        " and set(_native.status().values()) <= {'python'} else 1)"
    )
    env = {**os.environ, "GUARDWRAP_PURE_PYTHON": "1", "GUARDWRAP_REQUIRE_SPEEDUPS": "1"}
    r = subprocess.run([sys.executable, "-c", code, *KERNELS, "guardwrap.no_such_kernel"], env=env)
    assert r.returncode == 0


def test_a_missing_kernel_is_an_error_only_when_required() -> None:
    code = "from guardwrap import _native; print(_native.kernel('guardwrap._no_such_kernel'))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUARDWRAP_")}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "None"
    env["GUARDWRAP_REQUIRE_SPEEDUPS"] = "1"
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "GUARDWRAP_REQUIRE_SPEEDUPS" in r.stderr
