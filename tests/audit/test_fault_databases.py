"""Databases that stop answering: a SQLite file locked by another process, a PostgreSQL server
stopped and started for real (a private one: other suites use the shared server meanwhile), the
review queue on that server. Nothing held is lost, and verify never calls an outage tampering."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import pytest

import guardwrap as gw
from guardwrap.audit import read_records, verify
from guardwrap.review import ReviewError

LOCKER = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    con.execute("BEGIN EXCLUSIVE")            # holds the database's write lock
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.execute("COMMIT")
""")


def ask_for(sink):
    guard = gw.Guard("bot", audit=sink)
    return guard, guard(lambda prompt: "fine")


def calls(ask, a, b):
    for i in range(a, b):
        with gw.context(request_id=f"r{i}"):
            ask("hi")


def held_lock(path, seconds):
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


# -- SQLite ---------------------------------------------------------------------------------------


def test_a_held_sqlite_lock_delays_the_log_but_loses_and_taints_nothing(tmp_path):
    p = tmp_path / "lock.db"
    guard, ask = ask_for(gw.SqliteSink(p, checkpoint_every=50))
    calls(ask, 0, 100)
    guard.flush()
    locker = held_lock(p, 2.5)  # longer than SQLite's own busy wait: commits fail meanwhile
    calls(ask, 100, 700)
    time.sleep(1.5)
    assert guard.sinks[0].outage == "locked"
    assert locker.wait(30) == 0
    guard.flush(timeout=15)
    calls(ask, 700, 710)
    guard.close()
    got = [r["request_id"] for r in read_records(p) if r["type"] == "call"]
    assert got == [f"r{i}" for i in range(710)]
    r = verify(p)
    assert (r.status, r.exit_code) == ("intact", 0), str(r)
    assert r.outages == 1


def test_a_held_sqlite_lock_with_sync_and_raise_fails_calls_closed(tmp_path):
    p = tmp_path / "lock-sync.db"
    guard, ask = ask_for(gw.SqliteSink(p, durability="sync", on_full="raise", wait_timeout=0.5))
    calls(ask, 0, 5)
    locker = held_lock(p, 2.0)
    t0 = time.monotonic()
    with pytest.raises(gw.AuditError):
        calls(ask, 5, 6)
    assert time.monotonic() - t0 < 3
    assert locker.wait(30) == 0
    guard.flush(timeout=15)
    calls(ask, 6, 10)
    guard.close()
    got = [r["request_id"] for r in read_records(p) if r["type"] == "call"]
    assert got == [f"r{i}" for i in range(10)]  # the refused call's record was kept and written
    assert verify(p).status == "intact"


def test_forked_children_never_deadlock_on_an_inherited_sqlite_sink(tmp_path):
    import warnings

    p = tmp_path / "fork.db"
    sink = gw.SqliteSink(p, batch_size=8, flush_interval=0.001)
    stop = threading.Event()

    def busy():
        i = 0
        while not stop.is_set():
            sink.emit({"type": "decision", "who": "parent", "i": i})
            i += 1
            time.sleep(0.0002)

    t = threading.Thread(target=busy)
    t.start()
    pids = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for k in range(20):  # fork while the writer is in the middle of SQLite calls
                pid = os.fork()
                if pid == 0:  # pragma: no cover - child
                    code = 1
                    try:
                        for i in range(10):
                            sink.emit({"type": "decision", "who": f"child{k}", "i": i})
                        sink.close()
                        code = 0
                    finally:
                        os._exit(code)
                pids.append(pid)
                time.sleep(0.01)
        deadline = time.monotonic() + 60
        for pid in pids:
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    assert os.waitstatus_to_exitcode(status) == 0
                    break
                assert time.monotonic() < deadline, "a forked child hung"
                time.sleep(0.01)
    finally:
        stop.set()
        t.join()
        sink.close()
    r = verify(p)
    assert r.ok and r.chains == 21, str(r)
    whos = {}
    for rec in read_records(p):
        if rec["type"] == "decision":
            whos[rec["who"]] = whos.get(rec["who"], 0) + 1
    assert all(whos[f"child{k}"] == 10 for k in range(20))


# -- PostgreSQL, a private server stopped and started for real ------------------------------------


def table():
    return f"gw_outage_{uuid.uuid4().hex[:8]}"


def test_postgres_sink_reconnects_after_a_restart_and_loses_nothing(private_pg):
    t = table()
    guard, ask = ask_for(gw.PostgresSink(private_pg.dsn, table=t, checkpoint_every=100))
    calls(ask, 0, 200)
    guard.flush()
    private_pg.stop()
    try:
        calls(ask, 200, 2200)  # the server is down: the application goes on, records wait
        time.sleep(0.5)
        assert guard.sinks[0].outage == "database-unavailable"
    finally:
        private_pg.start()
    guard.flush(timeout=30)
    calls(ask, 2200, 2300)
    guard.close()
    got = [r["request_id"] for r in read_records(private_pg.dsn, table=t) if r["type"] == "call"]
    assert got == [f"r{i}" for i in range(2300)]
    r = verify(private_pg.dsn, table=t)
    assert (r.status, r.exit_code) == ("intact", 0), str(r)
    assert r.outages == 1


