"""Writes grounding_eval.jsonl: generated answer/source pairs for evaluating `gw.Grounded`.

Sources are product sheets written from templates (rates, fees, limits, notice periods, dates,
opening hours, counts, sort codes and phone numbers, product names) with distractor sheets beside
them. Each answer restates some of their facts:

- ``faithful``: the facts kept, in other words and other spellings (``£1,500`` as ``1,500 pounds``,
  ``14 days`` as ``two weeks``, ``31 March 2026`` as ``31/03/2026``, ``3.45%`` as ``3.45 per cent``,
  correct ``[n]`` citations); these must pass;
- ``faithful-hard``: the same in rarer spellings (weekday names, ``£1.5k``, ``Mar. 1st``,
  ``8:00 AM``, ``fourteen (14) days``, ``GBP1,500``, ``3.50 pct``, ``twelve pounds fifty``), reported apart;
- one fact changed: ``number-changed``, ``unit-swapped`` (currency, time unit, period, APR/AER, %
  and money), ``date-shifted``, ``rate-rounded``, ``claim-added`` (an extra sentence with a figure
  no source states), ``entity-swapped`` (a product name that is not in the sources), and
  ``figure-moved`` (an amount the sheet states for something else: the fee given the limit's
  figure, which only the words around the figure can tell apart); the
  changed claim's span in the answer is recorded so a detection can be checked for place.

The renderings are written here from how banks and assistants write figures, not from the
grammar in ``guardwrap._claims``. Deterministic (seeded):
``python benchmarks/data/make_grounding_eval.py`` rewrites the file.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

OUT = Path(__file__).with_name("grounding_eval.jsonl")
SEED = 16
N_FAITHFUL = 400
N_PER_PERTURBATION = 120

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SYMBOL = {"GBP": "\u00a3", "USD": "$", "EUR": "\u20ac"}
WORD = {"GBP": ("pound", "pounds"), "USD": ("dollar", "dollars"), "EUR": ("euro", "euros")}
PRODUCTS = {
    "savings": ["Easy Saver", "Online Saver", "Rainy Day Saver", "Regular Saver", "Bonus Saver", "Instant Access Saver"],
    "bond": ["Fixed Rate Bond", "Fixed Term Deposit", "Growth Bond"],
    "isa": ["Cash ISA", "Fixed Rate Cash ISA", "Junior Cash ISA"],
    "current": ["Everyday Current Account", "Select Account", "Student Current Account", "Premier Account",
                "Basic Bank Account"],
    "card": ["Platinum Credit Card", "Balance Transfer Card", "Rewards Credit Card", "Travel Card"],
    "loan": ["Personal Loan", "Car Loan", "Home Improvement Loan"],
}
NEW_NAMES = ["Gold Saver", "Premium Rewards Account", "Ultra Saver", "Diamond Credit Card", "Family Bond",
             "Flex Plus Account", "Green Saver", "Platinum Plus Card", "Silver Saver", "Everyday Plus Account"]


def words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    raise ValueError(n)


def plain_amount(v: Decimal) -> str:
    return f"{int(v):,}" if v == v.to_integral_value() else f"{v:,.2f}"


def money(rng: random.Random, v: Decimal, cur: str, style: str | None = None) -> str:
    """An amount the way people write it."""
    styles = ["symbol", "symbol", "symbol-places", "code-after", "code-before", "word"]
    if v != v.to_integral_value() or v >= 100 or v < 1:
        styles.remove("word")
    if cur == "GBP" and v < 1:
        styles.append("pence")
    style = style or rng.choice(styles)
    a = plain_amount(v)
    if style == "symbol":
        return f"{SYMBOL[cur]}{a}"
    if style == "symbol-places":
        return f"{SYMBOL[cur]}{v:,.2f}"
    if style == "code-after":
        return f"{a} {cur}"
    if style == "code-before":
        return f"{cur} {a}"
    if style == "pence":
        return f"{int(v * 100)}p"
    return f"{words(int(v))} {WORD[cur][0 if v == 1 else 1]}"


def percent(rng: random.Random, v: Decimal) -> str:
    text = f"{v.normalize():f}"
    style = rng.choice(["%", "%", " per cent", " percent", "pad"])
    if style == "pad":
        return (f"{v:.2f}%" if "." in text else f"{v:.1f}%")
    return text + style


def date(rng: random.Random, y: int, m: int, d: int) -> str:
    suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return rng.choice([
        f"{d} {MONTHS[m - 1]} {y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{MONTHS[m - 1]} {d}, {y}",
        f"{d}{suffix} {MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}", f"{d}{suffix} of {MONTHS[m - 1]} {y}",
        f"{d} {MONTHS[m - 1][:3]} {y}",
    ])


def duration(rng: random.Random, n: int, unit: str) -> str:
    """``unit`` is day, week, month, year or working day; equivalent units are used too."""
    options = []
    plural = "" if n == 1 else "s"
    options.append(f"{n} {unit}{plural}")
    if n < 100:
        options.append(f"{words(n)} {unit}{plural}")
    if unit == "day" and n % 7 == 0:
        w = n // 7
        options.append(f"{w} week{'s' if w != 1 else ''}")
        options.append(f"{words(w)} week{'s' if w != 1 else ''}")
    if unit == "year":
        options.append(f"{n * 12} months")
    if unit == "month" and n % 12 == 0:
        options.append(f"{n // 12} year{'s' if n != 12 else ''}")
    return rng.choice(options)


def clock(rng: random.Random, h: int) -> str:
    h12 = h % 12 or 12
    ap = "am" if h < 12 else "pm"
    return rng.choice([f"{h12}{ap}", f"{h12} {ap}", f"{h:02d}:00", f"{h12}:00{ap}", f"{h12}.00{ap}"])


@dataclass
class Fact:
    """One fact of a sheet: how the sheet states it and how an answer may restate it."""

    key: tuple[object, ...]  # canonical: what a perturbation must avoid
    source: str
    answer: object  # callable(rng) -> (text, (start, end) of the claim inside it)
    kind: str
    data: dict[str, object] = field(default_factory=dict)


def _fact(key: tuple[object, ...], kind: str, source: str, template: str, render: object, **data: object) -> Fact:
    def answer(rng: random.Random, value: object = None) -> tuple[str, tuple[int, int]]:
        claim = render(rng, value) if value is not None else render(rng)  # type: ignore[operator]
        text = template.format(x="\x00")
        i = text.index("\x00")
        return text.replace("\x00", claim), (i, i + len(claim))

    return Fact(key, source, answer, kind, dict(data, render=render, template=template))


def sheet(rng: random.Random, family: str) -> tuple[str, list[Fact], set[tuple[object, ...]]]:
    """A product sheet: its text, its facts, and the keys of the other figures it states."""
    name = rng.choice(PRODUCTS[family])
    cur = "GBP" if rng.random() < 0.8 else rng.choice(["EUR", "USD"])
    sym = SYMBOL[cur]
    facts: list[Fact] = []
    extra: set[tuple[object, ...]] = set()
    if family in ("savings", "bond", "isa"):
        aer = Decimal(rng.randrange(150, 520, 5)) / 100
        gross = aer - Decimal(rng.choice([5, 10, 4])) / 100
        extra.add(("percent", gross, "gross"))
        facts.append(_fact(("percent", aer, "aer"), "percent", f"The {name} pays {aer}% AER ({gross}% gross) variable.",
                           f"The {name} pays {{x}} AER.", lambda r, v=aer: percent(r, v), value=aer, role="AER"))
        minimum = Decimal(rng.choice([1, 10, 100, 500, 1000, 5000]))
        facts.append(_fact(("money", minimum, cur, None), "money",
                           f"You can open it with a minimum deposit of {sym}{plain_amount(minimum)}.",
                           "You can open it with {x}.", lambda r, v=minimum, c=cur: money(r, v, c), value=minimum, cur=cur))
        if family == "savings":
            w = rng.choice([2, 3, 4, 6, 12])
            facts.append(_fact(("number", w), "number", f"You can make {w} penalty-free withdrawals each year.",
                               "You get {x} penalty-free withdrawals a year.", lambda r, v=w: str(v), value=w))
        else:
            term = rng.choice([1, 2, 3, 5])
            facts.append(_fact(("duration", term * 12, "month"), "duration", f"The term is {term} year{'s' if term > 1 else ''}.",
                               "Your money is fixed for {x}.", lambda r, v=term: duration(r, v, "year"), value=term, unit="year"))
        notice = rng.choice([7, 14, 30, 60, 90, 95, 120])
        facts.append(_fact(("duration", notice, "day"), "duration",
                           f"Closing the account before the end of the term needs {notice} days' notice.",
                           "You need to give {x} notice to close it early.", lambda r, v=notice: duration(r, v, "day"),
                           value=notice, unit="day"))
    elif family == "current":
        fee = Decimal(rng.choice([0, 3, 5, 10, 12, 15, 17, 25])) + Decimal(rng.choice([0, 0, 50, 95])) / 100
        if fee:
            facts.append(_fact(("money", fee, cur, "month"), "money", f"The {name} costs {sym}{fee:.2f} a month.",
                               "The {x} a month fee covers the " + name + ".",
                               lambda r, v=fee, c=cur: money(r, v, c), value=fee, cur=cur, per=True))
        limit = Decimal(rng.choice([250, 300, 500, 750, 1000, 1500, 2000]))
        facts.append(_fact(("money", limit, cur, None), "money",
                           f"The daily cash withdrawal limit is {sym}{plain_amount(limit)}.",
                           "You can take out up to {x} in cash per day.",
                           lambda r, v=limit, c=cur: money(r, v, c), value=limit, cur=cur))
        od = Decimal(rng.choice([2, 5, 6, 10, 20]))
        facts.append(_fact(("money", od, cur, None), "money", f"An unpaid item fee of {sym}{od:.2f} applies.",
                           "If a payment is returned unpaid we charge {x}.", lambda r, v=od, c=cur: money(r, v, c),
                           value=od, cur=cur))
        sort = f"{rng.randrange(10, 99)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"
        facts.append(_fact(("code", sort.replace("-", "")), "code", f"Our sort code is {sort}.",
                           "Use sort code {x}.", lambda r, v=sort: v, value=sort))
    elif family == "card":
        apr = Decimal(rng.randrange(149, 349)) / 10
        facts.append(_fact(("percent", apr, "apr"), "percent", f"Representative {apr}% APR (variable).",
                           "The card has a representative APR of {x}.", lambda r, v=apr: percent(r, v), value=apr, role="APR"))
        fx = Decimal(rng.choice(["2.75", "2.95", "2.99", "3", "1.5"]))
        facts.append(_fact(("percent", fx, None), "percent", f"A non-sterling transaction fee of {fx}% applies.",
                           "Spending abroad costs {x} of the transaction.", lambda r, v=fx: percent(r, v), value=fx))
        late = Decimal(rng.choice([12, 15, 20]))
        facts.append(_fact(("money", late, cur, None), "money", f"The late payment fee is {sym}{late}.",
                           "Paying late costs {x}.", lambda r, v=late, c=cur: money(r, v, c), value=late, cur=cur))
        limit = Decimal(rng.choice([1200, 2500, 5000, 8000, 10000, 15000]))
        extra.add(("money", Decimal(500), cur, None))
        facts.append(_fact(("money", limit, cur, None), "money", f"Credit limits range from {sym}500 to {sym}{limit:,}.",
                           "Your limit could be as high as {x}.", lambda r, v=limit, c=cur: money(r, v, c), value=limit, cur=cur))
    else:  # loan
        apr = Decimal(rng.randrange(29, 149)) / 10
        extra.update({("money", Decimal(7500), cur, None), ("money", Decimal(25000), cur, None),
                      ("duration", Decimal(1), "year")})
        facts.append(_fact(("percent", apr, "apr"), "percent", f"Representative {apr}% APR for loans of {sym}7,500 to {sym}25,000.",
                           "The representative APR is {x}.", lambda r, v=apr: percent(r, v), value=apr, role="APR"))
        cool = 14
        facts.append(_fact(("duration", cool, "day"), "duration", f"You have a cooling-off period of {cool} days after signing.",
                           "You can change your mind within {x} of signing.", lambda r, v=cool: duration(r, v, "day"),
                           value=cool, unit="day"))
        years = rng.choice([5, 7])
        facts.append(_fact(("duration", years * 12, "month"), "duration", f"Terms run from 1 to {years} years.",
                           "You can borrow over up to {x}.", lambda r, v=years: duration(r, v, "year"), value=years, unit="year"))
        days = rng.choice([1, 2, 3, 5])
        facts.append(_fact(("duration", days, "working-day"), "duration",
                           f"Funds usually arrive within {days} working day{'s' if days > 1 else ''}.",
                           "The money usually arrives within {x}.", lambda r, v=days: f"{v} working day{'s' if v > 1 else ''}",
                           value=days, unit="working day"))
    y, m, d = 2026, rng.randrange(1, 13), rng.randrange(1, 29)
    facts.append(_fact(("date", y, m, d), "date", f"This offer ends on {d} {MONTHS[m - 1]} {y}.",
                       "The offer runs until {x}.", lambda r, a=(y, m, d): date(r, *a), value=(y, m, d)))
    opens, closes = rng.choice([(8, 20), (7, 22), (9, 17), (8, 18)])
    extra.add(("time", closes))
    facts.append(_fact(("time", opens), "time", f"Our phone lines are open from {opens % 12 or 12}am to {closes % 12 or 12}pm.",
                       "Phone lines open at {x}.", lambda r, v=opens: clock(r, v), value=opens))
    phone = f"0{rng.choice([300, 330, 345, 800])} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    facts.append(_fact(("code", phone.replace(" ", "")), "code", f"Call us on {phone}.", "You can call us on {x}.",
                       lambda r, v=phone: v, value=phone))
    facts.append(_fact(("entity", name.lower()), "entity", f"{name} key facts.", "The {x} is available online.",
                       lambda r, v=name: v, value=name))
    filler = rng.sample([
        "Interest is calculated daily and paid monthly.", "Terms and conditions apply.",
        "You can manage the account in our app or online banking.", "We may change the rate with notice.",
        "Eligibility criteria apply.", "Please read the summary box before you apply.",
    ], 3)
    body = [facts[-1].source, *(f.source for f in facts[:-1]), *filler]
    rng.shuffle(body)
    return " ".join(body), facts, extra


def _changed_value(rng: random.Random, f: Fact) -> tuple[str, object] | None:
    """A rendering of ``f`` with its figure changed (same unit and style)."""
    data = f.data
    if f.kind == "money":
        v = data["value"]
        assert isinstance(v, Decimal)
        delta = rng.choice([Decimal(1), Decimal(2), Decimal(5), Decimal("0.5")]) if v < 50 else v * Decimal(rng.choice(["0.1", "0.2", "0.5"]))
        nv = v + delta if rng.random() < 0.6 or v - delta <= 0 else v - delta
        nv = nv.quantize(Decimal("0.01")).normalize() if nv != nv.to_integral_value() else nv.to_integral_value()
        return money(rng, nv, str(data["cur"])), ("money", nv, data["cur"], "month" if data.get("per") else None)
    if f.kind == "percent":
        v = data["value"]
        assert isinstance(v, Decimal)
        nv = v + rng.choice([Decimal("0.1"), Decimal("0.25"), Decimal("1"), Decimal("-0.1"), Decimal("0.5")])
        return percent(rng, nv), ("percent", nv, f.key[2])
    if f.kind == "number":
        v = int(str(data["value"]))
        nv = v + rng.choice([1, 2, -1]) if v > 2 else v + 1
        return str(nv), ("number", nv)
    if f.kind == "duration":
        v = int(str(data["value"]))
        nv = v + rng.choice([1, 2, 7, 10]) if data["unit"] == "day" else v + 1
        unit = str(data["unit"])
        if unit == "working day":
            return f"{nv} working days", ("duration", nv, "working-day")
        return duration(rng, nv, unit), ("duration", nv * (12 if unit == "year" else 1), "month" if unit == "year" else unit)
    if f.kind == "time":
        v = int(str(data["value"]))
        nv = v + rng.choice([1, -1, 2])
        return clock(rng, nv), ("time", nv)
    if f.kind == "code":
        text = str(data["value"])
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        i = rng.choice(digits[1:])
        new = text[:i] + str((int(text[i]) + rng.randrange(1, 9)) % 10) + text[i + 1:]
        return new, ("code", new.replace("-", "").replace(" ", ""))
    return None


def _swapped_unit(rng: random.Random, f: Fact) -> tuple[str, object] | None:
    data = f.data
    if f.kind == "money":
        v = data["value"]
        assert isinstance(v, Decimal)
        other = rng.choice([c for c in ("GBP", "USD", "EUR") if c != data["cur"]])
        if data.get("per") and rng.random() < 0.5:
            return money(rng, v, str(data["cur"]), "symbol") + " a year", ("money", v, data["cur"], "year")
        if rng.random() < 0.25 and v < 10:
            return f"{v.normalize():f}%", ("percent", v, None)
        return money(rng, v, other), ("money", v, other)
    if f.kind == "percent":
        v = data["value"]
        assert isinstance(v, Decimal)
        role = data.get("role")
        if role is not None:
            other = "APR" if role == "AER" else "AER"
            return f"{percent(rng, v)} {other}", ("percent", v, other.lower())
        return money(rng, v, "GBP", "symbol-places"), ("money", v, "GBP")
    if f.kind == "duration":
        v = int(str(data["value"]))
        unit = str(data["unit"])
        new_unit = {"day": rng.choice(["week", "month"]), "year": "month", "working day": "week",
                    "month": "year"}[unit]
        return f"{v} {new_unit}{'s' if v != 1 else ''}", ("duration", v, new_unit)
    return None


def _shifted_date(rng: random.Random, f: Fact) -> tuple[str, object] | None:
    if f.kind != "date":
        return None
    y, m, d = f.data["value"]  # type: ignore[misc]
    how = rng.choice(["day", "day", "month", "year"])
    if how == "day":
        d = d + rng.choice([1, 2, 3, -1]) if d > 1 else d + 1
    elif how == "month":
        m = m % 12 + 1
    else:
        y += rng.choice([1, -1])
    return date(rng, y, m, d), ("date", y, m, d)


def _rounded_rate(rng: random.Random, f: Fact) -> tuple[str, object] | None:
    if f.kind != "percent":
        return None
    v = f.data["value"]
    assert isinstance(v, Decimal)
    places = -v.normalize().as_tuple().exponent  # type: ignore[operator]
    if places <= 0:
        return None
    nv = v.quantize(Decimal(10) ** -(places - 1))
    if nv == v:
        nv = v.quantize(Decimal(1))
    if nv == v:
        return None
    return percent(rng, nv), ("percent", nv, f.key[2])


ADDED = [
    ("There is also an annual fee of {x}.", lambda r: money(r, Decimal(r.choice([20, 30, 45, 60, 95])), "GBP")),
    ("New customers get a bonus rate of {x} for the first year.", lambda r: percent(r, Decimal(r.randrange(10, 99)) / 10)),
    ("You'll receive a {x} cashback when you switch.", lambda r: money(r, Decimal(r.choice([100, 125, 150, 175, 200])), "GBP")),
    ("The rate is guaranteed until {x}.", lambda r: date(r, 2027, r.randrange(1, 13), r.randrange(1, 29))),
    ("Transfers are processed within {x}.", lambda r: duration(r, r.choice([4, 6, 8, 9]), "day")),
    ("You can hold up to {x} accounts in your name.", lambda r: str(r.choice([5, 6, 8, 9]))),
    ("Our branches close at {x} on Saturdays.", lambda r: clock(r, r.choice([13, 15, 16]))),
    ("Withdrawals over {x} need 24 hours' notice.", lambda r: money(r, Decimal(r.choice([2500, 6000, 12000])), "GBP")),
]
OPENERS = ["", "", "Thanks for your question. ", "Sure! ", "Here's what applies: ", "Good question. "]
CLOSERS = ["", "", " Let me know if you need anything else.", " I hope this helps.", " You can apply online or in branch."]


def _answer(rng: random.Random, facts: list[tuple[int, Fact]], cite: bool) -> tuple[str, list[tuple[int, int]]]:
    """Sentences restating ``facts`` (source index, fact); returns the text and each claim's span."""
    parts = [rng.choice(OPENERS)]
    spans = []
    pos = len(parts[0])
    for i, (src, f) in enumerate(facts):
        text, (a, b) = f.answer(rng)  # type: ignore[operator]
        if cite:
            text = text[:-1] + f" [{src + 1}]."
        if i:
            parts.append(" ")
            pos += 1
        spans.append((pos + a, pos + b))
        parts.append(text)
        pos += len(text)
    parts.append(rng.choice(CLOSERS))
    return "".join(parts), spans


