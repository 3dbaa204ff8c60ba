"""The call record the writer serialises without sorting is byte for byte the canonical form
verify recomputes, whatever the call carries."""

from __future__ import annotations

import hashlib
from typing import Any

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


# -- embedded steps by the C kernel (`_csha.steps_json`) against the dict path --------------------

def _mostly(ordinary: Any, odd: Any) -> Any:
    """``ordinary`` nine times in ten, else ``odd`` (values the kernel may leave to the dict path)."""
    return st.integers(0, 9).flatmap(lambda i: odd if i == 0 else ordinary)


_any_str = st.text(st.characters(blacklist_categories=()), max_size=12)  # controls, non-ASCII, surrogates
_str = _mostly(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), _any_str)
_kinds = _mostly(st.one_of(st.none(), st.sampled_from(["EMAIL_ADDRESS", "deny-term", "", "CREDIT_CARD", "Z"])),
                 st.one_of(st.just("é-kind"), _any_str))
_floats = _mostly(st.one_of(st.floats(0, 1), st.just(1.0), st.integers(0, 10**6).map(lambda n: n / 1000)),
                  st.one_of(st.floats(), st.just(-0.0), st.just(1e-4), st.just(1e16), st.just(9999999999999998.0),
                            st.just(0.00009999)))
_numbers = _mostly(st.one_of(_floats, st.integers(-5, 100)),
                   st.one_of(st.integers(-(2**70), 2**70), st.booleans(), st.just("0.5")))


def _finding(data: Any) -> Any:
    from guardwrap._decision import Finding

    return Finding(data.draw(_kinds), data.draw(_mostly(st.integers(0, 10**6), st.integers(-(2**70), 2**70))),
                   data.draw(st.integers(0, 10**6)), data.draw(_mostly(_floats, st.integers(-5, 5))),
                   rule=data.draw(_kinds), digest=data.draw(_mostly(st.none(), _str)),
                   part=data.draw(_mostly(st.none(), st.integers(0, 9))))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_steps_by_the_kernel_are_the_canonical_bytes(data: Any) -> None:
    """Call records with embedded steps (layout "call"), built to bytes by `call_body` and the C
    kernel, are byte for byte the canonical form of the dict `materialize_call` builds; where the
    kernel leaves a value to the dict path, `call_body` says None."""
    from guardwrap._decision import Decision, Finding, Step
    from guardwrap.audit._record import DeferredDecision, call_body

    class Special(Finding):
        __slots__ = ()

    policy = PolicyInfo("p", 3, "ab" * 32, app="g")
    ctx = CallContext("g", Context(request_id="r-1", actor="u-1"))
    pendings = []
    for _ in range(data.draw(st.integers(1, 3))):
        steps = []
        for _ in range(data.draw(st.integers(0, 4))):
            fs = tuple(_finding(data) for _ in range(data.draw(st.integers(0, 4))))
            if fs and data.draw(st.integers(0, 20)) == 0:
                fs = (*fs, Special("EMAIL_ADDRESS", 1, 2))
            steps.append(Step(data.draw(st.sampled_from(["v", "pii", "dény"]) | _str), data.draw(_str),
                              data.draw(st.sampled_from(["block", "redact"])),
                              data.draw(st.sampled_from(["pass", "blocked", "fixed", "warned"])),
                              data.draw(st.sampled_from([tuple, list]))(data.draw(st.lists(_str, max_size=3))),
                              fs if data.draw(st.booleans()) else list(fs),
                              data.draw(st.one_of(st.none(), _numbers)),
                              data.draw(_mostly(st.integers(0, 10**7), st.one_of(
                                  st.integers(-(2**60), 2**60),
                                  st.sampled_from([0, 1, 999, 1000, 10**15 - 1, 10**15, 2**53 + 1])))),
                              data.draw(st.one_of(st.none(), st.just(""), st.just("ValueError")))))
        d = Decision("pass", "t", stage=data.draw(st.sampled_from(["input", "output"])), steps=tuple(steps))
        pendings.append(DeferredDecision(d, policy, ctx, hasher(b"k" * 32),
                                         data.draw(_mostly(st.one_of(st.none(), st.integers(1, 3)),
                                                           st.integers(2**64, 2**65))),
                                         data.draw(st.one_of(st.none(), st.just("backup"), _str))))
    item = call_item(policy, ctx, hasher(b"k" * 32), "pass", True, (), [(None, "q")], "a", 10, None, None, None,
                     pendings)
    chain, prev = "0123456789abcdef", "cd" * 32
    try:
        rec = materialize_call(item, "call")
        rec.update(chain=chain, seq=5, prev_hash=prev)
        want: bytes | None = canonical(rec)
    except (TypeError, ValueError, OverflowError, orjson.JSONEncodeError):
        want = None  # the dict path cannot write it either: a gap record takes its place
    try:
        body = call_body(item, "call", orjson.dumps(chain), 5, orjson.dumps(prev))
    except (TypeError, ValueError, OverflowError, orjson.JSONEncodeError):
        body = None
    if body is not None:
        assert body == want


def test_plain_steps_take_the_kernel_path() -> None:
    """The steps of an ordinary call (str names, ASCII kinds, float scores, int offsets) are
    written by the kernel, not left to the dict path."""
    from guardwrap._decision import Decision, Finding, Step
    from guardwrap._native import kernel
    from guardwrap.audit._record import DeferredDecision, call_body

    if kernel("guardwrap.audit._csha") is None:
        return
    policy = PolicyInfo("p", None, "ab" * 32, app="g")
    ctx = CallContext("g", Context())
    fs = (Finding("EMAIL_ADDRESS", 3, 9), Finding("CREDIT_CARD", 12, 31, 0.87654321), Finding(None, 40, 44, rule="deny"),
          Finding("EMAIL_ADDRESS", 50, 60, digest="abc", part=1))
    steps = (Step("pii", "1", "redact", "fixed", ("pii",), fs, 1.0, 55258), Step("deny_terms", "1", "block", "pass"),
             Step("prompt_injection", "2", "block", "pass", (), (), 0.0641, 4553, None))
    pending = DeferredDecision(Decision("fixed", "t", stage="input", steps=steps), policy, ctx, None, 2, "primary")
    item = call_item(policy, ctx, hasher(b"k" * 32), "fixed", True, (), [(None, "q")], "a", 10, None, None, None,
                     [pending])
    body = call_body(item, "call", orjson.dumps("0123456789abcdef"), 5, orjson.dumps("cd" * 32))
    rec = materialize_call(item, "call")
    rec.update(chain="0123456789abcdef", seq=5, prev_hash="cd" * 32)
    assert body is not None and body == canonical(rec)


@given(st.integers(0, 10**15 + 10))
def test_step_latency_is_written_as_python_writes_it(ns: int) -> None:
    from guardwrap._decision import Decision, Step
    from guardwrap.audit._record import DeferredDecision, _steps_json

    if _steps_json is None:
        return
    pending = DeferredDecision(Decision("pass", "t", stage="input", steps=(Step("v", "1", "block", "pass", (), (),
                                                                                  None, ns),)),
                               PolicyInfo("p", None, "ab" * 32), CallContext("g", Context()), None, None, None)
    from guardwrap._decision import Finding

    out = _steps_json([pending], Finding)
    assert out is not None and orjson.loads(out)[0]["latency_us"] == ns / 1000
    assert b'"latency_us":' + orjson.dumps(ns / 1000) + b"," in out