def test_postgres_outage_beyond_the_queue_drops_count_exactly(private_pg):
    t = table()
    sink = gw.PostgresSink(private_pg.dsn, table=t, on_full="drop", queue_size=300)
    guard, ask = ask_for(sink)
    calls(ask, 0, 50)
    guard.flush()
    private_pg.stop()
    try:
        calls(ask, 50, 3050)
    finally:
        private_pg.start()
    guard.flush(timeout=30)
    guard.close()
    got = [r for r in read_records(private_pg.dsn, table=t) if r["type"] == "call"]
    assert len(got) + sink.dropped_total == 3050 and sink.dropped_total > 0
    r = verify(private_pg.dsn, table=t)
    assert (r.status, r.lost) == ("gaps", sink.dropped_total), str(r)


def test_postgres_spill_keeps_sync_calls_going_and_verifies_with_the_table(private_pg, tmp_path):
    t = table()
    spill = tmp_path / "spill.jsonl"
    sink = gw.PostgresSink(private_pg.dsn, table=t, durability="sync", spill=spill, wait_timeout=2)
    guard, ask = ask_for(sink)
    calls(ask, 0, 20)
    private_pg.stop()
    try:
        t0 = time.monotonic()
        calls(ask, 20, 120)  # each returns once its record is fsynced in the spill file
        assert time.monotonic() - t0 < 20
        assert spill.exists() and spill.stat().st_size > 0
    finally:
        private_pg.start()
    time.sleep(0.2)
    calls(ask, 120, 140)
    guard.close()
    table_calls = [r["request_id"] for r in read_records(private_pg.dsn, table=t) if r["type"] == "call"]
    assert len(table_calls) < 140
    # the table names the spill file; verify reads it (it exists here) and the chain is whole
    r = verify(private_pg.dsn, table=t)
    assert (r.status, r.exit_code) == ("intact", 0), str(r)
    assert r.spill_records >= 100
    # without the spill file the table alone is intact with a recorded gap naming it
    moved = tmp_path / "elsewhere.jsonl"
    spill.rename(moved)
    r = verify(private_pg.dsn, table=t)
    assert (r.status, r.exit_code) == ("gaps", 3), str(r)
    assert any(g.kind == "spilled" for g in r.gaps)
    r = verify(private_pg.dsn, table=t, spill=moved)
    assert r.status == "intact", str(r)


def test_review_queue_on_postgres_survives_a_restart(private_pg, monkeypatch):
    from guardwrap import _privacy

    monkeypatch.setattr(_privacy, "redact", lambda text: "[redacted]")
    t = f"gw_review_{uuid.uuid4().hex[:8]}"
    queue = gw.ReviewQueue(dsn=private_pg.dsn, table=t, retry_seconds=30)

    @gw.validator(name="needs-human", action="escalate")
    def needs_human(text, ctx):
        return gw.Result.fail("check") if "wire" in text else None

    guard = gw.Guard("bot", input=[needs_human], review=queue, on_escalate="flag")
    ask = guard(lambda prompt: "ok")
    ask("wire 1")
    private_pg.stop()
    restarter = threading.Timer(1.0, private_pg.start)
    restarter.start()
    try:
        for i in range(5):
            assert ask(f"wire {i + 2}") == "ok"  # waits for the server, then queues the case
    finally:
        restarter.join()
    assert queue.counts()["pending"] == 6
    case = queue.list()[0]
    queue.approve(case.id, reviewer="a.lovelace")
    assert queue.get(case.id).status == "approved"
    queue.close()


def test_review_queue_gives_a_clear_error_when_the_server_stays_down(private_pg):
    t = f"gw_review_{uuid.uuid4().hex[:8]}"
    queue = gw.ReviewQueue(dsn=private_pg.dsn, table=t, retry_seconds=0.5)
    private_pg.stop()
    try:
        with pytest.raises(ReviewError, match="storage"):
            queue.counts()
    finally:
        private_pg.start()
    assert queue.counts()["pending"] == 0  # reconnected
    queue.close()


def test_sqlite_verify_of_a_locked_or_missing_file_is_a_read_error(tmp_path):
    from guardwrap._cli import main

    assert main(["audit", "verify", str(tmp_path / "none.db")]) == 2
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert main(["audit", "verify", str(bad)]) == 2
    sqlite3.connect(tmp_path / "empty.db").close()
