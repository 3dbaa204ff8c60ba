"""Span actions (``redact``, ``mask``, ``hash``, ``pseudonymize``) and the pseudonym vault.

A validator reports findings (offsets); when its action is a span action and it gave no ``fix`` of
its own, the guard rewrites those spans here. ``pseudonymize`` keeps the mapping in a `Vault` so the
answer can be restored for the caller; the vault lives in memory only and never reaches the audit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from ._decision import Finding
from ._native import kernel

#: the C loops of the matching view (``_text/_cfold.c``): `apply_spans` redacts with its `redact`
_cf: Any = kernel("guardwrap._text._cfold")

PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d{1,6})>")
#: longest placeholder we hold back for when restoring a stream
MAX_PLACEHOLDER = 48


class Vault:
    """Value <-> placeholder mapping for one call or conversation. Thread-safe, bounded.

    ``<EMAIL_ADDRESS_1>`` always stands for the same value within a vault, and the same value
    always gets the same placeholder. ``repr()`` shows counts only.
    """

    __slots__ = ("_by_placeholder", "_by_value", "_counters", "_lock", "max_entries")

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    def placeholder(self, entity_type: str, value: str) -> str:
        key = (entity_type, value)
        with self._lock:
            ph = self._by_value.get(key)
            if ph is None:
                if len(self._by_value) >= self.max_entries:
                    # Fail closed: a placeholder we cannot remember is still not the raw value.
                    return f"<{entity_type}>"
                n = self._counters.get(entity_type, 0) + 1
                self._counters[entity_type] = n
                ph = f"<{entity_type}_{n}>"
                self._by_value[key] = ph
                self._by_placeholder[ph] = value
            return ph

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def __bool__(self) -> bool:
        return True

    def restore(self, text: str) -> str:
        """Put the original values back for the placeholders this vault issued."""
        if not self._by_placeholder or "<" not in text:
            return text
        table = self._by_placeholder
        return PLACEHOLDER.sub(lambda m: table.get(m.group(0), m.group(0)), text)

    def __repr__(self) -> str:
        return f"Vault(entries={len(self._by_placeholder)})"


class VaultStore:
    """Vaults per conversation id, least recently used evicted past ``max_conversations``."""

    def __init__(self, max_conversations: int = 10_000, max_entries: int = 10_000) -> None:
        self.max_conversations = max_conversations
        self.max_entries = max_entries
        self._vaults: OrderedDict[str, Vault] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str | None) -> Vault:
        if conversation_id is None:
            return Vault(self.max_entries)
        with self._lock:
            vault = self._vaults.get(conversation_id)
            if vault is None:
                vault = self._vaults[conversation_id] = Vault(self.max_entries)
                if len(self._vaults) > self.max_conversations:
                    self._vaults.popitem(last=False)
            else:
                self._vaults.move_to_end(conversation_id)
            return vault

    def forget(self, conversation_id: str) -> None:
        """Drop a conversation's vault (e.g. when the conversation ends)."""
        with self._lock:
            self._vaults.pop(conversation_id, None)


def mask_value(value: str, *, char: str = "*", keep: int = 4) -> str:
    """Mask letters and digits, keeping separators and the last ``keep`` of them.

    Never more than half of them stay visible, so a short value is not shown whole.
    """
    alnum = sum(c.isalnum() for c in value)
    to_mask = alnum - min(keep, alnum // 2)
    out = []
    for c in value:
        if c.isalnum() and to_mask > 0:
            out.append(char)
            to_mask -= 1
        else:
            out.append(c)
    return "".join(out)


def hash_token(entity_type: str, value: str, key: bytes) -> str:
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
    return f"<{entity_type}:{digest}>"


def non_overlapping(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by start; of overlapping ones the earlier (then longer) wins."""
    out: list[Finding] = []
    end = -1
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if f.start >= end and f.end > f.start:
            out.append(f)
            end = f.end
    return out


def _in_order(findings: Iterable[Finding]) -> Sequence[Finding] | None:
    """``findings`` when they are already what `non_overlapping` would make of them (sorted by
    start, none empty, none overlapping: validators report them so), else None."""
    if not isinstance(findings, (tuple, list)):
        return None
    end = -1
    for f in findings:
        if f.start < end or f.end <= f.start:
            return None
        end = f.end
    return findings


def apply_spans(
    text: str,
    findings: Iterable[Finding],
    action: str,
    *,
    vault: Vault | None = None,
    mask_char: str = "*",
    mask_keep: int = 4,
    hash_key: bytes = b"",
) -> str:
    """Rewrite each finding's span of ``text`` according to ``action``."""
    if action == "redact" and _cf is not None and type(findings) in (list, tuple):
        # findings in order (as validators report them): the text built in one piece in C
        done = _cf.redact(text, findings, Finding)
        if done is not None:
            return done  # type: ignore[no-any-return]
    parts: list[str] = []
    append = parts.append
    pos = 0
    spans = _in_order(findings)
    if spans is None:
        spans = non_overlapping(findings)
    if action == "redact":  # the common action, without the value or the action tests per span
        for f in spans:
            append(text[pos : f.start])
            append(f"<{f.entity_type or f.rule or 'finding'}>" if type(f) is Finding else f"<{f.kind}>")
            pos = f.end
        append(text[pos:])
        return "".join(parts)
    for f in spans:
        value = text[f.start : f.end]
        kind = f.kind
        if action == "mask":
            rep = mask_value(value, char=mask_char, keep=mask_keep)
        elif action == "hash":
            rep = hash_token(kind, value, hash_key)
        elif action == "pseudonymize":
            if vault is None:
                raise ValueError("pseudonymize needs a vault")
            rep = vault.placeholder(kind, value)
        else:  # pragma: no cover - guarded by the caller
            raise ValueError(f"not a span action: {action}")
        parts.append(text[pos : f.start])
        parts.append(rep)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
