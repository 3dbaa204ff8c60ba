"""Guard overhead with no validators: caller CPU and sustained wall, side by side (SPEC section 6:
caller <= 3 us, sustained <= 8 us over the bare call, with a JSONL audit log).

"Caller" is the CPU time of the calling thread alone (``time.thread_time_ns``): what the guard costs
the code that calls it. "Sustained" is the wall time of N calls plus draining the audit writer
(``guard.flush()``), divided by N: what a busy process really pays, since the writer thread shares
the GIL. "Writer" is the process CPU time not spent on the calling thread, per call: the audit
writer's work (building, hashing, chaining and writing the records). Configurations are measured in
interleaved rounds, so a busy machine slows them alike; medians are reported.

Run: python benchmarks/bench_guard.py [--calls 20000] [--rounds 9]
"""

from __future__ import annotations

import argparse
import asyncio
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

PROMPT = "What is the overdraft fee on my current account, and how do I avoid it next month?"
ANSWER = "The overdraft fee is 5 per day; set up a low-balance alert to avoid it."


def llm(prompt: str) -> str:
    return ANSWER


async def allm(prompt: str) -> str:
    return ANSWER


def measure(fn, guard, n: int) -> tuple[float, float, float]:
    """(caller CPU, sustained wall, writer CPU) per call in microseconds, for one round of n calls."""
    gc.collect()
    gc.disable()
    try:
        p0, w0, c0 = time.process_time_ns(), time.perf_counter_ns(), time.thread_time_ns()
        for _ in range(n):
            fn(PROMPT)
        c1 = time.thread_time_ns()
        if guard is not None:
            guard.flush()
        w1, p1 = time.perf_counter_ns(), time.process_time_ns()
    finally:
        gc.enable()
    caller = (c1 - c0) / n / 1000
    return caller, (w1 - w0) / n / 1000, max(0.0, ((p1 - p0) - (c1 - c0)) / n / 1000)


def ameasure(fn, guard, n: int) -> float:
    async def run() -> int:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            await fn(PROMPT)
        if guard is not None:
            guard.flush()
        return time.perf_counter_ns() - t0

    return asyncio.run(run()) / n / 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    configs = [
        ("bare call", None, lambda: None),
        ("no sink", None, lambda: gw.Guard("bench")),
        ("JsonlSink", None, lambda: gw.Guard("bench", audit=gw.JsonlSink(os.path.join(tmp, "a.jsonl")))),
        ("JsonlSink layout=call", None,
         lambda: gw.Guard("bench", audit=gw.JsonlSink(os.path.join(tmp, "c.jsonl"), layout="call"))),
        ("SqliteSink", None, lambda: gw.Guard("bench", audit=gw.SqliteSink(os.path.join(tmp, "a.db")))),
    ]
    built = []
    for label, _, make in configs:
        guard = make()
        built.append((label, guard, llm if guard is None else guard(llm), allm if guard is None else guard(allm)))
    results: dict[str, list[tuple[float, float, float]]] = {label: [] for label, *_ in built}
    aresults: dict[str, list[float]] = {label: [] for label, *_ in built}
    for _, guard, fn, _ in built:  # warm up: lazy imports, caches, the writer's first batches
        measure(fn, guard, 2000)
    for _ in range(args.rounds):
        for label, guard, fn, afn in built:
            results[label].append(measure(fn, guard, args.calls))
            aresults[label].append(ameasure(afn, guard, args.calls // 4))
    bare = [statistics.median(x[i] for x in results["bare call"]) for i in range(3)]
    abare = statistics.median(aresults["bare call"])
    rows = []
    for label, guard, *_ in built:
        med = [statistics.median(x[i] for x in results[label]) for i in range(3)]
        amed = statistics.median(aresults[label])
        if label == "bare call":
            rows.append([label, med[0], med[1], "-", "-", "-", amed])
            continue
        rows.append([label, med[0] - bare[0], med[1] - bare[1], med[2], med[0] - bare[0] + med[2],
                     med[1] - bare[1] - (med[0] - bare[0]), amed - abare])
        if guard is not None:
            guard.close()
    table(f"Guard with no validators, over the bare call ({args.calls:,} calls x {args.rounds} rounds; {machine()})",
          ["case", "caller CPU (us; budget 3)", "sustained (us; budget 8)", "writer CPU (us/call)",
           "caller + writer CPU (us)", "sustained - caller (us)", "async sustained (us)"], rows)


if __name__ == "__main__":
    main()
