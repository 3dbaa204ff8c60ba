"""Checkable claims in a text: figures with their units and roles, dates, codes, product names,
quotes and citation markers, each normalised so that different spellings of one fact compare equal.

``£35``, ``35 GBP`` and ``thirty-five pounds`` are all ``money GBP 35``; ``3.5%`` and ``3.50 per
cent`` are ``percent 3.5``; ``1 March 2026`` and ``01/03/2026`` (day-first locale) are
``date 2026-03-01``; ``two weeks`` is ``duration 14 days``. Claims carry offsets into the text they
were read from and never leave the process: findings report kinds and offsets only.

Everything works on the grounding view of a text (`guardwrap._claimtext.view`): ASCII digits, one
kind of space, dash and quote. The grammar is English for words (month names, units, number
words); the decimal mark, the digit grouping and the order of numeric dates come from the locale.

>>> from guardwrap._claims import grammar, extract
>>> [(c.kind, c.value, c.unit) for c in extract("A fee of \u00a335 applies from 1 March 2026.", grammar("en-GB"))]
[('money', Decimal('35'), 'GBP'), ('date', (2026, 3, 1), None)]
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence, Set
from decimal import Decimal
from operator import attrgetter
from typing import Any

from ._claimtext import lower_same_length
from ._native import kernel
from ._text import _hs, _scan

# the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON=1); the Python beside each use is the reference
_K = kernel("guardwrap._cground")

__all__ = [
    "CLAIM_KINDS",
    "LOCALES",
    "Claim",
    "Grammar",
    "citations",
    "entities",
    "extract",
    "grammar",
    "parse_at",
    "quotes",
    "sentence_ends",
]

#: Kinds of claim the grounding check knows, in the order findings name them.
CLAIM_KINDS = ("money", "percent", "date", "time", "duration", "number", "code", "entity", "quote")

#: locale -> (decimal mark, group separator, order of numeric dates)
LOCALES: dict[str, tuple[str, str, str]] = {
    "en-GB": (".", ",", "dmy"), "en-IE": (".", ",", "dmy"), "en-AU": (".", ",", "dmy"),
    "en-NZ": (".", ",", "dmy"), "en-IN": (".", ",", "dmy"), "en-ZA": (".", ",", "dmy"),
    "en-SG": (".", ",", "dmy"), "en-HK": (".", ",", "dmy"),
    "en-US": (".", ",", "mdy"), "en-CA": (".", ",", "mdy"), "en-PH": (".", ",", "mdy"),
    "de-DE": (",", ".", "dmy"), "de-AT": (",", ".", "dmy"), "nl-NL": (",", ".", "dmy"),
    "es-ES": (",", ".", "dmy"), "it-IT": (",", ".", "dmy"), "pt-PT": (",", ".", "dmy"),
    "fr-FR": (",", ".", "dmy"), "da-DK": (",", ".", "dmy"), "id-ID": (",", ".", "dmy"),
    "ja-JP": (".", ",", "ymd"), "zh-CN": (".", ",", "ymd"), "ko-KR": (".", ",", "ymd"),
}

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
# Capitalised month names only: "5 may apply" is not a date.
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN(?:UARY)?|FEB(?:RUARY)?"
          r"|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?|OCT(?:OBER)?"
          r"|NOV(?:EMBER)?|DEC(?:EMBER)?)")

_CURRENCY_SYMBOLS = {"\u00a3": "GBP", "$": "USD", "\u20ac": "EUR", "\u00a5": "JPY", "\u20b9": "INR",
                     "\u20a3": "CHF", "\u20a9": "KRW", "\u20bd": "RUB", "\u20ba": "TRY", "\u20aa": "ILS"}
_DOLLAR_PREFIXES = {"US": "USD", "C": "CAD", "CA": "CAD", "A": "AUD", "AU": "AUD", "NZ": "NZD",
                    "HK": "HKD", "S": "SGD", "SG": "SGD"}
_CODES = frozenset("GBP USD EUR CHF JPY INR CAD AUD NZD SEK NOK DKK PLN HKD SGD ZAR CNY KRW MXN BRL".split())  # noqa: SIM905
# currency word -> (ISO code, divisor): "35p" is GBP 0.35
_CURRENCY_WORDS: dict[str, tuple[str, int]] = {
    "pound": ("GBP", 1), "pounds": ("GBP", 1), "sterling": ("GBP", 1), "quid": ("GBP", 1),
    "pence": ("GBP", 100), "penny": ("GBP", 100), "p": ("GBP", 100),
    "dollar": ("USD", 1), "dollars": ("USD", 1), "cent": ("USD", 100), "cents": ("USD", 100),
    "euro": ("EUR", 1), "euros": ("EUR", 1), "yen": ("JPY", 1), "rupee": ("INR", 1), "rupees": ("INR", 1),
    "franc": ("CHF", 1), "francs": ("CHF", 1),
    **{c.lower(): (c, 1) for c in _CODES},
}
# duration word -> (canonical unit, factor)
_DURATION_WORDS: dict[str, tuple[str, int]] = {
    "minute": ("minute", 1), "minutes": ("minute", 1), "min": ("minute", 1), "mins": ("minute", 1),
    "hour": ("minute", 60), "hours": ("minute", 60), "hr": ("minute", 60), "hrs": ("minute", 60),
    "h": ("minute", 60),
    "day": ("day", 1), "days": ("day", 1), "week": ("day", 7), "weeks": ("day", 7),
    "fortnight": ("day", 14), "fortnights": ("day", 14),
    "month": ("month", 1), "months": ("month", 1), "mth": ("month", 1), "mths": ("month", 1),
    "year": ("month", 12), "years": ("month", 12), "yr": ("month", 12), "yrs": ("month", 12),
}
_PERIODS = {"day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month",
            "monthly": "month", "pcm": "month", "pm": "month", "quarter": "quarter", "quarterly": "quarter",
            "year": "year", "annum": "year", "yearly": "year", "annually": "year", "annual": "year",
            "pa": "year", "p.a.": "year", "p.a": "year", "pa.": "year"}
_MAGNITUDES = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mn": 10**6,
               "billion": 10**9, "bn": 10**9, "trillion": 10**12}

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_WORDS_BY_VALUE = {v: k for k, v in _NUMBER_WORDS.items()}

# -- the grammar, per locale ------------------------------------------------------------------------

_UNIT_AFTER = (
    r"\)?(?P<mag>[ ]?(?:thousand|million|billion|trillion)\b|(?:k|m|mn|bn)\b)?"
    r"(?:"
    r"(?P<pct>[ ]?%|[ ]?per[ ]?cent\b|[ ]?percent\b|[ ]?pct\b)(?P<pp>[ ]percentage[ ]points?\b)?"
    r"|[ ]?(?P<ppts>percentage[ ]points?|ppts?)\b"
    r"|[ ]?(?P<bps>basis[ ]points?|bps|bp)\b"
    r"|[ ]?(?P<cur>pounds?(?:[ ]sterling)?|sterling|quid|pence|penny|p|dollars?|cents?|euros?|yen|rupees?|francs?"
    r"|GBP|USD|EUR|CHF|JPY|INR|CAD|AUD|NZD|SEK|NOK|DKK|PLN|HKD|SGD|ZAR|CNY|KRW|MXN|BRL)\b"
    r"|[ -]?(?P<dur>(?:business|working|banking|calendar|clear)[ -]days?|days?|weeks?|fortnights?|months?|mths?"
    r"|years?|yrs?|hours?|hrs?|h|minutes?|mins?)\b"
    r"|(?P<ord>st|nd|rd|th)\b"
    r")?"
)
_PER = re.compile(
    r"[ ]?(?:(?:per|a|an|each|every|/)[ ]?(?P<p>day|week|month|quarter|year|annum)\b"
    r"|(?P<p2>daily|weekly|monthly|quarterly|yearly|annually|p\.a\.?|pa\b|pcm\b))", re.I)
_RANGE = re.compile(r"[ ]?(?:-|to|and)[ ]?(?=[\u00a3$\u20ac\u00a5\u20b9]?[0-9])")
_TIME = re.compile(r"(?P<h>[0-9]{1,2})(?:[:.](?P<m>[0-9]{2}))?[ ]?(?P<ap>[aApP]\.[mM]\.|[aApP][mM])(?![A-Za-z])"
                   r"|(?P<h2>[0-9]{1,2}):(?P<m2>[0-9]{2})(?![0-9:])|(?P<h3>0[0-9])\.(?P<m3>[0-5][0-9])(?![0-9%]|\.[0-9])")
_ISO_DATE = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])")
_NUM_DATE = re.compile(r"(?P<a>[0-9]{1,4})(?P<s>[/.-])(?P<b>[0-9]{1,2})(?P=s)(?P<c>[0-9]{4}|[0-9]{2})(?![0-9])")
_TAX_YEAR = re.compile(r"([0-9]{4})[/-]([0-9]{2})(?![0-9/-])")
_SORT_CODE = re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{2}(?![0-9-])")
_PHONE = re.compile(r"(?:\+[0-9]{1,3}[ -]?(?:\(0\)[ ]?)?|0)[0-9]{2,5}(?:[ -]?[0-9]{3,4}){1,3}(?![0-9])")
_DAY_MONTH = re.compile(r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ](?P<mon>" + _MONTH
                        + r")\b\.?(?:,?[ ](?P<y>[0-9]{4})(?![0-9]))?")
_DAY_AFTER_MONTH = re.compile(r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9A-Za-z])(?:,?[ ](?P<y>[0-9]{4})(?![0-9]))?")
_MONTH_BEFORE = re.compile(r"(?<![A-Za-z])(?P<mon>" + _MONTH + r")\.?[ ]$")
_DAY_MONTH_BEFORE = re.compile(r"(?<![0-9])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ](?P<mon>" + _MONTH
                               + r")\.?,?[ ]$")
_MONTH_DAY_BEFORE = re.compile(r"(?<![A-Za-z])(?P<mon>" + _MONTH + r")\.?[ ](?P<d>[0-9]{1,2})(?:st|nd|rd|th)?,?[ ]$")
_MONTH_YEAR_BEFORE = re.compile(r"(?<![A-Za-z])(?P<mon>" + _MONTH + r")\.?,?[ ]$")
_RANGE_BEFORE = re.compile(r"(?P<sym>[\u00a3$\u20ac\u00a5\u20b9])[0-9][0-9.,]*[ ]?(?:-|to|and)[ ]?$")
_STRUCTURE_AFTER = re.compile(r"(?i)[ ](?:[a-z]+[ ])?(?:ways?|options?|steps?|things?|reasons?|tips?|points?|questions?"
                              r"|examples?|ideas?|choices?)\b")
_STRUCTURE_BEFORE = re.compile(r"(?i:\b(?:step|option|stage|tip|item|point|part|question|no\.|#)[ ]?)$")
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_DIGITS = frozenset("0123456789")
_SCAN = re.compile(r"[0-9]+")
_DIGITS_FROM = re.compile(r"[0-9]*")
_NUMBER_WORD_SET = frozenset([*_NUMBER_WORDS, "hundred", "thousand", "million", "billion"])
# as tokens of a text split at spaces: "thirty-five" is one
_NUMBER_WORD_TOKENS = _NUMBER_WORD_SET | {f"{t}-{o}" for t in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy",
                                                                "eighty", "ninety")
                                          for o in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")}
_NUMBER_WORD_RUN = re.compile(
    r"(?i)\b(?:" + "|".join(sorted([*_NUMBER_WORDS, "hundred", "thousand", "million", "billion"], key=len, reverse=True))
    + r")(?:(?:[ ]and[ ]|[ -])(?:" + "|".join(sorted([*_NUMBER_WORDS, "hundred", "thousand", "million", "billion"],
                                                    key=len, reverse=True))
    + r"))*(?:[ ]and[ ]a[ ]half|[ ]point(?:[ ](?:zero|one|two|three|four|five|six|seven|eight|nine))+)?\b")
# "point five": the digits after a decimal point written in words, never a figure of their own
_POINT_BEFORE = re.compile(r"(?i)\bpoint[ ]$")
# a count: a number word (two or more) before a plural noun, perhaps after one qualifying word
# ("four withdrawals", "three free transfers"), as "4 withdrawals" is a number
_COUNT_NOUN = re.compile(r"[ ](?:(?:free|more|extra|additional|further|separate|different|penalty-free|fee-free)[ ])?"
                         r"(?P<noun>[a-z]{2,}s)\b")
_NOT_COUNT_NOUNS = frozenset("""is was has does this thus us its as yes less unless plus across perhaps
always sometimes towards afterwards besides whereas his hers ours yours theirs""".split())  # noqa: SIM905
_ROLE_AFTER = re.compile(r"[ ]?(?:\(|,)?[ ]?(?P<r>APR|AER|EAR|APY|gross|representative)\b", re.I)
_ROLE_BEFORE = re.compile(r"(?i:\b(?P<r>APR|AER|EAR|APY|annual[ ]percentage[ ]rate|annual[ ]equivalent[ ]rate"
                          r"|annual[ ]percentage[ ]yield|effective[ ]annual[ ]rate|gross|base[ ]rate))\b")
_ROLES = {"apr": "apr", "annual percentage rate": "apr", "representative": "apr", "aer": "aer",
          "annual equivalent rate": "aer", "apy": "aer", "annual percentage yield": "aer", "ear": "ear",
          "effective annual rate": "ear", "gross": "gross", "base rate": "base"}
_SHAPE_NEXT = frozenset("-/.:")
_CLAUSE_END = re.compile(r"[.;!?\n](?:[ \n]|$)")


class Grammar:
    """The locale-dependent parts of the grammar, compiled once per locale (see `grammar`)."""

    __slots__ = ("decimal", "group", "locale", "number", "order", "other", "unit_after")

    def __init__(self, locale: str) -> None:
        decimal, group, order = LOCALES[locale]
        self.locale = locale
        self.decimal = decimal
        self.group = group
        self.order = order
        d, g = re.escape(decimal), re.escape(group)
        self.number = re.compile(rf"(?P<int>[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]+)(?:{d}(?P<frac>[0-9]+))?(?![0-9])")
        # the other convention, where it cannot be this one's: "1.500,00" in English, "1,500.00" in German
        self.other = re.compile(rf"(?P<int>[0-9]{{1,3}}(?:{d}[0-9]{{3}})+){g}(?P<frac>[0-9]{{1,2}})(?![0-9{g}{d}])")
        self.unit_after = re.compile(_UNIT_AFTER)

    def value(self, int_part: str, frac: str | None) -> Decimal:
        digits = int_part.replace(self.group, "")
        return Decimal(f"{digits}.{frac}") if frac else Decimal(digits)

    def write(self, value: Decimal) -> str:
        """``value`` as this locale writes it, without grouping (``3.5`` or ``3,5``)."""
        whole = value.to_integral_value()
        # format(), not str(int()): a figure of thousands of digits is past int <-> str limits
        text = format(value.normalize(), "f") if value != whole else format(whole, "f")
        return text.replace(".", self.decimal) if self.decimal != "." else text


_GRAMMARS: dict[str, Grammar] = {}


def grammar(locale: str) -> Grammar:
    """The compiled grammar for ``locale`` (one of `LOCALES`)."""
    g = _GRAMMARS.get(locale)
    if g is None:
        g = _GRAMMARS[locale] = Grammar(locale)
    return g


# -- claims -----------------------------------------------------------------------------------------


class Claim:
    """One checkable statement: its kind, where it is, and its normalised value.

    ``value`` is a `Decimal` for figures, ``(year, month, day)`` for dates (year or day may be
    ``None``), ``(hour, minute)`` for times, an upper-case key for codes, and the folded phrase for
    entities and quotes. ``unit`` is a currency code or a duration unit; ``role`` a rate's kind
    (``apr``, ``aer``...); ``roles`` what an amount is (``fee``, ``limit``, ``minimum``,
    ``repayment``) as the words of its clause say; ``per`` a period (``month``...). ``repr()``
    never shows the value.
    """

    __slots__ = ("end", "kind", "per", "role", "roles", "start", "surface", "unit", "value")

    def __init__(self, kind: str, start: int, end: int, value: Any, unit: str | None = None,
                 role: str | None = None, per: str | None = None, surface: str = "") -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.unit = unit
        self.role = role
        self.per = per
        self.roles: frozenset[str] = _NO_ROLES
        self.surface = surface  # the text as written (entities, quotes, codes): for lookups only

    def __repr__(self) -> str:
        return f"Claim({self.kind!r}, start={self.start}, end={self.end})"


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _valid_date(y: int | None, m: int, d: int | None) -> bool:
    return 1 <= m <= 12 and (d is None or 1 <= d <= 31) and (y is None or 1900 <= y <= 2199)


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


_NO_ROLES: frozenset[str] = frozenset()
_MONEY_ROLE_WORDS = re.compile(
    r"\b(?:(?P<fee>fees?|charges?|charged|costs?|price[ds]?|commission)|(?P<limit>limits?|limited|maximum|max|up[ ]to"
    r"|capped|at[ ]most|no[ ]more[ ]than)|(?P<minimum>minimum|min|at[ ]least|no[ ]less[ ]than)"
    r"|(?P<repayment>repayments?|instal(?:l)?ments?))\b")


# a substring of each alternative of _MONEY_ROLE_WORDS (test_money_role_keys_cover_the_words)
_MONEY_ROLE_KEYS = ("fee", "charge", "cost", "price", "commission", "limit", "max", "up to", "capped", "at most",
                    "no more than", "min", "at least", "no less than", "repayment", "instal")


_MONEY_ROLE_AFTER = re.compile(
    r"(?i)[ ]?(?:(?P<fee>fees?|charges?)|(?P<limit>limit|maximum|max|cap)|(?P<minimum>minimum|min)"
    r"|(?P<repayment>repayments?|instal(?:l)?ments?))\b")


def money_roles(view: str, start: int, end: int) -> frozenset[str]:
    """What an amount is, from the words of its clause before it (up to 64 characters) and the
    word right after it: ``fee`` (fee, charge, cost), ``limit`` (limit, maximum, up to),
    ``minimum``, ``repayment``. Empty when the clause does not say."""
    lo = max(0, start - 64)
    window = view[lo:start].lower()
    cut = max(window.rfind(". "), window.rfind("; "), window.rfind("\n"), window.rfind("! "), window.rfind("? "))
    if cut >= 0:
        window = window[cut + 2:]
    # every alternative of _MONEY_ROLE_WORDS holds one of _MONEY_ROLE_KEYS: without any, no match
    # (the regex tries each alternative at every character: some microseconds a window)
    found = ({m.lastgroup for m in _MONEY_ROLE_WORDS.finditer(window)}
             if any(k in window for k in _MONEY_ROLE_KEYS) else set())
    m = _MONEY_ROLE_AFTER.match(view, end)  # "a £25 fee", "£3 minimum"
    if m is not None:
        found.add(m.lastgroup)
    return frozenset(r for r in found if r is not None) if found else _NO_ROLES


# what each match of _ROLE_BEFORE starts with, in lower case
_ROLE_KEYS = ("apr", "aer", "ear", "apy", "annual", "effective", "gross", "base")


def _last_role_before(window: str) -> re.Match[str] | None:
    """The last match of ``_ROLE_BEFORE.finditer(window)``, tried only where a match can start (a
    key of ``_ROLE_KEYS``), from the right. Its matches cannot overlap (no phrase holds another's
    first word at a word start), so the last one is the one that starts furthest right. A window
    beyond ASCII is scanned whole (case-insensitive matching takes some other letters for these)."""
    if not window.isascii():
        found = None
        for r in _ROLE_BEFORE.finditer(window):
            found = r
        return found
    low = window.lower()
    best: re.Match[str] | None = None
    for key in _ROLE_KEYS:
        i = low.rfind(key)
        while i >= 0 and (best is None or i > best.start()):
            m = _ROLE_BEFORE.match(window, i)
            if m is not None:
                best = m
                break
            i = low.rfind(key, 0, i + len(key) - 1)
    return best


def _role(view: str, start: int, end: int) -> str | None:
    """The kind of rate a percentage states, from the words right after it or earlier in its clause."""
    m = _ROLE_AFTER.match(view, end)
    if m is not None:
        return _ROLES[m.group("r").lower()]
    lo = max(0, start - 48)
    window = view[lo:start]
    low = window.lower()
    if not ("ap" in low or "aer" in low or "ear" in low or "gross" in low or "annual" in low or "base" in low
            or "effective" in low):
        return None
    cut = None
    for c in _CLAUSE_END.finditer(window):
        cut = c.end()
    if cut is not None:
        window = window[cut:]
    r = _last_role_before(window)
    if r is None:
        return None
    found = r.group("r")
    return _ROLES[" ".join(found.lower().split())]


def _month_before(view: str, s: int) -> re.Match[str] | None:
    """A month name right before the number at ``s`` (``March 1``), checked cheaply first."""
    k = s - 1
    if k < 2 or not (view[k - 1].isalpha() or view[k - 1] == "."):
        return None
    a = k - 1
    while a > 0 and view[a - 1].isalpha() and k - a < 10:
        a -= 1
    if view[a:a + 3].lower() not in _MONTHS or not view[a].isupper():
        return None
    return _MONTH_BEFORE.search(view, max(0, s - 11), s)


def _period(view: str, pos: int) -> tuple[str | None, int]:
    m = _PER.match(view, pos)
    if m is None:
        return None, pos
    word = (m.group("p") or m.group("p2")).lower()
    return _PERIODS.get(word, _PERIODS.get(word.rstrip("."), word)), m.end()


def _currency_before(view: str, s: int) -> tuple[str | None, int]:
    """A currency symbol or code right before the number at ``s``: (ISO code, where it starts)."""
    i = s - 1
    if i >= 0 and view[i] == " ":
        i -= 1
    if i < 0:
        return None, s
    ch = view[i]
    code = _CURRENCY_SYMBOLS.get(ch)
    if code is not None:
        if ch == "$":
            j = i
            while j > 0 and view[j - 1].isalpha() and i - j < 2:
                j -= 1
            pre = view[j:i]
            if pre in _DOLLAR_PREFIXES and (j == 0 or not view[j - 1].isalnum()):
                return _DOLLAR_PREFIXES[pre], j
        return code, i
    if ch.isalpha() and i >= 2:
        word = view[i - 2:i + 1]
        if word in _CODES and (i < 3 or not view[i - 3].isalnum()):
            return word, i - 2
    return None, s


def _date_before(view: str, s: int, y: int) -> tuple[tuple[int | None, int, int | None], int] | None:
    """A date ending in the year at ``s``: ``1 March 2026``, ``March 1, 2026``, ``March 2026``."""
    lo = max(0, s - 24)
    window = view[lo:s]
    m = _DAY_MONTH_BEFORE.search(window)
    if m is not None:
        return (y, _month(m.group("mon")), int(m.group("d"))), lo + m.start()
    m = _MONTH_DAY_BEFORE.search(window)
    if m is not None:
        return (y, _month(m.group("mon")), int(m.group("d"))), lo + m.start()
    m = _MONTH_YEAR_BEFORE.search(window)
    if m is not None:
        return (y, _month(m.group("mon")), None), lo + m.start()
    return None


def _code_at(view: str, s: int) -> tuple[Claim | None, int]:
    """The identifier (``ISA24``, ``COVID-19``) holding the digits at ``s``, if it looks like a code."""
    n = len(view)
    a = s
    while a > 0 and view[a - 1] in _CODE_CHARS and s - a < 40:
        a -= 1
    b = s
    while b < n and view[b] in _CODE_CHARS and b - s < 40:
        b += 1
    while b > a and view[b - 1] == "-":
        b -= 1
    while a < b and view[a] == "-":
        a += 1
    token = view[a:b]
    if "_" in token:  # identifiers and placeholders such as <EMAIL_ADDRESS_1>
        return None, b
    key = token.replace("-", "")
    letters = sum(1 for c in key if c.isalpha())
    digits = len(key) - letters
    if len(key) >= 4 and digits >= 2 and letters >= 1 and key.upper() == key:
        return Claim("code", a, b, key, surface=token), b
    return None, b


# roles of an amount, from the kernel's bits (1 fee, 2 limit, 4 minimum, 8 repayment)
_ROLE_BITS = tuple(frozenset(r for b, r in ((1, "fee"), (2, "limit"), (4, "minimum"), (8, "repayment")) if k & b)
                   or _NO_ROLES for k in range(16))


def parse_at(view: str, s: int, g: Grammar, _range: bool = True) -> tuple[list[Claim], int]:
    """The claims that start with the digits at ``s`` (and whatever belongs to them before, such as
    a currency symbol or a month name), and where they end. No claim: ``([], end of the token)``.

    With the C kernel, a plain figure (a number with its currency, percentage, duration, period,
    rate kind and amount roles, no range) is read by ``figure_at``; everything else, and every
    figure without the kernel, by `parse_figure` (the reference: tests/grounding/test_cground.py)."""
    if _K is not None and _range:
        fast = _K.figure_at(view, s, g.decimal, g.group, g.order == "mdy")
        if fast is not None:
            first = _read_claim(view, fast)
            return [first], first.end
    return parse_figure(view, s, g, _range)


def _read_claim(view: str, fast: tuple[Any, ...]) -> Claim:
    """The claim of what the kernel's figure_at read (parse_at's reading, as its Python makes it)."""
    if len(fast) == 4:  # a date, time or code of a fixed shape
        kind, start, after, value = fast
        first = Claim(kind, start, after, value)
        if kind == "code":
            first.surface = view[start:after]
        return first
    kind, start, after, number, mag, op, opn, unit, per, role, roles = fast
    value = Decimal(number)
    if mag:
        value *= mag
    if op == 1:
        value = value / opn
    elif op == 2:
        value = value * opn
    first = Claim(kind, start, after, value, unit, role, per)
    if roles:
        first.roles = _ROLE_BITS[roles]
    return first


if _K is not None and hasattr(_K, "claim_type"):
    # the class the kernel's figure_claims makes (and settle reads) is this module's Claim
    _K.claim_type(Claim, Decimal, _ROLE_BITS)


def parse_figure(view: str, s: int, g: Grammar, _range: bool = True) -> tuple[list[Claim], int]:
    """`parse_at` in Python (the reference for the kernel's ``figure_at``)."""
    n = len(view)
    prev = view[s - 1] if s > 0 else " "
    if (prev.isalpha() and _currency_before(view, s)[0] is None) or prev == "_" or (
            prev == "-" and s >= 2 and view[s - 2].isalpha()):
        claim, end = _code_at(view, s)
        return ([claim] if claim is not None else []), end
    if prev == "+":
        m = _PHONE.match(view, s - 1)
        if m is not None:
            return [_code_claim(view, s - 1, m.end())], m.end()
    j = _DIGITS_FROM.match(view, s).end()  # type: ignore[union-attr]  # (matches the empty string)
    nxt = view[j] if j < n else ""
    cur, cstart = _currency_before(view, s)
    if cur is None and (nxt in _SHAPE_NEXT or nxt.isalpha() or view[s] == "0" or (
            nxt == " " and j + 1 < n and (view[j + 1].isupper() or view[j + 1] in "aApP"))):
        found = _shaped(view, s, j, nxt, g)
        if found is not None:
            return found
    num = g.other.match(view, s) or g.number.match(view, s)
    if num is None:  # pragma: no cover - the scanner only stops at digits
        return [], j
    e = num.end()
    int_part, frac = num.group("int"), num.group("frac")
    if num.re is g.other:  # "1.500,00" in an English text: the other convention, unmistakably
        int_part = int_part.replace(g.decimal, g.group)
    if cur is None and prev == " " and not frac:
        # a month name before the number: "March 1, 2026", "March 2026", "1 March 2026"
        mb = _month_before(view, s)
        if mb is not None:
            mo = _month(mb.group("mon"))
            m = _DAY_AFTER_MONTH.match(view, s)
            if m is not None and len(int_part) <= 2:
                y = int(m.group("y")) if m.group("y") else None
                d = int(m.group("d"))
                if _valid_date(y, mo, d):
                    return [Claim("date", mb.start(), m.end(), (y, mo, d))], m.end()
        if len(int_part) == 4:
            dated = _date_before(view, s, int(int_part))
            if dated is not None and _valid_date(*dated[0]):
                return [Claim("date", dated[1], e, dated[0])], e
    value = g.value(int_part, frac)
    if cur is None and prev == " " and s >= 3 and view[max(0, s - 5):s].rstrip().endswith(("-", " to", "and")):
        mr = _RANGE_BEFORE.search(view, max(0, s - 24), s)
        if mr is not None:
            cur = _CURRENCY_SYMBOLS.get(mr.group("sym"))
    start = cstart if cur is not None else s
    kind, unit, after = "number", cur, e
    c = view[e] if e < n else ""
    u = g.unit_after.match(view, e) if (c in " -%)" or c.isalpha()) and c else None
    last = u.lastgroup if u is not None else None
    if u is not None and last is not None:
        after = u.end()
        mag = u.group("mag")
        if mag is not None:
            word = mag.strip().lower()
            if len(word) > 2 or cur is not None or last == "cur":
                value *= _MAGNITUDES[word]
            elif last == "mag":
                after = e  # "5m" without a currency: metres or minutes, not millions
        if last in ("pct", "pp", "ppts"):
            kind, unit = "percent", "%"
        elif last == "bps":
            kind, unit, value = "percent", "%", value / 100
        elif last == "cur":
            code, div = _CURRENCY_WORDS[u.group("cur").split(" ")[0].lower()]
            kind, unit = "money", code
            if div != 1:
                value = value / div
        elif last == "dur":
            word = u.group("dur").lower()
            if word.split(" ")[0].split("-")[0] in ("business", "working", "banking"):
                kind, unit = "duration", "business-day"
            else:
                unit, factor = _DURATION_WORDS[word.split(" ")[-1].split("-")[-1]]
                kind, value = "duration", value * factor
    if kind == "number" and cur is not None:
        kind = "money"
    if kind == "number" and after < n and view[after].isalpha() and last != "ord":
        # "4G", "2FA", "10x": a token, not a figure
        claim, end = _code_at(view, s)
        return ([claim] if claim is not None else []), end
    role = per = None
    if kind in ("money", "percent"):
        per, after2 = _period(view, after)
        if per is not None:
            after = after2
        if kind == "percent":
            role = _role(view, start, after)
            ra = _ROLE_AFTER.match(view, after) if role is not None else None
            if ra is not None:
                after = ra.end()
    first = Claim(kind, start, after, value, unit, role, per)
    if kind == "money":
        first.roles = money_roles(view, start, after)
    c = view[after:after + 1]
    if _range and (c == "-" or (c == " " and view[after + 1:after + 2] in ("-", "t", "a"))):
        r = _RANGE.match(view, after)
        if r is not None and (r.group().strip() != "and" or view[max(0, start - 8):start].lower() == "between "):
            k = r.end()
            while k < n and view[k] not in _DIGITS:
                k += 1
            more, end = parse_at(view, k, g, _range=False)
            if more:
                second = more[0]
                if kind == "number" and second.kind in ("money", "percent", "duration"):
                    if second.kind == "duration" and second.unit != "business-day":
                        first.value = first.value * _range_factor(view, k, second.value, g)
                    first.kind, first.unit, first.per, first.role = second.kind, second.unit, second.per, second.role
                    # written with its unit only as the whole range ("5-10%"): the bare "5" is no
                    # spelling of 5% a source may be taken at its word for
                    first.surface = view[first.start:second.end]
                return [first, *more], end
    return [first], after


def _shaped(view: str, s: int, j: int, nxt: str, g: Grammar) -> tuple[list[Claim], int] | None:
    """Figures of a fixed shape starting at ``s`` (``j`` ends its digits, ``nxt`` follows them):
    numeric and ISO dates, sort codes, phone numbers, times, ``1 March 2026``."""
    n = len(view)
    k = j + 1
    while k < n and k - j <= 3 and view[k] in _DIGITS:
        k += 1
    if nxt in "-/." and k > j + 1 and k < n and view[k] == nxt:
        m = _ISO_DATE.match(view, s)
        if m is not None:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if _valid_date(y, mo, d):
                return [Claim("date", s, m.end(), (y, mo, d))], m.end()
        m = _NUM_DATE.match(view, s)
        if m is not None:
            if len(m.group("a")) <= 2:
                a, b, y = int(m.group("a")), int(m.group("b")), _year(m.group("c"))
                d, mo = (a, b) if g.order != "mdy" else (b, a)
            elif len(m.group("c")) <= 2:
                y, mo, d = int(m.group("a")), int(m.group("b")), int(m.group("c"))
            else:
                y, mo, d = 0, 0, 0
            if _valid_date(y, mo, d):
                return [Claim("date", s, m.end(), (y, mo, d))], m.end()
        m = _SORT_CODE.match(view, s)
        if m is not None:
            return [_code_claim(view, s, m.end())], m.end()
    if nxt in "/-" and j - s == 4:
        m = _TAX_YEAR.match(view, s)  # "2025/26": a tax or financial year, read as one reference
        if m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return [_code_claim(view, s, m.end())], m.end()
    if view[s] == "0":
        m = _PHONE.match(view, s)
        if m is not None and len(_ONE_DIGIT.findall(view, s, m.end())) >= 9:
            return [_code_claim(view, s, m.end())], m.end()
    after = view[j + 1:j + 2] if nxt == " " else nxt
    if nxt == ":" or after in ("a", "A", "p", "P") or (nxt == "." and k - j == 3 and (
            view[k:k + 2].lstrip()[:1] in "aApP" or (view[s] == "0" and j - s == 2))):
        m = _TIME.match(view, s)
        if m is not None:
            h = int(m.group("h") or m.group("h2") or m.group("h3"))
            mi = int(m.group("m") or m.group("m2") or m.group("m3") or 0)
            ap = (m.group("ap") or "").lower()
            if ap.startswith("p") and h < 12:
                h += 12
            elif ap.startswith("a") and h == 12:
                h = 0
            if h < 24 and mi < 60:
                return [Claim("time", s, m.end(), (h, mi))], m.end()
    if (nxt == " " and after.isupper()) or (nxt in ("s", "n", "r", "t") and j - s <= 2):
        m = _DAY_MONTH.match(view, s)
        if m is not None:
            year = int(m.group("y")) if m.group("y") else None
            mo, d = _month(m.group("mon")), int(m.group("d"))
            if _valid_date(year, mo, d):
                return [Claim("date", s, m.end(), (year, mo, d))], m.end()
    return None


def _range_factor(view: str, k: int, second: Decimal, g: Grammar) -> Decimal:
    """What the range's second figure (read at ``k`` as ``second``) was multiplied by to become a
    duration (``7`` for weeks): its value over the figure as written, or, when that is zero
    (``5-0 days``), the factor of its unit word."""
    written = g.value(*_num_parts(view, k, g))
    if written:
        return second / written
    m = g.number.match(view, k)
    u = g.unit_after.match(view, m.end()) if m is not None else None
    word = u.group("dur") if u is not None else None
    if word is None:  # pragma: no cover - the second figure was read as a duration
        return Decimal(1)
    return Decimal(_DURATION_WORDS[word.lower().split(" ")[-1].split("-")[-1]][1])


def _num_parts(view: str, s: int, g: Grammar) -> tuple[str, str | None]:
    m = g.number.match(view, s)
    assert m is not None
    return m.group("int"), m.group("frac")


def _code_claim(view: str, s: int, e: int) -> Claim:
    token = view[s:e]
    return Claim("code", s, e, _NOT_ALNUM.sub("", token).upper(), surface=token)


_ONE_DIGIT = re.compile("[0-9]")
# what str.isalnum() is not: re's \w is exactly str.isalnum() or "_"
_NOT_ALNUM = re.compile(r"[\W_]+")


# -- number words -----------------------------------------------------------------------------------


def words_value(phrase: str) -> Decimal | None:
    """``"thirty-five"`` -> 35, ``"one and a half"`` -> 1.5, ``"two hundred"`` -> 200."""
    total = 0
    current = 0
    half = False
    words = phrase.lower().replace("-", " ").split()
    if words[-3:] == ["and", "a", "half"]:
        half = True
        words = words[:-3]
    point = Decimal(0)
    if "point" in words:  # "three point five": the digits after the point, one word each
        k = words.index("point")
        digits = words[k + 1:]
        if not digits or any(_NUMBER_WORDS.get(w, 10) > 9 for w in digits):
            return None
        point = Decimal("0." + "".join(str(_NUMBER_WORDS[w]) for w in digits))
        words = words[:k]
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in _NUMBER_WORDS:
            current += _NUMBER_WORDS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[w]
            current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    value = Decimal(total + current)
    if point:
        return value + point
    return value + Decimal("0.5") if half else value


def value_words(value: Decimal) -> list[str]:
    """Ways a small value is written in words (``14`` -> ``fourteen``; ``35`` -> ``thirty-five``)."""
    if value != value.to_integral_value() or not 0 <= value < 100:
        return []
    v = int(value)
    if v in _WORDS_BY_VALUE:
        return [_WORDS_BY_VALUE[v]]
    tens, ones = _WORDS_BY_VALUE[v - v % 10], _WORDS_BY_VALUE[v % 10]
    return [f"{tens}-{ones}", f"{tens} {ones}"]


def word_claims(view: str, g: Grammar, start: int = 0, end: int | None = None,
                present: Set[str] | None = None) -> list[Claim]:
    """Figures written in words and followed by a unit: ``thirty-five pounds``, ``two weeks``.
    ``present``: the number words that are tokens of the text, when a pre-scan found them."""
    out: list[Claim] = []
    end = len(view) if end is None else end
    part = view[start:end]
    low = _lower(part)
    if len(low) != len(part):
        low = lower_same_length(part)  # offsets into low are offsets into view
    if present is None:
        words = low.split()
        if _NUMBER_WORD_TOKENS.isdisjoint(words):
            return out
        present = _NUMBER_WORD_SET.intersection(" ".join(words).replace("-", " ").split())
    starts = []
    for w in present:
        i = low.find(w)
        while i >= 0:
            starts.append(start + i)
            i = low.find(w, i + 1)
    starts.sort()
    consumed = start
    for a in starts:
        if a < consumed or (a > 0 and view[a - 1].isalpha()) or after_point(view, a):
            continue
        m = _NUMBER_WORD_RUN.match(view, a)
        if m is not None and m.end() <= end:
            consumed = m.end()
            c = word_claim_at(view, m, g)
            if c is not None:
                out.append(c)
    return out


def after_point(view: str, a: int) -> bool:
    """Whether the number word at ``a`` follows ``point`` (``nought point five``): a decimal's
    digits, not a figure."""
    return a >= 6 and view[a - 6:a].lower() == "point " and _POINT_BEFORE.search(view, max(0, a - 7), a) is not None


def _word_count(view: str, m: re.Match[str], value: Decimal) -> Claim | None:
    """A count written in words before a plural noun (``four withdrawals a month``): the number it
    is, as ``4 withdrawals`` is: small whole counts (2 to 99) only; ``one`` is not read
    (``one of our advisers``), nor the answer's own structure (``three simple steps``)."""
    if not 2 <= value < 100 or value != value.to_integral_value():
        return None
    c = _COUNT_NOUN.match(view, m.end())
    if c is None or c.group("noun") in _NOT_COUNT_NOUNS or _structural(view, m.start(), m.end()):
        return None
    return Claim("number", m.start(), m.end(), value)


def word_claim_at(view: str, m: re.Match[str], g: Grammar) -> Claim | None:
    value = words_value(m.group())
    if value is None:
        return None
    p = _PAREN_FIGURE.match(view, m.end())  # "thirty (30) days": the figure in brackets repeats it
    u = g.unit_after.match(view, p.end() if p is not None else m.end())
    if u is None or u.lastindex is None:
        return _word_count(view, m, value)
    if u.group("ord") or u.group("mag"):
        return None
    after = u.end()
    if u.group("pct") or u.group("ppts"):
        return Claim("percent", m.start(), after, value, "%", _role(view, m.start(), after))
    if u.group("cur"):
        word = u.group("cur").split(" ")[0].lower()
        if word == "p":
            return None
        code, div = _CURRENCY_WORDS[word]
        per, after2 = _period(view, after)
        c = Claim("money", m.start(), after2, value / div if div != 1 else value, code, None, per)
        c.roles = money_roles(view, c.start, c.end)
        return c
    if u.group("dur"):
        word = u.group("dur").lower()
        if word.split(" ")[0].split("-")[0] in ("business", "working", "banking"):
            return Claim("duration", m.start(), after, value, "business-day")
        unit, factor = _DURATION_WORDS[word.split(" ")[-1].split("-")[-1]]
        return Claim("duration", m.start(), after, value * factor, unit)
    return None


# -- structure: sentences, exclusions, citations, quotes, entities ----------------------------------

_PAREN_FIGURE = re.compile(r"[ ]\([0-9]+\)(?=[ ])")
_URLISH = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|<[A-Z][A-Z0-9_]*>|\b24/7\b"
                     r"|\b24[ -]hours?[ ]a[ ]day|\b7[ ]days[ ]a[ ]week|\b365[ ]days[ ]a[ ]year")
