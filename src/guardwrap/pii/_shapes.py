"""What the detectors share: digit-group shapes (``"999 99 9999"`` for a number written 3-2-4),
literal words as one trie regex, word lists written as text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (a word list written as one string)."""
    return frozenset(text.split())


#: digits -> "9", for comparing how a number is grouped
TO9 = str.maketrans("0123456789", "9999999999")


def shapes(*groupings: tuple[int, ...], seps: str = " -") -> frozenset[str]:
    """Every ``seps``-joined shape of ``groupings`` (group lengths)."""
    return frozenset(s.join("9" * k for k in g) for g in groupings for s in seps)


def trie(words: Iterable[str]) -> str:
    """One regex for a set of literal words, as a trie: ``ab|ac|b`` -> ``(?:a(?:b|c)|b)``.

    A backtracking engine tries a plain alternation one word after another; the trie shares the
    words' prefixes, so a failing match costs a few steps instead of one per word, and the compiled
    pattern is smaller. It matches the same set of strings, but where one word is a prefix of
    another it tries the longer first: use it where at most one word can lead to a match (what
    follows the words rules the others out)."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
