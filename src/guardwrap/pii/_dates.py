"""Dates (``DATE_TIME``): numeric dates that are plausible calendar dates, dates with a written
month (``Jan 10, 1944``, ``09-Dec-1998``, ``10. März 1961``) and two-digit years (``9/15/61``).
A date is personal data only as a date of birth, so it needs a birth word before it (two-digit
years score lower still: they are only dates at all when the context says so)."""

from __future__ import annotations

import re

import regex

from .._native import kernel
from ._shapes import trie

ENTITIES = ("DATE_TIME",)
CONTEXT = {"DATE_TIME": ("born", "birth", "dob", "d.o.b", "birthday", "date of birth", "birth date",
                         "birthdate", "dateofbirth", "geburtsdatum", "geb", "geboren", "ne le", "nee le",
                         "naissance", "nacimiento", "nascita", "geboortedatum", "urodzenia", "age")}

#: a birth label right after a date ("10 Jan 1944 (date of birth)", "03/03/1985 - DOB"): only the
#: punctuation that attaches a label may stand between them, and the label ends there ("... birthday
#: party" or ", born in Leeds" is something else)
BIRTH_AFTER = regex.compile(
    r"[ \t]*(?:[(\[:/|\-\u2013\u2014][ \t]*)?(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|"
    r"geburtsdatum|geb\.|date de naissance|fecha de nacimiento|data di nascita|geboortedatum|data urodzenia)"
    r"(?=[ \t]*(?:[)\].,;\r\n]|$))", regex.IGNORECASE)


def birth_after(text: str, end: int) -> bool:
    """`BIRTH_AFTER` matches at ``end`` (a date's end): asked only when the first character after
    the blanks and an optional bracket or dash can start one of its words (d, b, g, f in either
    case; any non-ASCII character, which the pattern's case folding reads)."""
    n = len(text)
    i = end
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] in "([:/|-\u2013\u2014":
        i += 1
        while i < n and text[i] in " \t":
            i += 1
    if i >= n or (text[i] not in "dDbBgGfF" and text[i].isascii()):
        return False
    return BIRTH_AFTER.match(text, end) is not None


#: base scores: a full date with a four-digit year, and one with a two-digit year
FULL = 0.45
SHORT = 0.3

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_MONTHS = {
    1: "jan january januar janvier enero gennaio januari ene gen",
    2: "feb february februar fevrier février febrero febbraio februari fev fév",
    3: "mar march marz märz maerz mars marzo maart mrz",
    4: "apr april avril abril aprile avr abr",
    5: "may mai mayo maggio mei mag",
    6: "jun june juni juin junio giugno giu",
    7: "jul july juli juillet julio luglio jui lug",
    8: "aug august aout août agosto augustus ago",
    9: "sep sept september septembre septiembre settembre set",
    10: "oct october oktober octobre octubre ottobre okt ott",
    11: "nov november novembre noviembre",
    12: "dec december dezember decembre décembre diciembre dicembre dez dic",
}
MONTH = {w: m for m, words in _MONTHS.items() for w in words.split()}
#: the month words as a plain alternation, longest first (the reference of `_MONTH_ALT`)
MONTH_ALT_PLAIN = "|".join(sorted(MONTH, key=len, reverse=True))
# ... and as a trie (`_shapes.trie`: a failing month costs a few steps, not one per word): the
# same match, as a month word is followed by a separator that no longer month word holds there
_MONTH_ALT = trie(MONTH)
_SEP = r"(?:[ \-/.,]|\. |, ){1,2}"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}|'?[0-9]{2}"
# "10 January 1944", "10th of Jan, 1944", "09-Dec-1998", "10. März 1961"
DAY_FIRST = regex.compile(
    rf"(?P<d>{_DAY})\.?(?: of)?{_SEP}(?P<m>{_MONTH_ALT})\.?{_SEP}(?P<y>{_YEAR})(?![0-9A-Za-z])",
    regex.IGNORECASE,
)
# "Jan 10, 1944", "January 10th 1944", "Dec-09-1998"
MONTH_FIRST = regex.compile(
    rf"(?<![A-Za-z])(?P<m>{_MONTH_ALT})\.?{_SEP}(?P<d>{_DAY}){_SEP}(?P<y>{_YEAR})(?![0-9A-Za-z])",
    regex.IGNORECASE,
)


