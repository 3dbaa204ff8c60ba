"""The address patterns' ASCII twins (stdlib `re`) and the unit pre-check find what the `regex`
patterns find.

`_addresses` asks ``NUMBER_FIRST``, ``_AFTER_NUM`` and ``_PO_TAIL`` through their ASCII twins when
the text is ASCII, and `_UNIT_BEFORE` only when `_unit_before`'s cheap test passes; the `regex`
patterns stay the reference. Generated address-like text (hypothesis) and the realistic corpora,
every position.
"""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pii_native import (  # tests/pii is on sys.path (rootdir-relative)
    _corpus,
    _windows_before_numbers,
)

from guardwrap.pii import _addresses

PAIRS = (
    (_addresses.NUMBER_FIRST, _addresses.NUMBER_FIRST_ASCII),
    (_addresses._AFTER_NUM, _addresses._AFTER_NUM_ASCII),
    (_addresses._PO_TAIL, _addresses._PO_TAIL_ASCII),
)


def _pieces(*words: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words), max_size=24).map("".join)


# house numbers, street words before and after the name, directions, units, and every kind of
# tail `_TAIL` knows (city + state + ZIP, UK and Irish postcodes, continental postcodes, PIN codes)
_ADDRESS_BITS = _pieces(
    "1", "23", "456 ", "99310 ", "12, ", "7A ", "221B ", "12-3 ", "4/1 ", " 57 ", "N ", "E. ", "North ", "SW ",
    "Main ", "Baker ", "O'Brien ", "St", "St.", "Street", "ST", "Ave", "AVENUE ", "Turnpike", "cul-de-sac", "Rd",
    "rue ", "Rue ", "RUE ", "de la ", "du ", "d'", "Avda. ", "C/ ", "Calle ", "Via ", "VIA ", "av. ", "Mayor ",
    "5th ", "3RD ", "of ", "the ", "Apt 4", "Apt. 471", " Suite 12", ", Unit 3B", " #12", " S/N", " s.n.", " m 4",
    ", ", ",", " ", "\t", "\n", "  ", ".", "-", "'", "x", "a", "A", "Springfield", ", IL 62704", " NY 10001-1234",
    "Port Jesse, BC N1B 5X7", "London NW1 6XE", "SW1A 1AA", " Dublin 2, D02 VF65", "Surrey GU1 3XX", "10115 Berlin",
    " 2433CN Mariaparochie", "D-10115 ", "12-345 Warszawa", "1234-567 Lisboa", "111 43 Stockholm", "110 00 Praha 1",
    "Bengaluru 560001", "Mumbai - 400 001", "New George, NC 11751", "Sainte Adrien", " upon ", " sur ", "NSW 2000",
)


def _same(text: str) -> None:
    for rx, twin in PAIRS:
        for k in range(len(text) + 1):
            a, b = rx.match(text, k), twin.match(text, k)
            assert (a and a.span()) == (b and b.span()), (rx.pattern[:40], text, k)


@settings(max_examples=700, deadline=None)
@given(_ADDRESS_BITS)
def test_ascii_twins_match_as_the_regex_patterns(text: str) -> None:
    _same(text)


def test_ascii_twins_on_the_corpora() -> None:
    matched = 0
    for text in _corpus():
        for t in (text, text.upper(), text.lower()):
            if not t.isascii():
                continue
            for k in range(len(t)):
                if t[k].isdigit() and (k == 0 or not t[k - 1].isdigit()):
                    for rx, twin in PAIRS:
                        a, b = rx.match(t, k), twin.match(t, k)
                        assert (a and a.span()) == (b and b.span()), (t, k)
                        matched += a is not None
    assert matched > 100


def test_no_letter_of_the_patterns_outside_ascii_matches_an_ascii_character() -> None:
    """What makes the twins exact on ASCII text: a non-ASCII letter of the patterns (``ß``, ``í``,
    ``º``) could only meet ASCII text through case folding (as U+017F, the long s, meets ``s``), in either engine."""
    others = {c for rx, _ in PAIRS for c in rx.pattern if ord(c) > 127} | {"\u2019"}
    assert others  # the patterns do hold some
    ascii_chars = [chr(i) for i in range(128)]
    for c in others:
        for flags in (0, re.IGNORECASE):
            r1 = re.compile(re.escape(c), flags)
            r2 = regex.compile(regex.escape(c), flags | regex.VERSION0)
            assert not any(r1.fullmatch(a) or r2.fullmatch(a) for a in ascii_chars), c


