"""The address patterns with their word lists written as tries (`_shapes.trie`) find what the
patterns with plain alternations found.

A trie tries a longer word before a word that is its prefix, where the alternation tried the words
in order; that changes no match only when at most one word of a list can lead to one. Checked
twice: on the lists (no word is a prefix of another followed by what may come after the list) and
on the matches (the patterns rebuilt with the plain alternations are the reference, on generated
address-like text and on every digit run of the realistic corpora, in three cases, both engines).
"""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from test_pii_address_twins import _ADDRESS_BITS  # tests/pii is on sys.path (rootdir-relative)
from test_pii_native import _corpus

from guardwrap.pii import _addresses as A
from guardwrap.pii import _shapes

#: (trie in the patterns, the alternation it replaced)
SWAPS = (
    (f"(?i:{A._SUFFIX_TRIE})", f"(?i:{A._SUFFIX})"),
    (f"(?:(?i:{A._FR_TRIE})|{A._EU_TRIE})", f"(?:(?i:{A._FR_WORDS})|{A._EU_WORDS})"),
    (f"(?:{A._STATES_TRIE})", f"(?:{A._STATES})"),
)


def _reference(rx: regex.Pattern[str]) -> regex.Pattern[str]:
    src = rx.pattern
    for new, old in SWAPS:
        src = src.replace(new, old)
    assert src != rx.pattern
    return regex.compile(src, rx.flags)


PAIRS = [(rx, _reference(rx)) for rx in (A.NUMBER_FIRST, A._AFTER_NUM, A._PO_TAIL)]
PAIRS += [(A._ascii_twin(rx), A._ascii_twin(ref)) for rx, ref in PAIRS[:]]
PAIRS += [(A.NUMBER_FIRST_ASCII, PAIRS[3][1]), (A._AFTER_NUM_ASCII, PAIRS[4][1]), (A._PO_TAIL_ASCII, PAIRS[5][1])]


def _prefix_pairs(words: list[str], fold: bool, after: str) -> list[tuple[str, str]]:
    ws = sorted({w.lower() if fold else w for w in words})
    return [(x, y) for x in ws for y in ws if x != y and y.startswith(x) and (y[len(x)] in after)]


def test_no_word_of_a_list_can_stand_where_a_longer_one_does() -> None:
    # a street suffix is followed by a non-letter (after an optional "." and direction), a street
    # word before the name and a state code by blanks (a state code by "." first)
    non_letters = "".join({c for w in A._SUFFIX.split("|") for c in w if not c.isalpha()}) + ". \t"
    assert _prefix_pairs(A._SUFFIX.split("|"), True, non_letters) == []
    assert _prefix_pairs(list(A.FR_LITERALS), True, " \t") == []
    assert _prefix_pairs(list(A.EU_LITERALS), False, " \t") == []
    assert _prefix_pairs(A._STATES.split("|"), False, ". \t") == []
    # the literals are the alternations' words
    assert re.compile(f"(?:{A._FR_WORDS})").fullmatch("av.") and set(A.FR_LITERALS) >= {"rue", "av.", "allée"}
    assert all(re.fullmatch(f"(?:{A._EU_WORDS})", w) for w in A.EU_LITERALS)


def test_trie_matches_the_words_and_nothing_else() -> None:
    words = ["st", "sta", "station", "str", "a.b", "c/", "An der", "x"]
    rx = re.compile(f"(?:{_shapes.trie(words)})")
    for w in words:
        assert rx.fullmatch(w)
    for w in ("s", "stat", "stations", "ab", "c", "An", "An de", ""):
        assert not rx.fullmatch(w)


def _same(text: str) -> None:
    for rx, ref in PAIRS:
        for k in range(len(text) + 1):
            a, b = rx.match(text, k), ref.match(text, k)
            assert (a and a.span()) == (b and b.span()), (rx.pattern[:40], text, k)


@settings(max_examples=500, deadline=None)
@given(_ADDRESS_BITS)
def test_tries_match_as_the_alternations(text: str) -> None:
    _same(text)
    _same(text.upper())


def test_tries_on_the_corpora() -> None:
    matched = 0
    for text in _corpus():
        for t in (text, text.upper(), text.lower()):
            for k in range(len(t)):
                if t[k].isdigit() and (k == 0 or not t[k - 1].isdigit()):
                    for rx, ref in PAIRS:
                        if isinstance(rx, re.Pattern) and not t.isascii():
                            continue
                        a, b = rx.match(t, k), ref.match(t, k)
                        assert (a and a.span()) == (b and b.span()), (t, k)
                        matched += a is not None
    assert matched > 100