_LIST_MARKER = re.compile(r"(?m)^[ ]*[0-9]{1,2}[.)](?=[ ])")
_CITATION = re.compile(r"\[\^?(?P<ids>[A-Za-z0-9][\w.:/#-]{0,63}(?:[ ]?[,;][ ]?\^?[A-Za-z0-9][\w.:/#-]{0,63})*)\](?!\()")
_QUOTE = re.compile(r'"(?P<q>[^"\n]{1,600})"')
_SENTENCE_END = re.compile(r"[.!?\n]")
_AFTER_STOP = frozenset(" \n\"')]")
_ABBREVIATIONS = ("e.g", "i.e", "p.a", "approx", "etc", "incl", "min", "max", "no", "nos", "vs", "ref")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")

#: Words that end a product or fee name: "Easy Saver account", "Late Payment Fee".
HEAD_NOUNS = frozenset("""account accounts saver savers isa isas bond bonds card cards mortgage mortgages loan
loans fee fees charge charges rate rates plan plans overdraft overdrafts tracker trackers reward rewards
cashback insurance cover scheme schemes service services package packages bundle bundles club membership
allowance allowances deposit deposits pension pensions fund funds portfolio portfolios product products
tariff tariffs premium premiums""".split())  # noqa: SIM905
_DETERMINERS = frozenset("""the a an our your their this that these those its my his her each every any all
some no with for from to and or of in on at by as if when while but so however please note yes also
both either neither new existing""".split())  # noqa: SIM905 (a word list reads better as text)
_CONNECTORS = frozenset({"of", "and", "&", "for", "plus", "the"})


