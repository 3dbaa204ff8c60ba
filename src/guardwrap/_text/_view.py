"""The canonical view of a text: what every validator reads, with offsets back to the original.

In the view (see ``tools/gen_text_tables.py`` for the character rules):

- digits of every script are ASCII digits; space separators are spaces; dashes are ``-``;
- invisible and format characters, combining marks and ASCII control characters are gone;
- compatibility forms (full-width, mathematical, ligatures) and confusable letters are plain Latin;
- URL escapes, JSON ``\\u`` escapes and HTML character references are decoded, and spelled-out e-mail addresses
  (``ann [at] example [dot] org``) are written as addresses;
- a line break inside a run of digit groups is a space (``4111 1111`` / ``1111 1111``), and so
  is a tab or a run of spaces between two digits (``4111<TAB>1111``, ``4111   1111``); seven or
  more single digits a space apart are one number (``8 6 4 2 4 5 9 6 2``);
- a number said digit by digit in words is written in digits (``four one one one ...``, ``oh two
  oh seven double nine``: see `guardwrap._text._spoken`).

Case is kept; `View.folded` is the lower-cased view. Validators find things in the view and map
their offsets back with `View.span`, so a rewrite (redaction, pseudonymisation) replaces the
original characters of the span and nothing else: the model never receives a half-normalised text.

Plain ASCII text without escapes, controls or digit runs broken over lines (nearly all text) takes
a fast path: the view is the text itself and building it costs a few substring tests.
"""

from __future__ import annotations

import functools
import re
from array import array
from typing import Any

from .._native import kernel
from . import _decode, _hs, _spoken
from ._align import Alignment
from ._chars import CONTROLS, table

# Everything that can make the canonical view of an ASCII text differ from the text (a superset,
# held by a test): escapes, controls, a digit run over a line break, a spelled-out e-mail address,
# a digit word of four letters or more followed by another.
# ``(regex, caseless)``; one Hyperscan pass tells whether any occurs.
VIEW_HINTS: list[tuple[str, bool]] = [
    (r"%[0-9A-Fa-f]{2}", False),
    (r"&[#A-Za-z]", False),
    (r"\\[uUxnrt]", False),
    (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", False),
    (r"[0-9][ \t\r]*\n", False),
    (r"[0-9](?:\t| [ \t])", False),
    (r"[0-9](?: [0-9]){6}", False),
    (r"dot", True),
    (r"at[\])}>]", True),
    (r" @|@ ", False),
    (_spoken.HINT, True),
]


@functools.cache
def _hints_db() -> _hs.Database | None:
    return _hs.compile_db([(p, caseless, True) for p, caseless in VIEW_HINTS])


def _stop(hid: int, start: int, end: int, flags: int, ctx: object) -> bool:
    return True


def _plain(text: str) -> bool:
    """An ASCII text in which the view has nothing to undo (one Hyperscan pass, where present)."""
    db = _hints_db()
    return db is not None and db.scan(text.encode("ascii"), _stop)


#: the C loops (``_cfold.c``: `View.folded` of an ASCII view), None when not built
_cf: Any = kernel("guardwrap._text._cfold")

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CONTROL = re.compile("[" + re.escape(CONTROLS) + "]+")
# one control character: what `_has_control` looks for (a class without "+" lets the engine skip
# to the characters of the class; with it, it tries the repeat at every position: 3x slower)
_CONTROL_ONE = re.compile("[" + re.escape(CONTROLS) + "]")
_CONTROL_BYTES = CONTROLS.encode("ascii")
# a line break (with spaces around it) followed by a digit; the digit before is checked in Python
_NL_DIGIT = re.compile(r"\n[^\S\n]*(?=\d)")
# a tab, or several spaces, between two digits (columns pasted from a spreadsheet or a PDF)
_WIDE_GAP = re.compile(r"(?<=[0-9])(?:[ \t]*\t[ \t]*| [ \t]+)(?=[0-9])")
# seven or more single digits each a space apart: one number spelled digit by digit
# (the look-behind after the first digit, not before it: the same matches, but the engine skips
# from digit to digit instead of trying the look-behind at every position, 3x faster)
_SPACED_DIGITS = re.compile(r"[0-9](?<![0-9A-Za-z][0-9])(?: [0-9]){6,}(?![0-9A-Za-z])")
_DIGITS = "0123456789"
_SPACE_BEFORE = frozenset(" \t\r\u00a0\u2009\u202f\u2007\u3000\u2002\u2003\u2004\u2005\u2006\u2008\u200a")


class View:
    """One text as the validators read it. Build with `canonical`."""

    __slots__ = ("_blobs", "_folded", "align", "cache", "original", "text")

    def __init__(self, original: str, text: str, align: Alignment | None) -> None:
        self.original = original
        #: the canonical text (case kept)
        self.text = text
        #: how view offsets map back; None when the view is the original
        self.align = align
        self._folded: str | None = None
        self._blobs: list[tuple[int, int, str]] | None = None
        #: derived views of this text (joined spaced-out runs, ...), built once by their owners
        self.cache: dict[str, object] = {}

    @property
    def identity(self) -> bool:
        """True when the view is the original text itself."""
        return self.align is None

    @property
    def folded(self) -> str:
        """The view in lower case, same length and offsets as `text`."""
        f = self._folded
        if f is None:
            t = self.text
            f = _cf.lower_ascii(t) if _cf is not None and t.isascii() else t.lower()
            if len(f) != len(self.text):  # a few letters lower to two characters: keep those
                f = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)
            self._folded = f
        return f

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of view span ``[start, end)``."""
        return (start, end) if self.align is None else self.align.span(start, end)

    def spans(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span` of many view spans at once (cheapest in text order, see `Alignment.spans`)."""
        return pairs if self.align is None else self.align.spans(pairs)

    def pos(self, i: int) -> int:
        """Original boundary of view boundary ``i``."""
        return i if self.align is None else self.align.pos(i)

    def blobs(self) -> list[tuple[int, int, str]]:
        """Base64 / hex tokens of the view that decode to text: ``(start, end, decoded)`` with
        view offsets (map them with `span`); the decoded text is not canonical yet."""
        b = self._blobs
        if b is None:
            b = _decode.blobs(self.text)  # (cheap when nothing in it is long enough to be one)
            self._blobs = b
        return b

    def __repr__(self) -> str:
        return f"View(chars={len(self.text)}, identity={self.identity})"


