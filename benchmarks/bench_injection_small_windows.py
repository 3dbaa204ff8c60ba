"""The learned tier with and without its small windows (path B), interleaved in one process.

    python benchmarks/bench_injection_small_windows.py [--rounds N]

"windows only" is the shipped validator with the small windows switched off (a model loaded from
the same weights file without ``small_window_bias``: what main computed before round 7); "with
small windows" is the shipped validator. Calls alternate (A, B, A, B, ...) on fresh text objects
(no per-text cache answers); medians of caller CPU time (``time.thread_time_ns``), µs per check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_injection import KINDS  # noqa: E402

import guardwrap as gw  # noqa: E402
from guardwrap.injection import _linear  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=400)
    args = ap.parse_args()
    off = gw.PromptInjection()
    model = _linear.LinearModel.load(_linear.WEIGHTS)
    model.small_bias = None
    off._linear = model
    on = gw.PromptInjection()
    print("| text | size | windows only | with small windows | difference |\n|---|---|---|---|---|")
    for kind in ("banking prose", "prose with PII placeholders", "long role prompts"):
        for n in (2_000, 20_000):
            text = KINDS[kind](n)
            rounds = args.rounds if n <= 2000 else max(args.rounds // 5, 20)
            times: list[list[int]] = [[], []]
            for _ in range(rounds):
                for k, v in enumerate((off, on)):
                    t = "".join(list(text))
                    t0 = time.thread_time_ns()
                    v.check(t, None)
                    times[k].append(time.thread_time_ns() - t0)
            a, b = (statistics.median(x) / 1000 for x in times)
            print(f"| {kind} | {len(text):,} | {a:.1f} | {b:.1f} | {b - a:+.1f} |")


if __name__ == "__main__":
    main()
