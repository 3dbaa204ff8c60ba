"""Many terms, one pass: the matcher behind `DenyTerms`, `Topics` and the injection phrases.

Terms are normalised like the text (the canonical view, see `_text`) and compiled once into a single regular
expression shaped like a trie (shared prefixes factored out), so the cost of a scan barely grows
with the number of terms. Between the words of a term any short run of separators (or none) is
allowed, so ``bypass kyc``, ``bypass-kyc``, ``bypass_kyc`` and ``bypasskyc`` all match.

For whole-word matching on plain ASCII text a candidate check runs first: the text's words are put
in a set and compared with the words a match must begin with. Most texts share no such word with
the list, and for them the scan is skipped altogether.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ._errors import PolicyError
from ._text import pos
from ._text import spans as spans_of
from ._text._fold import _HINTS as _SPACED_HINTS
from ._text._fold import words as view_words
from ._text._scan import EXISTS
from ._textnorm import FOLD, KEEP_CASE, Normalizer

#: how many separator characters may sit between two words of a term
GAP = 5
_GAP_RE = rf"[\W_]{{0,{GAP}}}"
_WORDS = re.compile(r"[^\W_]+")
MAX_TERM_CHARS = 200
# Letters spaced out: what `_text._fold.maybe_spaced` looks for before it joins any run, on ASCII
# (one separator, 1-3 times, each side of two single letters or digits and after them), one
# alternative per separator. A text where none occurs has no run to join. (Hyperscan pays far less
# for this than for the run itself with its word boundaries on both ends: 21 against 53 us for the
# whole scan of 20 KB.)
_SPACED_HINT = "(?:" + "|".join(
    f"{re.escape(sep)}{{1,3}}[A-Za-z0-9]{re.escape(sep)}{{1,3}}[A-Za-z0-9]{re.escape(sep)}" for sep, _ in _SPACED_HINTS
) + ")"


def _trie_pattern(terms: Iterable[tuple[str, ...]]) -> str:
    """One regex alternation, prefix-factored, matching any of ``terms`` (tuples of words)."""
    root: dict[str, Any] = {}
    end = "\x00"
    for words in terms:
        node = root
        for i, w in enumerate(words):
            if i:
                node = node.setdefault(" ", {})
            for ch in w:
                node = node.setdefault(ch, {})
        node[end] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (_GAP_RE if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch != end
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end in node:
            body = "(?:" + body + ")?"
        return body

    return emit(root)


class TermMatcher:
    """Find any of many terms in a text, normalised, with offsets into the original text."""

    __slots__ = ("_body", "_first", "_norm", "_re", "_tail", "case_sensitive", "keys", "max_span", "whole_word")

    def __init__(
        self,
        terms: Iterable[str],
        *,
        case_sensitive: bool = False,
        whole_word: bool = True,
        key: str = "terms",
    ) -> None:
        self._norm: Normalizer = KEEP_CASE if case_sensitive else FOLD
        self.case_sensitive = case_sensitive
        self.whole_word = whole_word
        if isinstance(terms, str):
            raise PolicyError("terms must be a list of strings, not one string", key=key,
                              expected="a list of strings")
        words_list: dict[tuple[str, ...], None] = {}
        for i, term in enumerate(terms):
            if not isinstance(term, str):
                raise PolicyError(f"term {i} is {type(term).__name__}", key=f"{key}[{i}]",
                                  expected="a string")
            if len(term) > MAX_TERM_CHARS:
                raise PolicyError(f"term {i} is longer than {MAX_TERM_CHARS} characters",
                                  key=f"{key}[{i}]", expected=f"at most {MAX_TERM_CHARS} characters")
            view, _ = self._norm.view(term)
            words = tuple(_WORDS.findall(view))
            if not words:
                raise PolicyError(f"term {i} has no letters or digits", key=f"{key}[{i}]",
                                  expected="a non-empty word or phrase")
            words_list[words] = None
        if not words_list:
            raise PolicyError("no terms given", key=key, expected="at least one term")
        #: canonical (separator-free) form of each term, for mapping matches back to terms
        self.keys = {"".join(w): w for w in words_list}
        # A match begins with one of these tokens when the text is split at punctuation and space.
        first: set[str] = set()
        for words in words_list:
            for k in range(1, len(words) + 1):
                first.add("".join(words[:k]))
        self._first = frozenset(first)
        body = self._body = _trie_pattern(words_list)
        pattern = rf"(?<!\w)(?:{body})(?!\w)" if whole_word else body
        self._re = re.compile(pattern)
        # for matches that begin inside a joined spaced-out run ("i b y p a s s" -> "ibypass")
        self._tail = re.compile(rf"(?:{body})(?!\w)") if whole_word else None
        self.max_span = max(sum(map(len, w)) + GAP * (len(w) - 1) for w in words_list)

    def scan_patterns(self) -> list[tuple[str, bool]]:
        """The pattern as the guard's one scan reads it (see `guardwrap._text._scan`): word
        boundaries as ``\\b``, which on the ASCII views the scan covers means the same thing."""
        body = self._body
        return [(rf"\b(?:{body})\b" if self.whole_word else body, not self.case_sensitive),
                # letters spaced out one by one: the matcher joins them first, so it must run
                (EXISTS + _SPACED_HINT, True)]

    def find(self, text: str, hits: list[tuple[int, int, int]] | None = None) -> list[tuple[int, int, str]]:
        """``(start, end, key)`` for each match: offsets into ``text``; ``key`` is the matched term
        with separators removed (look it up in ``keys``). ``hits``: where the guard's one scan of
        the canonical view found this matcher's pattern (the only places a match can start)."""
        view, origin, runs = self._norm.view_runs(text)
        if hits is not None and not runs:
            spans = self._match_at(view, sorted({start for index, start, _ in hits if index == 0}))
        elif self.whole_word and view.isascii():
            # A match starts at a word that begins some term, so try the pattern only where such
            # words occur instead of at every position (the scan is most of the cost).
            found = self._first.intersection(view_words(view))
            if not found and not runs:
                return []
            spans = self._match_at(view, self._starts(view, found)) if found else []
        else:
            spans = [m.span() for m in self._re.finditer(view)]
        if runs and self._tail is not None:
            seen = {s for s, _ in spans}
            for a, b in runs:  # matches that begin anywhere inside a joined run, one scan per run
                # (ending the scan one past the longest match keeps (?!\w) honest at its end)
                for m in self._tail.finditer(view, a, min(len(view), b + self.max_span + 1)):
                    if m.start() >= b:
                        break
                    if m.start() not in seen:
                        spans.append(m.span())
                        seen.add(m.start())
            spans.sort()
        return [(s, e, "".join(_WORDS.findall(view[vs:ve])))
                for (s, e), (vs, ve) in zip(spans_of(origin, spans), spans, strict=True)]

    @staticmethod
    def _starts(view: str, words: Iterable[str]) -> list[int]:
        starts: set[int] = set()
        for w in words:
            i = view.find(w)
            while i >= 0:
                starts.add(i)
                i = view.find(w, i + 1)
        return sorted(starts)

    def _match_at(self, view: str, starts: list[int]) -> list[tuple[int, int]]:
        """What ``finditer`` would find, trying the pattern only at ``starts`` (sorted)."""
        spans = []
        end = 0
        match = self._re.match
        for p in starts:
            if p < end:
                continue  # inside the previous match: finditer does not overlap matches
            m = match(view, p)
            if m is not None:
                spans.append(m.span())
                end = m.end()
        return spans

    def stream_safe(self, text: str) -> int:
        """Index before which no match, present or still to come, can start."""
        view, origin = self._norm.view(text)
        safe = len(view) - self.max_span - 1
        if safe <= 0:
            return 0
        # Only cut at a word start: a cut inside a word could split a match or fake a boundary.
        while safe > 0 and view[safe - 1].isalnum():
            safe -= 1
        for m in self._re.finditer(view, max(0, safe - self.max_span)):
            if m.start() < safe < m.end():
                safe = m.start()
                break
            if m.start() >= safe:
                break
        return pos(origin, safe)
