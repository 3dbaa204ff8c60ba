"""Round 11c: what the small windows cost, interleaved A/B in one process.

    PYTHONPATH=src:training/injection python benchmarks/bench_injection_small_ab.py [--before SRC]

``on``: the shipped validator (windows + small windows); ``off``: the same code and weights with
the small windows switched off (``small_bias = None``); ``before`` (with ``--before``): another
checkout's package loaded beside this one (`bench_injection.load_before`; it runs this checkout's
C kernels). Every round times each variant on fresh text objects, in turn; reported is the median
over rounds of the per-round difference (caller CPU µs per `check`), with its range.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_injection import KINDS, load_before  # noqa: E402

import guardwrap as gw  # noqa: E402
from guardwrap.injection._linear import WEIGHTS, LinearModel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", metavar="SRC")
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--sizes", default="2000,20000")
    args = ap.parse_args()
    on = gw.PromptInjection()
    off = gw.PromptInjection()
    off._linear = LinearModel.load(WEIGHTS)
    off._linear.small_bias = None
    variants = {"on": on, "off": off}
    if args.before:
        variants["before"] = load_before(args.before).PromptInjection()
    print("| input | chars | on µs | on - off µs (range) | " + ("on - before µs (range) |" if args.before else ""))
    print("|---|---|---|---|" + ("---|" if args.before else ""))
    for kind, make in KINDS.items():
        for n in map(int, args.sizes.split(",")):
            number = 60 if n <= 2000 else 8
            base = make(n)
            per: dict[str, list[float]] = {k: [] for k in variants}
            for v in variants.values():  # warm up
                for _ in range(5):
                    v.check("".join(list(base)), None)
            for _ in range(args.rounds):
                for name, v in variants.items():
                    texts = ["".join(list(base)) for _ in range(number)]
                    t0 = time.thread_time_ns()
                    for t in texts:
                        v.check(t, None)
                    per[name].append((time.thread_time_ns() - t0) / number / 1000)
            d = [a - b for a, b in zip(per["on"], per["off"], strict=True)]
            row = f"| {kind} | {n:,} | {statistics.median(per['on']):.1f} | {statistics.median(d):+.1f} ({min(d):+.0f}..{max(d):+.0f}) |"
            if args.before:
                d2 = [a - b for a, b in zip(per["on"], per["before"], strict=True)]
                row += f" {statistics.median(d2):+.1f} ({min(d2):+.0f}..{max(d2):+.0f}) |"
            print(row, flush=True)


if __name__ == "__main__":
    main()
