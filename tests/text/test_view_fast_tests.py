"""The canonical view's quick tests against the regexes they stand in for.

`_view._has_control` must say what ``_CONTROL.search(text) is not None`` says, and the rewritten
`_SPACED_DIGITS` (its look-behind after the first digit) must find the same runs as the form with
the look-behind first, gated or not by `_digit_count_at_least`.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap._text import _view
from guardwrap._text._chars import CONTROLS

#: the spaced-digits pattern as written before (the reference)
OLD_SPACED_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9](?: [0-9]){6,}(?![0-9A-Za-z])")

PIECES = st.sampled_from(["1", "2", "0", "9", " ", "  ", "a", "Z", "_", "\n", "-", "٣", "1 2", " 3 4 5", "x1",
                          "é", "\x00", "\x1f", "\x7f", "\t", "\r", "\x0b", "\u200b", "\U0001f600", "12"])
texts = st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=200))


@settings(max_examples=500, deadline=None)
@given(texts)
def test_has_control_is_the_regex(text: str) -> None:
    assert _view._has_control(text) == (_view._CONTROL.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_spaced_digits_same_runs(text: str) -> None:
    want = [m.span() for m in OLD_SPACED_DIGITS.finditer(text)]
    assert [m.span() for m in _view._SPACED_DIGITS.finditer(text)] == want
    if want:  # the gate never hides a run
        assert _view._digit_count_at_least(text, 7)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 12))
def test_digit_count(text: str, n: int) -> None:
    assert _view._digit_count_at_least(text, n) == (sum(c in "0123456789" for c in text) >= n)


def test_examples() -> None:
    assert _view._has_control("a\x00b") and not _view._has_control("a\nb\tc\r")
    assert _view._has_control("é\x7f") and not _view._has_control("é\n")
    assert set(CONTROLS) & {"\n", "\t", "\r"} == set()
    s = "call 0 1 2 3 4 5 6 7 now, x1 2 3 4 5 6 7 8 not"
    assert [m.span() for m in _view._SPACED_DIGITS.finditer(s)] == [m.span() for m in OLD_SPACED_DIGITS.finditer(s)]
    assert [m.span() for m in _view._SPACED_DIGITS.finditer(s)] == [(5, 20), (29, 42)]


def _might_spell_email_reference(low: str) -> bool:
    return ("dot" in low or "at]" in low or "at)" in low or "at}" in low or "at>" in low
            or " @" in low or "@ " in low)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "t", "at", "]", ")", "}", ">", "@", " ", "do", "dot", "x", "é", "\n"]),
                max_size=40).map("".join))
def test_might_spell_email_is_the_reference(low: str) -> None:
    from guardwrap._text import _decode

    assert _decode.might_spell_email(low) == _might_spell_email_reference(low)
