"""Finding every text a call passes to the model, and putting the fixed texts back.

By default every argument is read (see `guardwrap._walk`): every ``str``, every message of every
role and shape (dicts, ``(role, text)`` tuples, objects with ``.content``), content parts, tool
results, nested dicts and lists, large integers. ``guard.wrap(fn, prompt="question")`` (or a tuple
of names) reads exactly the named arguments. A ``self``/``cls`` first parameter is never read. What
cannot be read (bytes, unknown objects) is reported, so the guard can fail closed. The signature is
inspected once, at wrap time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ._errors import GuardrailError
from ._walk import Path, Walk, replace, walk

# Where one guarded text is: a root step ("arg", index) | ("kw", name), then a `_walk` path.
Loc = Path

#: the locations of the first positional arguments, built once (a call's texts reuse them)
_ARG_LOCS: tuple[Loc, ...] = tuple((("arg", i),) for i in range(16))

_ROLE_ALIASES = {"human": "user", "ai": "assistant", "model": "assistant", "bot": "assistant"}


def _role(value: Any) -> str | None:
    """The role of a message-like value, if it is one."""
    if isinstance(value, dict):
        r = value.get("role")
    elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        r = value[0]
    else:
        r = getattr(value, "role", None) or (getattr(value, "type", None) if hasattr(value, "content") else None)
    if not isinstance(r, str):
        return None
    r = r.lower()
    return _ROLE_ALIASES.get(r, r)


def _is_messages(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and _role(value[0]) is not None


class PromptSpec:
    """Which arguments of one wrapped function reach the model."""

    def __init__(self, fn: Callable[..., Any], prompt: str | Iterable[str] | None = None,
                 skip_roles: Iterable[str] = ()) -> None:
        names: tuple[str, ...] | None
        if prompt is None:
            names = None
        elif isinstance(prompt, str):
            names = (prompt,)
        else:
            names = tuple(prompt)
            if not names or not all(isinstance(n, str) for n in names):
                raise GuardrailError("prompt= takes an argument name or a sequence of names")
        self.names = names
        self.skip_roles = frozenset(_ROLE_ALIASES.get(r.lower(), r.lower()) for r in skip_roles)
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):  # builtins without a signature
            params = []
        self.skip_self = bool(params) and params[0].name in ("self", "cls")
        self.index: dict[str, int] = {}
        for i, p in enumerate(params):
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                self.index[p.name] = i
        self.var_positional = any(p.kind is p.VAR_POSITIONAL for p in params)
        if names is not None and params and not any(p.kind is p.VAR_KEYWORD for p in params):
            known = {p.name for p in params}
            for n in names:
                if n not in known:
                    raise GuardrailError(f"{getattr(fn, '__qualname__', fn)!r} has no parameter named {n!r}")

    def _roots(self, args: Sequence[Any], kwargs: dict[str, Any]) -> list[tuple[tuple[str, Any], Any]]:
        if self.names is not None:
            out: list[tuple[tuple[str, Any], Any]] = []
            for n in self.names:
                if n in kwargs:
                    out.append((("kw", n), kwargs[n]))
                elif n in self.index and self.index[n] < len(args):
                    out.append((("arg", self.index[n]), args[self.index[n]]))
            return out
        first = 1 if self.skip_self else 0
        return [(("arg", i), a) for i, a in enumerate(args) if i >= first] + [
            (("kw", k), v) for k, v in kwargs.items()]

    def locate(self, args: Sequence[Any], kwargs: dict[str, Any], max_texts: int = 10_000,
               strict: bool = True) -> Walk:
        """Every text of the call that reaches the model (in argument order), and what could not be
        read. Past ``max_texts`` texts: raises `guardwrap._walk.TooManyTexts` (``strict``), or
        stops collecting."""
        w = Walk(max_texts, strict)
        for root, value in self._roots(args, kwargs):
            if self.skip_roles and _is_messages(value):
                for i, m in enumerate(value):
                    if _role(m) not in self.skip_roles:
                        walk(m, (root, ("i", i)), w)
            else:
                walk(value, (root,), w)
        return w

    def plain_texts(self, args: Sequence[Any], kwargs: dict[str, Any]) -> list[tuple[Loc, str]] | None:
        """``(location, text)`` of every argument when the call passes only plain ``str``
        positional arguments (what `locate` would find, without the walk), else None."""
        if self.names is not None or kwargs:
            return None
        first = 1 if self.skip_self else 0
        if len(args) == first + 1:
            a = args[first]
            return [(_ARG_LOCS[first], a)] if type(a) is str else None
        if not all(type(a) is str for a in args[first:]):
            return None
        return [(_ARG_LOCS[i] if i < len(_ARG_LOCS) else (("arg", i),), a) for i, a in enumerate(args[first:], first)]

    def texts(self, args: Sequence[Any], kwargs: dict[str, Any], max_texts: int) -> list[tuple[Loc, str]]:
        """``(location, text)`` of the call's texts, at most ``max_texts``, for the audit's input
        hash when no validator reads them: plain string arguments (the common call) need no walk."""
        if self.names is None and not kwargs:
            first = 1 if self.skip_self else 0
            if len(args) == first + 1:  # one argument: the common call
                a = args[first]
                if type(a) is str:
                    return [(_ARG_LOCS[first], a)]
            elif all(type(a) is str for a in args):
                return [(_ARG_LOCS[i] if i < len(_ARG_LOCS) else (("arg", i),), a)
                        for i, a in enumerate(args[first:max_texts + first], first)]
        return [(leaf.path, leaf.text) for leaf in self.locate(args, kwargs, max_texts, False).leaves]

    def replace(self, args: Sequence[Any], kwargs: dict[str, Any], texts: Sequence[tuple[Loc, str]]
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """New ``(args, kwargs)`` with each located text replaced. The caller's objects are not mutated."""
        new_args = list(args)
        new_kwargs = dict(kwargs)
        by_root: dict[tuple[str, Any], list[tuple[Loc, str]]] = {}
        for loc, text in texts:
            by_root.setdefault(loc[0], []).append((loc, text))
        for (kind, key), changes in by_root.items():
            if kind == "arg":
                new_args[key] = replace(new_args[key], changes, strip=1)
            else:
                new_kwargs[key] = replace(new_kwargs[key], changes, strip=1)
        return tuple(new_args), new_kwargs

    def with_feedback(self, args: Sequence[Any], kwargs: dict[str, Any], feedback: str
                      ) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """Arguments for a re-ask: feedback appended as a user message to the call's messages, or
        to its last text argument; None when the call has neither."""
        roots = self._roots(args, kwargs)
        new_args = list(args)
        new_kwargs = dict(kwargs)
        # messages first (a system prompt string beside them is not where an answer comes from)
        target = next((r for r in reversed(roots) if _is_messages(r[1])), None) or next(
            (r for r in reversed(roots) if isinstance(r[1], str)), None)
        if target is None:
            return None
        (kind, key), value = target
        new: Any = [*value, {"role": "user", "content": feedback}] if _is_messages(value) else (
            value + "\n\n" + feedback)
        if kind == "arg":
            new_args[key] = new
        else:
            new_kwargs[key] = new
        return tuple(new_args), new_kwargs


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