def _has_control(text: str) -> bool:
    """Whether ``text`` holds one of `CONTROLS` (``_CONTROL.search(text) is not None``): for an
    ASCII text, whether deleting them from its bytes shortens it (a tenth of the regex's time; a
    text with a line break is not printable, so most texts ask)."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _CONTROL_BYTES)) != len(text)
    return _CONTROL_ONE.search(text) is not None


def _digit_count_at_least(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` ASCII digits (ten ``str.count`` passes at C speed)."""
    total = 0
    for d in _DIGITS:
        total += text.count(d)
        if total >= n:
            return True
    return False


def _digit_line_breaks(text: str) -> list[_decode.Edit]:
    out: list[_decode.Edit] = []
    for m in _NL_DIGIT.finditer(text):
        a = m.start()
        while a > 0 and text[a - 1] in _SPACE_BEFORE:
            a -= 1
        if a > 0 and text[a - 1].isdecimal():
            out.append((a, m.end(), " "))
    return out


def _map_chars(text: str, trans: dict[int, str], inner: Alignment | None) -> tuple[str, Alignment | None]:
    """``text`` with every non-ASCII character mapped by the table, in one pass: in C where the
    kernel is built (one loop, however many characters vanish or expand), else `_map_chars_py`."""
    if _cf is None:
        return _map_chars_py(text, trans, inner)
    got = _cf.map_chars(text, *_kernel_table())
    if got is None:
        return text, inner
    view, entries = got
    if not entries:  # one character for one: offsets do not move
        return view, inner if inner is not None else _SAME_LENGTH
    return view, Alignment.from_entries(entries, inner)


def _map_chars_py(text: str, trans: dict[int, str], inner: Alignment | None) -> tuple[str, Alignment | None]:
    """`_map_chars` in Python (the reference): the non-ASCII runs translated, and one offsets
    entry per character whose replacement is not one character long."""
    parts: list[str] = []
    append = parts.append
    align = Alignment(inner)
    add = align.add
    get = trans.get
    changing = _changing_length()
    pos = 0
    vlen = 0
    for m in _NON_ASCII.finditer(text):
        run = m.group()
        mapped = run.translate(trans)
        if mapped == run:
            continue
        a, b = m.span()
        if a > pos:
            append(text[pos:a])
            vlen += a - pos
        if len(mapped) == b - a and changing.isdisjoint(map(ord, run)):  # offsets do not move
            append(mapped)
            vlen += b - a
        else:  # some characters vanish or expand: record each that does
            for i, ch in enumerate(run, a):
                rep = get(ord(ch), ch)
                append(rep)
                if len(rep) != 1:
                    add(vlen, vlen + len(rep), i, i + 1)
                vlen += len(rep)
        pos = b
    if not parts:
        return text, inner
    append(text[pos:])
    return "".join(parts), align if len(align) else (inner if inner is not None else _SAME_LENGTH)