def exclusions(view: str) -> list[tuple[int, int]]:
    """Spans holding no claims: URLs, e-mail addresses, placeholders, list markers."""
    spans: list[tuple[int, int]] = []
    if view.isascii() or _K is None:  # str's own search is fast on a 1-byte text
        urlish = ("://" in view or "www." in view or "@" in view or "<" in view or "24/7" in view
                  or " a day" in view or " a week" in view or " a year" in view)
    else:  # a wider text ("\u20ac"): the kernel's find, which is str.find without its slow walk
        urlish = _K.find_any(view, _URLISH_NEEDLES) if hasattr(_K, "find_any") else any(
            _K.find(view, a, 0) >= 0 for a in _URLISH_NEEDLES)
    if urlish:
        spans.extend(_urlish_spans(view))
    if view[:1].isdigit() or "\n" in view or view[:1] == " ":
        spans.extend(m.span() for m in _LIST_MARKER.finditer(view))
    spans.sort()
    return spans


# What each alternative of _URLISH must contain (any case), and how far before it its match may
# start within the same stretch ("365 days a year" starts 8 characters before " a year").
_URLISH_ANCHORS = (("://", 0), ("www.", 0), ("@", 0), ("<", 0), ("24/7", 0), (" a day", 12), (" a week", 12),
                   (" a year", 12))
