"""The written-month date patterns' ASCII twins (stdlib `re`, asked by `_dates.written_date` when
the text is ASCII) match what the `regex` patterns match: generated date-like text (hypothesis),
the realistic corpora in three cases at every position, and `written_date` itself against a
reference that asks the `regex` patterns only."""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pii_native import _corpus  # tests/pii is on sys.path (rootdir-relative)

from guardwrap.pii import _dates

PAIRS = ((_dates.DAY_FIRST, _dates.DAY_FIRST_ASCII), (_dates.MONTH_FIRST, _dates.MONTH_FIRST_ASCII))


def _plain(rx: regex.Pattern[str]) -> regex.Pattern[str]:
    """``rx`` with the month words as the plain alternation it had before the trie."""
    assert _dates._MONTH_ALT in rx.pattern
    return regex.compile(rx.pattern.replace(_dates._MONTH_ALT, _dates.MONTH_ALT_PLAIN), rx.flags)


#: (the patterns with the month trie, as first written with the alternation): both engines
TRIES = [(rx, _plain(rx)) for rx, _ in PAIRS] + [
    (twin, re.compile(_plain(rx).pattern, re.IGNORECASE)) for rx, twin in PAIRS]

_BITS = st.lists(st.sampled_from([
    "1", "03", "10", "31", "32", "1st", "2nd", "3RD", "21st", "of", " of", "Jan", "JAN", "january", "Januar", "Sept",
    "sep", "Dec", "dez", "marz", "maerz", "mars", "mrz", "Okt", "août", "fev", "may", "mayo", "ju", "jui", "1944",
    "1998", "'61", "61", "2026", "20", "19", " ", "-", "/", ".", ",", ". ", ", ", "  ", "\n", "x", "a", "Z", "9",
    "\u017f", "\u212a",
]), max_size=14).map("".join)


def _same(text: str) -> None:
    for rx, ref in TRIES:
        if isinstance(rx, re.Pattern) and not text.isascii():
            continue
        for k in range(len(text) + 1):
            a, b = rx.match(text, k), ref.match(text, k)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (text, k)
    if not text.isascii():
        return
    for rx, twin in PAIRS:
        for k in range(len(text) + 1):
            a, b = rx.match(text, k), twin.match(text, k)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (text, k)


def _written_date_reference(text: str, s: int, e: int) -> tuple[int, int, float] | None:
    saved = _dates.DAY_FIRST_ASCII, _dates.MONTH_FIRST_ASCII
    _dates.DAY_FIRST_ASCII, _dates.MONTH_FIRST_ASCII = _dates.DAY_FIRST, _dates.MONTH_FIRST  # type: ignore[assignment]
    try:
        return _dates.written_date(text, s, e)
    finally:
        _dates.DAY_FIRST_ASCII, _dates.MONTH_FIRST_ASCII = saved


@settings(max_examples=800, deadline=None)
@given(_BITS)
def test_twins_match_as_the_regex_patterns(text: str) -> None:
    _same(text)
    _same(text.upper())
    for m in re.finditer(r"[0-9]+", text):
        assert _dates.written_date(text, m.start(), m.end()) == _written_date_reference(text, m.start(), m.end())


def test_twins_on_the_corpora() -> None:
    found = 0
    for text in _corpus():
        for t in (text, text.upper(), text.lower()):
            _same(t)
            for m in re.finditer(r"[0-9]+", t):
                got = _dates.written_date(t, m.start(), m.end())
                assert got == _written_date_reference(t, m.start(), m.end()), (t, m.start())
                found += got is not None
    assert found > 20


def test_no_month_word_is_a_prefix_of_another_before_a_separator() -> None:
    words = sorted(_dates.MONTH)
    assert all(w.isalpha() for w in words)  # the separators after a month are not letters
    assert re.fullmatch(f"(?:{_dates._MONTH_ALT})", "septembre") and not re.fullmatch(f"(?:{_dates._MONTH_ALT})", "septe")


def test_no_letter_of_the_patterns_outside_ascii_meets_an_ascii_character() -> None:
    others = {c for rx, _ in PAIRS for c in rx.pattern if ord(c) > 127}
    assert others  # "märz", "février", "août", "décembre"
    ascii_chars = [chr(i) for i in range(128)]
    for c in others:
        r1 = re.compile(re.escape(c), re.IGNORECASE)
        r2 = regex.compile(regex.escape(c), regex.IGNORECASE | regex.VERSION0)
        assert not any(r1.fullmatch(a) or r2.fullmatch(a) for a in ascii_chars), c
