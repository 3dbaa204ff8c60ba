"""The text view grounding reads: digits of any script as ASCII, one kind of space, dash and quote,
invisible characters gone; with offsets back to the original text.

This is the one place grounding normalises text, so it can switch to the shared canonical view
(``guardwrap._text``) when that lands. Every change but the removal of invisible characters keeps
the length, so offsets only shift where something was removed.

>>> view("\u00a335\u00a0\u2013 \u0663\u066b\u0665%")[0]
'\u00a335 - 3.5%'
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

__all__ = ["Offsets", "view"]

# Characters mapped one to one: spaces, dashes, quotes, currency and percent lookalikes,
# Arabic decimal and thousands separators.
_SAME_LENGTH: dict[str, str] = {
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u202f\u205f\u3000\t", " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02", '"'),
    "\uffe1": "\u00a3", "\uff04": "$", "\uffe5": "\u00a5", "\uff05": "%", "\ufe6a": "%", "\u066a": "%",
    "\u066b": ".", "\u066c": ",", "\u2024": ".", "\uff0e": ".", "\uff0c": ",", "\uff0f": "/", "\uff1a": ":",
}
# Characters that render as nothing and are dropped (soft hyphen, zero-width, bidi controls, tags).
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\ufeff\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
# Characters the view may change all lie outside Latin-1, but for these five; one simple class
# finds them fast (a class of the changed characters alone would be scanned much more slowly).
_CANDIDATE = re.compile("[\t\u00a0\u00ab\u00ad\u00bb\u0100-\U0010ffff]")


class Offsets:
    """Maps offsets of the view back to the original text (identity when nothing was removed)."""

    __slots__ = ("_at", "_shift")

    def __init__(self, at: list[int], shift: list[int]) -> None:
        self._at = at  # view positions where the shift changes, ascending
        self._shift = shift  # characters removed before that position

    def __call__(self, pos: int) -> int:
        i = bisect_right(self._at, pos) - 1
        return pos if i < 0 else pos + self._shift[i]


def _replace(m: re.Match[str]) -> str:
    ch = m.group()
    mapped = _SAME_LENGTH.get(ch)
    if mapped is not None:
        return mapped
    if _INVISIBLE.match(ch):
        return ""
    if ch.isdecimal():
        return str(unicodedata.decimal(ch, 0))
    return ch


def _clean_latin1(text: str) -> bool:
    """True when ``text`` is ASCII or Latin-1 and its view is itself; False also when it is
    neither (then `_clean` decides)."""
    if text.isascii():
        return "\t" not in text
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return ("\u00a0" not in text and "\u00ad" not in text and "\u00ab" not in text and "\u00bb" not in text
            and "\t" not in text)


def _clean(text: str) -> bool:
    """True when the view of ``text`` is ``text`` itself, decided without a scan for ASCII and
    Latin-1 text (the common case for documents and answers)."""
    if text.isascii():
        return "\t" not in text
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        for m in _CANDIDATE.finditer(text):
            ch = m.group()
            if ch in _SAME_LENGTH or ch.isdecimal() or _INVISIBLE.match(ch) is not None:
                return False
        return True
    return ("\u00a0" not in text and "\u00ad" not in text and "\u00ab" not in text and "\u00bb" not in text
            and "\t" not in text)


def view(text: str) -> tuple[str, Offsets | None]:
    """The grounding view of ``text`` and its offset map (``None``: offsets are unchanged)."""
    if _clean(text):
        return text, None
    out = _CANDIDATE.sub(_replace, text)
    if len(out) == len(text):
        return out, None
    at: list[int] = []
    shift: list[int] = []
    for removed, m in enumerate(_INVISIBLE.finditer(text), 1):
        at.append(m.end() - removed)
        shift.append(removed)
    return out, Offsets(at, shift)
