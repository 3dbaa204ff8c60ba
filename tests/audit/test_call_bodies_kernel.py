"""`_csha.call_bodies` (the JSONL writer's C path for call records, a run at a time) against its
reference `_record.call_body`, byte for byte, and the chained lines with and without it."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._context import CallContext, Context
from guardwrap._decision import Decision, Finding, Step
from guardwrap._native import kernel
from guardwrap.audit._chain import _PLACEHOLDER, _PLACEHOLDER_JSON, Chainer, canonical
from guardwrap.audit._keys import hasher
from guardwrap.audit._record import (
    CallBodies,
    DeferredDecision,
    PolicyInfo,
    _call_bodies,
    call_body,
    call_item,
    materialize_call,
)

# Skipped only without the kernel (GUARDWRAP_PURE_PYTHON, no compiler): a kernel built from an
# older _csha.c, without call_bodies, fails here instead of passing unnoticed.
pytestmark = pytest.mark.skipif(kernel("guardwrap.audit._csha") is None, reason="the C kernel is not built")

_C_HASHER = hasher(b"k" * 32)


def _py_hasher(text: str) -> str:
    return hmac.new(b"k" * 32, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _odd_hasher(text: str) -> Any:
    return None if len(text) % 2 else text[:3]  # not a hex digest: still written as the dict path writes it


def _raising_hasher(text: str) -> str:
    raise ValueError("no")


_any_str = st.text(st.characters(blacklist_categories=()), max_size=12)  # controls, non-ASCII, surrogates
_str = st.one_of(st.text(max_size=12), st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
_ids = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                    max_size=20))


def _contexts(data: Any) -> list[Context]:
    out = [Context()]
    for _ in range(data.draw(st.integers(0, 2))):
        out.append(Context(request_id=data.draw(_ids), actor=data.draw(_ids), model=data.draw(_ids),
                           provider=data.draw(_ids), trace_id=data.draw(_ids), app=data.draw(_ids),
                           sources=data.draw(st.one_of(st.none(), st.just(["doc"]), st.just([])))))
    return out


def _decisions(data: Any, policy: PolicyInfo, ctx: CallContext, odd: bool = True) -> Any:
    shape = data.draw(st.integers(0, 5))
    if shape == 0:
        return None
    if shape == 1:
        return []
    pendings = []
    for _ in range(data.draw(st.integers(1, 2))):
        steps = []
        for _ in range(data.draw(st.integers(0, 3))):
            fs = tuple(Finding(data.draw(st.sampled_from(["EMAIL_ADDRESS", "CREDIT_CARD", None])),
                               data.draw(st.integers(0, 99)), data.draw(st.integers(0, 99)),
                               data.draw(st.one_of(st.just(1.0), _scores(odd))),
                               rule=data.draw(st.sampled_from([None, "deny"])))
                       for _ in range(data.draw(st.integers(0, 2))))
            steps.append(Step(data.draw(st.sampled_from(["pii", "deny_terms"])), "1", "redact",
                              data.draw(st.sampled_from(["pass", "fixed", "blocked"])), ("pii",), fs,
                              data.draw(st.one_of(st.none(), _scores(odd))), data.draw(st.integers(0, 10**9))))
        d = Decision("pass", "t", stage="input", steps=tuple(steps))
        pendings.append(DeferredDecision(d, policy, ctx, _C_HASHER, data.draw(st.sampled_from([None, 1, 2])),
                                         data.draw(st.sampled_from([None, "backup"]))))
    return pendings


def _scores(odd: bool) -> Any:
    """Scores: any in [0, 1] (tiny ones the kernel leaves to the dict path), or ordinary ones."""
    return st.floats(0, 1) if odd else st.integers(0, 10**4).map(lambda n: n / 10**4)


def _item(data: Any, contexts: list[Context], policies: list[PolicyInfo]) -> Any:
    if data.draw(st.integers(0, 15)) == 0:
        return {"schema": "guardwrap.audit/1", "type": "lifecycle", "ts": 1.5, "event": "open"}
    policy = data.draw(st.sampled_from(policies))
    ctx = CallContext("g", data.draw(st.sampled_from(contexts)))
    ctx.attempt = data.draw(st.one_of(st.integers(1, 3), st.sampled_from([True, 2**70])))
    model_ns = data.draw(st.one_of(st.none(), st.integers(0, 10**16)))
    ctx.model_ns = model_ns
    h = data.draw(st.sampled_from([_C_HASHER, _C_HASHER, _py_hasher, None, _odd_hasher, _raising_hasher]))
    inputs: Any = [(None, data.draw(st.one_of(_str, _any_str))) for _ in range(data.draw(st.integers(0, 3)))]
    if inputs and data.draw(st.integers(0, 10)) == 0:
        inputs = tuple(inputs) if data.draw(st.booleans()) else [(None, "a", "b")]
    item = call_item(policy, ctx, h, data.draw(st.sampled_from(["pass", "blocked", "fixed"])),
                     data.draw(st.sampled_from([True, False, True, 1])),
                     data.draw(st.one_of(st.just(()), st.lists(_str, max_size=2).map(tuple), st.lists(_str, max_size=2),
                                         st.just(None))),
                     inputs, data.draw(st.one_of(st.none(), _str, _any_str)),
                     data.draw(st.one_of(st.integers(0, 10**10), st.integers(0, 2**60))),
                     data.draw(st.one_of(st.none(), _str)),
                     data.draw(st.sampled_from([None, None, None, "KeyError"])),
                     data.draw(st.sampled_from([None, None, {}, {"usage": {"in": 3}}])),
                     _decisions(data, policy, ctx))
    ts = data.draw(st.one_of(st.floats(0, 4e9), st.floats(allow_nan=False), st.integers(0, 2**31), st.just(1.7e9)))
    return (*item[:13], ts, item[14])


def _reference(item: Any, layout: str, seq: int) -> bytes | None:
    try:
        return call_body(item, layout, orjson.dumps("0123456789abcdef"), seq, orjson.dumps("cd" * 32))
    except Exception:
        return None


@settings(max_examples=150, deadline=None)
@given(data=st.data(), layout=st.sampled_from(["call", "decision"]), seq=st.integers(0, 2**40))
def test_call_bodies_are_call_body_byte_for_byte(data: Any, layout: str, seq: int) -> None:
    """Every body the kernel writes is the one `call_body` writes for that item at that seq; the
    kernel stops at the first item it leaves to the Python path."""
    assert _call_bodies is not None
    contexts = _contexts(data)
    policies = [PolicyInfo("p", 3, "ab" * 32, app="g"), PolicyInfo("q", None, "cd" * 32)]
    items = [_item(data, contexts, policies) for _ in range(data.draw(st.integers(1, 6)))]
    cb = CallBodies(layout)
    start = data.draw(st.integers(0, len(items) - 1))
    while start < len(items):
        out: list[bytes] = []
        try:
            stop = cb(items, start, len(items), seq + start, orjson.dumps("0123456789abcdef"),
                      orjson.dumps("cd" * 32), out)
        except Exception:
            stop = start + len(out)
        assert start <= stop <= len(items) and len(out) == stop - start
        for k, body in enumerate(out):
            assert body == _reference(items[start + k], layout, seq + start + k)
            rec = orjson.loads(body)
            assert body == canonical(rec)  # what verify recomputes
        start = stop + 1  # (the Python path takes the item it stopped at)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), layout=st.sampled_from(["call", "decision"]))
def test_ordinary_calls_all_take_the_kernel_path(data: Any, layout: str) -> None:
    """Ordinary call records (str texts, the C hasher, a float time, int latencies, plain
    contexts) are all written by the kernel, whatever their contexts and texts hold."""
    contexts = [c for c in _contexts(data) if not c.sources]
    policy = PolicyInfo("p", 3, "ab" * 32, app="g")
    items = []
    for _ in range(data.draw(st.integers(1, 5))):
        ctx = CallContext("g", data.draw(st.sampled_from(contexts)))
        ctx.model_ns = data.draw(st.one_of(st.none(), st.integers(0, 10**12)))
        items.append(call_item(policy, ctx, _C_HASHER, "pass", True, data.draw(st.lists(_str, max_size=2)),
                               [(None, data.draw(_str)) for _ in range(data.draw(st.integers(0, 3)))],
                               data.draw(st.one_of(st.none(), _str)), data.draw(st.integers(0, 10**10)),
                               decisions=_decisions(data, policy, ctx, odd=False) if layout == "call" else None))
    out: list[bytes] = []
    assert CallBodies(layout)(items, 0, len(items), 7, b'"c"', b'"p"', out) == len(items)
    assert out == [call_body(it, layout, b'"c"', 7 + k, b'"p"') for k, it in enumerate(items)]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), layout=st.sampled_from(["call", "decision"]))
def test_sealed_lines_are_the_same_with_and_without_the_kernel(data: Any, layout: str) -> None:
    """`Chainer.seal_many` gives the same lines (hashes and all) with the kernel's run-at-a-time
    path as with one `call_body` per item, gap records for unrecordable items included."""
    contexts = _contexts(data)
    policies = [PolicyInfo("p", 3, "ab" * 32, app="g")]
    items = [_item(data, contexts, policies) for _ in range(data.draw(st.integers(1, 8)))]

    def build(item: Any, chain_json: bytes, seq: int, prev_json: bytes) -> Any:
        body = call_body(item, layout, chain_json, seq, prev_json)
        return body if body is not None else materialize_call(item, layout)

    def on_error(item: Any, exc: Exception) -> dict[str, Any]:
        return {"schema": "guardwrap.audit/1", "type": "gap", "ts": 1.0, "error": type(exc).__name__}

    lines = []
    for fast in (None, CallBodies(layout)):
        chainer = Chainer("0123456789abcdef", 3, "ef" * 32)
        lines.append(chainer.seal_many([dict(i) if type(i) is dict else i for i in items], on_error, build, fast))
    assert lines[0] == lines[1]
    for line in lines[1].splitlines():
        rec = orjson.loads(line)
        assert rec["hash"] == hashlib.sha256(canonical(rec)).hexdigest()
        assert _PLACEHOLDER not in line.decode()


def test_the_memo_follows_the_context_policy_and_hasher() -> None:
    """Records of different actors, policies and keys, interleaved, each get their own fields."""
    p1, p2 = PolicyInfo("p1", 1, "ab" * 32, app="a"), PolicyInfo("p2", 2, "cd" * 32, app="b")
    c1, c2 = Context(actor="u-1", model="m1"), Context(actor="u-2", provider="x")
    h2 = hasher(b"j" * 32)
    combos = [(p1, c1, _C_HASHER), (p2, c1, _C_HASHER), (p1, c2, h2), (p1, c1, h2), (p1, c1, _C_HASHER)]
    items = [call_item(p, CallContext("g", c), h, "pass", True, (), [(None, "q")], "a", 10) for p, c, h in combos]
    out: list[bytes] = []
    cb = CallBodies("call")
    assert cb(items, 0, len(items), 0, b'"c"', _PLACEHOLDER_JSON, out) == len(items)
    assert out == [call_body(it, "call", b'"c"', k, _PLACEHOLDER_JSON) for k, it in enumerate(items)]
    assert len({orjson.loads(b)["actor"] for b in out}) == 3  # two actors, two keys: three pseudonyms


def test_bad_arguments_are_clear_errors() -> None:
    cb = CallBodies("call")
    with pytest.raises(TypeError):
        _call_bodies((), 0, 1, 0, b"", b"", True, cb.memo, cb._segments, Finding, [])  # type: ignore[misc]
    with pytest.raises(TypeError):
        _call_bodies([], 0, 1, 0, b"", b"", True, [None], cb._segments, Finding, [])  # type: ignore[misc]
    with pytest.raises(ValueError):
        _call_bodies([], 0, 1, -1, b"", b"", True, cb.memo, cb._segments, Finding, [])  # type: ignore[misc]
    item = call_item(PolicyInfo("p", 1, "ab" * 32), CallContext("g", Context()), _C_HASHER, "pass", True, (),
                     [(None, "q")], "a", 10)
    with pytest.raises(TypeError):  # segments that do not give (seg, state)
        _call_bodies([item], 0, 1, 0, b"", b"", True, [None] * 5, lambda *a: None, Finding, [])  # type: ignore[misc]


# -- floats (a record's time) without dtoa: `_csha.c` short_repr, held to orjson (repr) ------------

def _float_json(v: float) -> bytes | None:
    return kernel("guardwrap.audit._csha").float_json(v)  # type: ignore[no-any-return,union-attr]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.floats(1, 2**33), st.floats(allow_nan=False), st.floats(1.6e9, 2e9), st.floats(1e-4, 1),
                 st.integers(1, 2**33).map(float), st.integers(0, 10**7).map(lambda n: 1.7e9 + n / 10**7),
                 st.integers(1, 10**6).map(lambda n: n / 1000), st.integers(0, 52).map(lambda n: 2.0**n)))
def test_floats_are_written_as_orjson_writes_them(v: float) -> None:
    got = _float_json(v)
    if got is not None:  # None: outside the range where orjson writes repr (the dict path writes those)
        assert got == orjson.dumps(v)


def test_times_are_written_as_orjson_writes_them() -> None:
    """A sweep of record times and scores (and of the floats around them, to the last bit)."""
    import math
    import random
    import time

    rnd = random.Random(14)
    now = time.time()
    vals = [now, 1.0, 1.5, 2.0**32, 2.0**33 - 2.0**-20, 8589934591.999999, 1e9 + 0.5, 3.0000000000000004, 1e-4,
            0.0641, 0.1, 0.9999999999999999]
    for _ in range(20_000):
        v = rnd.choice((rnd.uniform(1e9, 2**33), now + rnd.uniform(-1e6, 1e6), rnd.uniform(1e-4, 1),
                        10 ** rnd.uniform(-4, 9)))
        vals += (v, math.nextafter(v, 0.0), math.nextafter(v, math.inf), round(v, rnd.randint(0, 7)))
    for v in vals:
        if v >= 1e-4:
            assert _float_json(v) == orjson.dumps(v), v


# -- seal_calls: build and chain in one pass (the JSONL writer's path for runs of call items) -------


def _build(layout: str) -> Any:
    def build(item: Any, chain_json: bytes, seq: int, prev_json: bytes) -> Any:
        body = call_body(item, layout, chain_json, seq, prev_json)
        return body if body is not None else materialize_call(item, layout)

    return build


def _gap(item: Any, exc: Exception) -> dict[str, Any]:
    return {"schema": "guardwrap.audit/1", "type": "gap", "ts": 1.0, "error": type(exc).__name__}


@settings(max_examples=100, deadline=None)
@given(data=st.data(), layout=st.sampled_from(["call", "decision"]), max_bytes=st.sampled_from([1, 700, 1 << 20]),
       gil_free=st.sampled_from([-1, 0, 1 << 20]))
def test_seal_calls_gives_the_lines_of_the_two_step_path(data: Any, layout: str, max_bytes: int,
                                                         gil_free: int) -> None:
    """`Chainer.seal_calls` (one kernel pass: bodies, keyed hashes and chain, the hashing with or
    without the GIL) gives the same lines and leaves the chain where `seal_many` (call_bodies, then
    seal; one `call_body` or record dict for each item the kernel leaves) does, the items it
    stops at taking that path, unrecordable ones included."""
    contexts = _contexts(data)
    policies = [PolicyInfo("p", 3, "ab" * 32, app="g"), PolicyInfo("q", None, "cd" * 32)]
    items = [it for it in (_item(data, contexts, policies) for _ in range(data.draw(st.integers(1, 8))))
             if type(it) is tuple]
    ref = Chainer("0123456789abcdef", 5, "ef" * 32)
    expected = ref.seal_many(list(items), _gap, _build(layout), CallBodies(layout))
    chainer = Chainer("0123456789abcdef", 5, "ef" * 32)
    cb = CallBodies(layout)
    out, i, n = [], 0, len(items)
    while i < n:
        j = i
        try:
            lines, j = chainer.seal_calls(items, i, n, cb, max_bytes, gil_free)
        except Exception:
            pass
        else:
            assert i <= j <= n
            assert j - i <= 1 or max_bytes > 1  # a run ends after the record that passes max_bytes
            out.append(lines)
            assert lines.count(b"\n") == j - i
        if j == i:
            out.append(chainer.seal_many(items[i:i + 1], _gap, _build(layout), cb))
            j = i + 1
        i = j
    assert b"".join(out) == expected
    assert (chainer.seq, chainer.prev_hash) == (ref.seq, ref.prev_hash)


def test_seal_calls_of_ordinary_calls_is_one_pass() -> None:
    """Ordinary call records (texts of any script, the C hasher) are all built and chained by one
    kernel pass, with the chain's previous hash in each."""
    policy = PolicyInfo("p", 3, "ab" * 32, app="g")
    texts = ["plain", "é" * 300, "\ud800 lone", "x" * 5000, ""]
    items = [call_item(policy, CallContext("g", Context(actor="a")), _C_HASHER, "pass", True, (),
                       [(None, t)] if k % 2 else [(None, t), (None, "more")], t, 10)
             for k, t in enumerate(texts)]
    chainer = Chainer("c", 0)
    lines, stop = chainer.seal_calls(items, 0, len(items), CallBodies("call"), 1 << 20, 0)
    assert stop == len(items) and chainer.seq == len(items)
    prev = "0" * 64
    for k, line in enumerate(lines.splitlines()):
        rec = orjson.loads(line)
        assert (rec["seq"], rec["prev_hash"]) == (k, prev)
        assert rec["hash"] == hashlib.sha256(canonical(rec)).hexdigest()
        assert rec["output_hash"] == _py_hasher(texts[k])
        prev = rec["hash"]
    assert prev == chainer.prev_hash
    empty, stop = chainer.seal_calls(items, 2, 2, CallBodies("call"), 1 << 20, 0)
    assert (empty, stop, chainer.seq) == (b"", 2, len(items))
