"""A payment card glued to letters is still a card: dropping a space must not carry it to the model.

Digits glued to a word are otherwise no number entity ("A17", "12kg", a hash); a validated card is
the exception, with two guards against over-redaction: plain digits inside a long hexadecimal
string are not a card, and digits not in a card's grouping need a card word before them or a card
field glued after them (a reference such as "TXN20261130123456" is digits glued to letters too).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pii_properties import _luhn_digit, cards  # tests/pii is on sys.path (rootdir-relative)

import guardwrap as gw
from guardwrap.pii import _engine, _layout
from guardwrap.pii._engine import _K, Detector

PII = gw.PII()


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start:f.end]) for f in PII.detect(text)]


@pytest.mark.parametrize(("text", "card"), [
    ("card4111111111111111", "4111111111111111"),
    ("cc4111111111111111", "4111111111111111"),
    ("card_4111111111111111", "4111111111111111"),
    ("my card is4111111111111111", "4111111111111111"),
    ("card 4111111111111111exp 12/26", "4111111111111111"),
    ("card no:4111-1111-1111-1111exp 12/26", "4111-1111-1111-1111"),
    ("4111 1111 1111 1111abc", "4111 1111 1111 1111"),
    ("pay with 5555-5555-5555-4444CVV 123", "5555-5555-5555-4444"),
    ("4111111111111111cvv123", "4111111111111111"),
    ("amex3782 822463 10005", "3782 822463 10005"),
])
def test_a_card_glued_to_letters_is_found(text: str, card: str) -> None:
    assert ("CREDIT_CARD", card) in _found(text)


@pytest.mark.parametrize("text", [
    "TXN20261130123456",  # a reference: Luhn-valid digits in a Mastercard range, no card word
    "ORD4111111111111111",
    "x4111111111111111",
    "sha deadbeef4111111111111111cafe",  # digits inside a hash
    "a3f9c2e14111111111111111b7d2e9f1c3a4",
    "card4111111111111112",  # fails Luhn
])
def test_glued_digits_that_are_not_a_card(text: str) -> None:
    assert not [f for f in _found(text) if f[0] == "CREDIT_CARD"]


def test_the_input_guard_redacts_a_glued_card() -> None:
    guard = gw.Guard(input=[gw.PII(action="redact")])
    out = guard.check("Please charge card4111111111111111exp1226 today").text
    assert "4111" not in out and "<CREDIT_CARD>" in out


_CARD_WORDS = st.sampled_from(["card", "cc", "visa", "card no:", "debit card ", "card_", "Card#"])
_FIELDS = st.sampled_from(["exp", "EXP", "cvv", "cvc", "valid", "exp12/26", "cvv 123"])


@settings(max_examples=80, deadline=None)
@given(card=cards(), pre=_CARD_WORDS, post=st.one_of(st.just(""), _FIELDS))
def test_any_valid_card_after_a_card_word_is_found_glued(card: str, pre: str, post: str) -> None:
    text = f"{pre}{card}{post}"
    assert ("CREDIT_CARD", card) in _found(text)


@st.composite
def _references(draw) -> str:
    """Digits glued after a code word with no card meaning, Luhn-valid on purpose."""
    prefix = draw(st.sampled_from(["TXN", "ORD", "REF", "INV", "ID", "N", "acct", "X"]))
    body = draw(st.sampled_from(["4", "51", "2221", "37", "6011", "35"])) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=11, max_size=14)))
    return f"{prefix}{body}{_luhn_digit(body)}"


@settings(max_examples=80, deadline=None)
@given(ref=_references(), sep=st.sampled_from([" ", ", ", "\n", " ref "]))
def test_plain_digits_glued_to_a_code_word_are_not_a_card(ref: str, sep: str) -> None:
    assert not [f for f in _found(f"Reference{sep}{ref} was settled") if f[0] == "CREDIT_CARD"]


@pytest.mark.skipif(_K is None, reason="guardwrap.pii._cscan is not built")
@settings(max_examples=100, deadline=None)
@given(card=cards(), pre=st.one_of(_CARD_WORDS, st.sampled_from(["x", "TXN", "deadbeef", "_", ""])),
       post=st.one_of(st.just(""), _FIELDS, st.sampled_from(["abc", "x9", ")", "kg"])))
def test_the_kernel_and_the_reference_agree_on_glued_runs(card: str, pre: str, post: str) -> None:
    fast = Detector(("CREDIT_CARD", "PHONE_NUMBER", "US_SSN"), 0.5)
    ref = Detector(("CREDIT_CARD", "PHONE_NUMBER", "US_SSN"), 0.5)
    ref._rcfg = None
    text = f"{pre}{card}{post}"
    assert fast.scan(text) == ref.scan(text)



class _Unremembered(_layout.Doc):
    """A `Doc` that remembers no glued card and no card context (the engine before it did)."""

    card = property(lambda self: None, lambda self, value: None)  # type: ignore[assignment]
    cue = property(lambda self: None, lambda self, value: None)  # type: ignore[assignment]


@settings(max_examples=60, deadline=None)
@given(units=st.lists(st.tuples(st.sampled_from(["g", "x", "card", "cc", "ref", "_", " ", "-"]), cards(),
                                st.sampled_from(["", "exp", "cvv", "kg"])), min_size=1, max_size=12),
       lead=st.sampled_from(["", "my card ", "TXN ", "pay with "]))
def test_numbers_glued_in_one_long_word_are_each_judged_as_if_alone(units, lead) -> None:
    """A word of glued numbers ("g4111...g4111...", the same number again and again, or several)
    is read number by number: remembering the last number's validation and the last context read
    (what makes such a word cheap) finds exactly what reading each afresh finds."""
    text = lead + "".join(w + c + f for w, c, f in units)
    got = PII.detect(text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_engine, "Doc", _Unremembered)
        want = PII.detect(text)
    assert [(f.entity_type, f.start, f.end, f.score) for f in got] == \
        [(f.entity_type, f.start, f.end, f.score) for f in want]
