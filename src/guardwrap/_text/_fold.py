"""Folds for matching words and phrases: letters spaced out one by one joined (``b y p a s s``).

`spaced(view, fold)` is the canonical view (lower-cased when ``fold``) with every run of single
letters or digits separated by up to three separator characters (``b  y-p.a s s``) joined, plus
the view spans of the joined runs (a joined run has no inner word boundaries left, so whole-word
matchers also try matches that begin inside one). The alignment of a joined view is dense (one
4-byte original offset per character) and is only built for texts that have such runs.
"""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any

from .._native import kernel
from ._align import Alignment
from ._view import View

#: the C loops (``_cfold.c``), None when not built or GUARDWRAP_PURE_PYTHON is set
_cf: Any = kernel("guardwrap._text._cfold")

_SEPS = " ._-*·•/|"
# Three or more single letters/digits separated by 1-3 separator characters: "b y p", "b  y  p".
# Possessive where the engine has it (3.11+): a run of a million letters then needs no backtracking
# memory (60 bytes a character without it).
_SPACED = re.compile(r"(?<![^\W_])[^\W_](?:[ ._\-*·•/|]{1,3}[^\W_](?![^\W_])){2,}"
                     + ("+" if sys.version_info >= (3, 11) else ""))
_SEP = re.compile(r"[ ._\-*·•/|]+")
_CHAR = re.compile(r"[^ ._\-*·•/|]")
# Cheap tests: some separator sits between two single characters that are separated again. Each
# begins with its separator as a literal (``s{1,3}`` written ``ss{0,2}``, the same language): the
# regex engine then jumps from one occurrence of it to the next instead of trying the pattern at
# every position (a fifth of the time on prose, where these tests run on every text).
_HINTS = tuple(
    (sep, re.compile(re.escape(sep) + re.escape(sep) + "{0,2}[^\\W_]" + re.escape(sep) + "{1,3}[^\\W_]"
                     + re.escape(sep)))
    for sep in " .-_*/|"
)


def maybe_spaced(text: str) -> bool:
    """False when ``text`` certainly has no spaced-out run (cheap)."""
    hinted = _cf.spaced_hint(text) if _cf is not None else _hinted(text)
    return hinted or (not text.isascii() and _SPACED.search(text) is not None)


def _hinted(text: str) -> bool:
    """Whether one of `_HINTS` occurs in ``text`` (the reference of ``_cfold.spaced_hint``)."""
    return any(sep in text and hint.search(text) is not None for sep, hint in _HINTS)


class DenseAlignment(Alignment):
    """One original offset per view character (for views where most characters moved)."""

    __slots__ = ("_n", "_origin")

    def __init__(self, origin: array, n_orig: int, inner: Alignment | None) -> None:  # type: ignore[type-arg]
        super().__init__(inner)
        self._origin = origin
        self._n = n_orig

    def __len__(self) -> int:
        return len(self._origin)

    def _start(self, i: int) -> int:
        return self._origin[i] if i < len(self._origin) else self._n

    def _end(self, e: int) -> int:
        return self._origin[e - 1] + 1 if e > 0 else 0

    def spans(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [self.span(s, e) for s, e in pairs]  # each lookup is one index already


def spaced(view: View, fold: bool = True) -> tuple[str, Alignment | None, list[tuple[int, int]]]:
    """``(text, alignment to the original, joined runs)``; cached on the view."""
    key = "spaced-fold" if fold else "spaced"
    cache = view.cache
    hit = cache.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    text = view.folded if fold else view.text
    result = _join(text, view.align) if maybe_spaced(text) else (text, view.align, [])
    cache[key] = result
    return result


def _join(text: str, inner: Alignment | None) -> tuple[str, Alignment | None, list[tuple[int, int]]]:
    parts: list[str] = []
    origin = array("i")
    runs: list[tuple[int, int]] = []
    prev = 0
    vlen = 0
    for m in _SPACED.finditer(text):
        a, b = m.span()
        parts.append(text[prev:a])
        extend_range(origin, prev, a)
        vlen += a - prev
        run = text[a:b]
        joined = _SEP.sub("", run)
        parts.append(joined)
        origin.extend(a + k.start() for k in _CHAR.finditer(run))
        runs.append((vlen, vlen + len(joined)))
        vlen += len(joined)
        prev = b
    if not runs:
        return text, inner, []
    parts.append(text[prev:])
    extend_range(origin, prev, len(text))
    return "".join(parts), DenseAlignment(origin, len(text), inner), runs


def extend_range(origin: array, start: int, stop: int) -> None:  # type: ignore[type-arg]
    """``origin.extend(range(start, stop))``: filled in C where the kernel is built and the range
    is long (``array.extend(range(...))`` makes one Python int per offset)."""
    if stop - start > 64 and _cf is not None and origin.itemsize == 4:
        origin.frombytes(_cf.ranges(((start, stop),)))
    else:
        origin.extend(range(start, stop))


_PUNCT_CHARS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ASCII_PUNCT = str.maketrans({c: " " for c in _PUNCT_CHARS})
_last_words: tuple[str, frozenset[str]] | None = None


def words(text: str) -> frozenset[str]:
    """The words of a (folded) view, split at spaces and ASCII punctuation; the last is cached."""
    global _last_words
    last = _last_words
    if last is not None and last[0] is text:
        return last[1]
    found = _cf.words(text, _PUNCT_CHARS) if _cf is not None else split_words(text)
    _last_words = (text, found)
    return found


def split_words(text: str) -> frozenset[str]:
    """The words of ``text`` split at spaces and ASCII punctuation (the reference of
    ``_cfold.words``; `words` caches)."""
    return frozenset(text.translate(_ASCII_PUNCT).split())


def cached_words(text: str) -> frozenset[str] | None:
    """`words` of ``text`` if they are the ones remembered, else None (builds nothing)."""
    last = _last_words
    return last[1] if last is not None and last[0] is text else None


def remember_words(text: str, found: frozenset[str]) -> frozenset[str]:
    """Remember ``found`` as `words` of ``text`` (the caller split it the same way) and return it."""
    global _last_words
    _last_words = (text, found)
    return found
