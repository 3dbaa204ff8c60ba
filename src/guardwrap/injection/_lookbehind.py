"""Negative lookbehinds grouped by width: ``(?<!a)(?<!b)(?<!c)`` as one ``(?<!a|c)`` per width; and
`after`, the positive lookbehinds a pattern starts behind so that it starts on a rarer word.

A chain of negative lookbehinds ("not after 'asks you to '", "not after 'my Kindle is '", ...) is
tried whole wherever the pattern may start; `re` wants each lookbehind of a fixed width, but one
lookbehind may hold alternatives of the same width. Grouping them makes a chain of a hundred
cost about as many steps as its distinct widths. Same matches as the chain it replaces.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

__all__ = ["after", "not_after"]


def not_after(alternatives: Iterable[str]) -> str:
    """Negative lookbehinds for ``alternatives`` (fixed-width regular expressions), one per width."""
    by_width: dict[int, list[str]] = {}
    for alt in dict.fromkeys(alternatives):
        lo, hi = _sre_parse.parse(alt).getwidth()
        if lo != hi:
            raise ValueError(f"a lookbehind must have a fixed width: {alt!r}")
        by_width.setdefault(lo, []).append(alt)
    return "".join(f"(?<!{'|'.join(alts)})" for _, alts in sorted(by_width.items()))


def after(*phrases: str) -> str:
    """A pattern's start as fixed-width lookbehinds, one per phrase (its words joined by one
    whitespace character), so that the pattern starts on the rarer word that follows them: started
    on "you", "do", "a" or "if", a pattern is tried at most places of a text."""
    def one(p: str) -> str:
        edge = "" if p.startswith(("'", "n'")) else r"\b"  # (no word boundary inside "don't")
        return rf"(?<={edge}{p.replace(' ', chr(92) + 's')}\s)"
    return "(?:" + "|".join(map(one, phrases)) + ")"
