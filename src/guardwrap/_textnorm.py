"""The matching view used by the phrase rules, as ``(view, alignment)`` pairs (see `guardwrap._text`).

``FOLD.view(text)`` is the canonical view of ``text`` lower-cased, with letters spaced out one by
one joined; ``KEEP_CASE`` the same with case kept. ``span(align, s, e)`` maps a view span back.
"""

from __future__ import annotations

from ._text import canonical
from ._text._align import Alignment, span
from ._text._fold import spaced, words

__all__ = ["FOLD", "KEEP_CASE", "Normalizer", "span", "words"]


class Normalizer:
    """Map text to its matching view. ``fold=False`` keeps case (for case-sensitive rules)."""

    __slots__ = ("fold",)

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold

    def view(self, text: str) -> tuple[str, Alignment | None]:
        """``(view, alignment)``; the alignment is None when the view is the text itself."""
        v, a, _ = spaced(canonical(text), self.fold)
        return v, a

    def view_runs(self, text: str) -> tuple[str, Alignment | None, list[tuple[int, int]]]:
        """`view`, plus the view spans of spaced-out runs that were joined (``"b y p a s s"``)."""
        return spaced(canonical(text), self.fold)


FOLD = Normalizer(fold=True)
KEEP_CASE = Normalizer(fold=False)
