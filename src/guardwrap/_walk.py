"""Every text inside a Python value, with the path to it, and copies of the value with texts replaced.

A model sees more than one string argument: messages of every role and shape (dicts, ``(role,
text)`` tuples, LangChain/pydantic message objects), content parts, tool results, tool-call
arguments, nested dicts and lists. `walk` finds each text (a *leaf*) and says which values it could
not read; `replace` returns a copy of the value with some leaves rewritten, never mutating the
caller's objects. Large integers are leaves too (a card number passed as an ``int`` is still a card
number); a rewritten integer becomes the rewritten string.
"""

from __future__ import annotations

import copy
import enum
import types
from collections.abc import Callable, Mapping
from typing import Any

#: one step from a value to a part of it:
#:   ("i", index) list/tuple item | ("k", key) mapping value | ("key", key) mapping key |
#:   ("a", name) attribute (pydantic field, dataclass field, ``.content``/``.text``/...)
Step = tuple[str, Any]
Path = tuple[Step, ...]

#: integers below this cannot hold personal data worth a check (they are amounts, counts, ids)
_SMALL_INT = 10_000
MAX_DEPTH = 32
# the "not given" markers SDKs pass for parameters the caller left out
_SDK_SENTINELS = frozenset({"NotGiven", "Omit"})
# values that carry no text a model would read
_OPAQUE = (bool, type(None), complex, enum.Enum, type, types.ModuleType, range)
# dates, times and UUIDs carry no text; told by module so that importing guardwrap imports neither
_OPAQUE_MODULES = frozenset({"datetime", "uuid"})
# attributes that hold what a message-like object says
_MESSAGE_ATTRS = ("content", "text", "input", "arguments", "tool_calls", "name")
# Structure, not content: keys that are plain identifiers ("role", "content", "tool_call_id") and
# the short identifier values of these keys ("user", "tool_result", "call_7f3a"). A value that is
# not a plain identifier (a number, an address, a sentence) is checked whatever its key.
_STRUCTURAL_KEYS = frozenset({"role", "type", "object", "id", "tool_call_id", "call_id", "tool_use_id"})


# Content parts a text validator cannot look into: the guard reports them as unreadable.
MEDIA_PARTS = frozenset({"image_url", "input_image", "image", "input_audio", "audio", "file", "input_file",
                         "document", "video"})


def _text_document(kind: str, part: Mapping[str, Any]) -> bool:
    """A document part whose source is plain text or text blocks (Anthropic's ``{"type":
    "document", "source": {"type": "text", "data": ...}}``): its text is read like any other, so
    it is not unreadable (an image among its blocks is, as its own part)."""
    if kind != "document":
        return False
    src = part.get("source")
    if not isinstance(src, Mapping):
        return False
    st = src.get("type")
    return (st == "text" and isinstance(src.get("data"), str)) or (
        st == "content" and isinstance(src.get("content"), (str, list, tuple)))


def _identifier(s: str) -> bool:
    return len(s) <= 64 and s.isidentifier() and s.isascii()


class Leaf:
    """One text found in a value: its path, the text, and whether it was a string."""

    __slots__ = ("is_str", "path", "text")

    def __init__(self, path: Path, text: str, is_str: bool = True) -> None:
        self.path = path
        self.text = text
        self.is_str = is_str

    def __repr__(self) -> str:
        return f"Leaf(path={self.path!r}, chars={len(self.text)})"


class Walk:
    """Leaves of a value, and descriptions of the parts that could not be read."""

    __slots__ = ("leaves", "max_leaves", "strict", "unreadable")

    def __init__(self, max_leaves: int, strict: bool = True) -> None:
        self.leaves: list[Leaf] = []
        self.unreadable: list[str] = []
        self.max_leaves = max_leaves
        #: past ``max_leaves``: raise `TooManyTexts` (strict) or stop collecting
        self.strict = strict


class TooManyTexts(Exception):
    """More leaves than the caller allows: the work would not be bounded."""


def _is_dataclass(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type)


def _is_pydantic(value: Any) -> bool:
    return hasattr(type(value), "model_fields") and hasattr(value, "model_copy")


def is_structured(value: Any) -> bool:
    """A container, pydantic model or dataclass instance: a value whose texts `walk` reads."""
    return isinstance(value, (dict, list, tuple)) or _is_pydantic(value) or _is_dataclass(value)


def walk(value: Any, path: Path = (), out: Walk | None = None, *, max_leaves: int = 10_000,
         depth: int = 0) -> Walk:
    """Collect the leaves of ``value`` (depth-first, in order)."""
    w = out if out is not None else Walk(max_leaves)
    _walk(value, path, w, depth)
    return w


def _add(w: Walk, path: Path, text: str, is_str: bool) -> None:
    if len(w.leaves) >= w.max_leaves:
        if not w.strict:
            return
        raise TooManyTexts(len(w.leaves) + 1)
    w.leaves.append(Leaf(path, text, is_str))


