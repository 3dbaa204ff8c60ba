"""Redacting text that leaves the hot path for people to read (review queue, red-team reports).

Text shown to a reviewer or printed in a report passes through `redact`, which replaces every span
`guardwrap.pii.detect_pii` finds with ``<ENTITY_TYPE>``. When the PII module is not available, or
raises, nothing is shown at all: callers then keep only a keyed hash. Failing closed here is the
point: a review screen or an HTML report must never become a copy of customers' personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._anonymize import apply_spans

_UNSET: Any = object()
_detector: Any = _UNSET


def _load_detector() -> Callable[[str], Any] | None:
    global _detector
    if _detector is _UNSET:
        try:
            from .pii import detect_pii
        except ImportError:
            _detector = None
        else:
            _detector = detect_pii
    return _detector  # type: ignore[no-any-return]


def can_redact() -> bool:
    """True when `redact` can show redacted text (the PII module is importable)."""
    return _load_detector() is not None


def redact(text: str) -> str | None:
    """``text`` with every detected PII span replaced by ``<TYPE>``; ``None`` when that cannot be done."""
    detect = _load_detector()
    if detect is None:
        return None
    try:
        findings = detect(text)
    except Exception:  # a detector failure must not leak the raw text: show nothing
        return None
    return apply_spans(text, findings, "redact") if findings else text


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control and invisible format characters shown as ``<U+200B>``.

    Text from a corpus or a prompt is attacker-controlled: printed raw to a reviewer's terminal, an
    escape sequence could rewrite the screen, and zero-width characters would hide what the
    validators saw. Showing them makes both visible.
    """
    import unicodedata

    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)
