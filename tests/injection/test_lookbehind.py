"""`_lookbehind.not_after`: negative lookbehinds grouped by width match exactly where the chain of
single lookbehinds they replace matches (the signal patterns of round 13 hold chains of 100+)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.injection._lookbehind import not_after

ALTS = [r"\basks you to ", r"\btells it to ", "my [a-z ]{3} is ", "s' ", r"\ba ", "is there a ", r"\bmy [\w' -]{5} was "]


def chain(alts: list[str]) -> str:
    return "".join(f"(?<!{a})" for a in alts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["asks", "you", "to", "tells", "it", "my", "car", "is", "was", "a", "there",
                                 "s'", "x", "mode", "kindle"]), max_size=12),
       st.lists(st.sampled_from(ALTS), min_size=1, max_size=len(ALTS), unique=True))
def test_grouped_lookbehinds_match_where_the_chain_matches(words: list[str], alts: list[str]) -> None:
    text = " ".join([*words, "mode"])
    grouped = re.compile(not_after(alts) + r"\bmode\b")
    single = re.compile(chain(alts) + r"\bmode\b")
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in single.finditer(text)]


def test_one_lookbehind_per_width() -> None:
    out = not_after(["ab ", "cd ", "efg ", "ab "])
    assert out == "(?<!ab |cd )(?<!efg )"


def test_a_variable_width_is_refused() -> None:
    with pytest.raises(ValueError, match="fixed width"):
        not_after(["a+ "])
