"""Reading claims: each spelling of a fact normalises to the same kind, value, unit and role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guardwrap._claims import entities, extract, grammar
from guardwrap._claimtext import view

GB = grammar("en-GB")
US = grammar("en-US")
DE = grammar("de-DE")


def one(text: str, g=GB):
    v = view(text)[0]  # what the validator reads: ASCII digits, one kind of space and dash
    claims = extract(v, g)
    assert len(claims) == 1, [(c.kind, v[c.start:c.end]) for c in claims]
    return claims[0]


@pytest.mark.parametrize("text", [
    "a fee of £35", "a fee of £35.00", "a fee of 35 GBP", "a fee of GBP 35", "a fee of GBP35",
    "a fee of thirty-five pounds", "a fee of thirty five pounds", "a fee of 35 pounds sterling",
    "a fee of \uffe135", "a fee of £\uff13\uff15",  # full-width pound sign and digits
])
def test_amounts_in_pounds(text):
    c = one(text)
    assert (c.kind, c.value, c.unit) == ("money", Decimal(35), "GBP")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("$12.50", Decimal("12.50"), "USD"), ("US$12.50", Decimal("12.5"), "USD"), ("\u20ac1.500,00", Decimal(1500), "EUR"),
    ("35p", Decimal("0.35"), "GBP"), ("50 cents", Decimal("0.5"), "USD"), ("\u00a31.5m", Decimal(1500000), "GBP"),
    ("\u00a32 million", Decimal(2000000), "GBP"), ("\u00a310k", Decimal(10000), "GBP"), ("\u00a31,500", Decimal(1500), "GBP"),
    ("EUR 25", Decimal(25), "EUR"), ("25 euros", Decimal(25), "EUR"), ("C$40", Decimal(40), "CAD"),
])
def test_other_amounts(text, value, unit):
    c = one(text)
    assert (c.kind, c.value, c.unit) == ("money", value, unit)


def test_german_locale_reads_decimal_commas():
    c = one("Gebühr \u20ac1.500,00", DE)
    assert (c.kind, c.value, c.unit) == ("money", Decimal(1500), "EUR")
    assert one("3,5 %", DE).value == Decimal("3.5")
    assert one("\u20ac1,500.00", DE).value == Decimal(1500)  # unmistakably English
    assert one("\u20ac1,5", GB).value == Decimal(1)  # not 1.5 in English: ",5" is no decimal part


@pytest.mark.parametrize("text", ["3.5%", "3.50%", "3.5 per cent", "3.50 per cent", "3.5 percent", "3.5 pct",
                                  "three and a half per cent", "350 basis points"])
def test_percentages(text):
    c = one(text)
    assert (c.kind, c.value) == ("percent", Decimal("3.5"))


@pytest.mark.parametrize(("text", "role"), [
    ("3.5% AER", "aer"), ("3.5% APR", "apr"), ("Representative APR 19.9%", "apr"), ("AER: 3.5%", "aer"),
    ("annual equivalent rate of 3.5%", "aer"), ("3.45% gross", "gross"), ("3.5%", None),
    ("19.9% APR. Savings earn 3.5%", None),  # a role in an earlier sentence does not carry over
])
def test_rate_roles(text, role):
    c = extract(text, GB)[-1]
    assert c.kind == "percent" and c.role == role


@pytest.mark.parametrize(("text", "g", "value"), [
    ("1 March 2026", GB, (2026, 3, 1)), ("1st March 2026", GB, (2026, 3, 1)), ("1st of March, 2026", GB, (2026, 3, 1)),
    ("01/03/2026", GB, (2026, 3, 1)), ("1/3/26", GB, (2026, 3, 1)), ("2026-03-01", GB, (2026, 3, 1)),
    ("March 1, 2026", GB, (2026, 3, 1)), ("1 Mar 2026", GB, (2026, 3, 1)), ("01.03.2026", DE, (2026, 3, 1)),
    ("03/01/2026", US, (2026, 3, 1)), ("03/01/2026", GB, (2026, 1, 3)), ("March 2026", GB, (2026, 3, None)),
    ("5 April", GB, (None, 4, 5)), ("\u0660\u0661/\u0660\u0663/\u0662\u0660\u0662\u0666", GB, (2026, 3, 1)),
])
def test_dates(text, g, value):
    c = one(text, g)
    assert (c.kind, c.value) == ("date", value)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("14 days", 14, "day"), ("two weeks", 14, "day"), ("fourteen days", 14, "day"), ("a 14-day period", 14, "day"),
    ("2 years", 24, "month"), ("24 months", 24, "month"), ("5 working days", 5, "business-day"),
    ("24 hours", 1440, "minute"), ("a fortnight's notice and 1 fortnight", 14, "day"),
])
def test_durations(text, value, unit):
    c = extract(text, GB)[-1]
    assert (c.kind, c.value, c.unit) == ("duration", Decimal(value), unit)


@pytest.mark.parametrize(("text", "value"), [("9am", (9, 0)), ("9:00 a.m.", (9, 0)), ("17:30", (17, 30)),
                                             ("5.30pm", (17, 30)), ("12pm", (12, 0)), ("12 am", (0, 0))])
def test_times(text, value):
    assert (one(text).kind, one(text).value) == ("time", value)


@pytest.mark.parametrize(("text", "key"), [
    ("sort code 20-32-06", "203206"), ("call 0345 300 0000", "03453000000"), ("call +44 20 7946 0000", "442079460000"),
    ("product ISA24-X", "ISA24X"),
])
def test_codes(text, key):
    c = one(text)
    assert (c.kind, c.value) == ("code", key)


def test_periods_and_ranges():
    a = one("£5 a month")
    assert a.per == "month" and a.roles == frozenset()
    assert one("\u00a35 per year").per == "year"
    assert one("2% p.a.").per == "year"
    low, high = extract("between 3 and 5 working days", GB)
    assert (low.kind, low.value, low.unit) == ("duration", 3, "business-day")
    assert (high.kind, high.value) == ("duration", 5)
    low, high = extract("2-3 weeks", GB)
    assert (low.value, high.value) == (14, 21)
    low, high = extract("\u00a310 to 20", GB)
    assert (low.kind, high.kind, high.unit) == ("money", "money", "GBP")


@pytest.mark.parametrize(("text", "roles"), [
    ("The late payment fee is £12.", {"fee"}), ("a daily limit of £500", {"limit"}), ("up to £500", {"limit"}),
    ("a minimum deposit of £1", {"minimum"}), ("48 monthly repayments of £235.40", {"repayment"}),
    ("You can open it with £1.", set()), ("It costs £3. The limit is high.", {"fee"}),
])
def test_what_an_amount_is(text, roles):
    assert set(extract(text, GB)[-1].roles) == roles


@pytest.mark.parametrize("text", [
    "1. Open the app\n2. Tap Payments", "Step 2: confirm", "see https://bank.example/2026/fees-35",
    "write to help2@bank.example", "Your reference is <ACCOUNT_NUMBER_1>.", "We're open 24/7.",
    "Use 2FA and 4G.", "Option 3 is best.", "Here are 3 simple ways to save.", "There are 2 options:",
    "We're here 24 hours a day, 7 days a week.",
])
def test_numbers_that_are_not_claims(text):
    assert extract(text, GB) == []


def test_bare_numbers_years_and_ordinals():
    kinds = [(c.kind, c.value) for c in extract("You get 3 withdrawals in 2026 and your 2nd is free.", GB)]
    assert kinds == [("number", 3), ("number", 2026), ("number", 2)]


@pytest.mark.parametrize(("text", "names"), [
    ("The Easy Saver account pays well.", ["easy saver"]),
    ("Open a Fixed Rate Cash ISA today.", ["fixed rate cash isa"]),
    ("The Late Payment Fee applies.", ["late payment fee"]),
    ("Savings accounts pay interest.", []),  # the first word of a sentence, not a name
    ("Your account is open.", []),
    ("We offer the Premier Account and the Select Account.", ["premier account", "select account"]),
])
def test_product_and_fee_names(text, names):
    assert [c.value for c in entities(text)] == names


def test_view_maps_lookalikes_and_keeps_offsets():
    text = "fee\u200b \u00a3\u0663\u0665\u00a0\u2013 \u201crate\u201d"
    v, offsets = view(text)
    assert v == 'fee \u00a335 - "rate"'
    assert offsets is not None and text[slice(*offsets.span(4, 7))] == "\u00a3\u0663\u0665"
    assert view("plain ASCII")[1] is None and view("plain ASCII")[0] == "plain ASCII"


def test_sources_the_canonical_view_keeps_are_read_as_they_are():
    from guardwrap._claimtext import _KEPT, needs_view, source_view
    from guardwrap._text import plain

    # the shortcut holds only while the canonical view keeps these characters
    assert [c for c in _KEPT if plain(c) != c] == []
    assert needs_view("Fee: \u00a335 or \u20ac40, 3.5% AER.") == 0 and source_view("Fee: \u00a335.") == "Fee: \u00a335."
    assert needs_view("a \u00abquote\u00bb") == 1 and source_view("a \u00abquote\u00bb") == 'a "quote"'
    assert needs_view("Caf\u00e9 Saver") == 2 and source_view("Caf\u00e9 Saver") == "Cafe Saver"
    assert source_view("\u201cquoted\u201d \u20ac5 \u0663") == '"quoted" \u20ac5 3'
