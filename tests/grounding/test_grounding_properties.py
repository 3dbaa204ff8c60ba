"""Properties: every spelling of a figure reads the same; a faithful restatement passes and a
changed figure fails, whatever the figure and however either side writes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._claims import extract, grammar
from guardwrap._claimtext import view

GB, US = grammar("en-GB"), grammar("en-US")
SYMBOL = {"GBP": "\u00a3", "USD": "$", "EUR": "\u20ac"}
WORD = {"GBP": "pounds", "USD": "dollars", "EUR": "euros"}
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

amounts = st.builds(lambda cents: Decimal(cents) / 100, st.integers(min_value=100, max_value=99_999_999))
currencies = st.sampled_from(["GBP", "USD", "EUR"])
rates = st.builds(lambda bp: Decimal(bp) / 100, st.integers(min_value=1, max_value=9999))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def words(n: int) -> str:
    return ONES[n] if n < 20 else TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])


def money_forms(v: Decimal, cur: str) -> list[str]:
    whole = v == v.to_integral_value()
    plain = f"{int(v):,}" if whole else f"{v:,.2f}"
    forms = [f"{SYMBOL[cur]}{plain}", f"{SYMBOL[cur]}{v:,.2f}", f"{plain} {cur}", f"{cur} {plain}",
             f"{SYMBOL[cur]}{plain.replace(',', '')}", f"{plain} {WORD[cur]}"]
    if whole and 1 < v < 100:
        forms.append(f"{words(int(v))} {WORD[cur]}")
    return forms


def percent_forms(v: Decimal) -> list[str]:
    text = f"{v.normalize():f}"
    return [f"{text}%", f"{text} per cent", f"{text} percent", f"{v:.2f}%", f"{text} %"]


def date_forms(d: dt.date) -> list[tuple[str, object]]:
    m = MONTHS[d.month - 1]
    return [(f"{d.day} {m} {d.year}", GB), (f"{d.day:02d}/{d.month:02d}/{d.year}", GB), (f"{m} {d.day}, {d.year}", GB),
            (f"{d.year}-{d.month:02d}-{d.day:02d}", GB), (f"{d.month:02d}/{d.day:02d}/{d.year}", US),
            (f"{d.day} {m[:3]} {d.year}", GB), (f"{d.day}.{d.month}.{d.year}", GB)]


def read(text: str, g=GB):
    v = view(text)[0]
    claims = extract(v, g)
    assert len(claims) == 1, (text, [(c.kind, v[c.start:c.end]) for c in claims])
    return claims[0]


@settings(max_examples=150, deadline=None)
@given(amounts, currencies, st.data())
def test_every_spelling_of_an_amount_reads_the_same(v, cur, data):
    form = data.draw(st.sampled_from(money_forms(v, cur)))
    c = read(f"The fee is {form} today.")
    assert (c.kind, c.value, c.unit) == ("money", v, cur)


@settings(max_examples=150, deadline=None)
@given(rates, st.data())
def test_every_spelling_of_a_rate_reads_the_same(v, data):
    c = read(f"It pays {data.draw(st.sampled_from(percent_forms(v)))} a year.")
    assert (c.kind, c.value) == ("percent", v)


@settings(max_examples=150, deadline=None)
@given(dates, st.data())
def test_every_spelling_of_a_date_reads_the_same(d, data):
    text, g = data.draw(st.sampled_from(date_forms(d)))
    c = read(f"It ends on {text}.", g)
    assert (c.kind, c.value) == ("date", (d.year, d.month, d.day))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=99), st.sampled_from(["day", "week", "month", "year"]))
def test_durations_in_words_and_digits_read_the_same(n, unit):
    plural = "s" if n != 1 else ""
    a = read(f"within {n} {unit}{plural} of opening")
    b = read(f"within {words(n)} {unit}{plural} of opening")
    assert (a.kind, a.value, a.unit) == (b.kind, b.value, b.unit) == ("duration", a.value, a.unit)


def grounded(answer: str, source: str) -> str:
    guard = gw.Guard("p", output=[gw.Grounded()])
    return guard.check(answer, stage="output", context=gw.Context(sources=[("sheet", source)])).outcome


@settings(max_examples=60, deadline=None)
@given(amounts, currencies, st.data())
def test_faithful_amount_passes_and_changed_amount_fails(v, cur, data):
    forms = money_forms(v, cur)
    source = f"Account key facts. The monthly account fee is {data.draw(st.sampled_from(forms))}. Terms apply."
    assert grounded(f"You pay a monthly fee of {data.draw(st.sampled_from(forms))}.", source) == "pass"
    delta = data.draw(st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(10), Decimal("0.5")]))
    changed = v + delta if data.draw(st.booleans()) or v - delta <= 0 else v - delta
    other_cur = data.draw(st.sampled_from([c for c in SYMBOL if c != cur]))
    wrong = data.draw(st.sampled_from([*money_forms(changed, cur), *money_forms(v, other_cur)]))
    assert grounded(f"You pay a monthly fee of {wrong}.", source) == "blocked"


@settings(max_examples=60, deadline=None)
@given(rates, st.data())
def test_faithful_rate_passes_and_changed_rate_fails(v, data):
    source = f"Summary box. Interest rate: {data.draw(st.sampled_from(percent_forms(v)))} AER variable."
    assert grounded(f"It pays {data.draw(st.sampled_from(percent_forms(v)))} AER.", source) == "pass"
    changed = v + data.draw(st.sampled_from([Decimal("0.01"), Decimal("0.1"), Decimal("1"), Decimal("-0.01")]))
    assume(changed > 0)
    assert grounded(f"It pays {data.draw(st.sampled_from(percent_forms(changed)))} AER.", source) == "blocked"
    assert grounded(f"It pays {data.draw(st.sampled_from(percent_forms(v)))} APR.", source) == "blocked"


@settings(max_examples=60, deadline=None)
@given(dates, st.data(), st.integers(min_value=1, max_value=40))
def test_faithful_date_passes_and_shifted_date_fails(d, data, shift):
    text, _ = data.draw(st.sampled_from([f for f in date_forms(d) if f[1] is GB]))
    source = f"Offer terms. The offer ends on {d.day} {MONTHS[d.month - 1]} {d.year}. Terms apply."
    assert grounded(f"The offer runs until {text}.", source) == "pass"
    moved = d + dt.timedelta(days=shift) if data.draw(st.booleans()) else d.replace(year=d.year + 1) \
        if not (d.month == 2 and d.day == 29) else d + dt.timedelta(days=1)
    wrong, _ = data.draw(st.sampled_from([f for f in date_forms(moved) if f[1] is GB]))
    assert grounded(f"The offer runs until {wrong}.", source) == "blocked"


MINOR = {"GBP": "pence", "USD": "cents", "EUR": "cents"}


def spoken_forms(major: int, minor: int, cur: str) -> list[str]:
    """An amount with hundredths as people say it: "twelve pounds fifty", "£12 and 50p"."""
    forms = [f"{major} {WORD[cur]} {minor:02d}", f"{major} {WORD[cur]} and {minor} {MINOR[cur]}",
             f"{major} {WORD[cur]} {minor} {MINOR[cur]}", f"{SYMBOL[cur]}{major} and {minor} {MINOR[cur]}"]
    if cur == "GBP":
        forms.append(f"\u00a3{major} and {minor}p")
    if major < 100:
        forms += [f"{words(major)} {WORD[cur]} {words(minor)}", f"{words(major)} {WORD[cur]} and {words(minor)} {MINOR[cur]}"]
    return forms


_BLOCK = gw.Guard(output=[gw.Grounded(action="block")])


@settings(max_examples=40, deadline=None)
@given(major=st.integers(1, 999), minor=st.integers(10, 99), cur=currencies, data=st.data())
def test_an_amount_said_in_two_parts_is_one_amount(major: int, minor: int, cur: str, data) -> None:
    source = f"The monthly fee is {SYMBOL[cur]}{major}.{minor:02d}."
    form = data.draw(st.sampled_from(spoken_forms(major, minor, cur)))
    guard = _BLOCK
    ctx = gw.Context(sources=[source])
    assert guard.check(f"The monthly fee is {form}.", stage="output", context=ctx).outcome == "pass", form
    other = minor + 1 if minor < 99 else minor - 1
    changed = data.draw(st.sampled_from(spoken_forms(major, other, cur)))
    assert guard.check(f"The monthly fee is {changed}.", stage="output", context=ctx).outcome == "blocked", changed
