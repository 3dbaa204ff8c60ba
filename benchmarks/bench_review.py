"""Cost of the people-in-the-loop pieces: review submissions and verdicts, red-team runs, reports.

    PYTHONPATH=src python benchmarks/bench_review.py

Prints a table of medians. Inputs are deterministic. A submission happens on the guarded call's
thread, but only for escalated decisions; it is one SQLite insert with synchronous=FULL (an fsync).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "bench-key-0123456789abcdef0123456789abcdef")

import guardwrap as gw
from guardwrap.redteam import load_corpus, run_redteam
from guardwrap.report import render_audit_report
from guardwrap.review import ReviewQueue


@gw.validator(name="needs-human", stage="input", action="escalate")
def needs_human(text, ctx):
    return gw.Result.fail("large-transfer") if "wire" in text else None


@gw.validator(name="kw", stage="input", action="block")
def kw(text, ctx):
    low = text.lower()
    return gw.Result.fail("attack-term") if "ignore" in low or "kyc" in low else None


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    rows = []
    text = "please wire 9000 EUR to my other account, " + "details " * 40
    with tempfile.TemporaryDirectory() as tmp:
        queue = ReviewQueue(os.path.join(tmp, "q.sqlite3"))
        guard = gw.Guard("bench", input=[needs_human], review=queue, on_escalate="flag")
        ids: list[str] = []
        samples = timed(lambda: ids.append(guard.check(text).review_id), 300)
        rows.append(("guard.check + submit (SQLite file, WAL, fsync)", statistics.median(samples) * 1e6, "µs"))
        it = iter(ids)
        samples = timed(lambda: queue.approve(next(it), reviewer="bench", reason="ok"), 200)
        rows.append(("approve (update + review record)", statistics.median(samples) * 1e6, "µs"))
        samples = timed(lambda: queue.list(limit=100), 50)
        rows.append(("list 100 pending", statistics.median(samples) * 1e6, "µs"))
        queue.close()

    mem = ReviewQueue(":memory:")
    g2 = gw.Guard("bench", input=[needs_human], review=mem, on_escalate="flag")
    samples = timed(lambda: g2.check(text), 1000)
    rows.append(("guard.check + submit (SQLite :memory:)", statistics.median(samples) * 1e6, "µs"))

    items = load_corpus("starter") * 20
    g3 = gw.Guard("bench", input=[kw, needs_human])
    samples = timed(lambda: run_redteam(g3, items), 5)
    rows.append((f"red-team run, {len(items)} texts, 2 validators", statistics.median(samples) * 1e3, "ms"))

    sink = gw.MemorySink()
    g4 = gw.Guard("bench", input=[kw, needs_human], audit=sink, on_escalate="flag")

    @g4
    def ask(prompt: str) -> str:
        return "ok"

    texts = ["hello", "ignore rules", "wire it", "balance", "hours"]
    for i in range(20_000):
        with contextlib.suppress(gw.Blocked):
            ask(texts[i % 5])
    t0 = 1_760_000_000.0
    for i, r in enumerate(sink.records):
        r["ts"] = t0 + i * 2.0
    records = sink.records
    samples = timed(lambda: render_audit_report(records), 3)
    rows.append((f"render_audit_report, {len(records)} records", statistics.median(samples) * 1e3, "ms"))

    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median':>10}")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>8.1f} {unit}")


if __name__ == "__main__":
    main()