# `DAY_FIRST` and `MONTH_FIRST` for ASCII text, on the stdlib engine: the same source, so the same
# match at every position of an ASCII text (no character of the patterns outside ASCII folds to an
# ASCII one in either engine; `tests/pii/test_pii_dates_twins.py` compares them). The `regex`
# programs of these two patterns run cold inside a scan (the other families run in between) and
# cost several times the stdlib engine's compact code there.
DAY_FIRST_ASCII = re.compile(DAY_FIRST.pattern, re.IGNORECASE)
MONTH_FIRST_ASCII = re.compile(MONTH_FIRST.pattern, re.IGNORECASE)


def plausible_date(y: int, m: int, d: int) -> bool:
    return 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= _DAYS[m - 1]


def numeric_date(parts: list[str]) -> float | None:
    """Base score of three digit groups read as a date: Y-M-D, D-M-Y or M-D-Y with a four-digit
    year (`FULL`), D-M-YY or M-D-YY (`SHORT`); None when they are no date."""
    pa, pb, pc = parts
    la, lb, lc = len(pa), len(pb), len(pc)
    if la == 4 and lb <= 2 and lc <= 2:
        return FULL if plausible_date(int(pa), int(pb), int(pc)) else None
    if lb > 2 or la > 2:
        return None  # no shape below fits: the groups are not read as numbers
    if lc == 4:
        a, b, c = int(pa), int(pb), int(pc)
        return FULL if plausible_date(c, b, a) or plausible_date(c, a, b) else None
    if lc == 2:
        a, b, y = int(pa), int(pb), 1900 + int(pc)
        return SHORT if plausible_date(y, b, a) or plausible_date(y, a, b) else None
    return None


#: day, month and year in groups of two, two and four (either way round) split by spaces
SPACED_SHAPES = frozenset(("99 99 9999", "9999 99 99"))


def compact_date(digits: str) -> float | None:
    """Eight digits read as YYYYMMDD, DDMMYYYY or MMDDYYYY: a base score that needs a birth context
    word to reach the threshold (`SHORT`), or None when no reading is a plausible date."""
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if plausible_date(y, m, d):
        return SHORT
    a, b, y = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    return SHORT if plausible_date(y, b, a) or plausible_date(y, a, b) else None


_PREFIXES = frozenset(w[:3] for w in MONTH)


ORDINAL = frozenset(("st", "nd", "rd", "th"))


def _month_near(text: str, s: int, e: int) -> bool:
    """Cheap test: a word starting like a month name just after or before the run (after a day's
    ordinal suffix and "of": "3rd March", "21st of Jan")."""
    i = e
    if text[e:e + 2].lower() in ORDINAL and not text[e + 2:e + 3].isalpha():
        i = e + 2
        if text[i:i + 4].lower() == " of ":
            i += 3
    start = i
    while i < len(text) and i < start + 3 and not text[i].isalpha():
        i += 1
    if text[i:i + 3].lower() in _PREFIXES:
        return True
    j = s - 1
    while j > 0 and j > s - 4 and not text[j].isalpha():
        j -= 1
    k = j
    while k > 0 and text[k - 1].isalpha() and j - k < 12:
        k -= 1
    return text[k:k + 3].lower() in _PREFIXES


#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON): `_month_near` in C
_K = kernel("guardwrap.pii._cscan")


def written_date(text: str, s: int, e: int) -> tuple[int, int, float] | None:
    """A date with a written month around the digit run ``text[s:e]`` (its day or its year):
    ``(start, end, base score)``, or None."""
    if not (_month_near(text, s, e) if _K is None else _K.month_near(text, s, e, _PREFIXES)):
        return None
    lo = max(0, s - 16)
    day_first, month_first = (DAY_FIRST_ASCII, MONTH_FIRST_ASCII) if text.isascii() else (DAY_FIRST, MONTH_FIRST)
    m = day_first.match(text, s) if e - s <= 2 else None
    if m is None:
        # the run is the day after a month name, or the year after "Dec-09-"
        for k in range(lo, s):
            if text[k].isalpha() and (k == 0 or not text[k - 1].isalpha()):
                m = month_first.match(text, k)
                if m is not None and m.start("d") <= s < m.end():
                    break
                m = None
        if m is None:
            return None
    y = m.group("y").lstrip("'")
    year = int(y) + (1900 if len(y) == 2 else 0)
    day = int(m.group("d").rstrip("stndrhSTNDRH"))
    month = MONTH[m.group("m").lower()]
    if not plausible_date(year, month, day):
        return None
    return m.start(), m.end(), FULL if len(y) == 4 else SHORT
