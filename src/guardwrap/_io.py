"""Finding the guarded text in a call's arguments, and putting the fixed text back.

The guarded text is, in order of preference: the argument named with ``guard.wrap(fn,
prompt="name")``; the ``content`` of every user message when the function takes OpenAI-style
``messages``; otherwise the first ``str`` argument. The signature is inspected once, at wrap time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from ._errors import GuardrailError

# A location of one guarded text inside the arguments:
#   ("arg", index) | ("kw", name) | ("msg", arg-loc, message index, part index or -1)
Loc = tuple[Any, ...]

_TEXT_PART_TYPES = ("text", "input_text")


def _message_texts(messages: Any, where: Loc) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    if not isinstance(messages, (list, tuple)):
        return out
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") != "user":
            continue
        content = m.get("content")
        if isinstance(content, str):
            out.append((("msg", where, i, -1), content))
        elif isinstance(content, (list, tuple)):
            for j, part in enumerate(content):
                if isinstance(part, dict) and part.get("type") in _TEXT_PART_TYPES:
                    text = part.get("text")
                    if isinstance(text, str):
                        out.append((("msg", where, i, j), text))
    return out


def _looks_like_messages(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and isinstance(value[0], dict)
        and "role" in value[0]
    )


class PromptSpec:
    """How to find the guarded text of one wrapped function."""

    def __init__(self, fn: Callable[..., Any], prompt: str | None = None) -> None:
        self.name = prompt
        self.index: int | None = None
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):  # builtins without a signature
            params = []
        names = [p.name for p in params]
        if prompt is None and "messages" in names:
            self.name = "messages"
        if self.name is not None:
            if params and self.name not in names and not any(p.kind is p.VAR_KEYWORD for p in params):
                raise GuardrailError(
                    f"{getattr(fn, '__qualname__', fn)!r} has no parameter named {self.name!r}"
                )
            for i, p in enumerate(params):
                if p.name == self.name and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                    self.index = i

    def locate(self, args: Sequence[Any], kwargs: dict[str, Any]) -> list[tuple[Loc, str]]:
        """Every guarded text in the call, with where it is."""
        if self.name is not None:
            if self.name in kwargs:
                where: Loc = ("kw", self.name)
                value = kwargs[self.name]
            elif self.index is not None and self.index < len(args):
                where = ("arg", self.index)
                value = args[self.index]
            else:
                return []
            if isinstance(value, str):
                return [(where, value)]
            return _message_texts(value, where)
        for i, a in enumerate(args):
            if isinstance(a, str):
                return [(("arg", i), a)]
            if _looks_like_messages(a):
                return _message_texts(a, ("arg", i))
        for k, v in kwargs.items():
            if isinstance(v, str):
                return [(("kw", k), v)]
            if _looks_like_messages(v):
                return _message_texts(v, ("kw", k))
        return []

    @staticmethod
    def _get(args: list[Any], kwargs: dict[str, Any], where: Loc) -> Any:
        return args[where[1]] if where[0] == "arg" else kwargs[where[1]]

    @staticmethod
    def _set(args: list[Any], kwargs: dict[str, Any], where: Loc, value: Any) -> None:
        if where[0] == "arg":
            args[where[1]] = value
        else:
            kwargs[where[1]] = value

    def replace(
        self, args: Sequence[Any], kwargs: dict[str, Any], texts: Sequence[tuple[Loc, str]]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """New ``(args, kwargs)`` with each located text replaced. The caller's objects are not mutated."""
        new_args = list(args)
        new_kwargs = dict(kwargs)
        copied: set[Any] = set()
        for loc, text in texts:
            if loc[0] != "msg":
                self._set(new_args, new_kwargs, loc, text)
                continue
            _, where, i, j = loc
            if where not in copied:
                msgs = [dict(m) if isinstance(m, dict) else m for m in self._get(new_args, new_kwargs, where)]
                self._set(new_args, new_kwargs, where, msgs)
                copied.add(where)
            msgs = self._get(new_args, new_kwargs, where)
            if j < 0:
                msgs[i]["content"] = text
            else:
                parts = [dict(p) if isinstance(p, dict) else p for p in msgs[i]["content"]]
                parts[j]["text"] = text
                msgs[i]["content"] = parts
        return tuple(new_args), new_kwargs

    def with_feedback(
        self, args: Sequence[Any], kwargs: dict[str, Any], texts: Sequence[tuple[Loc, str]], feedback: str
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Arguments for a re-ask: feedback appended as a user message, or to the plain prompt."""
        if not texts:
            return tuple(args), dict(kwargs)
        loc = texts[-1][0]
        if loc[0] == "msg":
            new_args = list(args)
            new_kwargs = dict(kwargs)
            where = loc[1]
            msgs = list(self._get(new_args, new_kwargs, where))
            msgs.append({"role": "user", "content": feedback})
            self._set(new_args, new_kwargs, where, msgs)
            return tuple(new_args), new_kwargs
        return self.replace(args, kwargs, [(loc, texts[-1][1] + "\n\n" + feedback)])


class OutputAdapter:
    """How to read the answer text out of a wrapped function's result and put a fixed text back.

    The default handles ``str`` results; SDK integrations supply their own.
    """

    def get(self, result: Any) -> str | None:
        """The answer text in ``result``, or ``None`` when it holds none (the output validators then
        fail closed unless the guard has none).
        """
        return result if isinstance(result, str) else None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        """A result carrying the fixed answer ``text`` in place of the original.

        ``value`` is the validated object when an output `JsonSchema` parsed the answer (the default
        adapter returns it instead of the text); SDK adapters put the text back into a copy of the
        provider's response object. Never mutate ``result``: the caller may hold it.
        """
        return value if value is not None else text


DEFAULT_OUTPUT = OutputAdapter()
