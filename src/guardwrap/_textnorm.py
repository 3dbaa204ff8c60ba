# ruff: noqa: RUF001, RUF002  (the lookalike table is the point of this module)
"""Text normalisation for matching, with offsets mapped back to the original text.

Rules match on a *view* of the text in which the usual evasions are undone: NFKC compatibility
forms (full-width ``Ｂ``, ligatures), case, diacritics added as combining marks, common Latin
lookalikes from Cyrillic and Greek, zero-width and other invisible characters, and letters spaced
out one by one (``b y p a s s``). Every character of the view remembers which character of the
original it came from, so findings carry offsets into the text the caller gave us.

Pure ASCII text without spaced-out letters (the common case) takes a fast path: the view is
``text.lower()`` and offsets are the identity.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

#: Characters that render as nothing (or only steer layout) and are dropped from the view.
INVISIBLE = frozenset(
    [
        0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0,
        *range(0x200B, 0x2010),  # zero-width space/joiners, LRM/RLM
        *range(0x202A, 0x202F),  # bidi embeddings and overrides
        *range(0x2060, 0x2070),  # word joiner, invisible operators, bidi isolates
        *range(0xFE00, 0xFE10),  # variation selectors
        *range(0xE0000, 0xE0080),  # tag characters
        *range(0xE0100, 0xE01F0),  # variation selectors supplement
    ]
)

# Latin lookalikes that NFKC leaves alone: Cyrillic and Greek letters used to dodge filters.
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ɑ": "a", "ı": "i", "ȷ": "j",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j", "ѵ": "v",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ",
}

# Three or more single letters/digits separated by one non-word character: "b y p a s s".
_SPACED = re.compile(r"(?<![\w])\w(?:[ ._\-*·•/|]\w(?![\w])){2,}")
_SEP = re.compile(r"[ ._\-*·•/|]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Cheap tests for the fast path (a literal first character lets `re` skip ahead quickly).
_SPACED_HINTS = tuple(
    (sep, re.compile(re.escape(sep) + r"[^\W_]" + re.escape(sep) + r"[^\W_]" + re.escape(sep)))
    for sep in " .-_*/|"
)


def _maybe_spaced(text: str) -> bool:
    return any(sep in text and hint.search(text) is not None for sep, hint in _SPACED_HINTS)


class Normalizer:
    """Map text to its matching view. ``fold=False`` keeps case (for case-sensitive rules)."""

    __slots__ = ("_cache", "_last", "fold")

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold
        self._cache: dict[str, str] = {}
        # The last text's view: the rules of one guard usually see the same str object in turn.
        # One tuple, replaced whole, so concurrent threads at worst miss the cache.
        self._last: tuple[str, tuple[str, list[int] | None, list[tuple[int, int]]]] | None = None

    def _map_char(self, ch: str) -> str:
        if ord(ch) in INVISIBLE:
            out = ""
        elif ch in _CONFUSABLES:
            out = _CONFUSABLES[ch]
            if not self.fold and ch.isupper():
                out = out.upper()
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out = "".join(c for c in decomposed if not unicodedata.combining(c))
            out = unicodedata.normalize("NFKC", out)
            out = "".join(_CONFUSABLES.get(c, c) for c in out)
            if self.fold:
                out = out.casefold()
        if len(self._cache) < 65536:
            self._cache[ch] = out
        return out

    def view(self, text: str) -> tuple[str, list[int] | None]:
        """``(view, origin)``: ``origin[i]`` is the index in ``text`` of view character ``i``,
        with one extra entry ``len(text)`` at the end; ``None`` means the identity."""
        v, origin, _ = self.view_runs(text)
        return v, origin

    def view_runs(self, text: str) -> tuple[str, list[int] | None, list[tuple[int, int]]]:
        """`view`, plus the view spans of spaced-out runs that were joined (``"b y p a s s"``).

        A joined run has no inner word boundaries left, so whole-word matchers also look for
        matches that begin inside one."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        result = self._view_runs(text)
        self._last = (text, result)
        return result

    def _view_runs(self, text: str) -> tuple[str, list[int] | None, list[tuple[int, int]]]:
        if text.isascii() and not _maybe_spaced(text):
            return (text.lower() if self.fold else text), None, []
        cache = self._cache
        fold = self.fold
        out: list[str] = []
        origin: list[int] = []
        pos = 0
        for run in _NON_ASCII.finditer(text):
            a = run.start()
            if a > pos:  # an ASCII stretch: one call, identity offsets
                seg = text[pos:a]
                out.append(seg.lower() if fold else seg)
                origin.extend(range(pos, a))
            for i in range(a, run.end()):
                ch = text[i]
                m = cache.get(ch)
                if m is None:
                    m = self._map_char(ch)
                if not m:
                    continue
                out.append(m)
                if len(m) == 1:
                    origin.append(i)
                else:
                    origin.extend([i] * len(m))
            pos = run.end()
        if pos < len(text):
            seg = text[pos:]
            out.append(seg.lower() if fold else seg)
            origin.extend(range(pos, len(text)))
        view = "".join(out)
        runs: list[tuple[int, int]] = []
        if _SPACED.search(view) is not None:
            view, origin, runs = _collapse_spaced(view, origin)
        origin.append(len(text))
        return view, origin, runs


def _collapse_spaced(view: str, origin: list[int]) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Drop the separators inside runs of spaced-out single characters."""
    drop: list[int] = []
    spans = []
    for m in _SPACED.finditer(view):
        spans.append((m.start(), m.end()))
        drop.extend(s.start() for s in _SEP.finditer(view, m.start(), m.end()))
    if not drop:
        return view, origin, []
    drop.sort()
    parts: list[str] = []
    new_origin: list[int] = []
    prev = 0
    for d in drop:  # copy the stretches between dropped characters as slices
        parts.append(view[prev:d])
        new_origin.extend(origin[prev:d])
        prev = d + 1
    parts.append(view[prev:])
    new_origin.extend(origin[prev:])
    runs = [(a - bisect_left(drop, a), b - bisect_left(drop, b)) for a, b in spans]
    return "".join(parts), new_origin, runs


_ASCII_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_last_words: tuple[str, frozenset[str]] | None = None


def words(view: str) -> frozenset[str]:
    """The words of a view, split at spaces and ASCII punctuation (cached for the last view)."""
    global _last_words
    last = _last_words
    if last is not None and last[0] is view:
        return last[1]
    found = frozenset(view.translate(_ASCII_PUNCT).split())
    _last_words = (view, found)
    return found


def span(origin: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Original-text offsets of view span ``[start, end)``."""
    if origin is None:
        return start, end
    if end <= start:
        return origin[start], origin[start]
    return origin[start], origin[end - 1] + 1


FOLD = Normalizer(fold=True)
KEEP_CASE = Normalizer(fold=False)
