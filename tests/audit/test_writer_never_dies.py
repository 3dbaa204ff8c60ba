"""The writer never dies and never hangs a caller: bad values, unserialisable records, a crashing
writer, a destination that stops answering. Every loss is counted in a gap record."""

from __future__ import annotations

import os
import threading
import time

import orjson
import pytest

import guardwrap as gw
from guardwrap.audit import verify


def lines(path):
    return [orjson.loads(x) for x in open(path, "rb").read().splitlines()]


def ask_guard(sink, **kw):
    guard = gw.Guard("bot", audit=sink, **kw)
    return guard, guard(lambda prompt: "fine")


# -- values at the API boundary ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["actor", "request_id", "trace_id", "model", "provider", "app",
                                   "conversation_id"])
def test_an_int_is_recorded_as_its_string(tmp_path, field):
    p = tmp_path / "a.jsonl"
    guard, ask = ask_guard(gw.JsonlSink(p))
    with gw.context(**{field: 12345}):
        ask("hello")
    ask("again", gw_context={field: 678})
    guard.close()
    assert verify(p).status == "intact"
    calls = [r for r in lines(p) if r["type"] == "call"]
    assert len(calls) == 2
    if field in ("request_id", "trace_id", "model", "provider", "app"):
        assert [c[field] for c in calls] == ["12345", "678"]


@pytest.mark.parametrize(("value", "match"), [
    (object(), "must be a str"),
    (3.5, "must be a str"),
    (True, "must be a str"),
    (b"bytes", "must be a str"),
    ("a\x00b", "NUL"),
    ("a\ud800b", "surrogate"),
    ("x" * 5000, "characters long"),
])
@pytest.mark.parametrize("field", ["actor", "request_id"])
def test_what_cannot_be_recorded_is_refused_where_it_enters(field, value, match):
    with pytest.raises((TypeError, ValueError), match=match) as ei, gw.context(**{field: value}):
        pass
    assert field in str(ei.value)
    with pytest.raises((TypeError, ValueError), match=match):
        gw.Context(**{field: value})
    guard = gw.Guard("g", audit=gw.MemorySink())
    ask = guard(lambda prompt: "ok")
    with pytest.raises((TypeError, ValueError), match=match):
        ask("hi", gw_context={field: value})
    # the refused call still leaves its one call record (outcome error), nothing else broke
    calls = guard.sinks[0].of_type("call")
    assert [c["outcome"] for c in calls] == ["error"]
    assert ask("hi") == "ok"


def test_gw_context_of_the_wrong_type_is_a_clear_error():
    guard = gw.Guard("g")
    ask = guard(lambda prompt: "ok")
    with pytest.raises(TypeError, match="gw_context must be"):
        ask("hi", gw_context="r-1")


# -- records the writer cannot serialise --------------------------------------------------------


def test_an_unserialisable_record_becomes_a_gap_record_and_its_batch_survives(tmp_path):
    p = tmp_path / "u.jsonl"
    sink = gw.JsonlSink(p, flush_interval=10)
    for i in range(199):
        sink.emit({"type": "decision", "i": i})
        if i == 100:
            sink.emit({"type": "decision", "bad": "lone \ud800 surrogate", "call_id": "c-1"})
            sink.emit({"type": "decision", 7: "int key"})
    sink.close()
    recs = lines(p)
    assert [r["i"] for r in recs if r["type"] == "decision"] == list(range(199))
    gaps = [r for r in recs if r["type"] == "gap"]
    assert len(gaps) == 2 and all(g["reason"] == "unrecordable" and g["dropped"] == 1 for g in gaps)
    assert gaps[0]["call_id"] == "c-1" and "surrogate" not in orjson.dumps(gaps).decode()
    assert sink.dropped_total == 2
    r = verify(p)
    assert (r.status, r.exit_code, r.lost) == ("gaps", 3, 2), str(r)


@pytest.mark.postgres
def test_nul_and_surrogates_from_a_validator_never_break_a_postgres_chain(pg_dsn, tmp_path):
    import uuid

    import psycopg

    table = f"gw_nul_{uuid.uuid4().hex[:8]}"

    @gw.validator(name="odd", action="warn")
    def odd(text, ctx):
        return gw.Result.fail("reason\x00with-nul") if "nul" in text else (
            gw.Result.fail("bad\ud800") if "sur" in text else None)

    sink = gw.PostgresSink(pg_dsn, table=table, checkpoint_every=50)
    guard = gw.Guard("bot", input=[odd], audit=sink)
    ask = guard(lambda prompt: "ok")
    try:
        for i in range(300):
            ask("nul" if i % 7 == 0 else "sur" if i % 11 == 0 else "plain")
        guard.close()
        r = verify(pg_dsn, table=table)
        assert r.status in ("intact", "gaps") and r.ok, str(r)
        n_sur = sum(1 for i in range(300) if i % 7 and i % 11 == 0)
        assert r.lost == n_sur  # exactly the records that could not be serialised, each a gap record
        calls = [x for x in gw.audit.read_records(pg_dsn, table=table) if x["type"] == "call"]
        assert len(calls) == 300
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute(f"DROP TABLE IF EXISTS {table}_anchor")


# -- the supervisor ---------------------------------------------------------------------------------


