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

from ._text import canonical, plain

__all__ = ["Offsets", "source_view", "view"]

# Kept by the canonical view, needed as ASCII here (all of them keep the length).
_FIXUPS = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02\u301d\u301e", '"'),
    "\u066b": ".", "\u066c": ",", "\u066a": "%",
}
_FIXUP = re.compile("[" + "".join(_FIXUPS) + "]")
# Latin-1 characters the canonical view leaves as they are (checked in tests/grounding); a text of
# ASCII and these needs no view. Guillemets are left out: they become quotes here.
_KEPT_LATIN1 = ("\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95"
                "\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7\u00a9"
                "\u00ac\u00ae\u00b0\u00b1\u00b6\u00b7\u00bf\u00d7\u00de\u00df\u00f7\u00fe")
_NOT_KEPT = re.compile("[^\x00-\x7f" + _KEPT_LATIN1 + "]")


class Offsets:
    """Maps spans of the view back to the original text."""

    __slots__ = ("_view",)

    def __init__(self, view: object) -> None:
        self._view = view

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._view.span(start, end)  # type: ignore[attr-defined,no-any-return]


def _fix(text: str) -> str:
    if text.isascii() or _FIXUP.search(text) is None:
        return text
    return _FIXUP.sub(lambda m: _FIXUPS[m.group()], text)


def view(text: str) -> tuple[str, Offsets | None]:
    """The grounding view of an answer and its offset map (``None``: offsets are unchanged)."""
    v = canonical(text)
    return _fix(v.text), (None if v.align is None else Offsets(v))


def unchanged(text: str) -> bool:
    """True when the view of ``text`` is ``text`` itself, decided without building it: ASCII, or
    Latin-1 made only of characters the view keeps. (ASCII escapes such as ``%20`` or ``&amp;``,
    which the canonical view decodes, are left as they are in sources.)"""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return _NOT_KEPT.search(text) is None


def source_view(text: str) -> str:
    """The grounding view of a source (offsets are not needed: findings point into answers)."""
    return text if unchanged(text) else _fix(plain(text))