def test_twin_refuses_what_it_cannot_translate() -> None:
    with pytest.raises(ValueError):
        _addresses._ascii_twin(regex.compile(r"\p{N}+"))
    with pytest.raises(ValueError):
        _addresses._ascii_twin(regex.compile(r"[^\p{L}]"))
    with pytest.raises(ValueError):
        _addresses._ascii_twin(regex.compile(r"abc", regex.IGNORECASE))
    assert _addresses._ascii_twin(regex.compile(r"\p{Lu}[\p{L}']*")).fullmatch("O'Brien")


def _unit_reference(text: str, s: int) -> int:
    u = _addresses._UNIT_BEFORE.search(text, max(0, s - 24), s)
    return u.start() if u is not None else s


_UNIT_BITS = _pieces(
    "Flat", "flat", "FLAT", "Apt", "apartment", "Unit", "Suite", "Ste", "studio", "Level", "floor", "Room", "Lot",
    "plot", "Shop", "House No", "h.no", "H No", "hno", "\u017ftudio", "\u212a", "\u00e9", " ", "  ", "\t", "\n",
    ",", ".", "3", "12", "4B", "a", "x", "no", "12 Baker Street", "-",
)


@settings(max_examples=700, deadline=None)
@given(_UNIT_BITS)
def test_unit_before_as_the_pattern(text: str) -> None:
    for s in range(len(text) + 1):
        assert _addresses._unit_before(text, s) == _unit_reference(text, s), (text, s)


def test_unit_before_on_the_corpora() -> None:
    found = 0
    for text in _corpus():
        for t in (text, text.upper()):
            for s in range(len(t)):
                if t[s].isdigit() and (s == 0 or not t[s - 1].isdigit()):
                    got = _addresses._unit_before(t, s)
                    assert got == _unit_reference(t, s), (t, s)
                    found += got != s
    assert found > 0


# what `NUMBER_AFTER` reads before a number: street words before the name (in three cases),
# particles, one-word compounds (and the "ring" that guards no letter before it), "no."/"nº"
_AFTER_BITS = _pieces(
    "Calle ", "CALLE ", "Mayor ", "C/ ", "de la ", "de los ", "von ", "Via ", "Roma ", "ul. ", "Ul. ", "Dluga ", "An der ",
    "Rua ", "Am ", "Av. ", "Avda. ", "Rambla ", "Kerkstraat", "Hauptstrasse", "STRASSE", "Frankfurter ", "Allee",
    "Str.", "Gasse", "Platz", "Kaiserring", "Offering", "oring", "Ring", "RING", "Hof", "weg", "Weg", "xStrasse", "er ",
    "O'Neil", ", ", ",", " ", "  ", "\t", "\n", "no. ", "no ", "nO ", "n. ", "x", "a", "E", "N", "AB", "1", ".", "-", "'",
)


def _after_reference(window: str) -> int:
    b = _addresses.NUMBER_AFTER.search(window)
    return -1 if b is None else b.start()


@settings(max_examples=800, deadline=None)
@given(_AFTER_BITS)
def test_number_after_mirror_finds_the_reverse_pattern_start(window: str) -> None:
    assert _addresses._after_start(window) == _after_reference(window), window


def test_number_after_mirror_on_the_corpora() -> None:
    found = 0
    for text in _corpus():
        for t in (text, text.upper(), text.lower()):
            for s in range(1, len(t)):
                if t[s].isdigit() and not t[s - 1].isdigit():
                    window = t[max(0, s - 48):s]
                    got = _addresses._after_start(window)
                    assert got == _after_reference(window), window
                    found += got >= 0
    assert found > 50
    # the reference's own reading, kept: the look-behind guards only the first compound alternative
    assert _addresses._after_start("xKaiserring ") == _after_reference("xKaiserring ") == 1
    assert _addresses._after_start("xHauptstrasse ") == _after_reference("xHauptstrasse ") == -1


_STATE_BITS = _pieces(
    "Springfield", "New George", "Port Jesse", ", ", ",", " ", "  ", "\t", "\n", ".", "IL", "NY", "NSW", "BC", "Il",
    "ILL", "X", "a", "1", "Qc", "QC", "WA", "D.C.", "-",
)


@settings(max_examples=400, deadline=None)
@given(_STATE_BITS)
def test_state_before_never_rules_out_a_city_and_state(window: str) -> None:
    if _addresses._CITY_STATE.search(window) is not None:
        assert _addresses._state_before(window), window


def test_state_before_on_the_corpora() -> None:
    ruled_out = 0
    for window in _windows_before_numbers():
        if not _addresses._state_before(window):
            ruled_out += 1
            assert _addresses._CITY_STATE.search(window) is None, window
    assert ruled_out > 0
    assert _addresses._state_before("Springfield, IL ") and not _addresses._state_before("see ISBN ")
