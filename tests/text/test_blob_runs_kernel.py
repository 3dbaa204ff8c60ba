"""The C kernel's ``blob_runs`` (`guardwrap._text._cfold`) against its references: the regex that
defines it (`_decode._blob_runs_py`) and Hyperscan's scan that it replaced (`_decode._blob_runs_hs`),
on generated texts of every string kind and on every corpus in the repository; and `blob_spans`
(what PII's base64/hex look reads) the same with and without the kernel."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_scan_differential import corpora  # tests/text is on sys.path (rootdir-relative)

from guardwrap._text import _decode, _hs

cf = _decode._cf
pytestmark = pytest.mark.skipif(cf is None, reason="the C kernel is not built (or GUARDWRAP_PURE_PYTHON)")

# alphabet characters in runs around the 8- and 16-character edges the kernel reads blocks by, and
# what ends a run: spaces, punctuation, Latin-1, two- and four-byte characters
PIECES = ["A", "z", "0", "+", "/", "=", "_", "-", "A" * 7, "b" * 8, "C" * 9, "d" * 15, "e" * 16, "f" * 17, " ", ".",
          "\n", "@", "%", "é", "\xff", "\u3000", "\u0661", "\U0001d422", "<EMAIL_ADDRESS>", "aGVsbG8gd29ybGQh"]


def same(text: str) -> None:
    got = cf.blob_runs(text)
    assert got == _decode._blob_runs_py(text), text[:200]
    if text.isascii() and _hs.AVAILABLE:
        assert got == _decode._blob_runs_hs(text), text[:200]


def spans_without_kernel(text: str) -> list[tuple[int, int]]:
    saved = _decode._cf
    _decode._cf = None
    try:
        return _decode.blob_spans(text)
    finally:
        _decode._cf = saved


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join), st.integers(0, 9))
def test_generated_runs(text: str, shift: int) -> None:
    for t in (text, "x" * shift + text, text + " " * shift):
        same(t)
        assert _decode.blob_spans(t) == spans_without_kernel(t)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("AZaz09+/=_- .\n%é\u3000"), max_size=300))
def test_generated_alphabet_text(text: str) -> None:
    same(text)
    assert _decode.blob_spans(text) == spans_without_kernel(text)


def test_every_offset_of_a_run_against_the_block_edges() -> None:
    """A run of every length from 0 to 40 at every offset from 0 to 24, in texts of every kind:
    the kernel reads 8-character blocks, so runs starting or ending inside a block, at the end of
    the text, or covering exactly two blocks, are each tried."""
    for fill in (" ", "é", "\u3000", "\U0001d422"):
        for lead in range(25):
            for length in range(41):
                for tail in (0, 1, 7, 8):
                    same(fill * lead + "Q" * length + fill * tail)


def test_long_random_texts() -> None:
    rng = random.Random(14)
    for _ in range(300):
        same("".join(rng.choice(PIECES) for _ in range(rng.randrange(400))))


def test_every_corpus_in_the_repository() -> None:
    n = 0
    found = 0
    for text in corpora():
        same(text)
        spans = _decode.blob_spans(text)
        assert spans == spans_without_kernel(text)
        found += bool(spans)
        n += 1
    assert n > 500 and found > 0


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        cf.blob_runs(b"AAAAAAAAAAAAAAAAAAAA")
    assert cf.blob_runs("") == []
