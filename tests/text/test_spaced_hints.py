"""`maybe_spaced`'s cheap tests, written to start with a literal (fast), say what the original
``sep{1,3}c sep{1,3}c sep`` patterns say: whether a text is joined must not change."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._text._fold import _HINTS, maybe_spaced

_REFERENCE = tuple(
    (sep, re.compile(re.escape(sep) + "{1,3}[^\\W_]" + re.escape(sep) + "{1,3}[^\\W_]" + re.escape(sep)))
    for sep in " .-_*/|"
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" ._-*/|ab1é·\n", max_size=40))
def test_hints_match_where_the_reference_patterns_match(text: str) -> None:
    assert [sep for sep, _ in _HINTS] == [sep for sep, _ in _REFERENCE]
    for (_, fast), (_, ref) in zip(_HINTS, _REFERENCE, strict=True):
        assert (fast.search(text) is None) == (ref.search(text) is None)


def test_spaced_letters_still_found() -> None:
    assert maybe_spaced("please b y p a s s it")
    assert maybe_spaced("x b.y.p.a.s.s y")
    assert not maybe_spaced("an ordinary sentence, with a word or two.")
