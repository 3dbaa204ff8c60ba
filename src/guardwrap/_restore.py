"""Putting pseudonymized values back into an answer of any shape, not only its text.

With input ``pseudonymize`` the model answers in placeholders (``<CREDIT_CARD_1>``); the caller
must get the real values back wherever the answer carries them: the text, a parsed pydantic model,
dicts and lists, dataclasses, tool-call arguments. `restore_value` walks those shapes and returns
the same object when no string changed (no copy on the common path).

A pydantic model is rebuilt *through validation* (its round-trip dump, restored, validated again),
so field validators and constraints judge the real values the caller receives, not the
placeholders. An answer whose real values fail its own model raises `RestoreError`: the guard
turns it into a blocked answer rather than hand out an object that never validated.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._anonymize import Vault
from ._errors import GuardrailError

__all__ = ["RestoreError", "restore_value"]

#: nesting deeper than this is left as is (an answer parsed from JSON is never near it)
MAX_DEPTH = 64


class RestoreError(GuardrailError):
    """The answer validated with placeholders (or before a fix) but not with the real values put
    back (or after it). ``reason`` is the short code the blocked decision carries."""

    def __init__(self, message: str, reason: str = "invalid-after-restore") -> None:
        super().__init__(message)
        self.reason = reason


def restore_value(value: Any, vault: Vault) -> Any:
    """``value`` with every placeholder the vault issued replaced by its original, in every string.

    Walks ``str``, ``dict`` (keys and values), ``list``, ``tuple`` (named tuples too), ``set``,
    ``frozenset``, pydantic models and dataclasses; other objects are returned unchanged. Returns
    ``value`` itself when nothing changed.
    """
    if not len(vault):
        return value
    return _walk(value, vault, 0)


def _walk(value: Any, vault: Vault, depth: int) -> Any:
    if isinstance(value, str):
        return vault.restore(value)
    if depth >= MAX_DEPTH or value is None or isinstance(value, (bool, int, float, bytes)):
        return value
    depth += 1
    if isinstance(value, dict):
        items = [(_walk(k, vault, depth), _walk(v, vault, depth)) for k, v in value.items()]
        if all(k2 is k and v2 is v for (k2, v2), (k, v) in zip(items, value.items(), strict=True)):
            return value
        return dict(items) if type(value) is dict else _rebuild(type(value), dict(items))
    if isinstance(value, (list, tuple, set, frozenset)):
        seq = [_walk(x, vault, depth) for x in value]
        if all(a is b for a, b in zip(seq, value, strict=True)):
            return value
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
            return type(value)(*seq)
        return type(value)(seq) if type(value) in (list, tuple, set, frozenset) else _rebuild(type(value), seq)
    model_dump = getattr(value, "model_dump", None)
    if model_dump is not None and hasattr(type(value), "model_validate"):
        return _model(value, vault, depth)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass(value, vault, depth)
    return value


def _rebuild(cls: type, data: Any) -> Any:
    try:
        return cls(data)
    except Exception as exc:
        raise RestoreError(f"cannot rebuild a {cls.__name__} with the restored values ({type(exc).__name__})") from None


def _model(value: Any, vault: Vault, depth: int) -> Any:
    # round_trip: a dump that is valid input again (computed fields left out, Json[...] kept as JSON)
    dumped = value.model_dump(by_alias=True, round_trip=True)
    restored = _walk(dumped, vault, depth)
    if restored is dumped:
        return value
    try:
        return type(value).model_validate(restored)
    except Exception as exc:
        # pydantic's message would quote the offending (now real) value: name the error types only
        kinds = sorted({e.get("type", "?") for e in getattr(exc, "errors", lambda: [])()}) or [type(exc).__name__]
        raise RestoreError(
            f"the answer's {type(value).__name__} validated with placeholders but not with the real "
            f"values restored ({', '.join(kinds)}); check the model's constraints on pseudonymized fields"
        ) from None


def _dataclass(value: Any, vault: Vault, depth: int) -> Any:
    changes = {}
    for f in dataclasses.fields(value):
        if not f.init:
            continue
        old = getattr(value, f.name)
        new = _walk(old, vault, depth)
        if new is not old:
            changes[f.name] = new
    if not changes:
        return value
    try:
        return dataclasses.replace(value, **changes)  # runs __init__/__post_init__: validation again
    except Exception as exc:
        raise RestoreError(
            f"the answer's {type(value).__name__} could not be rebuilt with the real values restored "
            f"({type(exc).__name__})"
        ) from None
