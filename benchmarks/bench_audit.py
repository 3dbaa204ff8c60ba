"""Audit sinks: enqueue cost on the caller's thread and sustained writer throughput.

    PYTHONPATH=src python benchmarks/bench_audit.py [--records 100000] [--pg DSN]

Prints a table. Inputs are deterministic (the same records every run). Peers in the same run:
Python's ``logging`` with a ``QueueHandler``/``QueueListener`` writing JSON lines to a file.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    n = args.records
    records = make_records(n)
    d = tempfile.mkdtemp(prefix="gw-bench-")
    rows: list[tuple[str, str, str]] = []
    big = 10_000_000

    def jsonl(durability, name=None):
        return lambda: gw.JsonlSink(os.path.join(d, f"{name or durability}-{uuid.uuid4().hex[:6]}.jsonl"),
                                    durability=durability, queue_size=big)

    # -- enqueue cost on the caller's thread ----------------------------------------------------
    s = jsonl("batch")()
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
    add("JsonlSink durability=batch", throughput(jsonl("batch"), records), "target >= 100k")
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

        with psycopg.connect(args.pg, connect_timeout=3):
            pass
        table = f"gw_bench_{uuid.uuid4().hex[:8]}"
        add("PostgresSink durability=batch",
            throughput(lambda: gw.PostgresSink(args.pg, table=table, queue_size=big), records[: n // 2]))
        with psycopg.connect(args.pg, autocommit=True) as con:
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

    report = gw.audit.verify(os.path.join(d, sorted(f for f in os.listdir(d) if f.startswith("batch-"))[0]))
    rows.append(("verify the batch log", "ok" if report.ok else "FAILED", f"{report.records:,} records"))

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
