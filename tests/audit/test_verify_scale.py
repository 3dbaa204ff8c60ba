"""verify, stats and export stream: memory stays flat however many rows a log holds (the 1 M-row
run with its time and peak memory is ``benchmarks/bench_audit.py --verify-rows 1000000``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from _bulk import fill_postgres, fill_sqlite

from guardwrap.audit import verify

SRC = str(Path(__file__).resolve().parents[2] / "src")

PROBE = """
import json, resource, sys
import guardwrap as gw
from guardwrap.audit import verify, stats, read_records
source, table = sys.argv[1], sys.argv[2]
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
for rec in read_records(source, table=table):      # warm up imports and connections
    break
base = rss()
r = verify(source, table=table)
after_verify = rss()
st = stats(source, table=table)
after_stats = rss()
n = sum(1 for _ in read_records(source, table=table))
after_export = rss()
print(json.dumps({"status": r.status, "records": r.records, "calls": st.calls, "read": n,
                  "verify": after_verify - base, "stats": after_stats - base, "export": after_export - base}))
"""


def probe(source: str, table: str = "guardwrap_audit") -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, source, table], capture_output=True, text=True, check=True,
                         env=dict(os.environ, PYTHONPATH=SRC))
    return json.loads(out.stdout)


def _flat(small: dict, big: dict) -> None:
    """Peak memory growth (RSS) while reading: ten times the rows, about the same growth. Held in
    memory, 100,000 rows would take well over 100 MB."""
    for what in ("verify", "stats", "export"):
        assert big[what] < small[what] + 12_000_000, (what, small[what], big[what])
        assert big[what] < 40_000_000, (what, big[what])


def test_sqlite_verify_stats_export_stream_in_bounded_memory(tmp_path):
    small, big = tmp_path / "s.db", tmp_path / "b.db"
    fill_sqlite(str(small), 10_000)
    fill_sqlite(str(big), 100_000)
    a, b = probe(str(small)), probe(str(big))
    assert (b["status"], b["calls"], b["read"]) == ("intact", 100_000, b["records"])
    _flat(a, b)


@pytest.mark.postgres
def test_postgres_verify_stats_export_stream_with_a_server_side_cursor(pg_dsn):
    import psycopg

    small, big = f"gw_scale_{uuid.uuid4().hex[:8]}", f"gw_scale_{uuid.uuid4().hex[:8]}"
    try:
        fill_postgres(pg_dsn, 10_000, small)
        fill_postgres(pg_dsn, 100_000, big)
        a, b = probe(pg_dsn, small), probe(pg_dsn, big)
        assert (b["status"], b["calls"]) == ("intact", 100_000), b
        _flat(a, b)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            for t in (small, big):
                con.execute(f"DROP TABLE IF EXISTS {t}")
                con.execute(f"DROP TABLE IF EXISTS {t}_anchor")


def test_jsonl_verify_streams_too(tmp_path):
    import guardwrap as gw

    p = tmp_path / "big.jsonl"
    with gw.JsonlSink(p, batch_size=8192) as sink:
        for i in range(50_000):
            sink.emit({"type": "call", "ts": 1.7e9 + i, "outcome": "pass"})
    r = probe(str(p))
    assert r["status"] == "intact" and r["read"] == r["records"]
    assert r["verify"] < 20_000_000 and r["export"] < 20_000_000
    assert verify(p).records == r["records"]


def test_a_deletion_deep_in_a_big_table_is_still_named(tmp_path):
    import sqlite3

    p = tmp_path / "d.db"
    fill_sqlite(str(p), 50_000)
    con = sqlite3.connect(p)
    with con:
        con.execute("DELETE FROM guardwrap_audit WHERE seq = 41234")
    con.close()
    r = verify(p)
    assert (r.status, r.kind, r.seq) == ("tampered", "deleted", 41234)
