"""Interleaved A/B of ``gw.Grounded.check`` in one process: this tree against another checkout of
guardwrap (the baseline, e.g. main's HEAD), each with its own C kernels, on the cost benchmark's
answers and sources (``bench_grounding.py``). Rounds alternate A and B, so load from other jobs
on the (noisy, shared) host falls on both alike; medians and ranges are reported.

    git -C /work/main archive HEAD | tar -x -C /tmp/base && (cd /tmp/base && python setup.py -q build_ext --inplace)
    .venv/bin/python benchmarks/ab_grounding.py /tmp/base [--rounds 31] [--number 100]

The baseline is imported first, its modules are moved out of ``sys.modules`` (they keep their own
references to one another), then this tree's package is imported: the check path imports nothing
at call time, so each side runs only its own code.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _load(src: Path) -> dict[str, Any]:
    sys.path.insert(0, str(src))
    try:
        import guardwrap
        import guardwrap._claims
        import guardwrap._claimtext
        import guardwrap._sources
        import guardwrap.grounding  # (imported lazily by the package: here, from this checkout)
        from guardwrap._context import CallContext

        assert guardwrap.Grounded is guardwrap.grounding.Grounded

        mods = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "guardwrap" or k.startswith("guardwrap.")}
    finally:
        sys.path.remove(str(src))
    for name in ("guardwrap", "guardwrap.grounding", "guardwrap._sources", "guardwrap._claims"):
        assert Path(mods[name].__file__).resolve().is_relative_to(src.resolve()), mods[name].__file__
    return {"gw": guardwrap, "CallContext": CallContext, "mods": mods}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline", type=Path, help="a checkout of guardwrap with its kernels built (its root)")
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--number", type=int, default=100, help="checks per timing")
    ap.add_argument("--sizes", default="1000x10000,10000x100000", help="answer x sources sizes, comma-separated")
    args = ap.parse_args()
    base = _load(args.baseline / "src")
    new = _load(HERE.parent / "src")
    sys.path[:0] = [str(HERE), str(HERE / "data")]
    from bench_grounding import answer, corpus  # the same answers and sources as the cost benchmark

    for size in args.sizes.split(","):
        a_size, s_size = (int(x) for x in size.split("x"))
        sources, sentences = corpus(s_size, seed=7)
        text = answer(sentences[: max(12, len(sentences) * 10_000 // max(s_size, 1))], a_size, seed=11)
        fns = {}
        for label, side in (("base", base), ("new", new)):
            gw, cc = side["gw"], side["CallContext"]
            v, ctx = gw.Grounded(), gw.Context(sources=sources)
            res = v.check(text, cc("ab", ctx))
            assert res is None or res.passed
            fns[label] = (lambda v=v, ctx=ctx, cc=cc, text=text: v.check(text, cc("ab", ctx)))
        number = args.number if a_size + s_size <= 20_000 else max(1, args.number // 20)
        runs: dict[str, list[float]] = {k: [] for k in fns}
        for r in range(args.rounds):
            order = list(fns) if r % 2 == 0 else list(reversed(fns))
            for k in order:
                f = fns[k]
                t0 = time.thread_time_ns()
                for _ in range(number):
                    f()
                runs[k].append((time.thread_time_ns() - t0) / number / 1000)
        b, n = statistics.median(runs["base"]), statistics.median(runs["new"])
        ratios = sorted(x / y for x, y in zip(runs["base"], runs["new"], strict=True))
        print(f"{a_size} B answer x {s_size} B sources ({len(text)} / {sum(len(t) for _, t in sources)} chars), "
              f"{args.rounds} rounds x {number}:")
        print(f"  base {b:8.1f} us  [{min(runs['base']):.1f}-{max(runs['base']):.1f}]")
        print(f"  new  {n:8.1f} us  [{min(runs['new']):.1f}-{max(runs['new']):.1f}]")
        print(f"  base/new per round: median {statistics.median(ratios):.2f}x  [{ratios[0]:.2f}-{ratios[-1]:.2f}]")


if __name__ == "__main__":
    main()
