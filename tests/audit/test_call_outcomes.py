"""Every guarded call ends with exactly one ``call`` record, however it ends: returned, blocked,
errored, cancelled, timed out by ``asyncio.wait_for`` or by the guard's own ``timeout=`` (streams
included), or abandoned by its reader."""

from __future__ import annotations

import asyncio
import gc
import logging
import time

import pytest

import guardwrap as gw

SECRET = "jane.doe@example.com 4111111111111111"


@pytest.fixture
def sink():
    return gw.MemorySink()


def calls(sink):
    return [(r["outcome"], r.get("error")) for r in sink.of_type("call")]


def one_call(sink, outcome, error=None):
    got = calls(sink)
    assert len(got) == 1, got
    assert got[0][0] == outcome, got
    if error is not None:
        assert got[0][1] == error, got


# -- async cancellation ------------------------------------------------------------------------


def test_a_cancelled_task_leaves_a_cancelled_call_record(sink):
    guard = gw.Guard("g", input=[gw.MaxLength(chars=100)], audit=sink)

    @guard
    async def slow(prompt: str) -> str:
        await asyncio.sleep(10)
        return "late"

    async def main():
        task = asyncio.create_task(slow("hello"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    one_call(sink, "cancelled", "CancelledError")
    assert len(sink.of_type("decision")) == 1  # the input decision, and the call that closes it


def test_asyncio_wait_for_timeout_is_a_cancelled_call(sink):
    guard = gw.Guard("g", audit=sink)

    @guard
    async def slow(prompt: str) -> str:
        await asyncio.sleep(10)
        return "late"

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(slow("hello"), 0.05)

    asyncio.run(main())
    one_call(sink, "cancelled")


def test_the_guards_own_timeout_is_a_timeout_call(sink):
    guard = gw.Guard("g", audit=sink, timeout=0.05)

    @guard
    async def slow(prompt: str) -> str:
        await asyncio.sleep(10)
        return "late"

    with pytest.raises(gw.GuardrailError):
        asyncio.run(slow("hello"))
    one_call(sink, "timeout", "CallTimeout")


# -- streams -----------------------------------------------------------------------------------


def test_an_abandoned_stream_is_recorded_when_closed_or_collected(sink):
    guard = gw.Guard("g", output=[gw.MaxLength(chars=1000)], audit=sink)

    @guard
    def stream(prompt: str):
        for i in range(100):
            yield f"part {i} "

    it = stream("hi")
    next(it)
    it.close()
    one_call(sink, "abandoned", "GeneratorExit")
    sink.clear()
    it = stream("hi")
    next(it)
    del it
    gc.collect()
    one_call(sink, "abandoned")


def test_an_abandoned_async_stream_is_recorded(sink):
    guard = gw.Guard("g", audit=sink)

    @guard
    async def stream(prompt: str):
        for i in range(100):
            await asyncio.sleep(0)
            yield f"part {i} "

    async def main():
        it = stream("hi")
        await it.__anext__()
        await it.aclose()

    asyncio.run(main())
    one_call(sink, "abandoned")


def _slow_gen(n=20, dt=0.05):
    for i in range(n):
        time.sleep(dt)
        yield f"c{i} "


@pytest.mark.parametrize("shape", ["generator function", "returned iterator", "returned generator"])
def test_timeout_is_enforced_while_a_sync_stream_is_open(sink, shape):
    guard = gw.Guard("g", audit=sink, timeout=0.2)
    if shape == "generator function":
        target = guard(lambda prompt: (yield from _slow_gen()))
    elif shape == "returned iterator":
        class Slow:
            def __init__(self):
                self.g = _slow_gen()

            def __iter__(self):
                return self

            def __next__(self):
                return next(self.g)

        target = guard(lambda prompt: Slow())
    else:
        target = guard(lambda prompt: _slow_gen())
    got = []
    t0 = time.monotonic()
    with pytest.raises(gw.GuardrailError, match="did not answer within"):
        for piece in target("hi"):
            got.append(piece)
    took = time.monotonic() - t0
    assert took < 0.8, took  # not the full second the stream would take
    one_call(sink, "timeout", "CallTimeout")


def test_timeout_is_enforced_while_an_async_stream_is_open(sink):
    guard = gw.Guard("g", audit=sink, timeout=0.2)

    @guard
    async def stream(prompt: str):
        for i in range(20):
            await asyncio.sleep(0.05)
            yield f"c{i} "

    async def main():
        async for _ in stream("hi"):
            pass

    t0 = time.monotonic()
    with pytest.raises(gw.GuardrailError):
        asyncio.run(main())
    assert time.monotonic() - t0 < 0.8
    one_call(sink, "timeout")


def test_a_stream_within_its_timeout_is_unchanged(sink):
    guard = gw.Guard("g", audit=sink, timeout=5)

    @guard
    def stream(prompt: str):
        yield from _slow_gen(5, 0.01)

    assert "".join(stream("hi")) == "c0 c1 c2 c3 c4 "
    one_call(sink, "pass")


def test_a_stream_that_raises_is_an_error_call_with_its_partial_decisions(sink):
    guard = gw.Guard("g", output=[gw.MaxLength(chars=1000)], audit=sink)

    @guard
    def stream(prompt: str):
        yield "one "
        raise ConnectionError("gone")

    with pytest.raises(ConnectionError):
        list(stream("hi"))
    one_call(sink, "error", "ConnectionError")


# -- validators that break --------------------------------------------------------------------


@pytest.mark.parametrize("returned", [True, "ok", 1, {"passed": True}])
def test_a_validator_returning_a_non_result_is_a_recorded_validator_error(sink, caplog, returned):
    @gw.validator(name="sloppy", action="warn")
    def sloppy(text, ctx):
        return returned

    guard = gw.Guard("g", input=[sloppy], audit=sink)
    ask = guard(lambda prompt: "answer")
    with caplog.at_level(logging.ERROR, logger="guardwrap"), pytest.raises(gw.Blocked) as ei:
        ask(SECRET)
    assert "validator-error" in ei.value.decision.reasons
    dec = sink.of_type("decision")[0]
    assert dec["error"] == "ValidatorError" and dec["outcome"] == "blocked"
    one_call(sink, "blocked")
    rec = next(r for r in caplog.records if r.name == "guardwrap")
    assert "returned" in rec.getMessage() and "gw.Result" in caplog.text
    assert rec.exc_info is not None  # the traceback is there
    assert SECRET not in caplog.text


def test_a_validator_that_raises_is_logged_with_its_traceback_never_the_text(sink, caplog):
    @gw.validator(name="crashy", action="block")
    def crashy(text, ctx):
        raise ValueError(f"could not parse {text}")

    guard = gw.Guard("g", input=[crashy], audit=sink)
    ask = guard(lambda prompt: "answer")
    with caplog.at_level(logging.DEBUG), pytest.raises(gw.Blocked):
        ask(SECRET)
    assert "crashy" in caplog.text and "Traceback" in caplog.text and "ValueError" in caplog.text
    assert "raise ValueError" in caplog.text  # the frame of the validator that raised
    assert SECRET not in caplog.text
    one_call(sink, "blocked")


def test_on_error_pass_warns_and_still_logs(sink, caplog):
    class Flaky:
        name, version, action, on_error = "flaky", "1", "block", "pass"

        def check(self, text, ctx):
            raise RuntimeError("down")

    guard = gw.Guard("g", input=[Flaky()], audit=sink)
    with caplog.at_level(logging.ERROR):
        assert guard(lambda prompt: "answer")("hi") == "answer"
    assert "flaky" in caplog.text
    one_call(sink, "warned")


# -- exactly one record --------------------------------------------------------------------------


def test_exactly_one_call_record_on_every_path(sink):
    guard = gw.Guard("g", input=[gw.DenyTerms(["forbidden"], action="block")], audit=sink)
    ok = guard(lambda prompt: "fine")

    def broken(prompt):
        raise KeyError("x")

    bad = guard(broken)
    ok("hello")
    with pytest.raises(gw.Blocked):
        ok("forbidden words")
    with pytest.raises(KeyError):
        bad("hello")
    assert [c[0] for c in calls(sink)] == ["pass", "blocked", "error"]
    ids = [r["call_id"] for r in sink.of_type("call")]
    assert len(set(ids)) == 3


def test_a_failing_audit_never_hides_the_calls_own_error(tmp_path):
    sink = gw.JsonlSink(tmp_path / "x.jsonl", on_full="raise", queue_size=1, flush_interval=10)
    guard = gw.Guard("g", audit=sink)

    def broken(prompt):
        raise KeyError("x")

    bad = guard(broken)
    for _ in range(5):
        with pytest.raises((KeyError, gw.AuditError)):
            bad("hello")
    guard.close()
