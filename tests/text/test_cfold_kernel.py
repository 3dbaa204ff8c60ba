"""The matching view's C loops (`guardwrap._text._cfold`) against their pure-Python references:
`spaced_hint` == `_fold._hinted` (the regex hints of spaced-out runs) and `words` ==
`_fold.split_words` (str.translate + str.split), on generated texts of every script and kind."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._text import _fold

cf = _fold._cf
pytestmark = pytest.mark.skipif(cf is None, reason="the C kernel is not built (or GUARDWRAP_PURE_PYTHON)")

# separators, letters and digits of several scripts and string kinds, spaces str.split() knows
PIECES = [*" .-_*/|\n\tab1xZé٣ß€", "\uff21", "\uff11", "\u2028", "\x85", "\xa0", "\u3000", "\x1c", "\U0001d422", "日",
          "<|", "--"]


def same(text: str) -> None:
    assert cf.spaced_hint(text) == _fold._hinted(text)
    assert cf.words(text, _fold._PUNCT_CHARS) == _fold.split_words(text)
    if text.isascii():
        low = cf.lower_ascii(text)
        assert low == text.lower() and type(low) is str and low.isascii()


def test_lower_ascii_every_character_at_every_offset() -> None:
    """`lower_ascii` (`View.folded` of an ASCII view, 8 bytes at a time) == str.lower, for every
    ASCII character at every place of an 8-byte word and in the tail; non-ASCII is refused."""
    every = "".join(map(chr, range(128)))
    for k in range(len(every)):
        for text in (every[k:], every[:k], every[k:] * 3 + every[:k], "A" * k, "@[`{" * k):
            assert cf.lower_ascii(text) == text.lower()
    assert cf.lower_ascii("") == ""
    with pytest.raises(ValueError):
        cf.lower_ascii("ÀB")
    with pytest.raises(TypeError):
        cf.lower_ascii(b"AB")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_pieces(text: str) -> None:
    same(text)
    same(text.upper())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode(text: str) -> None:
    same(text)


def test_spaced_runs_and_their_near_misses() -> None:
    for text in ["b y p a s s", "i  g  n", "x.y.z.", "a - b - c", "a    b c d", "a b", " a b ", " a b c",
                 "_a_b_", "*a*b*", "/a/b/", "|a|b|", "a\tb\tc", "ab cd ef", " é ß ü ", " ٣ ٣ ٣", " a \u2010 b ",
                 "", " ", "a", " a  b   c    d"]:
        same(text)
        same(" " + text + " ")
    rng = random.Random(11)
    for _ in range(20_000):
        same("".join(rng.choice(PIECES) for _ in range(rng.randrange(12))))


def test_words_of_long_texts_and_punct_arguments() -> None:
    rng = random.Random(5)
    vocab = ["ignore", "all", "the", "rules", "é", "Straße", "x" * 50, "<EMAIL_ADDRESS_1>", "a.b", "1gn0r3", "\u3000"]
    text = " ".join(rng.choice(vocab) for _ in range(50_000))
    same(text)
    keep = "!\"#%&'()*+,-./:;<=>?[\\]^_`{|}~"  # the signal scanner's split: @ and $ kept
    assert cf.words("a@b $x c.d", keep) == frozenset("a@b $x c.d".translate({ord(c): " " for c in keep}).split())
    with pytest.raises(ValueError):
        cf.words("abc", "é")
    with pytest.raises(TypeError):
        cf.spaced_hint(b"a b c")  # type: ignore[arg-type]


def _joined(text: str) -> tuple[str, list[tuple[int, int]], object]:
    view, align, runs = _fold._join(text, None)
    return view, runs, getattr(align, "_origin", None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "a b c", "i i i", "x.y.z", "b y p a s s", "1 2 3"]), max_size=80).map("".join))
def test_joining_spaced_runs_maps_offsets_as_the_reference(text: str) -> None:
    """`_fold._join` (the offsets map filled by ``_cfold.ranges``) == the pure-Python map."""
    got = _joined(text)
    saved, _fold._cf = _fold._cf, None
    try:
        want = _joined(text)
    finally:
        _fold._cf = saved
    assert got == want


def test_ranges_are_every_offset_in_order() -> None:
    from array import array
    from itertools import chain

    rng = random.Random(2)
    for _ in range(5000):
        pairs, x = [], 0
        for _ in range(rng.randrange(0, 9)):
            a = x + rng.randrange(0, 5)
            b = a + rng.randrange(0, 7)
            pairs.append((a, b))
            x = rng.choice([b, a])
        out = array("i")
        out.frombytes(cf.ranges(pairs))
        assert out == array("i", chain.from_iterable(range(a, b) for a, b in pairs))
    with pytest.raises(ValueError):
        cf.ranges([(3, 2)])
    with pytest.raises(TypeError):
        cf.ranges([(1, 2, 3)])


def test_spaced_hint_at_every_offset_of_one_byte_texts() -> None:
    """The kernel tries eight positions at a time in 1-byte strings (only where a character
    equals the one two on): a hint at any offset, near a block's edge or the text's end, in
    filler that often repeats characters two apart, is found as the regex finds it."""
    rng = random.Random(17)
    fillers = ["abab", "a a ", "....", "x-x-", "é\xa0é", "aaaa", "  ", "b.c", "\xff\xfe\xff"]
    hints = ["b y p", " a b ", "x.y.z.", "a--b--c", "1 2 3", "é é é", " a   b ", " a    b c", "_a_b_"]
    for n in range(0, 40):
        for hint in hints:
            for at in range(0, n + 1):
                filler = "".join(rng.choice(fillers) for _ in range(n))[:n]
                same(filler[:at] + hint + filler[at:])
            same(("".join(rng.choice(fillers) for _ in range(n)))[:n])
    for _ in range(3000):
        same("".join(rng.choice(" .-_*/|ab1é\xa0") for _ in range(rng.randrange(64))))