def test_a_crashing_writer_is_restarted_and_the_loss_recorded(tmp_path, monkeypatch):
    p = tmp_path / "crash.jsonl"
    sink = gw.JsonlSink(p, flush_interval=10)
    sink.emit({"type": "decision", "i": 0})
    sink.flush()
    real = sink._write
    boom = {"n": 0}

    class WriterBug(BaseException):  # not even an Exception: the supervisor still catches it
        pass

    def write(records):
        if boom["n"] == 0 and any(r.get("i") == 1 for r in records):
            boom["n"] += 1
            raise WriterBug()
        return real(records)

    monkeypatch.setattr(sink, "_write", write)
    sink.emit({"type": "decision", "i": 1})
    sink.emit({"type": "decision", "i": 2})
    with pytest.raises(gw.AuditError):
        sink.flush()  # the records in hand were lost: the waiter is told
    sink.emit({"type": "decision", "i": 3})
    sink.flush()
    sink.close()
    recs = lines(p)
    assert [r["i"] for r in recs if r["type"] == "decision"] == [0, 3]
    gap = [r for r in recs if r["type"] == "gap"]
    assert len(gap) == 1 and gap[0]["dropped"] == 2 and gap[0]["reason"] == "writer-error:WriterBug"
    assert verify(p).status == "gaps"


def test_a_vanished_writer_thread_is_restarted_by_the_next_flush(tmp_path):
    p = tmp_path / "gone.jsonl"
    sink = gw.JsonlSink(p, flush_interval=10)
    sink.emit({"type": "decision", "i": 0})
    sink.flush()
    # Make the writer thread end without closing anything, as if it had been killed.
    sink._shutdown = lambda: None
    sink._stopping = True
    sink._wake.set()
    sink._thread.join(5)
    assert not sink._thread.is_alive()
    sink._stopping = False
    sink.emit({"type": "decision", "i": 1})
    sink.flush(timeout=5)
    sink.close()
    recs = lines(p)
    assert [r["i"] for r in recs if r["type"] == "decision"] == [0, 1]
    assert any(r.get("event") == "writer-restart" for r in recs)


# -- nobody waits on the audit for ever ----------------------------------------------------------


def _stall(sink, monkeypatch):
    gate = threading.Event()
    real = sink._sync

    def sync():
        gate.wait(30)
        return real()

    monkeypatch.setattr(sink, "_sync", sync)
    return gate


@pytest.mark.parametrize("on_full", ["block", "raise"])
def test_sync_durability_waits_at_most_wait_timeout_then_fails_closed(tmp_path, monkeypatch, on_full):
    sink = gw.JsonlSink(tmp_path / "s.jsonl", durability="sync", on_full=on_full, wait_timeout=0.3)
    guard, ask = ask_guard(sink)
    gate = _stall(sink, monkeypatch)
    t0 = time.monotonic()
    with pytest.raises(gw.AuditError, match=r"not written within"):
        ask("hello")
    assert time.monotonic() - t0 < 5
    gate.set()
    guard.close()
    calls = [r for r in lines(tmp_path / "s.jsonl") if r["type"] == "call"]
    assert len(calls) == 1  # written once the destination answered again


def test_sync_durability_with_drop_returns_and_counts_the_unconfirmed_call(tmp_path, monkeypatch):
    sink = gw.JsonlSink(tmp_path / "d.jsonl", durability="sync", on_full="drop", wait_timeout=0.2)
    guard, ask = ask_guard(sink)
    gate = _stall(sink, monkeypatch)
    assert ask("hello") == "fine"
    assert sink.unconfirmed_total == 1
    gate.set()
    guard.close()
    assert sum(r["type"] == "call" for r in lines(tmp_path / "d.jsonl")) == 1


def test_flush_and_a_full_blocking_queue_are_bounded_too(tmp_path, monkeypatch):
    sink = gw.JsonlSink(tmp_path / "q.jsonl", queue_size=5, wait_timeout=0.3)
    gate = _stall(sink, monkeypatch)
    sink.emit({"type": "decision"})
    with pytest.raises(gw.AuditError, match=r"within 0\.2 s"):
        sink.flush(timeout=0.2)
    with pytest.raises(gw.AuditError, match="queue stayed full"):
        for i in range(100):
            sink.emit({"type": "decision", "i": i})
    gate.set()
    sink.close()
    assert verify(tmp_path / "q.jsonl").ok


@pytest.mark.parametrize("bad", [0, -1, float("inf"), "10", None])
def test_wait_timeout_must_be_a_finite_positive_number(tmp_path, bad):
    with pytest.raises(gw.PolicyError, match=r"audit\.wait_timeout"):
        gw.JsonlSink(tmp_path / "x.jsonl", wait_timeout=bad)


def test_close_gives_up_after_wait_timeout_and_counts_what_it_could_not_write(tmp_path, monkeypatch, caplog):
    p = tmp_path / "c.jsonl"
    sink = gw.JsonlSink(p, wait_timeout=0.3, flush_interval=10)
    sink.flush()

    def failing(records):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(sink, "_write", failing)
    for i in range(7):
        sink.emit({"type": "decision", "i": i})
    t0 = time.monotonic()
    sink.close()
    assert time.monotonic() - t0 < 5
    assert sink.dropped_total == 7
    assert "7 records were never written" in caplog.text
    assert verify(p).ok  # what is on disk is intact; the loss is in the log of the process


def test_os_level_write_errors_name_their_cause(tmp_path, monkeypatch):
    from guardwrap.audit._writer import os_cause

    assert os_cause(OSError(28, "x")) == "disk-full"
    assert os_cause(OSError(30, "x")) == "read-only"
    assert os_cause(OSError(13, "x")) == "permission-denied"
    assert os_cause(OSError(5, "x")) == "io-error"
    assert os_cause(RuntimeError("x")) == "error-RuntimeError"
    assert "x" not in os_cause(OSError(99, "x"))


def test_no_raw_values_in_writer_logs(tmp_path, caplog):
    secret = "4111 1111 1111 1111 jane@example.com"
    p = tmp_path / "l.jsonl"
    sink = gw.JsonlSink(p)
    sink.emit({"type": "decision", "bad": secret + "\ud800"})
    sink.close()
    assert secret not in caplog.text and secret not in p.read_text()
    assert os.path.exists(p)
