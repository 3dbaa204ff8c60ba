"""One scan, many validators: every validator's anchors compiled into one multi-pattern matcher.

A validator may declare ``scan_patterns()``: regular expressions (a subset both Python's ``re``
and Hyperscan read the same way) such that, when none of them matches the canonical view of a
text, the validator has nothing to report. The guard compiles the patterns of all its validators
into one Hyperscan database per chain, scans each text once, and hands every validator its hits
(`Hits`); a validator whose patterns did not fire is not called at all. Validators that get hits
use them as the only places worth looking (exact starts), so they find the same things they would
have found alone.

Hyperscan is used when it is installed (it has wheels for Linux, macOS and Windows); without it,
or for a text whose view is not ASCII, nothing is pre-scanned and every validator runs its own
exact scan. Decisions are identical either way (a differential test holds this).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from ._view import assume_plain, canonical

_hs: Any
try:  # pragma: no cover - depends on the platform
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

#: Hyperscan is importable here
AVAILABLE = _hs is not None
#: guards built while this is False scan nothing up front (the differential tests build both)
ENABLED = True


#: the owner of the view hints below
HINTS = -1
# Everything that can make the canonical view of an ASCII text differ from the text (a superset:
# see `guardwrap._text._view`): escapes, controls, a digit run over a line break, a spelled-out
# e-mail address. When none occurs, the view is the text itself and is not built at all.
VIEW_HINTS: list[tuple[str, bool]] = [
    (r"%[0-9A-Fa-f]{2}", False),
    (r"&[#A-Za-z]", False),
    (r"\\[uUxnrt]", False),
    (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", False),
    (r"[0-9][ \t\r]*\n", False),
    (r"dot", True),
    (r"at[\])}>]", True),
]


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

    __slots__ = ("_db", "_ids", "_local", "owners")

    def __init__(self, db: Any, ids: list[tuple[int, int]], owners: frozenset[int]) -> None:
        self._db = db
        self._ids = ids  # hyperscan id -> (owner, pattern index)
        self._local = threading.local()  # a scratch space per thread (Hyperscan's is not shared)
        self.owners = owners

    def _scratch(self) -> Any:
        s = getattr(self._local, "scratch", None)
        if s is None:
            s = self._local.scratch = _hs.Scratch(self._db)
        return s

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

        self._db.scan(text.encode("ascii"), match_event_handler=on_match, scratch=self._scratch())
        return Hits(text, found)


def compile_matcher(owners: Sequence[tuple[int, Sequence[tuple[str, bool]]]]) -> Matcher | None:
    """One matcher for ``[(owner, [(regex, caseless), ...]), ...]`` and the view hints, or None
    without Hyperscan."""
    if _hs is None or not ENABLED:
        return None
    owners = [(HINTS, VIEW_HINTS), *owners]
    exprs: list[bytes] = []
    flags: list[int] = []
    ids: list[tuple[int, int]] = []
    for owner, patterns in owners:
        for index, (regex, caseless) in enumerate(patterns):
            exprs.append(regex.encode("ascii"))
            flags.append(_hs.HS_FLAG_SOM_LEFTMOST | (_hs.HS_FLAG_CASELESS if caseless else 0))
            ids.append((owner, index))
    db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
    return Matcher(db, ids, frozenset(o for o, _ in owners if o != HINTS))


def prescanned(ctx: Any, text: str) -> list[tuple[int, int, int]] | None:
    """The hits the guard's one scan found for the validator now checking ``text``: a list of
    ``(pattern index, start, end)`` in the canonical view's offsets, or None when there was no
    such scan (no Hyperscan, a text that is not ASCII, a validator called on its own)."""
    h = getattr(ctx, "hits", None)
    if h is None or h[0] is not text:
        return None
    return h[1]  # type: ignore[no-any-return]
