"""The text view grounding reads: the canonical view (`guardwrap._text`: digits of any script as
ASCII, one kind of space and dash, invisible characters gone, look-alikes and compatibility forms
plain), plus the few characters claims need that it keeps: typographic double quotes as ``"``,
guillemets as ``"``, the Arabic decimal and thousands separators as ``.`` and ``,``.

Answers go through the shared view (built once per text and reused by the other validators of
the chain). Sources are often ten times longer and are the firm's own documents: those that the
canonical view would leave unchanged (ASCII, and Latin-1 text whose other characters it keeps,
such as ``£``) are read as they are, without building it.

>>> view("\u00a335\u00a0\u2013 \u0663\u066b\u0665%")[0]
'\u00a335 - 3.5%'
"""

from __future__ import annotations

import re

from ._native import kernel
from ._text import canonical, plain

__all__ = ["Offsets", "all_plain", "fix", "lower_same_length", "needs_view", "source_view", "view"]

# Kept by the canonical view, needed as ASCII here (all of them keep the length).
_FIXUPS = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02\u301d\u301e", '"'),
    "\u066b": ".", "\u066c": ",", "\u066a": "%",
}
_FIXUP_CHARS = "".join(_FIXUPS)
_FIXUP = re.compile("[" + _FIXUP_CHARS + "]")
# the grounding kernel's has_any answers `_FIXUP.search(text) is not None` in one pass (None: the regex)
_K = kernel("guardwrap._cground")
# Characters beyond ASCII the canonical view leaves as they are (checked in tests/grounding): a
# text of ASCII, these and the fix-ups above needs no view but the fix-ups.
_KEPT = ("\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95"
         "\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7\u00a9"
         "\u00ac\u00ae\u00b0\u00b1\u00b6\u00b7\u00bf\u00d7\u00de\u00df\u00f7\u00fe"
         "\u20ac\u20b9\u20a9\u20bd\u20ba\u20aa\u20a3\u20a6\u20b1\u2022\u2020\u2021\u2030\u2190\u2192\u2191"
         "\u2193\u2713\u2714\u2716\u2605\u25cf\u25aa")
_KEPT_SET = frozenset(_KEPT) | frozenset(_FIXUPS)
# what is neither ASCII nor a kept Latin-1 character (a class of a few ranges scans fast)
_NOT_LATIN1_OR_KEPT = re.compile("[^\x00-\x7f" + "".join(sorted(c for c in _KEPT_SET if c < "\u0100")) + "]")


# For `all_plain`: ASCII and the kept Latin-1 characters that need no fix-up, as bytes to delete.
_PLAIN_LATIN1 = bytes(range(128)) + bytes(ord(c) for c in sorted(_KEPT_SET - frozenset(_FIXUPS)) if c < "\u0100")


class Offsets:
    """Maps spans of the view back to the original text."""

    __slots__ = ("_view",)

    def __init__(self, view: object) -> None:
        self._view = view

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._view.span(start, end)  # type: ignore[attr-defined,no-any-return]


def lower_same_length(text: str) -> str:
    """``text.lower()`` with each character's offset kept: a character whose lower case is longer
    (``\u0130``, whose lower case is ``i`` and a combining dot) becomes the first character of it.
    Offsets found in the result are offsets into ``text``.

    >>> lower_same_length("\u0130stanbul Saver")
    'istanbul saver'
    """
    low = text.lower()
    if len(low) == len(text):  # every character's lower case is one character (none is shorter)
        return low
    return "".join([c.lower()[0] for c in text])


def fix(text: str) -> str:
    """``text`` with the fix-ups applied (same length)."""
    if text.isascii() or (_FIXUP.search(text) is None if _K is None else not _K.has_any(text, _FIXUP_CHARS)):
        return text
    return _FIXUP.sub(lambda m: _FIXUPS[m.group()], text)


def view(text: str) -> tuple[str, Offsets | None]:
    """The grounding view of an answer and its offset map (``None``: offsets are unchanged)."""
    v = canonical(text)
    return fix(v.text), (None if v.align is None else Offsets(v))


def needs_view(text: str) -> int:
    """What a source needs to become its view: 0 nothing, 1 only the fix-ups (same length), 2 the
    canonical view. Decided without building it: ASCII costs nothing, Latin-1 two quick tests,
    other text one scan. (ASCII escapes such as ``%20`` or ``&amp;``, which the canonical view
    decodes, are left as they are in sources.)"""
    if text.isascii():
        return 0
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        need = 0
        for m in _NOT_LATIN1_OR_KEPT.finditer(text):
            ch = m.group()
            if ch in _FIXUPS:
                need = 1
            elif ch not in _KEPT_SET:
                return 2
        return need
    if _NOT_LATIN1_OR_KEPT.search(text) is not None:
        return 2
    return 1 if ("\u00ab" in text or "\u00bb" in text) else 0


def all_plain(text: str) -> bool:
    """Whether `needs_view` is 0 for ``text`` and for every part of it, proven in a few passes
    over the whole (no per-character Python): ASCII, Latin-1 characters the view keeps as they
    are, and the euro sign. False means "ask `needs_view`"."""
    if text.isascii():
        return True
    if "\u20ac" in text:
        text = "".join(text.split("\u20ac"))  # kept by the view, needs no fix-up
    try:
        narrow = text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not narrow.translate(None, _PLAIN_LATIN1)


def source_view(text: str, need: int | None = None) -> str:
    """The grounding view of a source (offsets are not needed: findings point into answers)."""
    need = needs_view(text) if need is None else need
    return text if need == 0 else fix(text) if need == 1 else fix(plain(text))
