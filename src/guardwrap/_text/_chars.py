"""The character table of the canonical view, loaded on first use (see ``tools/gen_text_tables.py``).

Pure-ASCII text never needs it, so ``import guardwrap`` does not pay for it.
"""

from __future__ import annotations

import functools


@functools.cache
def table() -> dict[int, str]:
    """``str.translate`` table: code point -> what it becomes in the canonical view."""
    from ._tables import RANGES

    out: dict[int, str] = {}
    for text, ranges in RANGES.items():
        for first, last in ranges:
            for cp in range(first, last + 1):
                out[cp] = text
    return out


#: ASCII control characters other than tab and line breaks: removed from the view.
CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
