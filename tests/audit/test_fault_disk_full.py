"""A real full disk (a small tmpfs filled to the last byte): calls behave as ``on_full`` and
``durability`` say, every record that could not be written is counted exactly in a gap record, and
``verify`` never calls the log tampered."""

from __future__ import annotations

import contextlib
import time

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import read_records, verify


def calls_in(source):
    return [r for r in read_records(source) if r["type"] == "call"]


def run_calls(ask, n, start=0):
    for i in range(start, start + n):
        with gw.context(request_id=f"r{i}"):
            ask("hello")


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_drop_mode_counts_every_lost_call_and_verify_lists_the_gap(tmpfs, kind):
    path = tmpfs.path / ("log.jsonl" if kind == "jsonl" else "log.db")
    sink = (gw.JsonlSink(path, on_full="drop", queue_size=200) if kind == "jsonl"
            else gw.SqliteSink(path, on_full="drop", queue_size=200))
    guard = gw.Guard("bot", audit=sink)
    ask = guard(lambda prompt: "fine")
    run_calls(ask, 50)
    guard.flush()
    tmpfs.fill()
    # The application keeps working; the writer holds and retries. (SQLite may first fill the room
    # its WAL file already has: go on until the disk is really in the way, then 3,000 calls more.)
    n = 50
    while sink.outage is None and n < 30_000:
        run_calls(ask, 100, start=n)
        n += 100
        # let the writer catch up (on a busy machine the queue would otherwise drop most calls
        # before any reaches the disk): it writes until the disk refuses, or 0.2 s pass
        with contextlib.suppress(gw.AuditError):
            sink.flush(timeout=0.2)
    assert sink.outage is not None
    run_calls(ask, 3000, start=n)
    n += 3000
    assert sink.dropped_total > 0
    tmpfs.free()
    guard.flush(timeout=15)
    run_calls(ask, 20, start=n)
    guard.close()

    calls = calls_in(path)
    total = n + 20
    assert len(calls) + sink.dropped_total == total  # every call: written, or counted as lost
    assert len({c["request_id"] for c in calls}) == len(calls)
    gaps = [r for r in read_records(path) if r["type"] == "gap"]
    assert sum(g["dropped"] for g in gaps) == sink.dropped_total
    assert all(g["reason"].startswith("queue-full") for g in gaps)
    assert any("disk-full" in g["reason"] for g in gaps)
    report = verify(path)
    assert (report.status, report.exit_code) == ("gaps", 3), str(report)
    assert report.lost == sink.dropped_total
    assert report.outages >= 1


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
def test_block_mode_loses_nothing_and_calls_wait_at_most_wait_timeout(tmpfs, kind):
    path = tmpfs.path / ("b.jsonl" if kind == "jsonl" else "b.db")
    sink = (gw.JsonlSink(path, queue_size=100, wait_timeout=0.3) if kind == "jsonl"
            else gw.SqliteSink(path, queue_size=100, wait_timeout=0.3))
    guard = gw.Guard("bot", audit=sink)
    ask = guard(lambda prompt: "fine")
    run_calls(ask, 10)
    guard.flush()
    tmpfs.fill()
    refused = []
    i = 10
    while len(refused) < 3 and i < 30_000:  # (SQLite may first fill the room its WAL already has)
        t0 = time.monotonic()
        try:
            run_calls(ask, 1, start=i)
        except gw.AuditError:
            # the queue is full and stays full: the call fails closed, after at most wait_timeout
            assert time.monotonic() - t0 < 3
            refused.append(f"r{i}")
        i += 1
    assert len(refused) == 3
    tmpfs.free()
    guard.close()
    calls = calls_in(path)
    assert sink.dropped_total == 0
    ids = {c["request_id"] for c in calls}
    assert {f"r{k}" for k in range(i)} - set(refused) <= ids  # every call that returned is there
    report = verify(path)
    assert report.status == "intact", str(report)


def test_sync_durability_fails_closed_while_the_disk_is_full_and_keeps_every_record(tmpfs):
    path = tmpfs.path / "s.jsonl"
    sink = gw.JsonlSink(path, durability="sync", on_full="raise", wait_timeout=0.3)
    guard = gw.Guard("bot", audit=sink)
    ask = guard(lambda prompt: "fine")
    run_calls(ask, 5)
    tmpfs.fill()
    failed = []
    for i in range(5, 60):
        try:
            run_calls(ask, 1, start=i)
        except gw.AuditError:
            failed.append(f"r{i}")
    # The last page of the file may still hold a few records; after that every call fails closed.
    assert len(failed) >= 45 and failed == [f"r{i}" for i in range(60 - len(failed), 60)]
    returned = [f"r{i}" for i in range(60 - len(failed))]
    on_disk = {c["request_id"] for c in calls_in(path)}
    assert set(returned) <= on_disk  # every call that returned was durable when it returned
    tmpfs.free()
    guard.flush(timeout=10)  # (retries at once; otherwise the writer's backoff finds it within 2 s)
    run_calls(ask, 5, start=60)
    guard.close()
    ids = [c["request_id"] for c in calls_in(path)]
    assert ids == [f"r{i}" for i in range(65)]  # held while the disk was full, then written in order
    report = verify(path)
    assert report.status == "intact" and report.outages >= 1, str(report)


def test_sync_durability_with_drop_keeps_calls_going_and_says_so(tmpfs):
    path = tmpfs.path / "sd.jsonl"
    sink = gw.JsonlSink(path, durability="sync", on_full="drop", wait_timeout=0.3, queue_size=1000)
    guard = gw.Guard("bot", audit=sink)
    ask = guard(lambda prompt: "fine")
    tmpfs.fill()
    run_calls(ask, 200)
    assert sink.unconfirmed_total >= 199
    tmpfs.free()
    guard.close()
    assert len(calls_in(path)) == 200
    outage = [r for r in read_records(path) if r.get("event") == "outage"]
    assert outage and sum(o["unconfirmed"] for o in outage) == sink.unconfirmed_total
    assert verify(path).status == "intact"


def test_a_disk_that_never_recovers_is_never_called_tampering(tmpfs, caplog):
    path = tmpfs.path / "n.jsonl"
    sink = gw.JsonlSink(path, wait_timeout=0.3, on_full="drop", queue_size=50)
    guard = gw.Guard("bot", audit=sink)
    ask = guard(lambda prompt: "fine")
    run_calls(ask, 10)
    guard.flush()
    tmpfs.fill()
    run_calls(ask, 100, start=10)
    guard.close()  # gives up after wait_timeout
    written = len(calls_in(path))
    assert written + sink.dropped_total == 110
    assert "never written" in caplog.text
    report = verify(path)
    assert report.ok and report.status in ("intact", "gaps"), str(report)
    assert orjson.loads(path.read_bytes().splitlines()[-1])["type"] in ("checkpoint", "call", "lifecycle", "gap")
