"""The documents of one call, indexed for looking up an answer's claims.

Reading every figure of 10 KB of sources costs far more than the few claims a 1 KB answer makes,
so the index is lazy: each claim is looked up by searching the sources for its digits (or month
name, code, phrase) with ``str.find`` and reading only the figures found there; what was read is
cached for the rest of the call. Searches and readings are charged against a budget equal to the
cost of one scan of the sources; an answer that exhausts it (hundreds of claims) switches the
index to a table of the sources' digit runs, built in that one scan, so each later figure is found
by a lookup instead of a search. Either way the cost stays linear in the answer and the sources
together, and at most about twice the cheaper of the two ways.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import accumulate, repeat
from operator import add, itemgetter
from typing import Any

from ._claims import (
    _NUMBER_WORD_RUN,
    _RANGE,
    _ROLE_BITS,
    Claim,
    Grammar,
    after_point,
    extract,
    money_roles,
    parse_at,
    value_words,
    word_claim_at,
)
from ._claimtext import _PLAIN_LATIN1, all_plain, lower_same_length, needs_view, source_view
from ._native import kernel

# The C kernel (None: not built, or GUARDWRAP_PURE_PYTHON=1) builds the table of digit runs in one
# pass of a few nanoseconds a character (the Python: some 30) without a Python object per run, so
# with it figures are looked up in the table from the first one (measured: cheaper than searching
# even for a 1 KB answer against 10 KB), not after sixty searches of the whole sources. Both ways
# find every place str.find finds, so when they switch changes no answer (tests/grounding/
# test_cground.py).
_K = kernel("guardwrap._cground")

__all__ = ["SourceIndex", "compatible"]

_SEP = "\n\n\x00\n\n"  # between sources: no claim or phrase runs across it
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_TOKEN_CHARS = frozenset("0123456789/-:+")
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_BEFORE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ]$")
_SPACES = re.compile(r"\s+")
#: kinds whose written form carries its unit, so the same text in a source states the same claim
_LITERAL_KINDS = frozenset({"money", "percent", "duration", "time", "date", "code"})
# Two budgets keep a call linear in its answer and sources, however many claims the answer makes
# and however often their digits occur. Searching with str.find (a fraction of a nanosecond per
# character) stops after about as many characters as one scan building a table of the sources'
# digit runs costs (some 16 ns per character); candidates then come from that table. Reading the
# figures at candidate places stops after about as many places as the sources have figures;
# then every figure of the sources is read once into a table keyed by value.
_FIND_BUDGET_PER_CHAR = 60
_CHARS_PER_FIGURE = 16
_DIGIT_RUN = re.compile(r"[0-9]+")
_DIGIT_SET = frozenset("0123456789")
_HAS_DIGIT = re.compile("[0-9]")


def compatible(a: Claim, s: Claim) -> bool:
    """Whether source claim ``s`` supports answer claim ``a``: same kind, value and unit; rates of
    the same kind (APR is not AER); amounts over the same period where both say one."""
    if a.kind == "number":
        if s.kind == "number":
            return bool(s.value == a.value)
        if s.kind == "code" and len(s.value) == 6 and s.value.isdigit():  # a year of a tax year "2025/26"
            first = int(s.value[:4])
            return a.value in (first, first + 1) and (first + 1) % 100 == int(s.value[4:])
        return s.kind == "date" and s.value[0] is not None and a.value == s.value[0]
    if s.kind != a.kind:
        return False
    if a.kind == "date":
        ay, am, ad = a.value
        sy, sm, sd = s.value
        return bool(am == sm and (ad is None or ad == sd) and (ay is None or sy is None or ay == sy))
    if a.value != s.value:
        return False
    if a.kind in ("money", "duration") and a.unit != s.unit:
        return False
    if a.per is not None and s.per is not None and a.per != s.per:
        return False
    if a.roles and s.roles and a.roles.isdisjoint(s.roles):
        return False  # a fee is not a limit, a minimum or a repayment
    return not (a.role is not None and s.role is not None and a.role != s.role)


def _read_value(c: Claim) -> str | None:
    """A claim's value as the kernel's read_support compares it: a time as ``h:m`` (``8:0``), a
    figure as `_canonical` digits; None for a negative figure (the Python's)."""
    if c.kind == "time":
        return f"{c.value[0]}:{c.value[1]}"
    return None if c.value.is_signed() else _canonical(c.value)


def _canonical(v: Decimal) -> str:
    """A figure's value as the kernel's read_support compares it: its digits without leading
    zeros or trailing zeros of the fraction (``5000.00`` and ``5E+3`` are ``5000``, ``0.50`` is
    ``.5``); equal for equal values (not negative)."""
    int_part, _, frac = format(v, "f").partition(".")
    frac = frac.rstrip("0")
    return int_part.lstrip("0") + ("." + frac if frac else "")


def _multiple(v: Decimal, k: int) -> bool:
    """``v % k == 0`` for any figure: a remainder whose quotient has more digits than the decimal
    context holds (a figure of 30 digits) raises, and such a figure is no multiple of anything
    worth another spelling."""
    return v.adjusted() < 20 and v % k == 0


def _group_thousands(int_part: str, group: str) -> str:
    """``f"{int(int_part):,}"`` with ``group`` for the comma, without int(): a figure of thousands
    of digits is past the int <-> str conversion limit."""
    digits = int_part.lstrip("0") or "0"
    head = len(digits) % 3 or 3
    return group.join([digits[:head], *(digits[k:k + 3] for k in range(head, len(digits), 3))])


def _alternates(c: Claim) -> list[Decimal]:
    """The values under which ``c`` may be written in a source: ``14 days`` as ``2 weeks``,
    ``£0.35`` as ``35p``, ``£1,500,000`` as ``£1.5m``, ``0.25%`` as ``25 basis points``."""
    v = c.value
    out = [v]
    if c.kind == "duration":
        if c.unit == "day" and _multiple(v, 7):
            out.append(v / 7)
        elif c.unit == "month" and _multiple(v, 12):
            out.append(v / 12)
        elif c.unit == "minute" and _multiple(v, 60):
            out.append(v / 60)
    elif c.kind == "money":
        if v < 1:
            out.append(v * 100)
        for scale in (10**9, 10**6, 1000):
            if v >= scale:
                out.append(v / scale)
                break
    elif c.kind == "percent" and v < 10:
        out.append(v * 100)
    elif c.kind == "number" and v >= 10**6:
        out.append(v / 10**6)
    return out


class SourceIndex:
    """The sources of one call (and the validator's standing facts) in one searchable view."""

    __slots__ = (
        "_budget",
        "_by_key",
        "_folded",
        "_found",
        "_g",
        "_hits_left",
        "_ids",
        "_lower",
        "_memo",
        "_parsed",
        "_runs",
        "_settled",
        "_sources",
        "_starts",
        "_texts",
        "_written",
        "n_sources",
        "view",
    )

    def __init__(self, sources: Sequence[tuple[str, str]], g: Grammar, facts: str | None = None) -> None:
        # ids and texts, and below the starts, by C iterators (no Python step per source)
        texts = list(map(_SECOND, sources))
        if facts:
            texts.append(facts)
        # Sources usually need no view (ASCII, "£", "€"): proven for all of them at once when so;
        # otherwise each text is checked and only those that need one get it.
        joined = _SEP.join(texts)
        if not (all_plain(joined) if _K is None else _K.all_plain(joined, _PLAIN_LATIN1)):
            needs = [needs_view(t) for t in texts]
            if any(needs):
                texts = [source_view(t, need) for t, need in zip(texts, needs, strict=True)]
                joined = _SEP.join(texts)
        self._sources: Sequence[tuple[str, str]] | None = sources  # for `ids`, made when a citation asks
        self._ids: list[str] | None = None
        self.n_sources = len(sources)
        # where each text starts in the view (`starts`): made when a citation or a claim's place asks
        # which source holds an offset, not on every call
        self._texts: list[str] | None = texts
        self._starts: list[int] | None = None
        self.view = joined
        self._g = g
        self._parsed: dict[int, list[Claim]] = {}
        self._memo: dict[tuple[object, ...], bool] = {}
        self._found: dict[tuple[str, int], int] = {}
        self._lower: str | None = None
        self._folded: str | None = None
        self._runs: dict[str, list[int]] | Any = None  # or the kernel's RunTable
        self._by_key: dict[tuple[object, ...], list[Claim]] | None = None
        # (mode, surface) -> whether the first test of a lookup holds (see `settle_written`)
        self._written: dict[tuple[int, str], bool] = {}
        # the claims (by identity) `settle_written` found supported whatever the citations allow
        self._settled: set[Claim] = set()
        self._budget = _FIND_BUDGET_PER_CHAR * len(self.view) + 65_536
        self._hits_left = len(self.view) // _CHARS_PER_FIGURE + 256

    def __repr__(self) -> str:
        return f"SourceIndex(sources={self.n_sources}, chars={len(self.view)})"

    @property
    def empty(self) -> bool:
        return not self.view

    @property
    def ids(self) -> list[str]:
        """The sources' ids, in order."""
        ids = self._ids
        if ids is None:
            ids = self._ids = list(map(_FIRST, self._sources or ()))
            self._sources = None
        return ids

    @property
    def starts(self) -> list[int]:
        """Where each text starts in the view (the facts' last): len(text) + len(_SEP) accumulated."""
        starts = self._starts
        if starts is None:
            texts = self._texts or []
            starts = self._starts = (list(accumulate(map(add, map(len, texts[:-1]), repeat(len(_SEP))), initial=0))
                                     if texts else [])
            self._texts = None
        return starts

    def source_of(self, pos: int) -> int:
        """Index of the source holding view offset ``pos`` (``n_sources`` for the facts)."""
        return bisect_right(self.starts, pos) - 1

    def resolve(self, marker: str) -> int | None:
        """The source a citation marker points at: an id, or a 1-based position."""
        try:
            return self.ids.index(marker)
        except ValueError:
            pass
        if marker.isdigit() and 1 <= int(marker) <= self.n_sources:
            return int(marker) - 1
        return None

    def _allowed(self, pos: int, allowed: frozenset[int] | None) -> bool:
        return allowed is None or (i := self.source_of(pos)) in allowed or i >= self.n_sources

    # -- lookups ------------------------------------------------------------------------------

    @property
    def settled(self) -> set[Claim]:
        """The claims (by identity) `settle_written` found supported whatever the citations allow."""
        return self._settled

    def settle_written(self, claims: Iterable[Claim]) -> None:
        """With the kernel, what can be settled of the lookups of ``claims`` whatever the citations
        allow, for all of them in one C call (``settle``): the first test of each (a figure written
        in the sources exactly as in the answer: `_as_written`; a name or quote as written:
        `_find_phrase`) and, for the plain figures and dates it does not settle, the needles of
        `_needles` run as `_search` runs them with the kernel. Only what holds is taken as settled
        (`supports` then answers True without a step); a first test that failed is remembered for
        `_as_written` / `_phrase`; every other claim is looked up by `supports` as without the
        kernel. The places read for the claims found are charged to the budget as the Python
        charges them (tests/grounding/test_cground.py holds the kernel to the Python)."""
        if not self.view or self._by_key is not None:
            return
        fn = getattr(_K, "settle", None)  # None without the kernel (or an older one)
        if fn is None:
            self._settle_first(claims)
            return
        asked = claims if isinstance(claims, list) else list(claims)
        if not asked:
            return
        table = None
        for c in asked:
            if c.kind in _BATCH_KINDS:
                if self._runs is None:
                    self._build_runs()
                table = None if isinstance(self._runs, dict) else self._runs
                break
        g = self._g
        found, failed, charged = fn(self.view, table, asked, g.decimal, g.group, g.order == "mdy", _MARKS,
                                    _BATCH_STARTS, self._hits_left)
        self._hits_left -= charged
        self._settled.update(found)
        for key in failed:
            self._written[key] = False

    def _settle_first(self, claims: Iterable[Claim]) -> None:
        """The first test of each lookup (``as_written``) in one C call, for a kernel without
        ``settle``."""
        fn = getattr(_K, "as_written", None)
        if fn is None:
            return
        items: dict[tuple[str, int], None] = {}  # in order, each once
        for c in claims:
            kind = c.kind
            if kind == "entity":
                mode = 1
            elif kind == "quote":
                mode = 2
            elif c.role is None and kind in _LITERAL_KINDS and c.surface and not c.roles:
                mode = 0
            else:
                continue
            if c.surface:
                items[c.surface, mode] = None
        if items:
            asked = list(items)
            for (surface, mode), found in zip(asked, fn(self.view, asked), strict=True):
                self._written[mode, surface] = found

    def supports(self, c: Claim, allowed: frozenset[int] | None = None) -> bool:
        """Whether the sources (only those in ``allowed``, when given, and the facts) state ``c``."""
        if not self.view:
            return False
        if allowed is None and c in self._settled:  # (the claim itself, settled by `settle_written`)
            return True
        key = (c.kind, c.value, c.unit, c.role, c.per, c.roles, c.surface, allowed)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._supports(c, allowed)
        return found

    def _supports(self, c: Claim, allowed: frozenset[int] | None) -> bool:
        if c.kind == "entity":
            return self._phrase(c.surface, c.value, allowed, whole_words=True)
        if c.kind == "quote":
            return self._phrase(c.surface, c.value, allowed, whole_words=False)
        if self._by_key is not None:
            return self._lookup(c, allowed)
        if c.role is None and c.kind in _LITERAL_KINDS and c.surface and self._as_written(c, allowed):
            return True
        for needle, whole in self._needles(c):
            if self._search(c, needle, whole, allowed):
                return True
            if self._by_key is not None:
                return self._lookup(c, allowed)
        if c.kind in ("money", "percent", "duration", "number"):
            return self._words(c, allowed)
        return False

    def _as_written(self, c: Claim, allowed: frozenset[int] | None) -> bool:
        """The claim written in a source exactly as in the answer: one search, no reading."""
        surface = c.surface
        if allowed is None and not c.roles:
            known = self._written.get((0, surface))
            if known is not None:
                return known
        v = self.view
        hits = self._screened(surface, surface, 0, _LITERAL_ONLY, c.kind)
        if hits is not None and allowed is None and not c.roles:
            # the screen kept exactly the places where _literal holds, and any source will do
            return next(iter(hits), None) is not None
        for i in self._hits(surface) if hits is None else hits:
            if self._literal(surface, i) and self._allowed(i, allowed) and (
                    not c.roles or not (r := money_roles(v, i, i + len(surface))) or not c.roles.isdisjoint(r)):
                return True
        return False

    def _literal(self, surface: str, i: int) -> bool:
        """Whether the source at ``i`` holds the claim written exactly as in the answer (``£12 a
        month``, ``14 days``), standing alone: what most faithful answers do; then the figure
        need not be read."""
        v = self.view
        if not v.startswith(surface, i):
            return False
        e = i + len(surface)
        before = v[i - 1] if i > 0 else " "
        after = v[e] if e < len(v) else " "
        return (not before.isalnum() and not (before in ".,-/" and i > 1 and v[i - 2].isdigit())
                and not after.isdigit() and not (after.isalpha() and surface[-1].isalnum())
                and not (after in ".,/-:" and v[e + 1:e + 2].isdigit()))

    def _hits(self, needle: str) -> Iterable[int]:
        """Where ``needle`` occurs in the sources, in order: found with ``str.find`` while the
        budget lasts, then from the table of digit runs (built once) for needles with digits.
        Either way every place ``str.find`` would find, and no other."""
        v = self.view
        i = 0
        if self._runs is None and _K is not None and _HAS_DIGIT.search(needle):
            self._build_runs()  # the kernel's table: cheaper than the searches from the first figure
        if self._runs is None:
            i = self._find(needle, 0)
            self._budget -= len(v) if i < 0 else i
            while i >= 0:
                yield i
                if self._runs is not None or self._budget < 0:
                    break
                j = self._find(needle, i + 1)
                self._budget -= len(v) - i if j < 0 else j - i
                i = j
            else:
                return
            i += 1
            if self._runs is None:
                if not _HAS_DIGIT.search(needle):
                    yield from self._finds(needle, i)
                    return
                self._build_runs()
        if not _HAS_DIGIT.search(needle):
            yield from self._finds(needle, i)
            return
        runs = self._runs
        assert runs is not None
        if not isinstance(runs, dict):  # the kernel's table: the same places, or None: search
            found = runs.find_all(needle, i)
            yield from self._finds(needle, i) if found is None else found
            return
        # Of the needle's digit runs that lie between two other characters of it ("35" of "£35 "),
        # each a whole run of the sources wherever the needle is, the one with fewest places. A run
        # at the needle's edge may be part of a longer one in the sources ("5" of "£25.5" in
        # "£25.50", "500" in "1500"): a needle without an inner run is searched for, so that the
        # table finds exactly what the searches find.
        best: list[int] | None = None
        off = 0
        for m in _DIGIT_RUN.finditer(needle):
            if m.start() > 0 and m.end() < len(needle):
                places = runs.get(m.group(), [])
                if best is None or len(places) < len(best):
                    best, off = places, m.start()
        if best is None:
            yield from self._finds(needle, i)
            return
        for p in best:
            if p - off >= i and v.startswith(needle, p - off):
                yield p - off

    def _screened(self, needle: str, surface: str, off: int, flags: int, kind: str,
                  month: int = 0) -> Iterable[int] | None:
        """With the kernel, the places of ``needle`` (every place ``_hits`` yields, as a list)
        less those where ``_search`` (``flags``; ``_LITERAL_ONLY``: ``_as_written``) would do
        nothing whatever the citations allow: its cheap tests of each place run in C (for a needle
        of digits only, which the table does not key, found one at a time). None: ask ``_hits``
        (no kernel, or a needle without digits). ``month``: a date's month (1-12), whose patterns
        the screen then looks for as `_plausible` does, or 0."""
        screen = getattr(_K, "screen_hits", None)  # None without the kernel (or an older one)
        if screen is None or not _HAS_DIGIT.search(needle):
            return None
        if self._runs is None:
            self._build_runs()
        runs = self._runs
        if isinstance(runs, dict):
            return None
        code, starts = _DATE_SCREENS.get(month) or _SCREEN_KINDS.get(kind, (0, ""))
        found = runs.find_all(needle, 0)
        if found is None:  # all digits ("8", "2026"): searched, one place at a time (callers stop early)
            return self._kept(needle, surface, off, flags, code, starts)
        if not found:
            return []
        screened = screen(self.view, found, surface, off, len(needle), flags, self._g.group, code, starts, _MARKS)
        return screened  # type: ignore[no-any-return]

    def _kept(self, needle: str, surface: str, off: int, flags: int, code: int, starts: str) -> Iterator[int]:
        """The places of ``needle`` (those of ``str.find``, in order) that the kernel's screen keeps."""
        assert _K is not None
        nxt, v, group = _K.next_kept, self.view, self._g.group
        i = nxt(v, needle, 0, surface, off, flags, group, code, starts, _MARKS)
        while i >= 0:
            yield i
            i = nxt(v, needle, i + 1, surface, off, flags, group, code, starts, _MARKS)

    def _find(self, needle: str, start: int) -> int:
        """``view.find(needle, start)``, remembered for the call: claims of one answer often
        search for the same figure (``8:00`` for ``08:00``, ``8:00am`` and ``8.00am``). The budget
        is charged as if searched again, so the index takes the same path either way."""
        key = (needle, start)
        i = self._found.get(key)
        if i is None:
            i = self._found[key] = self.view.find(needle, start) if _K is None else _K.find(self.view, needle, start)
        return i

    def _finds(self, needle: str, i: int) -> Iterable[int]:
        i = self._find(needle, i)
        while i >= 0:
            yield i
            i = self._find(needle, i + 1)

    def _build_runs(self) -> None:
        """Every run of digits of the sources and where it starts: one scan, then each figure's
        candidates are a table lookup instead of a search."""
        if _K is not None:
            self._runs = _K.run_table(self.view)
            return
        runs: dict[str, list[int]] = {}
        for m in _DIGIT_RUN.finditer(self.view):
            runs.setdefault(m.group(), []).append(m.start())
        self._runs = runs

    def _search(self, c: Claim, needle: str, whole: bool, allowed: frozenset[int] | None) -> bool:
        """Whether a hit of ``needle`` supports ``c``."""
        v = self.view
        numeric = needle[-1:].isdigit()
        marked = not needle[:1].isdigit()  # "£1,500": a currency mark makes the hit plausible
        lead = len(needle) - len(needle.lstrip("\u00a3$\u20ac")) if marked and numeric else 0
        decimal = self._g.decimal in needle
        surface = c.surface if c.role is None and c.kind in _LITERAL_KINDS else ""
        off = surface.find(needle) if surface else -1
        hits: Iterable[int] | None = None
        if numeric:
            flags = 1 | (2 if marked else 0) | (4 if decimal else 0) | (8 if whole else 0)
            hits = self._screened(needle, surface, off, flags, c.kind, c.value[1] if c.kind == "date" else 0)
        else:
            flags = 0
            if _K is not None and _HAS_DIGIT.search(needle):  # "3.5%": the places _hits yields, as a list
                if self._runs is None:
                    self._build_runs()
                if not isinstance(self._runs, dict):
                    hits = self._runs.find_all(needle, 0)
        if hits is None:
            hits = self._hits(needle)
        elif (allowed is None and type(hits) is list and hits and c.kind in _READ_KINDS
              and self._hits_left >= len(hits) and (read := getattr(_K, "read_support", None)) is not None
              and (bits := _ROLES_BITS.get(c.roles)) is not None and (want := _read_value(c)) is not None):
            # the kernel runs the loop below over these places when it can read each one it must
            # (None: a place only the Python reads), charging the budget as the loop would; it
            # cannot run out here (one charge a place at most), so the index takes the same path
            g = self._g
            code, starts = _SCREEN_KINDS.get(c.kind, (0, ""))
            done = read(v, hits, lead, len(needle), flags, surface, off, g.decimal, g.group, g.order == "mdy", code,
                        starts, _MARKS, c.kind, want, c.unit, c.per, c.role, bits)
            if done is not None:
                found, charged = done
                self._hits_left -= charged
                return bool(found)
        elif (allowed is None and type(hits) is not list and c.kind in _READ_KINDS
              and (read_next := getattr(_K, "read_next", None)) is not None
              and (bits := _ROLES_BITS.get(c.roles)) is not None and (want := _read_value(c)) is not None):
            # the places of a needle the table does not key ("4"), taken one at a time by _kept
            # (not started yet): the kernel finds, screens and reads them in one call, as the loop
            # below would, up to the index's budget of places (past it, None: the loop's)
            g = self._g
            code, starts = _SCREEN_KINDS.get(c.kind, (0, ""))
            done = read_next(v, needle, 0, flags, surface, off, g.group, code, starts, _MARKS, lead, g.decimal,
                             g.order == "mdy", c.kind, want, c.unit, c.per, c.role, bits, self._hits_left)
            if done is not None:
                found, charged = done
                self._hits_left -= charged
                return bool(found)
        if c.kind == "date" and not numeric and c.value[2] is not None:
            # a date's month name has many hits (every date of that month in the sources) and
            # reading each costs two parses: those with the day next to the name go first
            hits = _day_next_first(v, hits, str(c.value[2]))
        for i in hits:
            if (off >= 0 and i >= off and self._literal(surface, i - off) and self._allowed(i, allowed)
                    and (not c.roles or not (r := money_roles(v, i - off, i - off + len(surface)))
                         or not c.roles.isdisjoint(r))):
                return True
            if self._allowed(i, allowed) and (not numeric or (_digit_bounds(v, i, len(needle), decimal, whole, self._g.group)
                                                             and (marked or _plausible(v, i, i + len(needle), c)))):
                self._hits_left -= 1
                if self._hits_left < 0:
                    self._full()
                    return False
                k = i + lead
                for s in self._claims_at(k, c.kind):
                    if s.start <= k < s.end and compatible(c, s):
                        return True
        return False

    def _needles(self, c: Claim) -> Iterable[tuple[str, bool]]:
        g = self._g
        if c.kind in ("money", "percent", "duration", "number"):
            seen = set()
            # the usual spelling first: few hits, most of them the figure sought
            if c.kind == "money" and c.unit in _SYMBOLS and c.value >= 1:
                text = g.write(c.value)
                int_part, _, frac = text.partition(g.decimal)
                grouped = _group_thousands(int_part, g.group)
                yield _SYMBOLS[c.unit] + grouped + (g.decimal + frac if frac else ""), False
            elif c.kind == "percent":
                yield g.write(c.value) + "%", True
            for v in _alternates(c):
                text = g.write(v)
                int_part, _, frac = text.partition(g.decimal)
                needle = int_part[-3:] + (g.decimal + frac if frac else "")
                if needle not in seen:
                    seen.add(needle)
                    yield needle, len(int_part) <= 3
        elif c.kind == "date":
            y, m, d = c.value
            # the month's name has fewer hits than the year; numeric dates are found by the year
            yield _MONTH_ABBR[m], False
            if y is not None:
                yield str(y), True
                if d is not None:
                    yield f"/{y % 100:02d}", False
            else:
                yield _MONTH_ABBR[m].upper(), False
        elif c.kind == "time":
            h, mi = c.value
            h12 = h % 12 or 12
            yield f"{h}:{mi:02d}", True
            if h12 != h or mi == 0:
                yield str(h12), True
        elif c.kind == "code":
            groups = [p for p in re.split(r"[^A-Za-z0-9]", c.surface) if p]
            if str(c.value).isdigit():
                longest = max(reversed(groups), key=len) if groups else str(c.value)
                # one long run of digits may be written in groups in the source: search its start
                yield (longest if len(groups) > 1 else longest[:4]), False
            else:
                yield (groups[0] if groups and len(groups[0]) >= 2 else str(c.value)[:4]), False

    def _claims_at(self, i: int, kind: str) -> Iterable[Claim]:
        """The claims around search hit ``i``, read once per token and cached."""
        v = self.view
        if kind == "date" and v[i:i + 1].isalpha():
            return self._dates_at_month(i)
        if kind == "code":
            return self._code_at(i)
        t = i
        g = self._g
        while t > 0 and i - t < 16 and (v[t - 1] in _TOKEN_CHARS or v[t - 1] in (g.group, g.decimal)):
            t -= 1
        while t < i and not v[t].isdigit():
            t += 1
        got = self._parse(t)
        if t < i and not any(c.start <= i < c.end for c in got):
            # the token read from t ends before the hit ("2025" of "2025/26"): read the hit's own
            t = i
            while t > 0 and (v[t - 1].isdigit() or (v[t - 1] in (g.group, g.decimal) and v[t - 2:t - 1].isdigit())):
                t -= 1
            got = [*got, *self._parse(t)]
        return got

    def _dates_at_month(self, i: int) -> Iterator[Claim]:
        """The dates around the month name at ``i``: the one read from a day before it first, and
        only when that does not do, the one read from the number after it (lazily: most hits are
        settled by the first)."""
        v = self.view
        m = _DAY_BEFORE.search(v, max(0, i - 10), i)
        if m is not None:
            for c in self._parse(m.start()):
                yield c if c.start <= i < c.end else Claim(c.kind, min(c.start, i), max(c.end, i + 1), c.value)
        k = i
        while k < len(v) and v[k].isalpha():
            k += 1
        k += 1 if v[k:k + 1] == "." else 0
        if v[k:k + 1] == " " and v[k + 1:k + 2].isdigit():
            for c in self._parse(k + 1):
                if c.kind == "date":
                    yield c if c.start <= i < c.end else Claim(c.kind, min(c.start, i), max(c.end, i + 1), c.value)

    def _parse(self, t: int) -> list[Claim]:
        got = self._parsed.get(t)
        if got is None:
            got = self._parsed[t] = parse_at(self.view, t, self._g)[0]
        return got

    def _code_at(self, i: int) -> list[Claim]:
        """Codes around hit ``i``, read with the separators codes are written with skipped: one
        claim per place the written token could end (``0800 123 4567`` ends after each group).
        A hit inside a number (``4767`` of ``0300 946 4767``) is read from where the number starts."""
        v = self.view
        if v[i:i + 1].isdigit():
            k = i
            while k > 0 and i - k < 24 and (v[k - 1].isdigit() or (v[k - 1] in " -()+/." and k > 1
                                                                    and v[k - 2].isdigit())):
                k -= 1
            if k > 0 and v[k - 1] in "+(":
                k -= 1
            out = []
            while k <= i:
                if k == 0 or not v[k - 1].isalnum():
                    out.extend(self._code_from(k))
                k += 1
            return out
        return self._code_from(i)

    def _code_from(self, i: int) -> list[Claim]:
        v = self.view
        if i > 0 and v[i - 1].isalnum():
            return []
        key: list[str] = []
        out: list[Claim] = []
        k = i
        n = len(v)
        while k < n and len(key) < 40:
            ch = v[k]
            if ch.isalnum():
                key.append(ch.upper())
            else:
                if key:
                    out.append(Claim("code", i, k, "".join(key)))
                if ch not in " -+()/." or not (k + 1 < n and v[k + 1].isalnum()):
                    break
            k += 1
        if k >= n and key:
            out.append(Claim("code", i, k, "".join(key)))
        return out

    def _words(self, c: Claim, allowed: frozenset[int] | None) -> bool:
        """Figures the sources spell out: ``fourteen days``, ``thirty-five pounds``."""
        v = self.view
        for value in _alternates(c):
            for word in value_words(value):
                for needle in (word, word.capitalize()):
                    i = self._find(needle, 0)
                    self._budget -= len(v)
                    while i >= 0:
                        if self._allowed(i, allowed) and (i == 0 or not v[i - 1].isalpha()) and not after_point(v, i):
                            m = _NUMBER_WORD_RUN.match(v, i)
                            if m is not None:
                                s = word_claim_at(v, m, self._g)
                                if s is not None and compatible(c, s):
                                    return True
                                if s is None and c.kind == "number" and value == c.value:
                                    return True
                        i = self._find(needle, i + 1)
        return False

    def _phrase(self, surface: str, folded: str, allowed: frozenset[int] | None, whole_words: bool) -> bool:
        """A name or quote: as written first, then ignoring case (and, for quotes, line breaks)."""
        v = self.view
        known = self._written.get((1 if whole_words else 2, surface)) if allowed is None else None
        if known or (known is None and self._find_phrase(v, surface, allowed, whole_words)):
            return True
        if self._lower is None:
            # offsets in it are offsets in v (source_of); the kernel lowers a plain text (ASCII and
            # uncased signs such as "\u00a3") without the Unicode tables, or answers None
            low = _K.lower_plain(v) if _K is not None else None
            self._lower = low if low is not None else lower_same_length(v)
        if self._find_phrase(self._lower, lower_same_length(surface), allowed, whole_words):
            return True
        if whole_words:
            return False
        if self._folded is None:
            self._folded = _SPACES.sub(" ", v)
        # collapsing whitespace moves offsets: check the source only when no citation restricts it
        return allowed is None and " ".join(surface.split()) in self._folded

    def _find_phrase(self, v: str, needle: str, allowed: frozenset[int] | None, whole_words: bool) -> bool:
        if not needle:
            return False
        # the kernel's find is str.find, without its slow walk over a text of 2-byte characters
        find = v.find if _K is None else functools.partial(_K.find, v)
        i = find(needle, 0)
        while i >= 0:
            e = i + len(needle)
            if self._allowed(i, allowed) and (not whole_words or (
                    (i == 0 or not v[i - 1].isalnum()) and (e >= len(v) or not v[e].isalnum()))):
                return True
            i = find(needle, i + 1)
        return False

    # -- the full table: every figure read once ----------------------------------------------

    def _full(self) -> None:
        by_key: dict[tuple[object, ...], list[Claim]] = {}
        for s in extract(self.view, self._g):
            for k in _keys(s):
                by_key.setdefault(k, []).append(s)
        self._by_key = by_key

    def _lookup(self, c: Claim, allowed: frozenset[int] | None) -> bool:
        assert self._by_key is not None
        for k in _query_keys(c):
            for s in self._by_key.get(k, ()):
                if self._allowed(s.start, allowed) and compatible(c, s):
                    return True
        return c.kind in ("money", "percent", "duration", "number") and self._words(c, allowed)


def _keys(s: Claim) -> list[tuple[object, ...]]:
    if s.kind == "date":
        y, m, _ = s.value
        return [("date", m), ("year", y)] if y is not None else [("date", m)]
    if s.kind == "code" and len(s.value) == 6 and s.value.isdigit():  # a tax year "2025/26"
        first = int(s.value[:4])
        return [("code", s.value), ("year", first), ("year", first + 1)]
    return [(s.kind, s.value)]


def _query_keys(c: Claim) -> list[tuple[object, ...]]:
    if c.kind == "date":
        return [("date", c.value[1])]
    if c.kind == "number" and c.value == c.value.to_integral_value():
        return [("number", c.value), ("year", int(c.value))]
    return [(c.kind, c.value)]


_UNIT_STARTS = {"percent": frozenset("%pPbB"), "duration": frozenset("dDwWmMyYhHfFbBcC"),
                "time": frozenset(":.aApP"),
                # currency words and codes: pounds, pence, GBP, USD, EUR, dollars, euros, cents...
                "money": frozenset("pPgGuUeEdDcCqQsSyYrRfFjJiIaAnNhHzZkKmMbB")}
_SYMBOLS = {"GBP": "\u00a3", "USD": "$", "EUR": "\u20ac"}
_CURRENCY_MARKS = frozenset("\u00a3$\u20ac\u00a5\u20b9\u20a3\u20a9\u20bd\u20ba\u20aa")
# what the kernel's screen_hits is told of _plausible: 0 any figure, 1 money (a mark before or a
# unit after), 2 a unit after, 3 a date (every place kept), with the characters units start with;
# 4 a date whose month is written near the place (`_date_screen`: the patterns _plausible looks for)
_SCREEN_KINDS = {"money": (1, "".join(sorted(_UNIT_STARTS["money"]))),
                 "percent": (2, "".join(sorted(_UNIT_STARTS["percent"]))),
                 "duration": (2, "".join(sorted(_UNIT_STARTS["duration"]))),
                 "time": (2, "".join(sorted(_UNIT_STARTS["time"]))), "date": (3, "")}
_MARKS = "".join(sorted(_CURRENCY_MARKS))
# the unit initials settle screens with, for money, percent, duration and time
_BATCH_STARTS = tuple(_SCREEN_KINDS[k][1] for k in ("money", "percent", "duration", "time"))
# the kinds the kernel's read_support reads, and an amount's roles as its bits
_READ_KINDS = frozenset({"money", "percent", "duration", "number", "time"})
# the kinds settle looks up beyond their first test (a date by its month's name only)
_BATCH_KINDS = _READ_KINDS | {"date"}
_ROLES_BITS = {roles: bits for bits, roles in enumerate(_ROLE_BITS)}
_LITERAL_ONLY = 16


def _month_patterns(m: int) -> tuple[str, ...]:
    """How a date's month ``m`` may be written near its figures (what `_plausible` looks for)."""
    abbr = _MONTH_ABBR[m]
    return (abbr, abbr.upper(), f"/{m:02d}/", f"/{m}/", f"-{m:02d}-", f".{m:02d}.", f".{m}.")


# per month: the kernel's screen for a date (kind 4) with its patterns, one a line
_DATE_SCREENS = {m: (4, "\n".join(_month_patterns(m))) for m in range(1, 13)}


def _plausible(v: str, i: int, e: int, c: Claim) -> bool:
    """Whether the figure found at ``i`` (the needle ends at ``e``) can state ``c``, judged by the
    characters around it before reading it: a rate is followed by ``%`` or *per cent*, a duration
    by a unit word, an amount has a currency mark before or a currency word after, a date has its
    month near its year."""
    kind = c.kind
    if kind == "date":
        _, m, _ = c.value
        w = v[max(0, i - 24):i + 12]
        return any(p in w for p in _month_patterns(m))
    starts = _UNIT_STARTS.get(kind)
    if starts is None:
        return True
    n = len(v)
    if kind == "money":
        k = i
        while k > 0 and (v[k - 1].isdigit() or v[k - 1] in ".,"):
            k -= 1
        if k > 0 and (v[k - 1] in _CURRENCY_MARKS or (v[k - 1] == " " and k > 1 and v[k - 2] in _CURRENCY_MARKS)
                      or v[max(0, k - 4):k].rstrip()[-3:].isupper()):
            return True
    e = _figure_end(v, e)
    if _unit_next(v, e, starts):
        return True
    # the first figure of a range ("5-10 working days", "5 to 10%"): its unit follows the second
    r = _RANGE.match(v, e)
    if r is None:
        return False
    k = r.end()
    if k < n and v[k] in _CURRENCY_MARKS:
        k += 1
    return _unit_next(v, _figure_end(v, k), starts)


def _figure_end(v: str, e: int) -> int:
    """Where the digits and separators of the figure running through ``e`` end."""
    n = len(v)
    while e < n and (v[e].isdigit() or v[e] in ".,"):
        if v[e] in ".," and not v[e + 1:e + 2].isdigit():
            break
        e += 1
    return e


def _unit_next(v: str, e: int, starts: frozenset[str]) -> bool:
    """Whether a unit (one of ``starts``) begins at ``e``, after a space or hyphen or none."""
    n = len(v)
    if e < n and v[e] in " -":
        e += 1
    return e < n and v[e] in starts


def _day_next_first(v: str, hits: Iterable[int], day: str) -> Iterator[int]:
    """``hits`` (of a month name) with those that have ``day`` written next to them first (``1
    March``, ``1st of March``, ``March 1,``); only the order changes, never the set. Lazy: a
    caller that stops at the first good hit searches no further."""
    before = (f"{day} ", f"{day}st ", f"{day}nd ", f"{day}rd ", f"{day}th ", f"{day} of ", f"{day}st of ",
              f"{day}nd of ", f"{day}rd of ", f"{day}th of ")
    comma, space = f" {day},", f" {day} "
    later: list[int] = []
    for i in hits:
        if v.endswith(before, max(0, i - 9), i):
            yield i
        else:
            a = v[i:i + 14]
            if comma in a or space in a:
                yield i
            else:
                later.append(i)
    yield from later


def _digit_bounds(v: str, i: int, n: int, decimal: bool, whole: bool, group: str) -> bool:
    """Cheap rejections before reading the figure at a hit: ``35`` inside ``350`` or ``35,000``
    or, when the needle is the whole integer part (``whole``), inside ``1035`` or ``13.5``."""
    if whole and i > 0 and (v[i - 1].isdigit() or (v[i - 1] in ".," and i > 1 and v[i - 2].isdigit())):
        return False
    e = i + n
    if not decimal and v[e:e + 1] == group and v[e + 1:e + 4].isdigit() and not v[e + 4:e + 5].isdigit():
        return False
    if e < len(v) and v[e].isdigit():
        if not decimal:
            return False
        while e < len(v) and v[e] == "0":
            e += 1
        if e < len(v) and v[e].isdigit():
            return False
    return True

