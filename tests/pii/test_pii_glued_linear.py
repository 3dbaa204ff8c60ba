"""Glued cards read each word once: `Detector._glued_card` finds what it found when every glued
number read its whole word (the reference below, the code before the change), on generated glued
text, the realistic corpora and long hostile words; and a long word full of glued card numbers
costs time linear in its length (no timing here: the number of characters read is counted)."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pii_native import _corpus  # tests/pii is on sys.path (rootdir-relative)

from guardwrap.pii import SUPPORTED_ENTITIES, _cards, _engine
from guardwrap.pii._engine import Detector
from guardwrap.pii._layout import Doc
from guardwrap.pii._resolve import Span


def _glued_card_reference(self: Detector, doc: Doc, s: int, e: int, out: list[Span]) -> int:
    text = doc.text
    ge = e - 1 if text[e - 1] == ")" else e
    seg = text[s:ge]
    seps = seg.translate(_engine._DIGITS_DEL)
    sep = seps[:1]
    if seps and (seps != sep * len(seps) or sep not in " -"):
        return e
    digits = seg.replace(sep, "") if sep else seg
    if not 13 <= len(digits) <= 19:
        return e
    shape = seg.translate(_engine._TO9)
    score = _cards.card(digits, shape, not seps, sep or None)
    if score is None:
        return e
    a = s
    while a and (text[a - 1].isalnum() or text[a - 1] == "_"):
        a -= 1
    b, n = ge, len(text)
    while b < n and (text[b].isalnum() or text[b] == "_"):
        b += 1
    if not seps and b - a >= 24 and not text[a:b].strip(_engine._HEX):
        return e
    if (not seps or shape not in _cards.CARD_SHAPES) and not (text[ge:b].lower().startswith(_engine._CARD_FIELDS)
                                                               or self._score("CREDIT_CARD", 0.0, self._pre(doc, s))[1] >= 0):
        return e
    out.append((s, ge, "CREDIT_CARD", score))
    return e


@cache
def _detectors() -> tuple[Detector, Detector, Detector, Detector]:
    new = Detector(SUPPORTED_ENTITIES, 0.5)
    saved = Detector._glued_card
    Detector._glued_card = _glued_card_reference  # type: ignore[method-assign]  # the kernel takes it at config
    try:
        old = Detector(SUPPORTED_ENTITIES, 0.5)
        old_py = Detector(SUPPORTED_ENTITIES, 0.5)
    finally:
        Detector._glued_card = saved  # type: ignore[method-assign]
    new_py = Detector(SUPPORTED_ENTITIES, 0.5)
    new_py._rcfg = None
    old_py._rcfg = None
    return new, old, new_py, old_py


def _same(text: str) -> None:
    new, old, new_py, old_py = _detectors()
    got = new.scan(text)
    assert got == old.scan(text), text[:200]
    if len(text) < 3000:
        saved = Detector._glued_card
        try:
            want_py = None
            Detector._glued_card = _glued_card_reference  # type: ignore[method-assign]
            want_py = old_py.scan(text)
        finally:
            Detector._glued_card = saved  # type: ignore[method-assign]
        assert new_py.scan(text) == want_py, text[:200]


_BITS = st.lists(st.sampled_from([
    "4111111111111111", "4111-1111-1111-1111", "4111 1111 1111 1111", "5555555555554444", "378282246310005",
    "4111111111111112", "12345", "9", "card", "CARD", "cc", "exp", "EXP", "cvv", "Security", "sec", "valid", "x",
    "deadbeef", "cafe", "abc", "g", "_", "-", " ", "  ", "\n", ".", ")", "(", "é", "\u0130", "\u00b2", "\u0663",
    "txn", "REF", "my card is", ": ",
]), max_size=16).map("".join)


@settings(max_examples=1200, deadline=None)
@given(_BITS)
def test_glued_cards_as_before(text: str) -> None:
    _same(text)


def test_glued_cards_on_the_corpora_and_hostile_words() -> None:
    for text in _corpus():
        _same(text)
    for unit in ("g4111111111111111", "a4111111111111111", "card4111111111111111exp ", "x4111-1111-1111-1111",
                 "deadbeef4111111111111111cafe", "4111111111111111_", "\u01304111111111111111exp", "A1"):
        for size in (60, 700, 2048):
            _same((unit * (size // len(unit) + 1))[:size])


def test_a_long_word_of_glued_cards_is_read_once() -> None:
    """The word around a glued number is found once and kept on the document: every later glued
    number in it gets the same answer without reading the word again (what keeps a 20 KB word of
    glued card numbers linear; it cost ~1.2 s before, against ~5 ms)."""
    for size in (2048, 20480):
        text = ("g4111111111111111" * (size // 17 + 1))[:size]
        doc = Doc(text)
        first = _engine._word_at(doc, 1)
        assert first == (0, size, False)
        for s in range(18, size - 16, 17):
            assert _engine._word_at(doc, s) is first
        assert _engine._word_at(Doc("ab 4111111111111111"), 3) == (3, 19, True)
        assert _engine._word_at(Doc("a_\u00e9\u01304111 x"), 4) == (0, 8, False)