_URLISH_NEEDLES = tuple(a for a, _ in _URLISH_ANCHORS)
# the words a phrase's anchor follows, in lower case ("\u017f", the long s, matches "s" in any case)
_PHRASE_HEADS = {" a day": ("24 hour", "24 hours", "24-hour", "24-hours"), " a week": ("7 days",),
                 " a year": ("365 days",)}
_SPACE = re.compile(r"\s")
_TOKEN_REST = re.compile(r"\S*")
_LOOKBACK = 256


def _lower(text: str) -> str:
    """``text.lower()``; by the kernel for a plain text beyond ASCII (ASCII and uncased signs such
    as "\u00a3" and "\u20ac": no Unicode tables, a few times faster than str.lower on such text)."""
    if _K is not None and not text.isascii():
        low: str | None = _K.lower_plain(text)
        if low is not None:
            return low
    return text.lower()


def _urlish_spans(view: str) -> list[tuple[int, int]]:
    """The spans of ``_URLISH.finditer(view)``, scanning only windows around the anchors every
    match contains. A window runs from the start of the whitespace-delimited token holding
    (anchor start - its reach) to the end of the token holding the anchor's end; overlapping
    windows merge. A match lies in one token, or (the phrases) within its anchor's window, so no
    match starts outside a window or crosses a window's edge, and each window reads as within the
    whole text. Linear: each character is scanned by a bounded number of windows (the regex over
    a whole text tries every alternative at every position: ~100 ns a character)."""
    low = _lower(view)
    if len(low) != len(view):  # a character whose lower case is longer: offsets would not match
        return [m.span() for m in _URLISH.finditer(view)]
    anchors: list[tuple[int, int]] = []
    find = low.find if _K is None or low.isascii() else functools.partial(_K.find, low)
    for a, reach in _URLISH_ANCHORS:
        heads = _PHRASE_HEADS.get(a)
        i = find(a, 0)
        while i >= 0:
            # a phrase's anchor without the words before it is part of no match (a match within
            # one token holds no space): it opens no window
            if heads is None or low[max(0, i - 8):i].replace("\u017f", "s").endswith(heads):
                anchors.append((max(0, i - reach), i + len(a)))
            i = find(a, i + 1)
    anchors.sort()
    out: list[tuple[int, int]] = []
    lo = hi = -1  # the current window
    for s, e in anchors:
        if s <= hi:
            hi = max(hi, _TOKEN_REST.match(view, e).end())  # type: ignore[union-attr]
            continue
        if hi >= 0:
            out.extend(m.span() for m in _URLISH.finditer(view, lo, hi))
        # the start of the token holding s: just after the last whitespace before it (or the end
        # of the last window, or the text's start, which are as safe)
        floor = max(0, hi, s - _LOOKBACK)
        m = _SPACE.search(view[floor:s][::-1])
        if m is not None:
            lo = s - m.start()
        elif floor == max(0, hi):
            lo = floor
        else:  # a token longer than the look-back: read the whole text as it always was
            return [m.span() for m in _URLISH.finditer(view)]
        hi = _TOKEN_REST.match(view, e).end()  # type: ignore[union-attr]
    if hi >= 0:
        out.extend(m.span() for m in _URLISH.finditer(view, lo, hi))
    return out


