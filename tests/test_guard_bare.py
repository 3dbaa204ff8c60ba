"""A guard with no validators and nothing around the call takes a short path (`Guard._call_bare`):
its call records must be the ones the full path writes, for every kind of argument and ending."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap.audit._read import read_records

# fields that differ between any two calls (ids, times)
VOLATILE = {"call_id", "event_id", "ts", "latency_us", "model_us", "seq", "prev_hash", "hash", "chain", "steps"}


def _pair(tmp_path: Any, sink: str) -> tuple[gw.Guard, gw.Guard, Any, Any]:
    """A bare guard and one that takes the full path (a retry that never fires), same policy hash."""
    def make(name: str) -> Any:
        return gw.MemorySink() if sink == "memory" else gw.JsonlSink(os.path.join(tmp_path, f"{name}.jsonl"))

    a, b = make("bare"), make("full")
    bare = gw.Guard("g", audit=a, policy_hash="p" * 64, audit_key="k" * 32)
    full = gw.Guard("g", audit=b, policy_hash="p" * 64, audit_key="k" * 32, retry=gw.Retry(attempts=1))
    assert bare._bare and not full._bare
    return bare, full, a, b


def _calls(guard: gw.Guard, sink: Any, tmp_path: Any, name: str) -> list[dict[str, Any]]:
    guard.flush()
    recs = sink.records if isinstance(sink, gw.MemorySink) else list(read_records(os.path.join(tmp_path, f"{name}.jsonl")))
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in recs if r.get("type") == "call"]


def test_bare_path_is_taken_only_when_nothing_can_happen_around_the_call() -> None:
    assert gw.Guard("g")._bare
    assert not gw.Guard("g", input=[gw.MaxLength(chars=5)])._bare
    assert not gw.Guard("g", output=[gw.MaxLength(chars=5)])._bare
    assert not gw.Guard("g", timeout=1.0)._bare
    assert not gw.Guard("g", fallback=[gw.Static("sorry")])._bare


texts = st.text(max_size=40)
args_strategy = st.one_of(
    st.tuples(texts),
    st.tuples(texts, texts),
    st.tuples(st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "system"]), "content": texts}),
                       max_size=3)),
    st.tuples(st.integers(), texts),
)


@pytest.mark.parametrize("sink", ["memory", "jsonl"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=args_strategy, answer=st.one_of(texts, st.none(), st.just({"a": 1})))
def test_bare_and_full_paths_write_the_same_call_record(tmp_path: Any, sink: str, args: tuple[Any, ...],
                                                         answer: Any) -> None:
    bare, full, a, b = _pair(tmp_path, sink)
    try:
        def fn(*xs: Any) -> Any:
            return answer

        assert bare(fn)(*args) == full(fn)(*args) == answer
        assert _calls(bare, a, tmp_path, "bare") == _calls(full, b, tmp_path, "full")
    finally:
        bare.close()
        full.close()


@pytest.mark.parametrize("sink", ["memory", "jsonl"])
def test_bare_failures_contexts_streams_and_async(tmp_path: Any, sink: str) -> None:
    bare, full, a, b = _pair(tmp_path, sink)

    def boom(prompt: str) -> str:
        raise ValueError("no")

    def stream(prompt: str) -> Any:
        yield "a"
        yield "b"

    async def aanswer(prompt: str) -> str:
        return "ok"

    async def aslow(prompt: str) -> str:
        await asyncio.sleep(10)
        return "late"

    async def astream(prompt: str) -> Any:
        yield "x"

    async def returns_stream(prompt: str) -> Any:
        return astream(prompt)

    async def run_async(g: gw.Guard) -> list[Any]:
        out = [await g(aanswer)("q"), [p async for p in g(astream)("q")],
               [p async for p in await g(returns_stream)("q")]]
        task = asyncio.ensure_future(g(aslow)("q"))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return out

    try:
        for g in (bare, full):
            with pytest.raises(ValueError):
                g(boom)("q")
            assert list(g(stream)("q")) == ["a", "b"]
            with gw.context(actor="u-1", request_id="r-1"):
                assert g(lambda prompt: "ok")("q") == "ok"
            assert g(lambda prompt: "ok")("q", gw_context={"request_id": "r-2"}) == "ok"
            assert asyncio.run(run_async(g)) == ["ok", ["x"], ["x"]]
        got, want = _calls(bare, a, tmp_path, "bare"), _calls(full, b, tmp_path, "full")
        assert got == want
        assert [r["outcome"] for r in got] == ["error", "pass", "pass", "pass", "pass", "pass", "pass", "cancelled"]
        assert got[2]["request_id"] == "r-1" and got[2]["actor"] is not None and got[3]["request_id"] == "r-2"
    finally:
        bare.close()
        full.close()


@pytest.mark.parametrize("layout", ["call", "decision"])
def test_a_call_leaves_no_reference_cycle_for_the_garbage_collector(tmp_path: Any, layout: str) -> None:
    """A call's context, decisions and call record are freed by reference counting once written:
    a backlog of calls waiting for the writer must not become work for the collector, which runs
    on whichever thread allocates (the caller's)."""
    import gc

    sink = gw.JsonlSink(os.path.join(tmp_path, "a.jsonl"), layout=layout)
    with gw.Guard("g", input=[gw.MaxLength(chars=100), gw.DenyTerms(["bypass kyc"])], audit=sink) as guard:
        ask = guard(lambda prompt: "ok")
        ask("warm up")
        guard.flush()
        gc.collect()
        gc.disable()
        try:
            for i in range(200):
                ask(f"question {i}")
            guard.flush()
            found = gc.collect()
        finally:
            gc.enable()
    assert found < 50, found  # a cycle per call would leave hundreds
