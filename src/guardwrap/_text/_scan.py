"""One scan, many validators: every validator's anchors compiled into one multi-pattern matcher.

A validator may declare ``scan_patterns()``: regular expressions (a subset both Python's ``re``
and Hyperscan read the same way) such that, when none of them matches the canonical view of a
text, the validator has nothing to report. A pattern prefixed with `EXISTS` is only reported once,
without its start (for hints that only say "look closer"). The guard compiles the patterns of all its validators
into one Hyperscan database per chain, scans each text once, and hands every validator its hits
(`Hits`); a validator whose patterns did not fire is not called at all. Validators that get hits
use them as the only places worth looking (exact starts), so they find the same things they would
have found alone.

Hyperscan is used when it is installed (it has wheels for Linux, macOS and Windows); without it,
or for a text whose view is not ASCII, nothing is pre-scanned and every validator runs its own
exact scan. Decisions are identical either way (a differential test holds this).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _hs
from ._view import VIEW_HINTS, assume_plain, canonical

#: Hyperscan is importable here
AVAILABLE = _hs.AVAILABLE
#: guards built while this is False scan nothing up front (the differential tests build both)
ENABLED = True
#: the owner of the view hints (see `guardwrap._text._view.VIEW_HINTS`)
HINTS = -1
#: a pattern whose regex starts with this is only asked whether it occurs (reported once, no
#: start offset): hints, which in hostile text could otherwise fire at every character
EXISTS = "(?#exists)"


class Hits:
    """What one scan of one text found: ``by_owner[owner] -> [(pattern index, start, end), ...]``."""

    __slots__ = ("by_owner", "text")

    def __init__(self, text: str, by_owner: dict[int, list[tuple[int, int, int]]]) -> None:
        self.text = text
        self.by_owner = by_owner

    def get(self, owner: int) -> list[tuple[int, int, int]]:
        return self.by_owner.get(owner, [])


class Matcher:
    """The compiled patterns of several owners (validators). Build with `compile_matcher`."""

    __slots__ = ("_db", "_ids", "owners")

    def __init__(self, db: _hs.Database, ids: list[tuple[int, int]], owners: frozenset[int]) -> None:
        self._db = db
        self._ids = ids  # hyperscan id -> (owner, pattern index)
        self.owners = owners

    def scan_view(self, text: str) -> Hits | None:
        """Every owner's hits in the canonical view of ``text``, or None when the view is not
        ASCII (the validators then scan it themselves). When the view hints find nothing in an
        ASCII text, its view is the text itself: it is recorded as such and never built."""
        if text.isascii():
            hits = self.scan(text)
            if HINTS not in hits.by_owner:
                assume_plain(text)
                return hits
        view = canonical(text).text
        if view is text:
            return self.scan(text) if text.isascii() else None
        return self.scan(view) if view.isascii() else None

    def scan(self, text: str) -> Hits:
        """Every owner's hits in ``text`` (ASCII)."""
        found: dict[int, list[tuple[int, int, int]]] = {}
        ids = self._ids

        def on_match(hid: int, start: int, end: int, flags: int, ctx: Any) -> None:
            owner, index = ids[hid]
            hits = found.get(owner)
            if hits is None:
                found[owner] = [(index, start, end)]
            else:
                hits.append((index, start, end))

        self._db.scan(text.encode("ascii"), on_match)
        return Hits(text, found)


def compile_matcher(owners: Sequence[tuple[int, Sequence[tuple[str, bool]]]]) -> Matcher | None:
    """One matcher for ``[(owner, [(regex, caseless), ...]), ...]`` and the view hints, or None
    without Hyperscan."""
    if not AVAILABLE or not ENABLED:
        return None
    patterns: list[tuple[str, bool, bool]] = []
    ids: list[tuple[int, int]] = []
    for owner, group in [(HINTS, VIEW_HINTS), *owners]:
        for index, (regex, caseless) in enumerate(group):
            exists = owner == HINTS or regex.startswith(EXISTS)
            patterns.append((regex.removeprefix(EXISTS), caseless, exists))
            ids.append((owner, index))
    db = _hs.compile_db(patterns)
    assert db is not None
    return Matcher(db, ids, frozenset(o for o, _ in owners))


def prescanned(ctx: Any, text: str) -> list[tuple[int, int, int]] | None:
    """The hits the guard's one scan found for the validator now checking ``text``: a list of
    ``(pattern index, start, end)`` in the canonical view's offsets, or None when there was no
    such scan (no Hyperscan, a text that is not ASCII, a validator called on its own)."""
    h = getattr(ctx, "hits", None)
    if h is None or h[0] is not text:
        return None
    return h[1]  # type: ignore[no-any-return]
