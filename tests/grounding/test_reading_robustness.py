"""The claim reader and the index on awkward text: generated numeric text never raises, case folding
that changes a text's length moves no offset, a range is checked end to end, and figures written
in words (counts, "three point five per cent") are read as what they say or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._claims import extract, grammar, word_claims
from guardwrap._claimtext import lower_same_length
from guardwrap._context import CallContext

GRAMMARS = [grammar(loc) for loc in ("en-GB", "en-US", "de-DE")]

# digits, separators, units, number words, range words and magnitudes: what figures are made of
_PIECES = [*"0123456789", "0", "00", "5", "10", "1,000", "1.000", "2026", "9" * 30, "1" * 25, "9" * 5000, ".", ",", "-",
           "/", ":", " ", " ", "+", "(", ")", "%", "\u00a3", "$", "\u20ac", "\u2013", " days", " day", " working days",
           " weeks", " months", " years", " hours", " mins", " pounds", " p", "p", " pence", " GBP", " EUR",
           " per cent", " percent", " pct", " bps", " basis points", " percentage points", "k", "m", "bn",
           " thousand", " million", " to ", " and ", "between ", " a month", " per year", " p.a.", " APR", " AER",
           "st", "th", " March", "Mar ", " of ", "am", "pm", " AM", "zero", "one", "two", "three", "four", "five",
           "ten", "twelve", "twenty", "thirty-five", "hundred", " and a half", " point ", "point ", "nought",
           " withdrawals", " free", "\u0130", "\u0663", "x", "E", "e"]
numeric_text = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)
VALIDATOR = gw.Grounded()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numeric_text, numeric_text, st.sampled_from(GRAMMARS))
def test_the_reader_and_the_index_never_raise_on_numeric_text(text: str, other: str, g: object) -> None:
    claims = extract(text, g)  # type: ignore[arg-type]
    for c in claims:
        assert 0 <= c.start <= c.end <= len(text)
    word_claims(text, g)  # type: ignore[arg-type]
    VALIDATOR.claims(text)
    # against itself (every claim has a place to be found) and against other numeric text
    for sources in ([("self", text)], [("other", other), ("self", text)]):
        VALIDATOR.check(text, CallContext("robust", gw.Context(sources=sources)))


@pytest.mark.parametrize("text", ["5-0 days", "0-0 weeks", "1 to 0 years", "between 0 and 0 months"])
def test_ranges_to_zero_are_read_and_found(text: str) -> None:
    for g in GRAMMARS:
        assert extract(text, g)
    r = VALIDATOR.check(text, CallContext("robust", gw.Context(sources=[text])))
    assert r is None or r.passed


@pytest.mark.parametrize("text", ["999999999999999999999999999999 days.0", "1" * 5000 + " days", "\u00a3" + "9" * 5000,
                                  "9" * 5000 + "%", "9" * 4400 + ".5 days"])
def test_figures_longer_than_the_decimal_context_do_not_raise(text: str) -> None:
    for g in GRAMMARS:
        extract(text, g)
    VALIDATOR.check(text, CallContext("robust", gw.Context(sources=[text])))


def test_a_range_to_zero_keeps_its_unit() -> None:
    first, second = extract("It takes 1-0 weeks", GRAMMARS[0])
    assert (first.kind, first.value, first.unit) == ("duration", Decimal(7), "day")
    assert (second.kind, second.value, second.unit) == ("duration", Decimal(0), "day")


# -- case folding that changes length ----------------------------------------------------------------


@settings(max_examples=500)
@given(st.text(alphabet="I\u0130i\u0131a Bz\u00df\u1e9e\u03a3\u212a", max_size=30))
def test_lower_same_length_keeps_offsets(text: str) -> None:
    low = lower_same_length(text)
    assert len(low) == len(text)
    if len(text.lower()) == len(text):
        assert low == text.lower()  # final sigma and all: what lower() gives
    else:
        assert low == "".join(c.lower()[0] for c in text)


_FOLD_PIECES = ["\u0130", "\u0130stanbul", " ", "five pounds", "ten days", "Five Pounds", "two weeks", "four withdrawals",
                "Easy Saver", "EASY SAVER", ". ", "\u00a335", "3.5%"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FOLD_PIECES), max_size=12).map("".join))
def test_number_words_after_a_dotted_capital_i_are_read_where_they_are(text: str) -> None:
    """U+0130 lower-cases to two characters: the words' offsets must still be the text's."""
    plain = text.replace("\u0130", "I")  # same length, no special case folding
    for g in GRAMMARS[:1]:
        got = [(c.kind, c.start, c.end, c.value, c.unit) for c in word_claims(text, g)]
        assert got == [(c.kind, c.start, c.end, c.value, c.unit) for c in word_claims(plain, g)]


def test_a_dotted_capital_i_before_number_words_reads_them() -> None:
    text = "\u0130" * 20 + " the fee is five pounds"
    (c,) = word_claims(text, GRAMMARS[0])
    assert text[c.start:c.end] == "five pounds"


def test_names_are_found_in_the_source_they_are_in_when_a_source_folds_longer() -> None:
    """Case-insensitive name lookups must attribute a hit to the source holding it: lower-casing a
    source with U+0130 in it must not move the hit into the next source."""
    from guardwrap._sources import SourceIndex

    g = GRAMMARS[0]
    sources = [("a", "\u0130" * 40 + " x"), ("b", "Our easy saver account pays well.")]
    index = SourceIndex(sources, g)
    (name,) = [c for c in gw.Grounded().claims("The Easy Saver account.") if c.kind == "entity"]
    assert index.supports(name, frozenset({1}))
    assert not SourceIndex(sources, g).supports(name, frozenset({0}))


# -- ranges --------------------------------------------------------------------------------------------


def _check(answer: str, source: str) -> list[str]:
    guard = gw.Guard("ranges", output=[gw.Grounded(action="block")])
    d = guard.check(answer, stage="output", context=gw.Context(sources=[("doc", source)]))
    return [answer[f.start:f.end] for f in d.findings]


@pytest.mark.parametrize(("answer", "source"), [
    ("Transfers take 5-10 working days.", "International transfers take 5-10 working days."),
    ("The fee is 5-10%.", "Fee: 5-10% of the amount."),
    ("The fee is 5 - 10%.", "Fee: 5-10% of the amount."),
    ("It takes 5 to 10 days.", "It takes 5-10 days."),
    ("It takes 5-10 days.", "It takes 5 to 10 days."),
    ("Terms run 1 to 7 years.", "Terms from 1 to 7 years."),
    ("Rates of 3.5-4.25% AER apply.", "Rates of 3.5-4.25% AER apply."),
    ("Fees of \u00a310-\u00a320 apply.", "Fees of \u00a310-\u00a320 apply."),
    ("A card costs 5-10 pounds.", "A card costs 5-10 pounds."),
    ("Allow 2-3 weeks.", "Allow 2-3 weeks for delivery."),
])
def test_a_range_the_sources_state_is_supported_at_both_ends(answer: str, source: str) -> None:
    assert _check(answer, source) == []


@pytest.mark.parametrize(("answer", "source", "flagged"), [
    ("Transfers take 6-10 working days.", "Transfers take 5-10 working days.", "6"),
    ("Transfers take 5-12 working days.", "Transfers take 5-10 working days.", "12 working days"),
    ("The fee is 5-12%.", "Fee: 5-10%.", "12%"),
    ("The fee is 4-10%.", "Fee: 5-10%.", "4"),
    ("It takes 5-10 weeks.", "It takes 5-10 days.", "5"),
    ("The fee is 5-10%.", "The fee is 5 pounds, or 10%.", "5"),  # a 5 that is no percentage
])
def test_a_changed_end_of_a_range_is_flagged_where_it_is(answer: str, source: str, flagged: str) -> None:
    assert flagged in _check(answer, source)


# -- figures in words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "source", "flagged"), [
    ("You can make four withdrawals a month.", "Up to 4 withdrawals a month are free.", []),
    ("You can make four withdrawals a month.", "Up to four withdrawals a month are free.", []),
    ("You can make four withdrawals a month.", "Up to 6 withdrawals a month are free.", ["four"]),
    ("You get three free transfers a year.", "3 free transfers a year.", []),
    ("You get three free transfers a year.", "2 free transfers a year.", ["three"]),
    ("It pays three point five per cent.", "Rate: 3.5% AER.", []),
    ("It pays three point five per cent.", "Rate: 3.50% AER.", []),
    ("It pays three point five per cent.", "Rate: 4.5% AER.", ["three point five per cent"]),
    ("It pays three point five per cent.", "Rate: 5% AER.", ["three point five per cent"]),
    ("It pays two point two five per cent.", "Rate: 2.25% AER.", []),
])
def test_figures_in_words_are_checked_as_the_figures_they_state(answer: str, source: str, flagged: list[str]) -> None:
    assert _check(answer, source) == flagged


@pytest.mark.parametrize(("text", "want"), [
    ("four withdrawals a month", [("number", "four", Decimal(4))]),
    ("three point five per cent", [("percent", "three point five per cent", Decimal("3.5"))]),
    ("twenty-one point zero five percent", [("percent", "twenty-one point zero five percent", Decimal("21.05"))]),
    ("nought point five per cent", []),  # not read as 5%
    ("point five per cent", []),
    ("one of our advisers will call", []),
    ("three simple steps", []),
    ("two of them", []),
    ("it is five", []),
    ("two million customers", []),
])
def test_how_number_words_are_read(text: str, want: list[tuple[str, str, Decimal]]) -> None:
    got = [(c.kind, text[c.start:c.end], c.value) for c in extract(text, GRAMMARS[0])]
    assert got == want
