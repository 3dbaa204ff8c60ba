"""The one place where `guardwrap.injection` asks for the canonical view of a text.

Everything the injection detector reads (signal patterns, the learned tier's words, decoded
payloads) goes through `canonical`, so the detector sees exactly what the other rules see.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from .._text._align import Alignment, pos, span
from .._text._fold import cached_words, remember_words
from .._textnorm import FOLD, words

__all__ = ["Alignment", "canonical", "pos", "span", "word_set", "words_of"]


def canonical(text: str) -> tuple[str, Alignment | None]:
    """``(view, alignment)``: the case-folded canonical view of ``text`` (see `guardwrap._text`)
    and its map back to the original (``None``: the view is the text itself)."""
    return FOLD.view(text)


#: the words of a view, split at spaces and ASCII punctuation (cached for the last view, shared
#: with the other rules that read the same text)
word_set = words


def words_of(view: str, bounds: Sequence[tuple[int, int]], toks: Sequence[list[str]]) -> frozenset[str]:
    """`word_set` of ``view`` given the tokens of its chunks (`_features.chunk_tokens`): built from
    them rather than by splitting the view again, and remembered for the other rules.

    Chunks are cut at whitespace, so their tokens are the view's, except where a chunk was cut
    inside a word (no whitespace for too long): the view is then split anew."""
    known = cached_words(view)
    if known is not None:
        return known
    if any(view[b] not in " \n" for _, b in bounds[:-1]):
        return words(view)
    return remember_words(view, frozenset(chain.from_iterable(toks)))
