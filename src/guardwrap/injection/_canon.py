"""The one place where `guardwrap.injection` asks for the canonical view of a text.

Everything the injection detector reads (signal patterns, the learned tier's words, decoded
payloads) goes through `canonical`, so moving to the project's shared text view is one edit here.
"""

from __future__ import annotations

from .._textnorm import FOLD, span, words

__all__ = ["canonical", "span", "word_set"]


def canonical(text: str) -> tuple[str, list[int] | None]:
    """``(view, origin)``: the case-folded, de-obfuscated view of ``text`` and its offset map
    (``origin[i]`` is the index in ``text`` of view character ``i``; ``None`` is the identity)."""
    return FOLD.view(text)


#: the words of a view, split at spaces and ASCII punctuation (cached for the last view, shared
#: with the other rules that read the same text)
word_set = words