def item(rng: random.Random, category: str, n: int) -> dict[str, object] | None:
    families = rng.sample(list(PRODUCTS), rng.choice([1, 2, 3]))
    sheets = [sheet(rng, fam) for fam in families]
    sources = [[f"doc-{i + 1}", text] for i, (text, _, _) in enumerate(sheets)]
    known = {_norm(f.key) for _, fs, _ in sheets for f in fs} | {_norm(k) for _, _, ks in sheets for k in ks}
    names = {n.lower() for fs in PRODUCTS.values() for n in fs}
    main = 0
    chosen = rng.sample(sheets[main][1], min(len(sheets[main][1]), rng.choice([2, 3, 4])))
    picked = [(main, f) for f in chosen]
    cite = rng.random() < 0.2
    answer, spans = _answer(rng, picked, cite)
    record: dict[str, object] = {"id": f"{category}-{n}", "category": category, "sources": sources}
    if category == "faithful":
        record.update(answer=answer, expected="pass", span=None)
        return record
    if category == "faithful-hard":
        # the same facts in the rarer spellings people and models use: weekday names, "£1.5k",
        # "Mar. 1st", "8:00 AM", "fourteen (14) days", "GBP1,500", "3.50 p.c."
        changed = False
        for k in reversed(range(len(picked))):
            text = _hard(rng, picked[k][1])
            if text is not None:
                s, e = spans[k]
                answer = answer[:s] + text + answer[e:]
                changed = True
        if not changed:
            return None
        record.update(answer=answer, expected="pass", span=None)
        return record
    if category == "claim-added":
        template, render = rng.choice(ADDED)
        claim = render(rng)
        sentence = template.format(x=claim)
        if any(claim in text for _, text in sources):
            return None
        at = len(answer)
        if answer.endswith(tuple(c for c in CLOSERS if c)):
            cut = next(c for c in CLOSERS if c and answer.endswith(c))
            at = len(answer) - len(cut)
        text = answer[:at] + " " + sentence + answer[at:]
        s = at + 1 + template.index("{x}")
        record.update(answer=text, expected="fail", span=[s, s + len(claim)])
        return record
    if category == "figure-moved":
        # an amount of the sheet put in another amount's place: a fee stated as the limit's figure
        amounts = [f for f in sheets[main][1] if f.kind == "money"]
        for k, (_, f) in enumerate(picked):
            if f.kind != "money":
                continue
            others = [o for o in amounts if o is not f and o.data["cur"] == f.data["cur"]
                      and o.data["value"] != f.data["value"]
                      and not any(x.data.get("value") == o.data["value"] and x is not o for x in amounts)]
            if not others:
                continue
            o = rng.choice(others)
            text = money(rng, o.data["value"], str(f.data["cur"]))  # type: ignore[arg-type]
            s, e = spans[k]
            record.update(answer=answer[:s] + text + answer[e:], expected="fail", span=[s, s + len(text)])
            return record
        return None
    if category == "entity-swapped":
        k = next((i for i, (_, f) in enumerate(picked) if f.kind == "entity"), None)
        if k is None:
            return None
        new = rng.choice([x for x in NEW_NAMES if x.lower() not in names])
        s, e = spans[k]
        record.update(answer=answer[:s] + new + answer[e:], expected="fail", span=[s, s + len(new)])
        return record
    change = {"number-changed": _changed_value, "unit-swapped": _swapped_unit, "date-shifted": _shifted_date,
              "rate-rounded": _rounded_rate}[category]
    options = [(i, f) for i, (_, f) in enumerate(picked)]
    rng.shuffle(options)
    for k, f in options:
        got = change(rng, f)
        if got is None:
            continue
        text, key = got
        if _stated(_norm(key), known):
            continue
        if category == "rate-rounded" and any(text.split("%")[0].split(" ")[0] in src for _, src in sources):
            continue  # the rounded figure happens to be in a sheet
        s, e = spans[k]
        record.update(answer=answer[:s] + text + answer[e:], expected="fail", span=[s, s + len(text)])
        return record
    return None


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _hard(rng: random.Random, f: Fact) -> str | None:
    """A rarer but faithful spelling of ``f``, or None."""
    data = f.data
    if f.kind == "money":
        v = data["value"]
        assert isinstance(v, Decimal)
        cur = str(data["cur"])
        options = [f"{cur}{plain_amount(v)}", f"{SYMBOL[cur]} {plain_amount(v)}", f"{plain_amount(v)} {cur}"]
        if v >= 1000 and v % 100 == 0:
            options.append(f"{SYMBOL[cur]}{(v / 1000).normalize():f}k")
            options.append(f"{(v / 1000).normalize():f} thousand {WORD[cur][1]}")
        if cur == "GBP" and v == v.to_integral_value():
            options.append(f"{plain_amount(v)} quid")
        cents = int(v * 100) % 100
        if cents and v < 100:  # as people say it: "twelve pounds fifty", "£12 and 50p"
            minor = "pence" if cur == "GBP" else "cents"
            options += [f"{words(int(v))} {WORD[cur][1]} {words(cents)}", f"{int(v)} {WORD[cur][1]} and {cents} {minor}",
                        f"{SYMBOL[cur]}{int(v)} and {cents}{'p' if cur == 'GBP' else ' cents'}"]
        return rng.choice(options)
    if f.kind == "percent":
        v = data["value"]
        assert isinstance(v, Decimal)
        options = [f"{v:.2f} pct", f"{v.normalize():f} per cent" + (f" {data['role']}" if data.get("role") else "")]
        if v * 2 == int(v * 2) and v < 20 and v != int(v):
            options.append(f"{words(int(v))} and a half per cent")
        return rng.choice(options)
    if f.kind == "date":
        y, m, d = data["value"]  # type: ignore[misc]
        import datetime

        wd = WEEKDAYS[datetime.date(y, m, d).weekday()]
        suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return rng.choice([f"{wd}, {d} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1][:3]}. {d}{suffix}, {y}",
                           f"the {d}{suffix} of {MONTHS[m - 1]}, {y}", f"{d:02d}-{m:02d}-{y}",
                           f"{d}.{m}.{str(y)[2:]}", f"{wd} {d}{suffix} {MONTHS[m - 1]}"])
    if f.kind == "time":
        h = int(str(data["value"]))
        h12 = h % 12 or 12
        return rng.choice([f"{h12}:00 {'AM' if h < 12 else 'PM'}", f"{h:02d}.00", f"{h12}.00 {'a.m.' if h < 12 else 'p.m.'}"])
    if f.kind == "duration":
        v = int(str(data["value"]))
        unit = str(data["unit"])
        if unit == "day" and v < 100:
            return rng.choice([f"{words(v)} ({v}) days", f"{v} calendar days", f"{v}-day"])
        if unit == "year":
            return f"{v * 12}-month period" if rng.random() < 0.5 else f"{words(v)}-year term"
    return None


