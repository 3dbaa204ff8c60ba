"""Audit sinks: enqueue cost on the caller's thread, writer throughput, the writer's CPU per
guarded call in each record layout, and verify on a million rows.

    PYTHONPATH=src python benchmarks/bench_audit.py [--records 100000] [--pg DSN]
        [--calls 20000] [--verify-rows 1000000] [--skip-throughput] [--skip-verify]

Prints tables. Inputs are deterministic (the same records every run). Peers in the same run:
Python's ``logging`` with a ``QueueHandler``/``QueueListener`` writing JSON lines to a file.

"Writer CPU per call" is the process CPU time not spent on the calling thread (the audit writer:
building records, keyed hashes, chaining, serialising, writing), per guarded call, with the records
drained (``flush``) inside the measured window; layouts are measured in interleaved rounds.
"Verify" runs in a fresh subprocess per source and reports wall time and peak RSS
(``ru_maxrss``), for logs written through the real sinks.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import platform
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid

import orjson

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "bench-key-0123456789abcdef0123456789abcdef")

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import guardwrap as gw


def make_records(n: int) -> list[dict]:
    base = {
        "schema": "guardwrap.audit/1", "type": "decision", "call_id": "a1b2c3d4e5f6-1",
        "trace_id": None, "request_id": "req-0", "app": "support-bot", "actor": "ab" * 32,
        "provider": "openai", "model": "gpt-4o-mini", "policy_id": "retail-assistant", "policy_version": "3",
        "policy_hash": "cd" * 32, "validator": "pii", "validator_version": "1", "stage": "input",
        "action": "redact", "outcome": "fixed", "enforced": True, "reasons": ["pii"],
        "findings": [{"entity_type": "EMAIL_ADDRESS", "start": 11, "end": 30, "score": 0.9},
                     {"entity_type": "US_SSN", "start": 40, "end": 51, "score": 0.85}],
        "counts": {"EMAIL_ADDRESS": 1, "US_SSN": 1}, "score": None, "latency_us": 12.5, "attempt": 1,
        "fallback_from": None,
    }
    return [dict(base, ts=1_760_000_000.0 + i * 0.001, event_id=f"e-{i:x}", request_id=f"req-{i // 3}")
            for i in range(n)]


def enqueue_median_ns(emit, records, rounds=300, per_round=100) -> float:
    """Median over rounds of the mean cost of one emit call (ns)."""
    samples = []
    it = iter(records)
    for _ in range(rounds):
        batch = [next(it) for _ in range(per_round)]
        t0 = time.perf_counter_ns()
        for r in batch:
            emit(r)
        samples.append((time.perf_counter_ns() - t0) / per_round)
    return statistics.median(samples)


def throughput(make_sink, records) -> float:
    sink = make_sink()
    try:
        t0 = time.perf_counter()
        emit = sink.emit
        for r in records:
            emit(r)
        sink.flush()
        return len(records) / (time.perf_counter() - t0)
    finally:
        sink.close()


def sync_throughput(make_sink, records, threads=4, per_call=3) -> float:
    """Callers that each wait for durability after every call (group commit shares the fsyncs)."""
    sink = make_sink()
    chunks = [records[i::threads] for i in range(threads)]

    def run(rs):
        for i in range(0, len(rs), per_call):
            for r in rs[i:i + per_call]:
                sink.emit(r)
            sink.barrier()

    try:
        ts = [threading.Thread(target=run, args=(c,)) for c in chunks]
        t0 = time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return len(records) / (time.perf_counter() - t0)
    finally:
        sink.close()


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        return orjson.dumps(record.msg).decode()


def logging_queue_pair(path):
    q: queue.SimpleQueue = queue.SimpleQueue()
    fh = logging.FileHandler(path)
    fh.setFormatter(_JsonFormatter())
    listener = logging.handlers.QueueListener(q, fh)
    logger = logging.getLogger(f"bench.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.handlers.QueueHandler(q))
    listener.start()
    return logger, listener, fh


LLM_ANSWER = "Your card ending 4242 is active; the daily ATM limit is 500 and can be raised in the app."
PROMPT = ("Hi, I'm travelling next week and want to check my card works abroad and what the ATM limit is. "
          "My email is jane.doe@example.com if you need to reach me.")


def layout_guard(path: str, layout: str):
    """A realistic guard: four input validators, two output validators, a JSONL log."""
    sink = gw.JsonlSink(path, layout=layout, queue_size=10_000_000)
    guard = gw.Guard("bench", input=[gw.MaxLength(chars=4000), gw.DenyTerms(["bypass kyc", "structure the deposits"]),
                                     gw.RegexRule(r"(?i)\bwire\s+all\b", action="block", reason="wire-all"),
                                     gw.InvisibleText()],
                     output=[gw.MaxLength(chars=4000), gw.RegexRule(r"(?i)guaranteed returns?", action="block",
                                                                   reason="no-performance-promises")],
                     audit=sink)
    return guard, guard(lambda prompt: LLM_ANSWER)


def writer_cpu(d: str, calls: int, rounds: int = 7) -> list[tuple[str, str, str]]:
    built = [(layout, *layout_guard(os.path.join(d, f"layout-{layout}.jsonl"), layout)) for layout in ("decision", "call")]
    per: dict[str, list[tuple[float, float, float, int]]] = {layout: [] for layout, *_ in built}
    for _, guard, ask in built:  # warm up
        for _ in range(2000):
            ask(PROMPT)
        guard.flush()
    for _ in range(rounds):
        for layout, guard, ask in built:
            sink = guard.sinks[0]
            before = sink.written_total
            p0, w0, c0 = time.process_time_ns(), time.perf_counter_ns(), time.thread_time_ns()
            for _ in range(calls):
                ask(PROMPT)
            c1 = time.thread_time_ns()
            guard.flush()
            w1, p1 = time.perf_counter_ns(), time.process_time_ns()
            per[layout].append(((c1 - c0) / calls / 1000, ((p1 - p0) - (c1 - c0)) / calls / 1000,
                                (w1 - w0) / calls / 1000, sink.written_total - before))
    rows = []
    for layout, guard, _ in built:
        caller = statistics.median(x[0] for x in per[layout])
        writer = statistics.median(x[1] for x in per[layout])
        sustained = statistics.median(x[2] for x in per[layout])
        recs = statistics.median(x[3] for x in per[layout]) / calls
        size = os.path.getsize(guard.sinks[0].path)
        guard.close()
        rows.append((f"layout={layout}: writer CPU per call", f"{writer:.2f} µs",
                     f"caller {caller:.2f} µs, sustained {sustained:.2f} µs, {recs:.1f} records/call, "
                     f"{size / max(1, sum(x[3] for x in per[layout])):.0f} B/record"))
    return rows


VERIFY_PROBE = """
import json, sys, time
from guardwrap.audit import verify
def hwm():  # peak RSS of this process image (VmHWM; ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
source, table = sys.argv[1], sys.argv[2]
before = hwm()
t0 = time.perf_counter()
r = verify(source, table=table)
took = time.perf_counter() - t0
print(json.dumps({"status": r.status, "records": r.records, "seconds": took, "peak_rss_mb": hwm(),
                  "rss_before_mb": before}))