def _step_name(step: Step) -> str:
    kind, key = step
    if kind == "i":
        return f"[{key}]"
    if kind in ("arg", "kw"):
        return f"argument {key!r}" if kind == "kw" else f"argument {key}"
    # keys may be data themselves: only plain identifiers are shown
    shown = key if isinstance(key, str) and _identifier(key) else "..."
    return f".{shown}" if kind == "a" else f"[{shown!r}]"


def _describe(path: Path, value: Any) -> str:
    """Where a value is, and its type: never the value, nor a key that is not a plain name."""
    return f"{''.join(_step_name(s) for s in path) or 'value'} ({type(value).__name__})"


def _walk(value: Any, path: Path, w: Walk, depth: int) -> None:
    if isinstance(value, str):
        _add(w, path, value, True)
        return
    if isinstance(value, _OPAQUE) or type(value).__module__ in _OPAQUE_MODULES:
        return
    if isinstance(value, int):
        if abs(value) >= _SMALL_INT:
            _add(w, path, str(value), False)
        return
    if isinstance(value, float):
        # a whole number parsed as a float (JSON from some tools) is read as its digits
        if value.is_integer() and abs(value) >= _SMALL_INT:
            _add(w, path, str(int(value)), False)
        return
    if depth >= MAX_DEPTH:
        w.unreadable.append(_describe(path, value) + " nested too deep")
        return
    if type(value).__name__ == "Decimal" and type(value).__module__ == "decimal":
        _add(w, path, str(value), False)
        return
    if isinstance(value, Mapping):
        kind = value.get("type")
        if isinstance(kind, str) and kind in MEDIA_PARTS and not _text_document(kind, value):
            w.unreadable.append(f"{_describe(path, value)[:-1]}, {kind} part)")
        for k, v in value.items():
            if isinstance(k, str):
                if not _identifier(k):
                    _add(w, (*path, ("key", k)), k, True)
                if k in _STRUCTURAL_KEYS and isinstance(v, str) and _identifier(v):
                    continue
            _walk(v, (*path, ("k", k)), w, depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _walk(v, (*path, ("i", i)), w, depth + 1)
        return
    if _is_pydantic(value):
        for name in type(value).model_fields:
            _walk(getattr(value, name, None), (*path, ("a", name)), w, depth + 1)
        return
    if _is_dataclass(value):
        import dataclasses

        for f in dataclasses.fields(value):
            _walk(getattr(value, f.name), (*path, ("a", f.name)), w, depth + 1)
        return
    attrs = [a for a in _MESSAGE_ATTRS if isinstance(getattr(value, a, None), (str, list, tuple, dict))]
    if attrs:  # a message-like object of some SDK: what it says is in these attributes
        for a in attrs:
            _walk(getattr(value, a), (*path, ("a", a)), w, depth + 1)
        return
    if callable(value):
        return  # functions, bound methods, clients: not text
    if type(value).__name__ in _SDK_SENTINELS:
        return  # an SDK's "argument not given" marker (openai/anthropic NotGiven, Omit)
    w.unreadable.append(_describe(path, value))


# -- rewriting -----------------------------------------------------------------------------------


def _with_attr(obj: Any, name: str, new: Any) -> Any:
    if _is_pydantic(obj):
        return obj.model_copy(update={name: new})
    if _is_dataclass(obj):
        import dataclasses

        return dataclasses.replace(obj, **{name: new})
    clone = copy.copy(obj)
    setattr(clone, name, new)
    return clone


def _rename_key(mapping: Mapping[Any, Any], old: Any, new: str) -> Any:
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    return dict(items) if type(mapping) is dict else type(mapping)(items)  # type: ignore[call-arg]


def set_path(value: Any, path: Path, new: Any) -> Any:
    """A copy of ``value`` with the part at ``path`` replaced by ``new`` (copies along the path)."""
    if not path:
        return new
    (kind, key), rest = path[0], path[1:]
    if kind == "i":
        items = list(value)
        items[key] = set_path(items[key], rest, new)
        if isinstance(value, list):
            return items
        if hasattr(value, "_fields"):  # a named tuple
            return type(value)(*items)
        return tuple(items)
    if kind == "k":
        clone = dict(value) if type(value) is dict else copy.copy(value)
        clone[key] = set_path(value[key], rest, new)
        return clone
    if kind == "key":
        return _rename_key(value, key, new)
    return _with_attr(value, key, set_path(getattr(value, key), rest, new))


def replace(value: Any, changes: list[tuple[Path, str]], strip: int = 0) -> Any:
    """``value`` with each ``(path, text)`` applied; paths start after ``strip`` leading steps.

    Keys are renamed last, so that a value and its key can both change.
    """
    ordered = sorted(changes, key=lambda c: len(c[0]) > strip and c[0][-1][0] == "key")
    for path, text in ordered:
        value = set_path(value, path[strip:], text)
    return value


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` with ``fn`` applied to every string leaf (a copy where anything changed)."""
    w = walk(value, max_leaves=1_000_000)
    changes = [(leaf.path, new) for leaf in w.leaves if leaf.is_str and (new := fn(leaf.text)) != leaf.text]
    return replace(value, changes) if changes else value
