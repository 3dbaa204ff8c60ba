"""The text layer every validator stands on: one canonical view per text, with its offset map.

``canonical(text)`` returns a `View`: ``view.text`` is what validators scan, ``view.folded`` the
same in lower case, ``view.span(s, e)`` maps a view span back to the original text. This package
imports nothing else from guardwrap.
"""

from ._align import Alignment, pos, span, spans
from ._scan import prescanned
from ._view import View, canonical, plain

__all__ = ["Alignment", "View", "canonical", "plain", "pos", "prescanned", "span", "spans"]
