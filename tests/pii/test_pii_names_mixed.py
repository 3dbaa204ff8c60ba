# ruff: noqa: RUF001
"""Person names in text that is not all ASCII: the C kernels take the stretches of ASCII lines
(`_names.ascii_stretches`), the lines holding other characters stay in Python. Whole findings of
`Names.scan` with the kernels against the pure-Python reference (``_names._K = None``), on
generated mixed-script text (accented, German, Polish, Turkish, Greek, Cyrillic, CJK names,
combining marks, apostrophes, hyphens) and on the realistic corpora.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import _names
from guardwrap.pii._layout import Doc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

needs_kernel = pytest.mark.skipif(_names._K is None, reason="guardwrap.pii._cscan is not built (or pure Python)")


@cache
def _names_detector() -> _names.Names:
    return _names.Names()


def _scan(text: str, kernel: object) -> list[tuple[int, int, str, float]]:
    saved = _names._K
    _names._K = kernel  # type: ignore[assignment]
    try:
        out: list[tuple[int, int, str, float]] = []
        _names_detector().scan(Doc(text), out)
        return out
    finally:
        _names._K = saved


def _agree(text: str) -> None:
    assert _scan(text, _names._K) == _scan(text, None), text


_MIXED_BITS = st.lists(st.sampled_from((
    "José ", "García", "Zoë ", "Müller", "Straße ", "Weiß", "Łukasz ", "Wałęsa", "Żaneta ", "Şahin", "İsmail ",
    "Yıldız", "ILIKIN", "Γιώργος ", "Παπαδόπουλος", "Дмитрий ", "Иванов", "王伟", "李 ", "Jose\u0301 ",
    "Rene\u0301e", "O’Brien", "D’Angelo", "Anne-Marie ", "Jean-Luc", "Smith", "John ", "Mary Jones", "Priya ",
    "Kwame Mensah", "Mr ", "Dr. ", "Frau ", "Hi ", "Dear ", "Name: ", "Customer: ", "Kind regards,\n",
    "Mit freundlichen Grüßen,\n", "Pozdrawiam,\n", "Bank ", "GmbH", "& ", "and Sons", ", John", "de la ",
    "van der ", "\n", "\n\n", " ", "\t", ",", ":", "(", "'", "-", ".", "|", "12", "€ ", "£50 ", "…", "—",
    "\u00a0", "\u2028", ":50K:/123\n", "applicant,ssn\n", "name,amount\n", "my name is ", "called ", " said ",
    "Regards,\n", "Thanks, ", "Müller GmbH", "Café ", "Ünal ", "ÉMILE ", "Ørsted", "Æsa ",
    "naïve,name,amt\n", "client;ref;€\n", "Zoë Smith,1,2\n", "John Smith,1,£2\n", "Mary Jones;7;9\n",
)), max_size=30).map("".join)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(_MIXED_BITS)
def test_names_in_mixed_script_text_as_the_python(text: str) -> None:
    _agree(text)


@settings(max_examples=500, deadline=None)
@given(_MIXED_BITS)
def test_ascii_stretches_cover_the_text_at_line_ends(text: str) -> None:
    pieces = _names.ascii_stretches(text)
    pos = 0
    for a, b, plain in pieces:
        if plain:
            assert text[a:b].translate(_names._TO_TILDE).isascii()
            assert a == 0 or text[a] == "\n"
            assert b == len(text) or text[b - 1] == "\n"
            pos = max(pos, b)
        else:
            assert not text[a:b].translate(_names._TO_TILDE).isascii() and "\n" not in text[a:b]
            assert a == 0 or text[a - 1] == "\n"
            assert b == len(text) or text[b] == "\n"
            pos = b + 1
    # every non-ASCII character is in a line piece; every line is in one piece
    covered = [False] * len(text)
    for a, b, _ in pieces:
        for i in range(a, b):
            covered[i] = True
    assert all(covered[i] or text[i] == "\n" for i in range(len(text)))


@needs_kernel
def test_names_on_the_corpora_with_other_characters() -> None:
    import pii_eval

    texts = ([d.text for d in pii_eval.build(80, 7)] + [d.text for d in pii_eval.build(80, 11)]
             + [d.text for d in pii_eval.build(80, 17, pii_eval.HELDOUT)])
    mixed = 0
    for text in texts:
        for t in (text, text.upper(), text.title(), "Zoë Müller\n" + text, text + "\nŁukasz Wałęsa",
                  text.replace("\n", "\nÉ\n", 3)):
            mixed += not t.isascii()
            _agree(t)
    assert mixed > 300


@needs_kernel
def test_judge_offsets_and_a_line_before_that_is_not_ascii() -> None:
    assert _names._K is not None
    nm = _names_detector()
    text = "Grüße,\nJohn Smith\nDear Mary Jones\n"
    doc = Doc(text)
    chunk_off = text.index("\n")  # the ASCII stretch starts at the newline ending the first line
    chunk = text[chunk_off:]
    spans = _names._K.seq_spans(chunk, _names._PARTS, _names._NO_SINGLE, _names._CUE_LAST_WORDS)
    assert spans
    first = _names._K.judge(chunk, *spans[0], doc, nm._cfg, chunk_off)
    assert first is NotImplemented  # "John Smith": the line before it is not ASCII
    for s, e in spans[1:]:
        assert _names._K.judge(chunk, s, e, doc, nm._cfg, chunk_off) == nm._judge(doc, s + chunk_off, e + chunk_off)
    _agree(text)


def test_neutral_characters_are_read_as_tilde_everywhere() -> None:
    import re
    import unicodedata

    import regex

    from guardwrap.pii import _addresses, _dates

    words = [*_names.STOP, *_names.TITLES, *_names.SALUTATIONS, *_names.AFTER_STOP, *_names.FIRMS,
             *_names.PERSON_VERBS, *_names.NAME_LABELS, *_names.INTROS, *_names.SIGNOFFS, *_names.ROLE_LABELS,
             *_addresses.STREET_WORDS, *_dates.MONTH, *_names._CUE_LAST_WORDS]
    assert len(set(_names.NEUTRAL)) == len(_names.NEUTRAL)
    for c in [*_names.NEUTRAL, "~"]:
        assert not (c.isalnum() or c.isspace() or c.isupper() or c.islower() or c.istitle()), hex(ord(c))
        assert c.lower() == c == c.upper() and c.casefold() == c, hex(ord(c))
        assert regex.match(r"[\p{L}\p{N}\p{M}_]", c) is None and re.match(r"\w", c) is None, hex(ord(c))
        assert re.match(r"(?i)[a-z]", c) is None and regex.match(r"(?i)[a-z]", c) is None, hex(ord(c))
        assert unicodedata.combining(c) == 0 and c not in "'\u2019\u2013-:=\"'>{([|)}],;/.!?&@" + "\n\t "
        assert not any(c in w for w in words), hex(ord(c))
        assert len(c.encode("utf-16-le")) == 2  # one code point, no surrogate pair


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from((
    "£", "€", "…", "—", "“", "”", "«", "»", "·", "\u200b", "\u00ad", "–", "’", "\u00a0", "José ", "John ", "Smith",
    "Mary Jones", "Dear ", "Name: ", "Thanks, ", "Kind regards,\n", "my name is ", "I'm ", "call me ",
    "this is ", "İ am ", "ſ", "\u212a", "priya ", "kwame mensah", "\n", " ", ":", ",", "12", "Mr ", "& ", "GmbH",
    "and Sons", ", John", "Customer: ", "name: ", "\t", "'", "-", ".", "Paid ", "Müller",
)), max_size=30).map("".join))
def test_neutral_characters_and_intros_as_the_python(text: str) -> None:
    _agree(text)


@needs_kernel
def test_long_lines_and_tables_next_to_lines_that_are_not_ascii() -> None:
    filler = "paid the fee on time and asked about it again " * 50  # > MAX_LINE (2048) without a newline
    names = "Dear John Smith, Kwame Mensah called. Name: Mary Jones. Regards,\nPriya Sharma"
    for text in (
        "Zoë Müller\n" + filler + names + " " + filler + names,
        filler + "José\n" + filler + " Mr Jan Kowalski " + filler,
        "Grüße,\n" + names + "\n—\n" + names + "\n\u2028\n" + names,
        "name,amount,city\nJosé García,12.00,Málaga\nJohn Smith,15.00,Leeds\n£,€,…\nMary Jones,1,York\n",
        "Kind regards,\n\n\nJohn Smith\nMit freundlichen Grüßen,\nJürgen Weiß\n£50 paid by Mary Jones\n",
    ):
        for t in (text, text.replace("\n", "\r\n"), text * 3):
            _agree(t)
