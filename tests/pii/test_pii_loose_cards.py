"""Payment cards whose groups are joined by separators people type but digit runs do not join
("4111*1111*1111*1111", "4111 - 1111 - 1111 - 1111", "[4111][1111][1111][1111]"): found when the
number validates and is grouped as cards are printed; with a column separator only beside a card
word, as a row of numbers is not a card."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap.pii._cards import card_issuer_ok, luhn

GUARD = gw.Guard(name="loose-cards", input=[gw.PII(action="redact")], output=[gw.PII(action="redact")])


def redacted(text: str) -> str:
    return GUARD.check(text, stage="input").text


@pytest.mark.parametrize(("text", "out"), [
    ("card 4111*1111*1111*1111", "card <CREDIT_CARD>"),
    ("4111 - 1111 - 1111 - 1111 exp 12/26", "<CREDIT_CARD> exp 12/26"),
    ('card "4111" "1111" "1111" "1111"', 'card "<CREDIT_CARD>"'),
    ("card [4111][1111][1111][1111]", "card [<CREDIT_CARD>]"),
    ("4111+1111+1111+1111", "<CREDIT_CARD>"),
    ("amex 3782*822463*10005", "amex <CREDIT_CARD>"),
    ("card no: 5555|5555|5555|4444", "card no: <CREDIT_CARD>"),
    ("visa 4111,1111,1111,1111", "visa <CREDIT_CARD>"),
    ("4111;1111;1111;1111;cvv 123", "<CREDIT_CARD>;cvv 123"),
])
def test_cards_in_odd_separators_are_found(text: str, out: str) -> None:
    assert redacted(text) == out


@pytest.mark.parametrize("text", [
    "4111,1111,1111,1111",  # a row of numbers, no card word
    "q1|q2\n4111|1111|1111|1111",
    "totals 2300,2400,2500,2600",
    "2024:2025:2026:2027",
    "4111*1111*1111*1112",  # Luhn fails
    "4111*11111*111*1111",  # not a card's grouping
    "1234 - 5678 - 9012 - 3456",  # no issuer
])
def test_numbers_that_are_not_cards_stay(text: str) -> None:
    assert redacted(text) == text


def _card(body: str) -> str:
    """``body`` with the Luhn check digit that makes it a card number."""
    return next(body + c for c in "0123456789" if luhn(body + c))


SEPS = ["*", " - ", "+", "~", " * ", '" "', "][", "#", "=", ":"]


@given(st.text(alphabet="0123456789", min_size=14, max_size=14), st.sampled_from(SEPS),
       st.sampled_from(["", "my card ", "pay with "]))
@settings(max_examples=200)
def test_any_visa_in_any_odd_separator_is_redacted(body: str, sep: str, before: str) -> None:
    digits = _card("4" + body)
    assert card_issuer_ok(digits) and luhn(digits)
    written = sep.join(digits[i:i + 4] for i in range(0, 16, 4))
    out = redacted(before + written + " thanks")
    assert "<CREDIT_CARD>" in out
    assert not any(digits[i:i + 4] in out for i in range(0, 16, 4))


@given(st.text(alphabet="0123456789", min_size=14, max_size=14), st.sampled_from(SEPS),
       st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=20))
@settings(max_examples=80, deadline=None)
def test_a_stream_lets_no_group_of_such_a_card_out(body: str, sep: str, sizes: list[int]) -> None:
    digits = _card("4" + body)
    text = "Your card is " + sep.join(digits[i:i + 4] for i in range(0, 16, 4)) + " and that is all."
    chunks, pos, i = [], 0, 0
    while pos < len(text):
        chunks.append(text[pos:pos + sizes[i % len(sizes)]])
        pos += sizes[i % len(sizes)]
        i += 1

    @GUARD.wrap
    def stream(prompt: str):  # type: ignore[no-untyped-def]
        yield from chunks

    out = "".join(stream("hi"))
    assert out == GUARD.check(text, stage="output").text
    assert "<CREDIT_CARD>" in out
