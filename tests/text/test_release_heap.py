"""Hyperscan's compiler frees megabytes it used for a moment; glibc keeps them in the process's
heap unless asked (`_cfold.release_heap`, malloc_trim). `_hs.compile_db` asks after every compile,
so a built guard does not hold them (`benchmarks/bench_footprint.py`: about 3 MB of a full guard).

Each case runs in a fresh interpreter: the heap of this test process holds whatever the suite did.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from guardwrap._native import kernel
from guardwrap._text import _hs

CFOLD = kernel("guardwrap._text._cfold")
GLIBC = platform.libc_ver()[0] == "glibc"
SRC = str(Path(__file__).resolve().parents[2] / "src")

# 200 patterns with bounded repeats and leftmost starts: a compile that uses ~10 MB for a moment
PROBE = r"""
import sys
from guardwrap._text import _hs
from guardwrap._native import kernel
release = kernel("guardwrap._text._cfold").release_heap
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
pats = [(rf"(?:pay|send|wire)\s+\d{{{i % 7 + 1},{i % 9 + 9}}}\s*(?:eur|usd|gbp)\s[a-z]{{2,{i % 5 + 3}}}", True, False)
        for i in range(200)]
if sys.argv[1] == "raw":  # Hyperscan's own compile, nothing given back
    hs = _hs._module()
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=[p.encode() for p, _, _ in pats], ids=list(range(len(pats))), elements=len(pats),
               flags=[hs.HS_FLAG_SOM_LEFTMOST | hs.HS_FLAG_CASELESS] * len(pats))
else:
    db = _hs.compile_db(pats)
before = rss()
release()
print(before - rss())
"""


@pytest.mark.skipif(CFOLD is None, reason="the text kernel is not built")
def test_release_heap_answers_whether_it_released() -> None:
    assert CFOLD is not None  # (the skip above)
    got = CFOLD.release_heap()
    if GLIBC:
        assert got in (True, False)
    else:
        assert got is None


def _freed_after(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": SRC, "GUARDWRAP_PURE_PYTHON": ""})
    return float(out.stdout.strip())


@pytest.mark.skipif(CFOLD is None or not GLIBC or not _hs.AVAILABLE or not Path("/proc/self/statm").exists(),
                    reason="needs the text kernel, glibc, Hyperscan and /proc")
def test_compile_db_leaves_no_compiler_memory_in_the_heap() -> None:
    # the probe is real: Hyperscan's compile alone leaves megabytes a trim then gives back ...
    assert _freed_after("raw") > 4.0
    # ... and after compile_db there is (almost) nothing left to give back
    assert _freed_after("db") < 1.0
