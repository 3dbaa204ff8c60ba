"""The call record the writer serialises without sorting is byte for byte the canonical form
verify recomputes, whatever the call carries."""

from __future__ import annotations

import hashlib

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._context import CallContext, Context
from guardwrap.audit._chain import Chainer, canonical
from guardwrap.audit._keys import hasher
from guardwrap.audit._record import PolicyInfo, call_item, materialize_call, records_of

ids = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                   max_size=40))
texts = st.text(max_size=200)


@settings(max_examples=150, deadline=None)
@given(request_id=ids, actor=ids, model=ids, trace_id=ids, outcome=st.sampled_from(["pass", "blocked", "timeout"]),
       reasons=st.lists(st.text(max_size=10), max_size=3), prompt=texts, output=st.one_of(st.none(), texts),
       error=st.one_of(st.none(), st.just("KeyError")), extra=st.one_of(st.none(), st.just({"usage": {"in": 3}})),
       layout=st.sampled_from(["decision", "call"]), latency=st.integers(0, 10**10))
def test_presorted_call_records_are_canonical(request_id, actor, model, trace_id, outcome, reasons, prompt, output,
                                              error, extra, layout, latency):
    ctx = CallContext("g", Context(request_id=request_id, actor=actor, model=model, trace_id=trace_id))
    ctx.model_ns = latency // 2 if latency % 3 else None
    item = call_item(PolicyInfo("p", 3, "ab" * 32, app="g"), ctx, hasher(b"k" * 32), outcome, True, reasons,
                     [(None, prompt)], output, latency, None, error, extra)
    rec = materialize_call(item, layout)
    line = Chainer().seal(rec)
    parsed = orjson.loads(line)
    assert parsed["hash"] == hashlib.sha256(canonical(parsed)).hexdigest()
    keys = [k for k in parsed if k != "hash"]
    assert keys == sorted(keys)
    (plain,) = records_of(item, layout)  # what non-chaining sinks get: no placeholders
    assert "chain" not in plain and "prev_hash" not in plain and "seq" not in plain


def test_a_guard_with_mixed_sinks_gives_each_plain_records(tmp_path):
    mem = gw.MemorySink()
    guard = gw.Guard("g", audit=[gw.JsonlSink(tmp_path / "a.jsonl"), mem])
    guard(lambda prompt: "ok")("hello")
    guard.close()
    (call,) = mem.of_type("call")
    assert "chain" not in call and call["seq"] == 0
    assert gw.audit.verify(tmp_path / "a.jsonl").status == "intact"


@settings(max_examples=200, deadline=None)
@given(request_id=ids, actor=ids, model=ids, trace_id=ids, provider=ids, app=ids,
       outcome=st.sampled_from(["pass", "blocked", "timeout"]), reasons=st.lists(st.text(max_size=10), max_size=3),
       prompts=st.lists(texts, max_size=3), output=st.one_of(st.none(), texts),
       error=st.one_of(st.none(), st.just("KeyError")), extra=st.one_of(st.none(), st.just({"usage": {"in": 3}})),
       layout=st.sampled_from(["decision", "call"]), latency=st.integers(0, 10**13), enforced=st.booleans(),
       attempt=st.integers(1, 5), fallback=st.one_of(st.none(), st.text(max_size=10)), keyed=st.booleans(),
       version=st.one_of(st.none(), st.integers(0, 9), st.text(max_size=5)), seq=st.integers(0, 2**40),
       ts=st.floats(0, 4e9))
def test_call_body_is_the_canonical_bytes_of_the_record(request_id, actor, model, trace_id, provider, app, outcome,
                                                         reasons, prompts, output, error, extra, layout, latency,
                                                         enforced, attempt, fallback, keyed, version, seq, ts):
    """`call_body` (the JSONL writer's dict-free path) gives exactly the canonical bytes of the
    record `materialize_call` builds, or None for records it leaves to that path."""
    from guardwrap.audit._record import call_body

    ctx = CallContext("g", Context(request_id=request_id, actor=actor, model=model, trace_id=trace_id,
                                   provider=provider, app=app))
    ctx.attempt = attempt
    ctx.model_ns = latency // 2 if latency % 3 else None
    policy = PolicyInfo("p", version, "ab" * 32, app="g")
    item = call_item(policy, ctx, hasher(b"k" * 32) if keyed else None, outcome, enforced, reasons,
                     [(None, p) for p in prompts], output, latency, fallback, error, extra)
    item = (*item[:13], ts, item[14])
    chain = "0123456789abcdef"
    prev = "cd" * 32
    body = call_body(item, layout, orjson.dumps(chain), seq, orjson.dumps(prev))
    rec = materialize_call(item, layout)
    if error is not None or extra:
        assert body is None
        return
    rec.update(chain=chain, seq=seq, prev_hash=prev)
    assert body == canonical(rec)


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(["pass", "blocked", "fixed", "warned"]),
                                st.lists(st.text(max_size=6), max_size=2),
                                st.one_of(st.none(), st.floats(0, 1)), st.integers(0, 10**9),
                                st.one_of(st.none(), st.just("ValueError")), st.booleans()),
                      min_size=1, max_size=4),
       attempt=st.one_of(st.none(), st.integers(1, 3)), fallback=st.one_of(st.none(), st.just("backup")),
       layout=st.sampled_from(["decision", "call"]))
def test_call_records_with_steps_serialise_to_the_canonical_bytes(steps, attempt, fallback, layout):
    """Steps are built in key order: a call record whose steps hold no findings is written
    without sorting, and its line still hashes to the canonical bytes verify recomputes."""
    from guardwrap._decision import Decision, Finding, Step
    from guardwrap.audit._record import DeferredDecision

    ctx = CallContext("g", Context(request_id="r-1", actor="u-1"))
    policy = PolicyInfo("p", 3, "ab" * 32, app="g")
    built = []
    for outcome, reasons, score, latency, error, with_finding in steps:
        findings = (Finding(entity_type="EMAIL_ADDRESS", start=1, end=5, score=0.9),) if with_finding else ()
        built.append(Step("v", "1", "block", outcome, tuple(reasons), findings, score, latency, error))
    d = Decision("pass", "text", stage="input", steps=tuple(built))
    pending = DeferredDecision(d, policy, ctx, hasher(b"k" * 32), attempt, fallback)
    item = call_item(policy, ctx, hasher(b"k" * 32), "pass", True, (), [(None, "q")], "a", 10, None, None, None,
                     [pending])
    line = Chainer().seal(materialize_call(item, layout))
    parsed = orjson.loads(line)
    assert parsed["hash"] == hashlib.sha256(canonical(parsed)).hexdigest()
    if layout == "call":
        assert len(parsed["steps"]) == len(steps)