@functools.cache
def _changing_length() -> frozenset[int]:
    """The code points the table maps to nothing or to more than one character."""
    return frozenset(cp for cp, rep in table().items() if len(rep) != 1)


@functools.cache
def _kernel_table() -> tuple[bytes, tuple[str, ...], dict[int, str]]:
    """The table as `_cfold.map_chars` reads it: an index of the BMP (65536 uint16: 0 = not in
    the table, k = the k-th text), the texts, and the table itself for the code points past it."""
    index = array("H", bytes(2 * 65536))
    texts: dict[str, int] = {}
    astral: dict[int, str] = {}
    for cp, rep in table().items():
        if cp < 0x10000:
            index[cp] = texts.setdefault(rep, len(texts) + 1)
        else:
            astral[cp] = rep
    return index.tobytes(), tuple(texts), astral


def _escape_edits(text: str) -> list[_decode.Edit]:
    edits: list[_decode.Edit] = []
    if "%" in text:
        edits.extend(_decode.percent_edits(text))
    if "&" in text and ";" in text:
        edits.extend(_decode.entity_edits(text))
    if "\\" in text:
        edits.extend(_decode.backslash_edits(text))
    return edits


def _apply(text: str, edits: list[_decode.Edit], inner: Alignment | None) -> tuple[str, Alignment | None]:
    """``text`` with ``edits`` applied (later overlapping ones dropped), and its alignment."""
    edits.sort(key=lambda e: (e[0], e[1]))
    parts: list[str] = []
    align = Alignment(inner)
    pos = 0
    vlen = 0
    for a, b, rep in edits:
        if a < pos:
            continue  # overlaps an earlier edit (an escape inside a spelled-out address...)
        if a > pos:
            parts.append(text[pos:a])
            vlen += a - pos
        parts.append(rep)
        if len(rep) != b - a:
            align.add(vlen, vlen + len(rep), a, b)
        vlen += len(rep)
        pos = b
    parts.append(text[pos:])
    if len(align) == 0 and inner is None:
        return "".join(parts), _SAME_LENGTH
    return "".join(parts), align if len(align) else inner


def _build(text: str) -> View:
    if text.isascii() and _plain(text):
        return View(text, text, None)
    # Pass 1: escapes decoded and controls removed (rare, so collected as edits)...
    edits: list[_decode.Edit] = _escape_edits(text)
    if not text.isprintable() and _has_control(text):
        edits.extend((m.start(), m.end(), "") for m in _CONTROL.finditer(text))
    view, align = (text, None) if not edits else _apply(text, edits, None)
    # ...then every non-ASCII character mapped by the table, in one pass.
    if not view.isascii():
        view, align = _map_chars(view, table(), align if align is not _SAME_LENGTH else None)
    # Pass 2, on what pass 1 made: digit runs joined over line breaks, e-mail spelled out.
    edits = []
    if "\n" in view:
        edits.extend(_digit_line_breaks(view))
    if "\t" in view or "  " in view:
        edits.extend((m.start(), m.end(), " ") for m in _WIDE_GAP.finditer(view))
    if _digit_count_at_least(view, 7):  # (a spaced-out number has seven digits or more)
        for m in _SPACED_DIGITS.finditer(view):
            edits.extend((i, i + 1, "") for i in range(m.start() + 1, m.end(), 2))
    if _decode.might_spell_email(view.lower()):
        edits.extend(_decode.spelled_email_edits(view))
    if _spoken.might_speak(view):
        edits.extend(_spoken.spoken_digit_edits(view))
    if edits:
        view, align = _apply(view, edits, align if align is not _SAME_LENGTH else None)
    if view == text:
        return View(text, text, None)
    return View(text, view, align if align is not None else _SAME_LENGTH)


# A view whose edits all kept their length maps offsets as the identity, but is not the original.
_SAME_LENGTH = Alignment()

_last: tuple[str, View] | None = None


def canonical(text: str) -> View:
    """The canonical `View` of ``text``. The last view is cached: the validators of one chain
    usually read the same string object in turn, and each builds nothing after the first."""
    global _last
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    view = _build(text)
    _last = (text, view)
    return view


def plain(text: str) -> str:
    """The canonical text of a short string (a value, a term), without touching the cache."""
    return _build(text).text


def assume_plain(text: str) -> None:
    """Record that the view of ``text`` is ``text`` itself (the guard's scan found none of the
    things the view undoes), so that validators asking for it build nothing."""
    global _last
    last = _last
    if last is None or last[0] is not text:
        _last = (text, View(text, text, None))
