"""The one place where `guardwrap.injection` asks for the canonical view of a text.

Everything the injection detector reads (signal patterns, the learned tier's words, decoded
payloads) goes through `canonical`, so the detector sees exactly what the other rules see.
"""

from __future__ import annotations

from .._text._align import Alignment, pos, span
from .._textnorm import FOLD, words

__all__ = ["Alignment", "canonical", "pos", "span", "word_set"]


def canonical(text: str) -> tuple[str, Alignment | None]:
    """``(view, alignment)``: the case-folded canonical view of ``text`` (see `guardwrap._text`)
    and its map back to the original (``None``: the view is the text itself)."""
    return FOLD.view(text)


#: the words of a view, split at spaces and ASCII punctuation (cached for the last view, shared
#: with the other rules that read the same text)
word_set = words
