"""Offsets of a rewritten text mapped back to the text it came from.

A view is the original text with some stretches replaced (``%40`` by ``@``, a zero-width space by
nothing, ``ﬁ`` by ``fi``). Only replacements that change the length need remembering: between
them, view and original advance together. An `Alignment` keeps those replacements as four
parallel arrays (view start/end, original start/end), so its size grows with the number of edits,
not with the text; mapping an offset is one binary search. Alignments compose: a view of a view
maps back through both.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right


class Alignment:
    """Length-changing replacements, in order: view ``[vs, ve)`` came from original ``[os, oe)``."""

    __slots__ = ("_oe", "_os", "_ve", "_vs", "inner")

    def __init__(self, inner: Alignment | None = None) -> None:
        self._vs = array("q")
        self._ve = array("q")
        self._os = array("q")
        self._oe = array("q")
        #: the alignment of the text this one's original was itself a view of
        self.inner = inner

    def add(self, vs: int, ve: int, os_: int, oe: int) -> None:
        """Record that view ``[vs, ve)`` replaces original ``[os_, oe)`` (calls in text order)."""
        self._vs.append(vs)
        self._ve.append(ve)
        self._os.append(os_)
        self._oe.append(oe)

    def __len__(self) -> int:
        return len(self._vs)

    def _start(self, i: int) -> int:
        k = bisect_right(self._vs, i) - 1
        if k < 0:
            return i
        if i < self._ve[k]:
            return self._os[k]
        return i - self._ve[k] + self._oe[k]

    def _end(self, e: int) -> int:
        j = e - 1
        k = bisect_right(self._vs, j) - 1
        if k < 0:
            return e
        if j < self._ve[k]:
            return self._oe[k]
        return j - self._ve[k] + self._oe[k] + 1

    def span(self, s: int, e: int) -> tuple[int, int]:
        """Original offsets of view span ``[s, e)``: every original character that made it."""
        if e <= s:
            a = self._start(s)
            b = a
        else:
            a, b = self._start(s), self._end(e)
        if self.inner is not None:
            return self.inner.span(a, b)
        return a, b

    def pos(self, i: int) -> int:
        """The original boundary of view boundary ``i`` (for cutting a text at a view offset)."""
        a = self._start(i)
        return self.inner.pos(a) if self.inner is not None else a


def span(align: Alignment | None, s: int, e: int) -> tuple[int, int]:
    """`Alignment.span` that also accepts ``None`` (the view is the original)."""
    return (s, e) if align is None else align.span(s, e)


def pos(align: Alignment | None, i: int) -> int:
    return i if align is None else align.pos(i)
