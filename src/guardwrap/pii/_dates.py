"""Dates (``DATE_TIME``): numeric dates that are plausible calendar dates; a date is personal
data only as a date of birth, so it needs a birth word before it."""

from __future__ import annotations

ENTITIES = ("DATE_TIME",)
CONTEXT = {"DATE_TIME": ("born", "birth", "dob", "d.o.b", "birthday")}

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def plausible_date(y: int, m: int, d: int) -> bool:
    return 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= _DAYS[m - 1]


def numeric_date(parts: list[str]) -> bool:
    """``parts`` (three digit groups) read as Y-M-D, D-M-Y or M-D-Y with a four-digit year."""
    la, lb, lc = (len(p) for p in parts)
    a, b, c = (int(p) for p in parts)
    if la == 4 and lb <= 2 and lc <= 2:
        return plausible_date(a, b, c)
    if lc == 4 and la <= 2 and lb <= 2:
        return plausible_date(c, b, a) or plausible_date(c, a, b)
    return False
