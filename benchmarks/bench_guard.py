"""Guard overhead: a guarded call with no validators vs. the bare call (budget: <= 5 us median).

Run: python benchmarks/bench_guard.py
"""

from __future__ import annotations

import os
import sys
import tempfile

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
    rows = []
    bare = median_us(lambda: llm(PROMPT))
    abare = amedian_us(lambda: allm(PROMPT))
    sinks: list[tuple[str, object]] = [("MemorySink", gw.MemorySink), ("no sink", lambda: None)]
    if hasattr(gw.audit, "JsonlSink"):
        tmp = tempfile.mkdtemp()
        sinks.insert(1, ("JsonlSink", lambda: gw.audit.JsonlSink(os.path.join(tmp, "a.jsonl"))))
    for label, make in sinks:
        sink = make()
        guard = gw.Guard("bench", audit=sink)
        g = guard(llm)
        ag = guard(allm)
        t = median_us(lambda g=g: g(PROMPT))
        at = amedian_us(lambda ag=ag: ag(PROMPT))
        rows.append([f"sync, {label}", bare, t, t - bare])
        rows.append([f"async, {label}", abare, at, at - abare])
        if isinstance(sink, gw.MemorySink):
            sink.clear()
        guard.close()
    table(f"Guard overhead, no validators ({machine()})",
          ["case", "bare call (us)", "guarded (us)", "overhead (us, budget 5)"], rows)


if __name__ == "__main__":
    main()
