"""PromptInjection inside the input guard of ``bench_input_guard.py``, with the C kernels of another
revision (``_cscore.c``, ``_cfold.c`` from ``git show REV:...``, built under other module names) and
with this tree's, interleaved call by call in one process: the same guard, the same texts, only the
kernel handles (and the model's kernel tables) swapped. The decisions must be identical (checked on
every call); the table gives median step latencies and the guard's caller CPU.

Run: python benchmarks/bench_injection_kernels_ab.py [--rev REV] [--quick]
    (REV defaults to main; building the old kernels takes ~20 s)

Python code is this tree's on both sides (a kernel function the old module lacks is emulated by
the Python it replaced: ``longest`` as ``max(map(len, words))``), so the table shows what the
kernels changed, nothing else.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

import bench_input_guard as bench

import guardwrap as gw
from guardwrap._text import _fold
from guardwrap.injection import _features, _linear, _signals

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KERNELS = {"_cscore": "src/guardwrap/injection/_cscore.c", "_cfold": "src/guardwrap/_text/_cfold.c"}


def build_old(rev: str) -> dict[str, Any]:
    """The kernels of ``rev`` as modules ``<name>_old``, built in a temporary directory."""
    tmp = tempfile.mkdtemp(prefix="kernels-ab-")
    for name, path in KERNELS.items():
        src = subprocess.run(["git", "-C", ROOT, "show", f"{rev}:{path}"], check=True, capture_output=True,
                             text=True).stdout
        full = "guardwrap.injection." + name if name == "_cscore" else "guardwrap._text." + name
        src = src.replace(f"PyInit_{name}(", f"PyInit_{name}_old(").replace(f'"{full}"', f'"{name}_old"')
        with open(os.path.join(tmp, name + "_old.c"), "w") as f:
            f.write(src)
    with open(os.path.join(tmp, "setup.py"), "w") as f:
        f.write("from setuptools import setup, Extension\n"
                "setup(name='old', ext_modules=[Extension(n, [n + '.c'], extra_compile_args=['-O2', '-std=c99'])"
                f" for n in {[n + '_old' for n in KERNELS]!r}])\n")
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tmp, check=True,
                   capture_output=True)
    sys.path.insert(0, tmp)
    import importlib

    return {name: importlib.import_module(name + "_old") for name in KERNELS}


class _Compat:
    """An old module, with the functions it lacks done as the Python they replaced did them."""

    def __init__(self, mod: Any) -> None:
        self._mod = mod

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mod, name)

    @staticmethod
    def longest(words: Any) -> int:
        return max(map(len, words), default=0)


def main(argv: list[str]) -> int:
    rev = argv[argv.index("--rev") + 1] if "--rev" in argv else "main"
    quick = "--quick" in argv
    if _linear._ck is None or _fold._cf is None:
        print("the C kernels are not built here")
        return 1
    old = build_old(rev)
    new_ck, new_cf = _linear._ck, _fold._cf
    old_ck = old["_cscore"]
    old_signals_ck = old_ck if hasattr(old_ck, "longest") else _Compat(old_ck)
    guard = gw.Guard("ab", input=bench.validators(True))
    model = _linear.builtin()
    new_tables = model._tables
    _linear._ck = old_ck
    old_tables = model._c_tables()
    _linear._ck = new_ck

    def use(which: str) -> None:
        ck = old_ck if which == "before" else new_ck
        _linear._ck = _features._ck = ck
        _signals._ck = old_signals_ck if which == "before" else new_ck
        _fold._cf = old["_cfold"] if which == "before" else new_cf
        model._tables = old_tables if which == "before" else new_tables

    rows = []
    try:
        for label in ("2 KB", "20 KB", "200 KB"):
            text = bench.SIZES[label]
            n = {"2 KB": 1500, "20 KB": 200, "200 KB": 20}[label] // (5 if quick else 1)
            lat: dict[str, dict[str, list[int]]] = {"before": {}, "after": {}}
            for i in range(n):
                seen = {}
                for which in ("before", "after") if i % 2 else ("after", "before"):
                    use(which)
                    gc.disable()
                    c0 = time.thread_time_ns()
                    d = guard.check(text)
                    c1 = time.thread_time_ns()
                    gc.enable()
                    lat[which].setdefault("guard.check (caller CPU)", []).append(c1 - c0)
                    for s in d.steps:
                        lat[which].setdefault(s.validator, []).append(s.latency_ns)
                    seen[which] = (d.outcome, d.text, d.reasons, [(f.rule, f.start, f.end, f.score) for f in d.findings],
                                   [(s.validator, s.outcome, s.reasons, s.score) for s in d.steps])
                assert seen["before"] == seen["after"], label
            for key in ("prompt_injection", "guard.check (caller CPU)"):
                b = statistics.median(lat["before"][key]) / 1000
                a = statistics.median(lat["after"][key]) / 1000
                rows.append((label, key, b, a))
    finally:
        use("after")
    print(f"kernels of {rev} (before) vs this tree (after); median us; load {os.getloadavg()[0]:.1f}\n")
    print("| text | what | before | after | after / before |")
    print("|---|---|---|---|---|")
    for label, key, b, a in rows:
        print(f"| {label} | {key} | {b:,.1f} | {a:,.1f} | {a / b:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
