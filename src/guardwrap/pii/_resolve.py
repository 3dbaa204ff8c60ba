"""Overlap resolution: one finding per stretch of text, chosen deterministically."""

from __future__ import annotations

from bisect import bisect_right

Span = tuple[int, int, str, float]


def resolve(cands: list[Span]) -> list[Span]:
    """Drop overlaps deterministically: the higher score, then the longer span, then the earlier.

    Candidates that overlap nothing (nearly all) are kept as they are; only clusters of mutually
    overlapping ones are resolved, so the work is O(n log n), not O(n^2).
    """
    cands.sort()
    out: list[Span] = []
    n = len(cands)
    i = 0
    while i < n:
        j = i
        end = cands[i][1]
        while j + 1 < n and cands[j + 1][0] < end:
            j += 1
            end = max(end, cands[j][1])
        if i == j:
            out.append(cands[i])
        else:
            out.extend(_resolve_cluster(cands[i:j + 1]))
        i = j + 1
    return out


#: clusters larger than this mark the characters their kept spans cover instead of keeping a
#: sorted list (whose inserts cost O(k) each: quadratic in a hostile cluster of many thousands)
_BIG_CLUSTER = 32


def _resolve_cluster(cands: list[Span]) -> list[Span]:
    cands.sort(key=lambda t: (-t[3], t[0] - t[1], t[0]))
    if len(cands) > _BIG_CLUSTER and all(c[0] < c[1] for c in cands):
        return _resolve_big(cands)
    starts: list[int] = []
    kept: list[Span] = []
    for c in cands:
        s, e = c[0], c[1]
        k = bisect_right(starts, s)
        if (k and kept[k - 1][1] > s) or (k < len(kept) and kept[k][0] < e):
            continue  # kept spans do not overlap, so only the neighbours can overlap this one
        starts.insert(k, s)
        kept.insert(k, c)
    return kept


def _resolve_big(cands: list[Span]) -> list[Span]:
    """`_resolve_cluster` for ``cands`` already in order of preference, in time linear in the
    characters the candidates span: a candidate is kept when none of its characters is covered
    by one kept before it. Spans are not empty (the neighbour test above treats empty ones in
    its own way)."""
    base = min(c[0] for c in cands)
    covered = bytearray(max(c[1] for c in cands) - base + 1)
    kept: list[Span] = []
    for c in cands:
        s, e = c[0] - base, c[1] - base
        if covered.find(1, s, e) >= 0:
            continue
        covered[s:e] = b"\x01" * (e - s)
        kept.append(c)
    kept.sort(key=lambda t: t[0])  # stable: as the sorted inserts placed equal starts
    return kept
