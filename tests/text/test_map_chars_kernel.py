"""The canonical view's character mapping in C (`_cfold.map_chars`) against its Python reference
(`_view._map_chars_py`): the same view and the same offsets entries, on texts mixing characters
the table keeps one for one, removes (zero-width, combining marks, tag characters) and expands
(ligatures, fractions), inside and past the BMP, with ASCII between them. A text that interleaves
a vanishing character with every letter once cost ~0.8 ms per 2 KB in Python (one step per run)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._text import _view
from guardwrap._text._align import Alignment
from guardwrap._text._chars import table

cf = _view._cf
pytestmark = pytest.mark.skipif(cf is None, reason="the C kernel is not built (or GUARDWRAP_PURE_PYTHON)")

_T = table()
_rng = random.Random(7)
_keys = sorted(_T)
_GONE = [chr(c) for c in _keys if _T[c] == ""]
_MORE = [chr(c) for c in _keys if len(_T[c]) > 1]
_SAME = [chr(c) for c in _keys if len(_T[c]) == 1]
PIECES = [*"ab 1.\n", "é", "日", "\u200b", "\ufb01", "\U000e0041", "\U0001d400", "\U0001f600", "\u0301",
          *_rng.sample(_GONE, 40), *_rng.sample(_MORE, 40), *_rng.sample(_SAME, 40),
          *[c for c in _GONE + _MORE if ord(c) > 0xFFFF][:20]]


def arrays(a: Alignment | None) -> object:
    if a is None or a is _view._SAME_LENGTH:
        return a
    return (list(a._vs), list(a._ve), list(a._os), list(a._oe), a.inner)


def same(text: str) -> None:
    ref = _view._map_chars_py(text, _T, None)
    got = _view._map_chars(text, _T, None)
    assert got[0] == ref[0]
    assert arrays(got[1]) == arrays(ref[1])
    # every view span maps back to the same original span
    for s in range(0, len(got[0]) + 1, 3):
        for e in (s, s + 1, s + 4):
            if e <= len(got[0]) and got[1] not in (None, _view._SAME_LENGTH):
                assert got[1].span(s, e) == ref[1].span(s, e)  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=50).map("".join))
def test_the_kernel_maps_as_the_python(text: str) -> None:
    same(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text(text: str) -> None:
    same(text)


def test_vanishing_characters_between_letters_and_an_inner_alignment() -> None:
    text = "i\u200bg\u200bn\u200bo\u200br\u200be " * 50
    view, align = _view._map_chars(text, _T, None)
    assert view == "ignore " * 50
    assert align is not None and align is not _view._SAME_LENGTH
    assert align.span(0, 6) == (0, 11)
    inner = Alignment()
    inner.add(0, 0, 0, 3)
    v2, a2 = _view._map_chars(text, _T, inner)
    assert v2 == view and a2 is not None and a2.inner is inner
    assert _view._map_chars("plain ascii", _T, inner) == ("plain ascii", inner)
    assert _view._map_chars("caf\u00e9", _T, None)[1] is _view._SAME_LENGTH


def test_bad_arguments_are_refused() -> None:
    index, texts, astral = _view._kernel_table()
    with pytest.raises(ValueError):
        cf.map_chars("x", b"\0" * 10, texts, astral)
    with pytest.raises(TypeError):
        cf.map_chars("x", index, list(texts), astral)
