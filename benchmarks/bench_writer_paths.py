"""The JSONL audit writer's batch paths side by side in one process (interleaved rounds, medians):
caller CPU, sustained wall (N calls plus ``guard.flush()``, divided by N) and writer CPU (process
CPU not spent on the calling thread), for a guard without validators (a short prompt, 20,000 calls
a round) or the 2 KB input guard of ``bench_input_guard.py`` (400 calls a round).

- ``two-step``: the writer as it was: `_csha.call_bodies` (a bytes object per record), then
  `_csha.seal` (copy, search the placeholder, hash), the batch joined into one bytes object;
- ``one pass, GIL held``: `_csha.seal_calls` builds and chains a run in one buffer, the batch is
  written with one ``writev``;
- ``one pass``: the same, the run's keyed hashes and chain hashes computed without the GIL (the
  default: runs of 64 KB or more, while the writer keeps up).

Run: python benchmarks/bench_writer_paths.py [--guard bare|2k] [--rounds 11]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

from _harness import machine, table

import guardwrap as gw
from guardwrap.audit import _jsonl, verify

PROMPT = "What is the overdraft fee on my current account, and how do I avoid it next month?"

VARIANTS = {  # label: (_FUSED, _GIL_FREE_BYTES, _writev)
    "two-step": (False, -1, None),
    "one pass, GIL held": (True, -1, _jsonl._writev),
    "one pass": (True, _jsonl._GIL_FREE_BYTES, _jsonl._writev),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--guard", choices=["bare", "2k"], default="bare")
    ap.add_argument("--rounds", type=int, default=11)
    args = ap.parse_args()
    if args.guard == "2k":
        from bench_input_guard import SIZES, validators

        text, n, make = SIZES["2 KB"], 400, lambda: validators(True)
    else:
        text, n, make = PROMPT, 20_000, lambda: []
    tmp = tempfile.mkdtemp()
    guards = {}
    for label in VARIANTS:
        g = gw.Guard("bench", input=make(), audit=gw.JsonlSink(os.path.join(tmp, f"{len(guards)}.jsonl")))
        guards[label] = (g, g(lambda prompt: "The fee is 5 per day."))

    def measure(label: str, calls: int) -> tuple[float, float, float]:
        g, fn = guards[label]
        _jsonl._FUSED, _jsonl._GIL_FREE_BYTES, _jsonl._writev = VARIANTS[label]
        gc.collect()
        gc.disable()
        try:
            p0, w0, c0 = time.process_time_ns(), time.perf_counter_ns(), time.thread_time_ns()
            for _ in range(calls):
                fn(text)
            c1 = time.thread_time_ns()
            g.flush()
            w1, p1 = time.perf_counter_ns(), time.process_time_ns()
        finally:
            gc.enable()
        return (c1 - c0) / calls / 1000, (w1 - w0) / calls / 1000, ((p1 - p0) - (c1 - c0)) / calls / 1000

    for label in VARIANTS:  # warm up
        measure(label, n // 4)
    results: dict[str, list[tuple[float, float, float]]] = {label: [] for label in VARIANTS}
    labels = list(VARIANTS)
    for r in range(args.rounds):
        for label in labels[r % len(labels):] + labels[: r % len(labels)]:
            results[label].append(measure(label, n))
    rows = []
    for label, (g, _) in guards.items():
        med = [statistics.median(x[i] for x in results[label]) for i in range(3)]
        g.close()
        rows.append([label, med[0], med[1], med[2], med[1] - med[0], verify(g.sinks[0].path).status])
    table(f"JSONL writer paths, {args.guard} guard ({n:,} calls x {args.rounds} rounds, interleaved; "
          f"load {os.getloadavg()[0]:.1f}; {machine()})",
          ["path", "caller CPU (us)", "sustained (us)", "writer CPU (us/call)", "sustained - caller (us)", "verify"],
          rows)


if __name__ == "__main__":
    main()
