"""SqliteSink and PostgresSink: chained rows, anchors, tampering, several writers at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import read_records, verify

SRC = str(Path(__file__).resolve().parents[1] / "src")
PG_DSN = os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def fill(sink, n=40):
    with sink:
        for i in range(n):
            sink.emit({"schema": "guardwrap.audit/1", "type": "decision", "ts": time.time(),
                       "validator": "v", "outcome": "blocked" if i % 5 == 0 else "pass",
                       "request_id": f"r{i}", "i": i})


@pytest.fixture
def db(tmp_path):
    p = tmp_path / "a.db"
    fill(gw.SqliteSink(p, checkpoint_every=10))
    return p


def sql(path, stmt, *args):
    con = sqlite3.connect(path)
    with con:
        rows = con.execute(stmt, args).fetchall()
    con.close()
    return rows


def seq_of_i(path, i):
    for seq, rec in sql(path, "SELECT seq, record FROM guardwrap_audit ORDER BY id"):
        if orjson.loads(rec).get("i") == i:
            return seq
    raise AssertionError(i)


def test_sqlite_intact_and_indexed(db):
    r = verify(db)
    assert r.ok and r.signatures_checked, str(r)
    names = {n for (n,) in sql(db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"guardwrap_audit_ts", "guardwrap_audit_request_id", "guardwrap_audit_outcome"} <= names
    assert sql(db, "PRAGMA journal_mode") == [("wal",)]
    assert sum(1 for r in read_records(db) if r["type"] == "decision") == 40


def test_sqlite_modified_record(db):
    seq = seq_of_i(db, 7)
    rec = orjson.loads(sql(db, "SELECT record FROM guardwrap_audit WHERE seq = ?", seq)[0][0])
    rec["outcome"] = "pass"
    rec["i"] = 70
    sql(db, "UPDATE guardwrap_audit SET record = ? WHERE seq = ?", orjson.dumps(rec).decode(), seq)
    r = verify(db)
    assert (r.ok, r.kind, r.seq) == (False, "modified", seq)


def test_sqlite_modified_column_only(db):
    seq = seq_of_i(db, 10)
    sql(db, "UPDATE guardwrap_audit SET outcome = 'pass' WHERE seq = ?", seq)
    r = verify(db)
    assert (r.ok, r.kind, r.seq) == (False, "modified", seq)
    assert "outcome" in r.message


def test_sqlite_deleted_row(db):
    seq = seq_of_i(db, 12)
    sql(db, "DELETE FROM guardwrap_audit WHERE seq = ?", seq)
    r = verify(db)
    assert (r.ok, r.kind, r.seq) == (False, "deleted", seq)


def test_sqlite_truncated(db):
    (last,) = sql(db, "SELECT max(seq) FROM guardwrap_audit")[0]
    sql(db, "DELETE FROM guardwrap_audit WHERE seq > ?", last - 3)
    r = verify(db)
    assert (r.ok, r.kind, r.seq) == (False, "truncated", last - 2)


def test_sqlite_deleted_chain_is_caught_by_its_anchor(db):
    fill(gw.SqliteSink(db, checkpoint_every=10))
    chains = sql(db, "SELECT DISTINCT chain FROM guardwrap_audit")
    assert len(chains) == 2
    sql(db, "DELETE FROM guardwrap_audit WHERE chain = ?", chains[0][0])
    r = verify(db)
    assert (r.ok, r.kind) == (False, "deleted")


def test_sqlite_since_filter(tmp_path):
    p = tmp_path / "s.db"
    with gw.SqliteSink(p) as s:
        s.emit({"type": "decision", "ts": 100.0})
        s.emit({"type": "decision", "ts": 200.0})
    assert [r["ts"] for r in read_records(p, since=150) if r["type"] == "decision"] == [200.0]


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def pg_table(pg_dsn):
    psycopg = pytest.importorskip("psycopg")
    name = f"gw_audit_test_{uuid.uuid4().hex[:10]}"
    yield name
    with psycopg.connect(PG_DSN, autocommit=True) as con:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"DROP TABLE IF EXISTS {name}_anchor")


def pg(stmt, *args):
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as con:
        cur = con.execute(stmt, args)
        return cur.fetchall() if cur.description else None


@pytest.mark.postgres
def test_postgres_intact_tampered_and_truncated(pg_table):
    fill(gw.PostgresSink(PG_DSN, table=pg_table, checkpoint_every=10))
    r = verify(PG_DSN, table=pg_table)
    assert r.ok and r.signatures_checked, str(r)
    idx = {n for (n,) in pg("SELECT indexname FROM pg_indexes WHERE tablename = %s", pg_table)}
    assert {f"{pg_table}_ts", f"{pg_table}_request_id", f"{pg_table}_outcome"} <= idx

    pg(f"DELETE FROM {pg_table} WHERE seq = 9")
    r = verify(PG_DSN, table=pg_table)
    assert (r.ok, r.kind, r.seq) == (False, "deleted", 9)


@pytest.mark.postgres
def test_postgres_modified_row(pg_table):
    fill(gw.PostgresSink(PG_DSN, table=pg_table, checkpoint_every=10))
    pg(f"UPDATE {pg_table} SET record = replace(record, '\"outcome\":\"blocked\"', '\"outcome\":\"pass\"') "
       "WHERE seq = 1")
    r = verify(PG_DSN, table=pg_table)
    assert (r.ok, r.kind, r.seq) == (False, "modified", 1)


@pytest.mark.postgres
def test_postgres_several_processes_each_with_its_own_chain(pg_table):
    code = ("import sys, guardwrap as gw\n"
            "with gw.PostgresSink(sys.argv[1], table=sys.argv[2], checkpoint_every=50) as s:\n"
            "    for i in range(300): s.emit({'type': 'decision', 'ts': 1.0, 'i': i})\n")
    env = dict(os.environ, PYTHONPATH=SRC)
    gw.PostgresSink(PG_DSN, table=pg_table).close()  # create the table once
    procs = [subprocess.Popen([sys.executable, "-c", code, PG_DSN, pg_table], env=env) for _ in range(3)]
    assert [p.wait() for p in procs] == [0, 0, 0]
    r = verify(PG_DSN, table=pg_table)
    assert r.ok, str(r)
    assert r.chains == 4
    assert sum(1 for x in read_records(PG_DSN, table=pg_table) if x["type"] == "decision") == 900


def test_postgres_sink_without_psycopg_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *a, **k):
        if name == "psycopg":
            raise ImportError("no")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"guardwrap\[postgres\]"):
        gw.PostgresSink("postgresql://x@127.0.0.1/none")
