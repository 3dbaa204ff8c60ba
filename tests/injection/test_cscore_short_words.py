"""The learned tier's C chunk scorer reads the tokens of a 1-byte view (ASCII or Latin-1) of at
most 8 characters by their bytes (`tokenize1`, `lookup_short`): a word of the tables is found by
its packed bytes, and the word set dedupes unknown tokens by them. Held here to the pure-Python
scorer for every word of the tables, at every length around the 8-character edge, at the very end
of the view (fewer than 8 bytes left to read), next to words that differ in one byte, in every
string kind."""

from __future__ import annotations

import math
import random
from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.injection import _linear
from guardwrap.injection._features import CONCEPTS, chunk_bounds, chunk_tokens, deleet, leet_map
from guardwrap.injection._linear import WEIGHTS, LinearModel

ck = _linear._ck
pytestmark = pytest.mark.skipif(ck is None, reason="the C kernel is not built (or GUARDWRAP_PURE_PYTHON)")

C = LinearModel.load(WEIGHTS)
PY = LinearModel.load(WEIGHTS)
PY._tables = None
VOCAB = sorted({*C.uni, *(w for k in C.bi for w in k), *CONCEPTS})


def same(view: str) -> None:
    bounds = chunk_bounds(view)
    toks = chunk_tokens(view, bounds)
    want = [PY.chunk_sum(t) for t in deleet(view, toks)]
    got, words = ck.chunk_sums(C._tables, view, bounds, leet_map(view), True)
    assert got == want, view[:120]
    assert all(math.copysign(1, a[0]) == math.copysign(1, b[0]) for a, b in zip(got, want, strict=True))
    assert words == frozenset(chain.from_iterable(toks)), view[:120]


def test_every_word_of_the_tables_alone_and_at_the_end() -> None:
    for w in VOCAB:
        same(w)  # the whole view: fewer than 8 bytes to read after a short word
        same("x " + w)
        same(w + " x")
        same(w + "\u0100")  # glued to a 2-byte character: one longer token in a 2-byte view
        same(w + " \U0001f600")  # the same words in a 4-byte view


def test_words_one_byte_off_and_around_eight_characters() -> None:
    rng = random.Random(3)
    short = [w for w in VOCAB if len(w) <= 9]
    for w in short:
        variants = [w[:-1], w + "s", w[:-1] + chr(ord(w[-1]) ^ 1), w.upper(), w + "\xe9", "\xe9" + w]
        same(" ".join([*variants, w, w]))
    for n in range(1, 12):
        same(" ".join("".join(rng.choice("abcdeisnotr\xe9\x00") for _ in range(n)) for _ in range(200)))


def test_unknown_tokens_deduped_in_the_word_set() -> None:
    # the same unknown token many times, and tokens differing only past a NUL or in their length
    same(" ".join(["zzq", "zzq", "zzq\x00", "zzq\x00\x00", "\x00zzq", "zz", "zzqzzqzz", "zzqzzqzzq"] * 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(VOCAB), st.text(alphabet="abcdefghijklmnopqrstuvwxyz\xe9\xff0 ",
                                                           max_size=10)), max_size=120),
       st.sampled_from([" ", "\n", ", ", "-", ""]))
def test_generated_latin1_views(parts: list[str], sep: str) -> None:
    same(sep.join(parts))