"""


def verify_rows(d: str, n: int, pg: str | None) -> list[tuple[str, str, str]]:
    """Write n call records through each sink, then verify each in a fresh process."""
    import subprocess

    rec = {"schema": "guardwrap.audit/1", "type": "call", "app": "bench", "policy_id": "retail", "policy_version": "3",
           "policy_hash": "cd" * 32, "outcome": "pass", "enforced": True, "reasons": [], "findings": [],
           "input_hash": "ab" * 32, "output_hash": "ef" * 32, "latency_us": 4.2, "attempt": 1}
    makers = [("JsonlSink", os.path.join(d, "v.jsonl"), "guardwrap_audit",
               lambda: gw.JsonlSink(os.path.join(d, "v.jsonl"), durability="none", queue_size=n + 10, batch_size=16384)),
              ("SqliteSink", os.path.join(d, "v.db"), "guardwrap_audit",
               lambda: gw.SqliteSink(os.path.join(d, "v.db"), durability="none", queue_size=n + 10, batch_size=16384))]
    table = f"gw_bench_verify_{uuid.uuid4().hex[:8]}"
    if pg:
        makers.append(("PostgresSink", pg, table,
                       lambda: gw.PostgresSink(pg, table=table, durability="none", queue_size=n + 10, batch_size=16384)))
    rows = []
    try:
        for name, source, tbl, make in makers:
            t0 = time.perf_counter()
            sink = make()
            for i in range(n):
                sink.emit(dict(rec, ts=1.76e9 + i * 0.001, call_id=f"c-{i:x}", request_id=f"r{i}"))
            sink.close()
            wrote = time.perf_counter() - t0
            out = subprocess.run([sys.executable, "-c", VERIFY_PROBE, source, tbl], capture_output=True, text=True,
                                 env=dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), "..", "src")))
            if out.returncode:
                rows.append((f"verify {n:,} rows, {name}", "FAILED", out.stderr.strip()[-200:]))
                continue
            res = json.loads(out.stdout)
            rows.append((f"verify {n:,} rows, {name}", f"{res['seconds']:.1f} s",
                         f"{res['status']}, {res['records']:,} records, peak RSS {res['peak_rss_mb']:.0f} MB "
                         f"({res['rss_before_mb']:.0f} MB before) "
                         f"({res['records'] / res['seconds']:,.0f} rows/s; written in {wrote:.0f} s)"))
    finally:
        if pg:
            import psycopg

            with psycopg.connect(pg, autocommit=True) as con:
                con.execute(f"DROP TABLE IF EXISTS {table}")
                con.execute(f"DROP TABLE IF EXISTS {table}_anchor")
    return rows


def throughput_rows(d: str, n: int, pg_dsn: str) -> list[tuple[str, str, str]]:
    """Enqueue cost and sustained records/s per sink (emit all, then flush)."""
    records = make_records(n)
    rows: list[tuple[str, str, str]] = []
    big = 10_000_000

    def jsonl(durability, name=None):
        return lambda: gw.JsonlSink(os.path.join(d, f"{name or durability}-{uuid.uuid4().hex[:6]}.jsonl"),
                                    durability=durability, queue_size=big)

    # -- enqueue cost on the caller's thread ----------------------------------------------------
    s = jsonl("batch", "enqueue")()
    rows.append(("enqueue: JsonlSink.emit", f"{enqueue_median_ns(s.emit, records) / 1000:.2f} µs", "median"))
    s.close()
    s = gw.SqliteSink(os.path.join(d, "enq.db"), queue_size=big)
    rows.append(("enqueue: SqliteSink.emit", f"{enqueue_median_ns(s.emit, records) / 1000:.2f} µs", "median"))
    s.close()
    logger, listener, fh = logging_queue_pair(os.path.join(d, "enq-logging.jsonl"))
    rows.append(("enqueue: logging + QueueHandler (peer)",
                 f"{enqueue_median_ns(logger.info, records) / 1000:.2f} µs", "median"))
    listener.stop()
    fh.close()

    # -- sustained writer throughput -----------------------------------------------------------
    def add(name, rate, note=""):
        rows.append((name, f"{rate:,.0f} rec/s", note))

    add("JsonlSink durability=none", throughput(jsonl("none"), records))
    add("JsonlSink durability=batch", throughput(jsonl("batch", "tp-batch"), records), "target >= 100k")
    add("JsonlSink durability=sync", sync_throughput(jsonl("sync"), records[: n // 5]),
        "4 threads, barrier per 3-record call")
    add("SqliteSink durability=none",
        throughput(lambda: gw.SqliteSink(os.path.join(d, f"n-{uuid.uuid4().hex[:6]}.db"),
                                         durability="none", queue_size=big), records))
    add("SqliteSink durability=batch",
        throughput(lambda: gw.SqliteSink(os.path.join(d, f"b-{uuid.uuid4().hex[:6]}.db"),
                                         queue_size=big), records))
    try:
        import psycopg

        with psycopg.connect(pg_dsn, connect_timeout=3):
            pass
        table = f"gw_bench_{uuid.uuid4().hex[:8]}"
        add("PostgresSink durability=batch",
            throughput(lambda: gw.PostgresSink(pg_dsn, table=table, queue_size=big), records[: n // 2]))
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute(f"DROP TABLE {table}")
            con.execute(f"DROP TABLE {table}_anchor")
    except Exception as exc:  # no server here
        rows.append(("PostgresSink durability=batch", "skipped", type(exc).__name__))
    null = logging.getLogger("bench.null")
    null.propagate = False
    null.addHandler(logging.NullHandler())
    add("LoggingSink (NullHandler)", throughput(lambda: gw.LoggingSink(null, queue_size=big), records[: n // 2]))

    logger, listener, fh = logging_queue_pair(os.path.join(d, "peer.jsonl"))
    t0 = time.perf_counter()
    for r in records:
        logger.info(r)
    listener.stop()  # drains the queue
    fh.flush()
    add("peer: logging + QueueHandler -> JSON lines", n / (time.perf_counter() - t0),
        "no chain, no fsync")
    fh.close()

    report = gw.audit.verify(os.path.join(d, sorted(f for f in os.listdir(d) if f.startswith("tp-batch-") and f.endswith(".jsonl"))[0]))
    rows.append(("verify the batch log", "ok" if report.ok else "FAILED", f"{report.records:,} records"))

    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--calls", type=int, default=20_000, help="guarded calls per round for the layout rows")
    ap.add_argument("--verify-rows", type=int, default=1_000_000)
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-verify", action="store_true")
    args = ap.parse_args()
    n = args.records
    d = tempfile.mkdtemp(prefix="gw-bench-")
    rows: list[tuple[str, str, str]] = []
    rows.extend(writer_cpu(d, args.calls))
    if not args.skip_throughput:
        rows.extend(throughput_rows(d, n, args.pg))
    if not args.skip_verify:
        pg = args.pg
        try:
            import psycopg

            with psycopg.connect(pg, connect_timeout=3):
                pass
        except Exception as exc:  # no server here
            rows.append(("verify, PostgresSink", "skipped", type(exc).__name__))
            pg = None
        rows.extend(verify_rows(d, args.verify_rows, pg))
    print(f"guardwrap audit benchmark: {n:,} records, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    w = max(len(r[0]) for r in rows)
    print(f"{'what':<{w}}  {'result':>16}  note")
    print("-" * (w + 40))
    for name, val, note in rows:
        print(f"{name:<{w}}  {val:>16}  {note}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