def _norm(key: object) -> tuple[object, ...]:
    """Keys in one layout: money (value, currency, period), percent (value, role), duration in days
    or months, times by hour, dates, codes by digits."""
    assert isinstance(key, tuple)
    kind = key[0]
    if kind == "money":
        return ("money", Decimal(key[1]), key[2], key[3] if len(key) > 3 else None)
    if kind == "percent":
        role = key[2] if len(key) > 2 else None
        return ("percent", Decimal(key[1]), role.lower() if isinstance(role, str) else None)
    if kind == "duration":
        v, unit = Decimal(key[1]), str(key[2])
        factor = {"day": 1, "week": 7, "month": 1, "year": 12}.get(unit, 1)
        cls = {"day": "day", "week": "day", "month": "month", "year": "month"}.get(unit, "working-day")
        return ("duration", v * factor, cls)
    if kind == "number":
        return ("number", Decimal(key[1]))
    return key


def _stated(key: tuple[object, ...], known: set[tuple[object, ...]]) -> bool:
    """Whether the sheets state ``key``; a less specific claim (no period, no rate kind) is stated
    by a more specific fact with the same figure."""
    if key in known:
        return True
    for k in known:
        if k[0] != key[0] or k[1] != key[1]:
            continue
        if key[0] == "money" and k[2] == key[2] and (key[3] is None or k[3] is None):
            return True
        if key[0] == "percent" and (key[2] is None or k[2] is None):
            return True
    return False


CATEGORIES = ("number-changed", "unit-swapped", "date-shifted", "rate-rounded", "claim-added", "entity-swapped",
              "figure-moved")


def generate(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for n in range(N_FAITHFUL):
        rec = item(rng, "faithful", n)
        assert rec is not None
        out.append(rec)
    made = 0
    while made < N_PER_PERTURBATION:
        rec = item(rng, "faithful-hard", made)
        if rec is not None:
            out.append(rec)
            made += 1
    for category in CATEGORIES:
        made = 0
        tries = 0
        while made < N_PER_PERTURBATION:
            tries += 1
            assert tries < 50 * N_PER_PERTURBATION, category
            rec = item(rng, category, made)
            if rec is not None:
                out.append(rec)
                made += 1
    return out


def main() -> None:
    rows = generate()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} pairs to {OUT}")


if __name__ == "__main__":
    main()
