"""The audit writer's C hashing kernel (``guardwrap.audit._csha``) against its reference, hashlib:
the same digests, the same HMACs, and chained lines identical byte for byte to `Chainer.seal`."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._native import kernel
from guardwrap.audit import _chain, _keys
from guardwrap.audit._chain import PRESORTED, Chainer, record_hash

_k = kernel("guardwrap.audit._csha")
needs_kernel = pytest.mark.skipif(_k is None, reason="the _csha kernel is not built (or GUARDWRAP_PURE_PYTHON)")

# every code point, lone surrogates included (hashed as "surrogatepass" encodes them)
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
                        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40))
# record values, nested objects that themselves hold a "prev_hash" key included
json_value = st.recursive(json_scalar, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["prev_hash", "hash", "a", "z", "seq", "\"prev_hash\":\""]) | st.text(max_size=8),
                    kids, max_size=4)), max_leaves=12)
records = st.dictionaries(st.sampled_from(["actor", "b", "findings", "ts", "z", "zz", "é"]), json_value, max_size=7)


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_sha256_is_hashlibs(data: bytes) -> None:
    assert _k.sha256_hex(data) == hashlib.sha256(data).hexdigest()


@needs_kernel
def test_sha256_at_every_padding_boundary() -> None:
    for n in [*range(0, 200), 4095, 4096, 4097, 100_000]:
        data = os.urandom(n)
        assert _k.sha256_hex(data) == hashlib.sha256(data).hexdigest(), n


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=150), any_text)
def test_hmac_is_hmac_sha256(key: bytes, text: str) -> None:
    expected = hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    assert _k.hmac_hex(_k.hmac_key(key), text) == expected


@needs_kernel
def test_hmac_of_long_texts() -> None:
    key = b"k" * 32
    for text in ("a" * 5000, "é" * 5000, "x\ud800" * 3000):
        expected = hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
        assert _k.hmac_hex(_k.hmac_key(key), text) == expected


def test_hasher_is_the_reference_hmac() -> None:
    key = b"guardwrap-test-key"
    h = _keys.hasher(key)
    for text in ("", "abc", "Grüße 😀", "lone \udc80 surrogate"):
        assert h(text) == _keys.keyed_hash(text, key)


@needs_kernel
def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(TypeError):
        _k.hmac_hex(b"short", "x")
    with pytest.raises(TypeError):
        _k.hmac_hex(_k.hmac_key(b"k"), b"bytes")
    with pytest.raises(TypeError):
        _k.seal((b"{}",), "0" * 64, "0" * 64)
    with pytest.raises(TypeError):
        _k.seal([b'{"prev_hash":"' + b"0" * 64 + b'"}', "not bytes"], "0" * 64, "0" * 64)
    with pytest.raises(ValueError):
        _k.seal([b'{"a":1}'], "0" * 64, "1" * 64)  # no placeholder
    with pytest.raises(ValueError):
        _k.seal([b"[]"], "0" * 64, "1" * 64)  # not an object
    with pytest.raises(ValueError):
        _k.seal([], "XYZ", "1" * 64)
    assert _k.seal([], "0" * 64, "1" * 64) == (b"", "0" * 64)


def _pair(chain: str) -> tuple[Chainer, Chainer]:
    return Chainer(chain, 7, "ab" * 32), Chainer(chain, 7, "ab" * 32)


def _reference_lines(ch: Chainer, recs: list[dict[str, Any]]) -> bytes:
    return b"".join(ch.seal(dict(r)) for r in recs)


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=4))
def test_seal_many_gives_the_lines_seal_gives(recs: list[dict[str, Any]]) -> None:
    ref, fast = _pair("c0ffee00c0ffee00")
    expected = _reference_lines(ref, recs)
    got = fast.seal_many([dict(r) for r in recs], _no_error)
    assert got == expected
    assert (fast.seq, fast.prev_hash, fast.chain) == (ref.seq, ref.prev_hash, ref.chain)
    prev = "ab" * 32
    for line in got.splitlines():  # and every line verifies as a chained record
        rec = orjson.loads(line)
        assert rec["prev_hash"] == prev and rec["hash"] == record_hash(rec)
        prev = rec["hash"]


def _no_error(rec: dict[str, Any], exc: Exception) -> dict[str, Any]:
    raise AssertionError("unexpected serialisation error")


def test_seal_many_presorted_and_unserialisable_records() -> None:
    presorted = {"a": 1, "chain": PRESORTED, "prev_hash": None, "seq": 0, "z": "prev_hash"}
    bad = {"b": 2**70}  # orjson refuses integers past 64 bits
    seen: list[str] = []

    def replace(rec: dict[str, Any], exc: Exception) -> dict[str, Any]:
        seen.append(type(exc).__name__)
        return {"type": "gap", "reason": "unrecordable"}

    ref, fast = _pair("feedfacefeedface")
    expected = b"".join([ref.seal(dict(presorted)), ref.seal(replace(bad, TypeError())), ref.seal({"c": 3})])
    got = fast.seal_many([dict(presorted), dict(bad), {"c": 3}], replace)
    assert got == expected and len(got.splitlines()) == 3
    assert seen and set(seen) == {seen[0]}
    assert (fast.seq, fast.prev_hash) == (ref.seq, ref.prev_hash)


def test_the_pure_python_path_gives_the_same_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    recs = [{"type": "call", "n": i, "nested": {"prev_hash": "0" * 64}} for i in range(5)]
    ref, fast = _pair("0123456789abcdef")
    expected = fast.seal_many([dict(r) for r in recs], _no_error)
    monkeypatch.setattr(_chain, "_k", None)
    assert ref.seal_many([dict(r) for r in recs], _no_error) == expected


@needs_kernel
def test_portable_sha256_matches_too() -> None:
    code = (
        "import hashlib, hmac, os, sys\n"
        "from guardwrap.audit import _csha as k\n"
        "assert not k.accelerated\n"
        "for n in list(range(0, 140)) + [5000]:\n"
        "    b = os.urandom(n)\n"
        "    assert k.sha256_hex(b) == hashlib.sha256(b).hexdigest()\n"
        "    assert k.hmac_hex(k.hmac_key(b[:70]), b.hex()) == hmac.new(b[:70], b.hex().encode(), 'sha256').hexdigest()\n"
    )
    env = {**os.environ, "GUARDWRAP_CSHA_PORTABLE": "1"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]


def test_records_hold_no_placeholder_after_sealing(tmp_path: Any) -> None:
    import guardwrap as gw

    path = tmp_path / "a.jsonl"
    with gw.JsonlSink(str(path), checkpoint_every=3, audit_key="k" * 40) as sink:
        guard = gw.Guard("t", audit=sink, audit_key="k" * 40)
        f = guard(lambda p: "answer")
        for i in range(10):
            f(f"question {i}")
    text = path.read_text()
    assert _chain._PLACEHOLDER not in text
    assert json.loads(text.splitlines()[1])["type"] == "call"
    from guardwrap.audit import verify

    report = verify(str(path), key="k" * 40)
    assert report.ok, report
