"""Grounding cost: this tree against another revision's grounding code, interleaved in one process.

    .venv/bin/python benchmarks/bench_grounding_vs.py            # against main
    .venv/bin/python benchmarks/bench_grounding_vs.py REV -r 31  # against REV, 31 rounds

The other revision's ``_claims.py``, ``_sources.py``, ``grounding.py`` and its C kernel
``_cground.c`` (built into a temporary directory with this interpreter) are loaded beside this
tree's as ``guardwrap._claims_rev`` and so on, so both checks run in the same rounds, alternately
(A,B then B,A), and load from other jobs falls on both alike. Each case times ``Grounded.check``
(thread CPU time, medians) with a fresh call context, so the sources are indexed on every check:
1 KB and 2 KB answers against 10 KB and 20 KB of sources (bench_grounding's corpus), and prints the
growth of each side from the 1 KB x 10 KB base. The two must give the same decisions (checked).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "data"))

import bench_grounding as bench  # noqa: E402

import guardwrap as gw  # noqa: E402
import guardwrap.grounding  # noqa: E402  (this tree's grounding modules, loaded before the revision's)
from guardwrap._context import CallContext  # noqa: E402

FILES = ("_claims.py", "_sources.py", "grounding.py")
CASES = {"1 KB x 10 KB": (1000, 10_000), "2 KB x 10 KB": (2000, 10_000), "1 KB x 20 KB": (1000, 20_000),
         "2 KB x 20 KB": (2000, 20_000)}


def _show(rev: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(HERE.parent), "show", f"{rev}:{path}"], capture_output=True, text=True,
                          check=True).stdout


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    if name.startswith("guardwrap."):
        sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_revision(rev: str, tmp: Path) -> Any:
    """The other revision's Grounded class, with its own _claims, _sources and kernel."""
    for f in FILES:
        (tmp / f).write_text(_show(rev, f"src/guardwrap/{f}"), encoding="utf-8")
    (tmp / "_cground.c").write_text(_show(rev, "src/guardwrap/_cground.c"), encoding="utf-8")
    (tmp / "setup.py").write_text("from setuptools import Extension, setup\nsetup(ext_modules=[Extension("
                                  "'_cground', ['_cground.c'], extra_compile_args=['-O2', '-std=c99'])])\n")
    subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tmp, check=True,
                   capture_output=True)
    kernel = _load("_cground", next(tmp.glob("_cground*.so")))
    claims = _load("guardwrap._claims_rev", tmp / "_claims.py")
    claims._K = kernel
    mods = sys.modules
    mine = {k: mods[k] for k in ("guardwrap._claims", "guardwrap._sources")}
    try:  # the revision's modules import each other by their package names
        mods["guardwrap._claims"] = claims
        sources = _load("guardwrap._sources_rev", tmp / "_sources.py")
        sources._K = kernel
        mods["guardwrap._sources"] = sources
        grounding = _load("guardwrap.grounding_rev", tmp / "grounding.py")
    finally:
        mods.update(mine)
    assert grounding.SourceIndex is sources.SourceIndex and grounding.extract is claims.extract
    return grounding.Grounded


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rev", nargs="?", default="main")
    ap.add_argument("-r", "--rounds", type=int, default=21)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other, this = load_revision(args.rev, Path(tmp))(), gw.Grounded()
        fns: dict[str, Any] = {}
        for label, (a_size, s_size) in CASES.items():
            sources, sentences = bench.corpus(s_size, seed=7)
            text = bench.answer(sentences[: max(12, len(sentences) * 10_000 // max(s_size, 1))], a_size, seed=11)
            ctx = gw.Context(sources=sources)
            results = [v.check(text, CallContext("vs", ctx)) for v in (other, this)]
            decided = [None if r is None else (r.passed, r.score, [(f.rule, f.start, f.end) for f in r.findings])
                       for r in results]
            assert decided[0] == decided[1], (label, decided)
            for side, v in (("rev", other), ("this", this)):
                fns[f"{label}/{side}"] = lambda v=v, text=text, ctx=ctx: v.check(text, CallContext("bench", ctx))
        runs: dict[str, list[float]] = {k: [] for k in fns}
        keys = list(fns)
        for f in fns.values():
            f()
        for r in range(args.rounds):
            order = keys if r % 2 == 0 else keys[::-1]
            for k in order:
                t0 = time.thread_time_ns()
                for _ in range(50):
                    fns[k]()
                runs[k].append((time.thread_time_ns() - t0) / 50 / 1000)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"{bench.machine()}, {args.rounds} rounds, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print(f"{'case':<16}{args.rev + ' us':>12}{'this us':>10}{'ratio':>8}")
    for label in CASES:
        o, n = med[f"{label}/rev"], med[f"{label}/this"]
        print(f"{label:<16}{o:>12.1f}{n:>10.1f}{o / n:>7.2f}x")
    for side, name in (("rev", args.rev), ("this", "this")):
        base = med[f"1 KB x 10 KB/{side}"]
        print(f"growth {name:<8} answer x2 {med[f'2 KB x 10 KB/{side}'] / base:.2f}x, sources x2 "
              f"{med[f'1 KB x 20 KB/{side}'] / base:.2f}x, both x2 {med[f'2 KB x 20 KB/{side}'] / base:.2f}x")


if __name__ == "__main__":
    main()
