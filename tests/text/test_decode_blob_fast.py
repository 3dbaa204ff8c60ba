"""`_decode.decode_blob` (``binascii`` calls behind ASCII counts) against its definition
`_decode._decode_blob_py` (the `base64` module, `_as_text_py`): the same text or None for every
token, on generated tokens of both base64 alphabets and hex, on encodings of real text (which must
decode), on random bytes, and on every blob-shaped token of every corpus in the repository; and
`blobs` (which memoises tokens met again in one text) against the plain loop."""

from __future__ import annotations

import base64
import binascii
import random
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_scan_differential import corpora  # tests/text is on sys.path (rootdir-relative)

from guardwrap._text import _decode

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL = B64[:62] + "-_"
HEX = "0123456789abcdefABCDEF"


def same(token: str) -> None:
    assert _decode.decode_blob(token) == _decode._decode_blob_py(token), token[:200]


def blobs_py(text: str) -> list[tuple[int, int, str]]:
    """`blobs` before the memo: every token decoded by the reference."""
    out: list[tuple[int, int, str]] = []
    for seen, (s, e) in enumerate(_decode.blob_spans(text)):
        if seen >= _decode.MAX_BLOBS * 4 or len(out) >= _decode.MAX_BLOBS:
            break
        dec = _decode._decode_blob_py(text[s:e].rstrip("="))
        if dec is not None:
            out.append((s, e, dec))
    return out


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(alphabet=B64, max_size=80), st.text(alphabet=URL, max_size=80),
                 st.text(alphabet=HEX, max_size=80), st.text(alphabet=B64 + "-_=é \n", max_size=60)))
def test_generated_tokens(token: str) -> None:
    same(token)
    same(token.rstrip("="))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=60), st.text(max_size=40))
def test_encodings_of_bytes_and_text(data: bytes, text: str) -> None:
    raw = text.encode("utf-8")
    for b in (data, raw, raw + data[:1], data[:2] + raw):
        for token in (base64.b64encode(b).decode(), base64.urlsafe_b64encode(b).decode(), binascii.hexlify(b).decode(),
                      binascii.hexlify(b).decode().upper()):
            same(token)
            same(token.rstrip("="))


def test_text_decodes() -> None:
    for plain in ("rebecca.brown@icloud.com 4111 1111 1111 1111", "SSN 123-45-6789\n\tok", "Müller, Zürich 8001"):
        raw = plain.encode()
        for token in (base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode(),
                      raw.hex()):
            assert _decode.decode_blob(token) == plain == _decode._decode_blob_py(token)


def test_ascii_bytes_at_the_thresholds() -> None:
    """ASCII decodings with 0 to 20 control characters or non-alphanumerics in 20 bytes: the counts
    sit on each side of the 90% and 30% lines."""
    rng = random.Random(12)
    for n in range(1, 21):
        for bad in range(n + 1):
            for pool in (b"\x00\x01\x1f\x7f", b" .,;-"):
                for _ in range(3):
                    data = bytes(rng.choice(pool) if i < bad else rng.choice(b"aZ9") for i in range(n))
                    data = bytes(rng.sample(list(data), n))
                    assert _decode._as_text(data) == _decode._as_text_py(data), data
                    for token in (data.hex(), base64.b64encode(data).decode()):
                        same(token)


def test_random_bytes() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        assert _decode._as_text(data) == _decode._as_text_py(data)
        same(base64.b64encode(data).decode())
        same(base64.urlsafe_b64encode(data).decode().rstrip("="))
        same(data.hex())


def test_non_ascii_and_long_tokens() -> None:
    for token in ("aGVsbG8gd29ybGQh", "aGVsbG8gd29ybGQhé", "é" * 20, "A" * (_decode.MAX_BLOB_CHARS + 1),
                  "QUJD" * (_decode.MAX_BLOB_CHARS // 4), "", "=", "A", "AB", "ABC", "a-b_" * 8):
        same(token)


def _realistic() -> list[str]:
    """The realistic documents of ``benchmarks/pii_eval.py`` (IBANs, hashes, wallet addresses, ids
    in the blob alphabet), when Faker is installed."""
    try:
        import faker  # noqa: F401
    except ImportError:
        return []
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import pii_eval

    return [d.text for seed in (7, 11) for d in pii_eval.build(300, seed)]


def test_every_corpus_in_the_repository() -> None:
    n = 0
    for text in [*corpora(), *_realistic()]:
        for s, e in _decode.blob_spans(text):
            same(text[s:e].rstrip("="))
            same(text[s:e])
            n += 1
        assert _decode.blobs(text) == blobs_py(text)
    assert n > 10


def test_repeated_tokens_in_one_text() -> None:
    hidden = base64.b64encode(b"call me on 020 7946 0958").decode()
    for unit in ("deadbeef4111111111111111cafe ", "card4111111111111111exp ", "TXN20261130123456 ",
                 hidden + " ", hidden + " QUJDREVGR0hJSktMTU5PUA== "):
        for size in (2048, 20480):
            text = (unit * (size // len(unit) + 1))[:size]
            assert _decode.blobs(text) == blobs_py(text)
