"""Guard overhead: a guarded call with no validators vs. the bare call (budget: <= 5 us median).

Two clocks: wall time of a tight loop (the audit writer thread competes for the GIL, so its work
shows up here too), and CPU time of the calling thread alone (what the guard costs the caller; the
writer's own cost is measured as throughput in bench_audit.py).

Run: python benchmarks/bench_guard.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

from _harness import amedian_us, machine, median_us, table

import guardwrap as gw

PROMPT = "What is the overdraft fee on my current account, and how do I avoid it next month?"
ANSWER = "The overdraft fee is 5 per day; set up a low-balance alert to avoid it."


def llm(prompt: str) -> str:
    return ANSWER


async def allm(prompt: str) -> str:
    return ANSWER


def main() -> None:
    tmp = tempfile.mkdtemp()
    rows = []
    bare = median_us(lambda: llm(PROMPT))
    bare_cpu = median_us(lambda: llm(PROMPT), clock=time.thread_time_ns)
    abare = amedian_us(lambda: allm(PROMPT))
    sinks = [
        ("no sink", lambda: None),
        ("MemorySink", gw.MemorySink),
        ("JsonlSink", lambda: gw.JsonlSink(os.path.join(tmp, "a.jsonl"))),
    ]
    for label, make in sinks:
        sink = make()
        guard = gw.Guard("bench", audit=sink)
        g = guard(llm)
        ag = guard(allm)
        wall = median_us(lambda g=g: g(PROMPT))
        cpu = median_us(lambda g=g: g(PROMPT), clock=time.thread_time_ns)
        awall = amedian_us(lambda ag=ag: ag(PROMPT))
        rows.append([f"sync, {label}", bare, wall, wall - bare, cpu - bare_cpu])
        rows.append([f"async, {label}", abare, awall, awall - abare, "-"])
        if isinstance(sink, gw.MemorySink):
            sink.clear()
        guard.close()
    table(f"Guard overhead, no validators ({machine()})",
          ["case", "bare call (us)", "guarded, wall (us)", "overhead, wall (us)",
           "overhead, caller CPU (us; budget 5)"], rows)


if __name__ == "__main__":
    main()
