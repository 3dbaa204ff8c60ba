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

    @classmethod
    def from_entries(cls, entries: bytes, inner: Alignment | None = None) -> Alignment:
        """An alignment from its replacements packed as native int64 quadruples (view start, view
        end, original start, original end), in text order: what the C kernels return."""
        packed = array("q")
        packed.frombytes(entries)
        align = cls(inner)
        align._vs = packed[0::4]
        align._ve = packed[1::4]
        align._os = packed[2::4]
        align._oe = packed[3::4]
        return align

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

    def spans(self, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span` of each pair, for many pairs at once. Pairs in text order are mapped by a search
        that starts where the previous one ended (galloping forward), so mapping every match of a
        long text touches the replacement arrays locally and costs O(log gap) per pair, not
        O(log n) cache misses spread over the whole arrays; any order gives the same answer."""
        vs, ve, os_, oe = self._vs, self._ve, self._os, self._oe
        n = len(vs)
        out = []
        ks = ke = 0  # search cursors for starts and for ends (index into the arrays)
        for s, e in pairs:
            ks = _locate(vs, s, ks, n)
            k = ks - 1
            a = s if k < 0 else (os_[k] if s < ve[k] else s - ve[k] + oe[k])
            if e <= s:
                b = a
            else:
                j = e - 1
                ke = _locate(vs, j, ke, n)
                k = ke - 1
                b = e if k < 0 else (oe[k] if j < ve[k] else j - ve[k] + oe[k] + 1)
            out.append((a, b))
        return self.inner.spans(out) if self.inner is not None else out

    def pos(self, i: int) -> int:
        """The original boundary of view boundary ``i`` (for cutting a text at a view offset)."""
        a = self._start(i)
        return self.inner.pos(a) if self.inner is not None else a


def _locate(a: array[int], x: int, lo: int, n: int) -> int:
    """``bisect_right(a, x)``, searched from ``lo`` (a previous answer) forward in growing steps."""
    if lo > 0 and a[lo - 1] > x:
        return bisect_right(a, x, 0, lo)  # out of order: search what lies before
    step = 8
    while True:
        hi = lo + step
        if hi >= n:
            return bisect_right(a, x, lo, n)
        if a[hi] > x:
            return bisect_right(a, x, lo, hi)
        lo = hi + 1
        step *= 2


def span(align: Alignment | None, s: int, e: int) -> tuple[int, int]:
    """`Alignment.span` that also accepts ``None`` (the view is the original)."""
    return (s, e) if align is None else align.span(s, e)


def spans(align: Alignment | None, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`Alignment.spans` that also accepts ``None`` (the view is the original)."""
    return pairs if align is None else align.spans(pairs)


def pos(align: Alignment | None, i: int) -> int:
    return i if align is None else align.pos(i)
