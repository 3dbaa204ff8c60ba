"""Digit-group shapes shared by the detectors: ``"999 99 9999"`` for a number written 3-2-4."""

from __future__ import annotations

#: digits -> "9", for comparing how a number is grouped
TO9 = str.maketrans("0123456789", "9999999999")


def shapes(*groupings: tuple[int, ...], seps: str = " -") -> frozenset[str]:
    """Every ``seps``-joined shape of ``groupings`` (group lengths)."""
    return frozenset(s.join("9" * k for k in g) for g in groupings for s in seps)