def sentence_ends(view: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets just after each sentence end (``.``, ``!``, ``?`` before a space, or a line break)."""
    end = len(view) if end is None else end
    out = []
    n = len(view)
    for m in _SENTENCE_END.finditer(view, start, end):
        e = m.end()
        if m.group() != "\n":
            if e < n and view[e] not in _AFTER_STOP:
                continue  # "3.5", "bank.example"
            if m.group() == "." and view[max(0, e - 7):e - 1].lower().endswith(_ABBREVIATIONS):
                w = e - 2
                while w >= 0 and (view[w].isalpha() or view[w] == "."):
                    w -= 1
                if view[w + 1:e - 1].lower() in _ABBREVIATIONS:
                    continue
        out.append(e)
    return out


def citations(view: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Citation markers ``[1]``, ``[2, 3]``, ``[doc-id]``, ``[^1]`` (not Markdown links)."""
    if "[" not in view:
        return []
    out = []
    for m in _CITATION.finditer(view):
        ids = tuple(p.strip().lstrip("^") for p in re.split(r"[,;]", m.group("ids")))
        out.append((m.start(), m.end(), ids))
    return out


def quotes(view: str, min_words: int) -> list[Claim]:
    """Double-quoted passages of at least ``min_words`` words (shorter ones are names or scare quotes)."""
    if '"' not in view:
        return []
    out = []
    for m in _QUOTE.finditer(view):
        q = m.group("q").strip()
        if len(_WORD.findall(q)) >= min_words:
            out.append(Claim("quote", m.start("q"), m.end("q"), " ".join(q.split()), surface=q))
    return out


_CAPS_RUN = re.compile(r"[A-Z][A-Za-z0-9&'+]*(?:[ ](?:of[ ]|and[ ]|for[ ]|plus[ ]|&[ ])?[A-Z0-9][A-Za-z0-9&'+]*)*"
                       r"(?:[ ](?P<next>[a-z]+))?")


_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9&'+ ]")


def _sentence_start(view: str, a: int) -> bool:
    k = a - 1
    while k >= 0 and view[k] in " \"'(*-":
        k -= 1
    return k < 0 or view[k] in ".!?:\n"


def entities(view: str, starts: frozenset[int] | None = None, heads: Sequence[int] | None = None) -> list[Claim]:
    """Product and fee names: capitalised words ending in (or followed by) a head noun such as
    *Account*, *Saver*, *Fee*, *Rate*. ``value`` is the folded name without a lower-case head noun;
    ``surface`` is the name as written. ``starts`` are sentence starts (a single capitalised word
    there is just the first word of a sentence)."""
    if _K is not None and starts is None:  # the kernel reads the same names (test_cground.py)
        listed = heads if heads is None or isinstance(heads, list) else list(heads)
        made = getattr(_K, "entity_claims", None)  # the claims made in C, as below (None: an older kernel)
        found = made(view, listed) if made is not None else None
        if found is not None:
            return found  # type: ignore[no-any-return]
        spans = _K.entity_spans(view, listed) if made is None else None
        if spans is not None:
            out = []
            for k in range(0, len(spans), 3):
                a, e, c = spans[k], spans[k + 1], spans[k + 2]
                core = view[a:c]
                out.append(Claim("entity", a, e, core.lower(), surface=core))
            return out
    if heads is not None:
        return _entities_near(view, heads, starts)
    return _entities(view, starts, 0, len(view))


def _entities_near(view: str, heads: Sequence[int], starts: frozenset[int] | None) -> list[Claim]:
    """`entities` read only in the stretches of name characters (letters, digits, ``&'+`` and
    spaces) that hold a head noun (``heads``: offsets inside one, ascending). A name never runs
    across any other character, so each stretch reads as it would within the whole text."""
    out: list[Claim] = []
    n = len(view)
    done = 0
    for p in heads:
        if p < done:
            continue
        # read from just after the last full stop, comma or line break before the head noun (or
        # where the last stretch read ended): no name runs across those, so the reading from
        # there is the one the whole text gives
        a = max(view.rfind(".", done, p), view.rfind(",", done, p), view.rfind("\n", done, p)) + 1
        a = max(a, done)
        m = _NOT_NAME_CHAR.search(view, p)
        b = m.start() if m is not None else n
        out.extend(_entities(view, starts, a, b))
        done = b
    return out


def _entities(view: str, starts: frozenset[int] | None, lo: int, hi: int) -> list[Claim]:
    out: list[Claim] = []
    n = len(view)
    for m in _CAPS_RUN.finditer(view, lo, hi):
        nxt = m.group("next")
        e = m.end()
        if nxt is not None and nxt in HEAD_NOUNS and (e >= n or not view[e].isalnum()):
            # a lower-case head right after the name: "Easy Saver account"
            head_lower = True
            run = view[m.start():m.start("next") - 1]
        else:
            run = view[m.start():m.start("next") - 1] if nxt is not None else m.group()
            if run[run.rfind(" ") + 1:].lower() not in HEAD_NOUNS:
                continue
            head_lower = False
            e = m.start() + len(run)
        a = m.start()
        if a > 0 and (view[a - 1].isalnum() or view[a - 1] in "_'"):
            continue
        words = run.split(" ")
        # drop leading determiners ("Your", "The")
        while words and words[0].lower() in _DETERMINERS:
            a += len(words[0]) + 1
            words = words[1:]
        if not words:
            continue
        name = words if head_lower else words[:-1]
        while name and name[-1].lower() in _CONNECTORS:
            name = name[:-1]
        if not name:
            continue
        at_start = _sentence_start(view, a) if starts is None else (a in starts or a == 0)
        if at_start and len(name) == 1 and name[0][1:].islower() and not any(c.isdigit() for c in name[0]):
            continue  # "Savings accounts ...": the first word of a sentence, not a name
        if head_lower and all(w.lower() in HEAD_NOUNS or w.lower() in _CONNECTORS for w in name):
            continue
        core = " ".join(name) if head_lower else view[a:e]
        out.append(Claim("entity", a, e, core.lower(), surface=core))
    return out


# -- whole texts ------------------------------------------------------------------------------------


def extract(view: str, g: Grammar, *, kinds: frozenset[str] | None = None, start: int = 0,
            end: int | None = None, skip: list[tuple[int, int]] | None = None,
            pre: Prescan | None = None) -> list[Claim]:
    """Every figure, date, time and code in ``view[start:end]`` (entities and quotes: see
    `entities` and `quotes`), in order. ``skip`` spans (sorted) hold no claims. ``pre``: what a
    pre-scan of the whole ``view`` found (see `prescan`)."""
    end = len(view) if end is None else end
    out: list[Claim] = []
    consumed = start
    if skip is None:
        skip = exclusions(view)
    k = 0

    def keep(claims: Iterable[Claim]) -> None:
        for c in claims:
            if c.kind == "number" and _structural(view, c.start, c.end):
                continue
            if kinds is None or c.kind in kinds:
                if not c.surface:
                    c.surface = view[c.start:c.end]
                out.append(c)

    made = getattr(_K, "figure_claims", None)  # None without the kernel (or an older one)
    runs: Any = getattr(_K, "figure_runs", None) if made is None else None
    if made is not None or runs is not None:
        # the loop below in one kernel call, up to each run it leaves to parse_figure; figure_claims
        # makes the figures' claims itself (the Claims _read_claim makes) and appends them to out
        flat = [x for span in skip for x in span]
        pos, mdy = start, g.order == "mdy"
        while True:
            if made is not None:
                numbers, s, run_end, k, consumed = made(view, pos, end, consumed, flat, k, g.decimal, g.group, mdy,
                                                        kinds, out)
                for c in numbers:
                    if _structural(view, c.start, c.end):
                        out.remove(c)
            else:
                figures, s, run_end, k, consumed = runs(view, pos, end, consumed, flat, k, g.decimal, g.group, mdy)
                for f in figures:  # keep(), inline: the figures the kernel read
                    c = _read_claim(view, f)
                    if (c.kind != "number" or not _structural(view, c.start, c.end)) and (
                            kinds is None or c.kind in kinds):
                        if not c.surface:
                            c.surface = view[c.start:c.end]
                        out.append(c)
            if s < 0:
                break
            claims, after = parse_figure(view, s, g)
            consumed = max(after, run_end)
            keep(claims)
            pos = run_end
    else:
        for s, run_end in _digit_spans(view, start, end):
            if s < consumed:
                continue
            while k < len(skip) and skip[k][1] <= s:
                k += 1
            if k < len(skip) and skip[k][0] <= s:
                consumed = skip[k][1]
                continue
            prev = view[s - 1] if s > 0 else " "
            if prev in ".," and s >= 2 and view[s - 2] in _DIGITS:
                continue  # the tail of a number already read
            claims, after = parse_at(view, s, g)
            consumed = max(after, run_end)
            keep(claims)
    if pre is not None and (start != 0 or end != len(view)):
        pre = None
    if (pre is None or pre.number_words is None or pre.number_words) and (
            "-" in view[start:end] or " " in view[start:end]):
        words = word_claims(view, g, start, end, present=pre.number_words if pre is not None else None)
        if words:
            # a figure read from digits already covers "5 thousand pounds" and "thirty (30) days"
            taken = Spans([(c.start, c.end) for c in out])
            skipped = Spans(skip)
            out.extend(c for c in words if (kinds is None or c.kind in kinds)
                       and not skipped.holds(c.start) and not taken.overlaps(c.start, c.end))
            out.sort(key=lambda c: c.start)
    if kinds is None or "money" in kinds:
        _compound_money(view, out)
    return out


#: currencies counted in hundredths ("twelve pounds fifty", "7 euros and 25 cents")
_CENTS = frozenset(("GBP", "USD", "EUR", "CHF", "AUD", "CAD", "NZD", "SGD", "HKD", "INR"))
#: the hundredths said after a currency word, as a bare number: "12 pounds 50", "twelve pounds fifty"
_MINOR_AFTER = re.compile(r"(?i)(?:[ ]and)?[ ](?:(?P<d>[0-9]{2})(?![0-9%]|[.,:/][0-9])|(?P<w>[a-z]+(?:-[a-z]+)?))")
_CENT_WORD = re.compile(r"(?i)cents?\.?$")  # alone "cents" reads as USD; after an amount, its hundredths
_MINOR_END = re.compile(r"[ ]?(?:[.,;:!?)\n]|$)")


_KIND_OF = attrgetter("kind")


def _compound_money(view: str, out: list[Claim]) -> None:
    """Join an amount said in two parts into one (in place): ``twelve pounds fifty``, ``12 pounds
    50 pence``, ``£12 and 50p``, ``twenty dollars and ninety-nine cents`` are all 12.50 or 20.99,
    as ``£12.50`` is. Without it each part is a figure of its own that no source states, and a
    faithful answer written as people speak is flagged."""
    kinds = list(map(_KIND_OF, out))  # kept in step with out: the next amount found by list.index, in C
    i = 0
    while i < len(out):
        if kinds[i] != "money":
            try:
                i = kinds.index("money", i)
            except ValueError:
                return
        c = out[i]
        if c.unit not in _CENTS or c.per is not None or c.value != c.value.to_integral_value():
            i += 1
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        gap = view[c.end:nxt.start] if nxt is not None else None
        if (nxt is not None and nxt.kind == "money" and 0 < nxt.value < 1 and gap in ("", " ", " and ") and (
                nxt.unit == c.unit or (nxt.unit == "USD" and _CENT_WORD.search(view, nxt.start, nxt.end)))):
            minor, end = nxt.value, nxt.end  # "£12 and 50p", "12 pounds 50 pence"
            del out[i + 1]
            del kinds[i + 1]
        elif view[c.end - 1:c.end].isalpha() and (m := _MINOR_AFTER.match(view, c.end)) is not None:
            # "12 pounds 50", "twelve pounds fifty": hundredths only when nothing follows them
            # but the end of the clause or a period ("... fifty a month")
            n = Decimal(m.group("d")) if m.group("d") else words_value(m.group("w"))
            if n is None or not 1 <= n <= 99 or n != n.to_integral_value() or (
                    _period(view, m.end())[0] is None and _MINOR_END.match(view, m.end()) is None):
                i += 1
                continue
            minor, end = n / 100, m.end()
            while i + 1 < len(out) and out[i + 1].start < end:
                del out[i + 1]  # a part of the hundredths read as a figure of its own
                del kinds[i + 1]
        else:
            i += 1
            continue
        c.value += minor
        c.per, c.end = _period(view, end)
        if c.per is None:
            c.end = end
        c.surface = view[c.start:c.end]
        c.roles = money_roles(view, c.start, c.end)
        i += 1


def _digit_spans(view: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans of the runs of digits of ``view[start:end]``, in order (``_SCAN.finditer``)."""
    if _K is None:
        return map(re.Match.span, _SCAN.finditer(view, start, end))
    flat = iter(_K.digit_spans(view, start, end))
    return zip(flat, flat, strict=True)


class Spans:
    """Spans ``(a, b)`` asked whether one holds a position or overlaps a span, in O(log n) a
    question (sorted by start, with the furthest end so far)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._ends: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self._ends.append(furthest)

    def holds(self, pos: int) -> bool:
        """``any(a <= pos < b)``"""
        k = bisect_right(self._starts, pos)
        return k > 0 and self._ends[k - 1] > pos

    def overlaps(self, start: int, end: int) -> bool:
        """``any(a < end and start < b)``"""
        k = bisect_left(self._starts, end)
        return k > 0 and self._ends[k - 1] > start


def _structural(view: str, s: int, e: int) -> bool:
    """``Step 2``, ``option 3``, ``3 simple steps``: numbers that order or count the answer's own
    parts rather than state a fact."""
    return (s > 0 and _STRUCTURE_BEFORE.search(view, max(0, s - 10), s) is not None) or (
        _STRUCTURE_AFTER.match(view, e) is not None)


# -- one pre-scan of an answer (Hyperscan) ----------------------------------------------------------

# Python's whitespace among the first 256 characters (what str.split() splits at)
_WS = r"[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0]"
_WORD_LIST = sorted(_NUMBER_WORD_SET)
# whitespace beyond Latin-1 (str.split() splits at it)
_WIDE_SPACE = re.compile("[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


class Prescan:
    """What one Hyperscan pass over an answer's view found: ``heads``, an offset inside each head
    noun (ascending; the entities are read only around them); ``number_words``, the number words
    that are tokens of the text (empty: no figure is written in words; None: not known)."""

    __slots__ = ("heads", "number_words")

    def __init__(self, heads: list[int], number_words: frozenset[str] | None) -> None:
        self.heads = heads
        self.number_words = number_words


@functools.cache
def _prescan_db() -> _hs.Database | None:
    """Compiled once per process: head nouns (any case, anywhere), whether a whitespace token is
    a number word, and which number words are tokens between whitespace and hyphens."""
    tokens = "|".join(sorted(_NUMBER_WORD_TOKENS, key=len, reverse=True))
    patterns = [("(?:" + "|".join(sorted(HEAD_NOUNS, key=len, reverse=True)) + ")", True, False),
                (f"(?:^|{_WS})(?:{tokens})(?:{_WS}|$)", True, True)]
    patterns.extend((f"(?:^|{_WS}|-){w}(?:{_WS}|-|$)", True, True) for w in _WORD_LIST)
    return _hs.compile_db(patterns)


def prescan_ready() -> bool:
    """Whether answers can be pre-scanned here (Hyperscan installed and the scan switch on);
    validators ask once, when they are built, and compile the database then."""
    return _scan.AVAILABLE and _scan.ENABLED and _prescan_db() is not None


def prescan(view: str) -> Prescan | None:
    """One pass over ``view`` (see `Prescan`); None when it cannot be scanned byte for character
    (a character beyond Latin-1): the exact pure-Python readers then run alone."""
    db = _prescan_db()
    if db is None:
        return None
    words_known = True
    try:
        # the euro sign as the generic currency sign keeps the offsets (neither is a letter or space)
        data = (view.replace("\u20ac", "\u00a4") if "\u20ac" in view else view).encode("latin-1")
    except UnicodeEncodeError:
        # one "?" per wider character keeps the offsets; no name or number word holds one, but
        # a wide space separates tokens, so number words are then left to their own reader
        data = view.encode("latin-1", "replace")
        words_known = _WIDE_SPACE.search(view) is None
    heads: list[int] = []
    flags: list[int] = []

    def on_match(hid: int, start: int, end: int, f: int, ctx: Any) -> None:
        if hid == 0:
            heads.append(end - 1)
        else:
            flags.append(hid)

    db.scan(data, on_match)
    if not words_known:
        return Prescan(heads, None)
    if 1 not in flags:
        return Prescan(heads, frozenset())
    return Prescan(heads, frozenset(_WORD_LIST[h - 2] for h in flags if h >= 2))
