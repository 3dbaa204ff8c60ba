"""Properties of the chain: any records round-trip and verify; any single deletion or swap is named."""

from __future__ import annotations

import os
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.audit import verify
from guardwrap.audit._chain import Chainer, HmacSigner, canonical

KEY = os.environ["GUARDWRAP_AUDIT_KEY"]

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53),
                        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
field_values = st.one_of(json_scalar, st.lists(json_scalar, max_size=4),
                         st.dictionaries(st.text(max_size=8), json_scalar, max_size=4))
record = st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k not in (
    "hash", "sig", "seq", "chain", "prev_hash")), field_values, max_size=8)


def write(lines):
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "wb") as f:
        f.writelines(lines)
    return path


def chained(recs):
    c = Chainer()
    return [c.seal(dict(r, type="decision")) for r in recs]


@settings(max_examples=60, deadline=None)
@given(st.lists(record, min_size=1, max_size=15))
def test_any_records_chain_and_verify(recs):
    path = write(chained(recs))
    try:
        r = verify(path, key=KEY)
        assert r.ok, str(r)
        assert r.records == len(recs)
    finally:
        os.remove(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(record, min_size=3, max_size=15), st.data())
def test_any_deleted_or_swapped_line_is_named(recs, data):
    lines = chained(recs)
    i = data.draw(st.integers(0, len(lines) - 2))
    swap = data.draw(st.booleans())
    if swap:
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        del lines[i]
    path = write(lines)
    try:
        r = verify(path, key=KEY)
        assert not r.ok
        assert (r.kind, r.seq) == (("reordered", i) if swap else ("deleted", i))
    finally:
        os.remove(path)


@given(record)
def test_canonical_bytes_ignore_key_order_hash_and_sig(rec):
    reordered = dict(reversed(list(rec.items())))
    assert canonical(rec) == canonical(dict(reordered, hash="x", sig="y"))


def test_hmac_signatures_depend_on_the_key():
    a, b = HmacSigner(b"k1" * 16), HmacSigner(b"k2" * 16)
    h = "ab" * 32
    assert a.verify(h, a.sign(h))
    assert not b.verify(h, a.sign(h))
    assert a.key_id != b.key_id
