"""Shared plumbing for the guarded SDK clients (`guardwrap.openai`, `guardwrap.anthropic`).

A guarded client is a thin proxy: the generation methods are replaced by guarded ones, methods
that would generate text outside the guard raise, and everything else is the SDK's own object.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from typing import Any

from ._context import Context
from ._errors import GuardrailError
from ._restore import RestoreError


class Proxy:
    """Delegates every attribute to ``target`` except those in ``overrides``."""

    def __init__(self, target: Any, overrides: dict[str, Any], label: str) -> None:
        self._target = target
        self._overrides = overrides
        self._label = label

    def __getattr__(self, name: str) -> Any:
        try:
            return self._overrides[name]
        except KeyError:
            return getattr(self._target, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self._target)) | set(self._overrides))

    def __repr__(self) -> str:
        return f"<guarded {self._label}>"


def guarded_method(raw: Callable[..., Any], guard: Any, adapter: Any, prompt: str | tuple[str, ...]
                   ) -> Callable[..., Any]:
    """``raw`` (an SDK method, sync or async) wrapped by ``guard`` with ``adapter`` for its answers;
    ``prompt`` names the arguments the model reads (``messages`` and ``system``, ``input`` and
    ``instructions``)."""
    call: Callable[..., Any]
    if inspect.iscoroutinefunction(raw) or inspect.iscoroutinefunction(inspect.unwrap(raw)):
        async def acall(**kwargs: Any) -> Any:
            return await raw(**kwargs)

        call = acall
    else:
        def call(**kwargs: Any) -> Any:
            return raw(**kwargs)
    call.__name__ = call.__qualname__ = getattr(raw, "__qualname__", "create")
    return guard.wrap(call, prompt=prompt, output=adapter)  # type: ignore[no-any-return]


def unguarded(path: str, instead: str) -> Callable[..., Any]:
    """A stand-in for an SDK method the guard cannot see through: refuses instead of leaking."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise GuardrailError(f"{path} is not guarded; use {instead} (the guard would not see the text)")

    return refuse


class NotGuarded(GuardrailError, AttributeError):
    """An attribute of a guarded client that would bypass the guard. Also an ``AttributeError``,
    so code probing for it (``getattr(x, "create", None)``, as the Agents SDK does for
    ``with_streaming_response``) takes its fallback: the guarded method."""


class Refused:
    """Stands for an SDK attribute (``with_raw_response``) that would bypass the guard."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        raise NotGuarded(f"{self._name}.{attr} is not guarded; call the guarded method itself")


def with_call_context(kwargs: dict[str, Any], provider: str) -> dict[str, Any]:
    """Put the provider and requested model into the call's context; the caller's own wins."""
    user = kwargs.pop("gw_context", None)
    model = kwargs.get("model")
    if user is None:
        kwargs["gw_context"] = {"provider": provider, "model": model}
    elif isinstance(user, Context):
        kwargs["gw_context"] = user.merged(provider=user.provider or provider, model=user.model or model)
    else:
        d = {"provider": provider, "model": model}
        d.update({k: v for k, v in dict(user).items() if v is not None})
        kwargs["gw_context"] = d
    return kwargs


def copy_with(obj: Any, **changes: Any) -> Any:
    """A shallow copy of an SDK (pydantic) object with fields changed; the original is untouched."""
    return obj.model_copy(update=changes)


def reparse(old: Any, text: str, what: str) -> Any:
    """The SDK's parsed object (``message.parsed``, ``parsed_arguments``) built again from the
    final text, after fixes and with pseudonyms restored, exactly as the SDK parsed it: a pydantic
    model through its own validation, anything else through a ``TypeAdapter`` of its type (a
    ``dict`` from strict JSON tools stays a plain ``json.loads``).

    Raises `RestoreError` (no value quoted) when the final text no longer parses: handing out
    the object parsed from the unfixed text would leak what the fix removed."""
    if old is None:
        return None
    try:
        if isinstance(old, (dict, list)):
            return json.loads(text)
        validate_json = getattr(type(old), "model_validate_json", None)
        if validate_json is not None:
            return validate_json(text)
        from pydantic import TypeAdapter

        return TypeAdapter(type(old)).validate_json(text)
    except Exception as exc:
        kinds = sorted({e.get("type", "?") for e in getattr(exc, "errors", lambda: [])()}) or [type(exc).__name__]
        raise RestoreError(
            f"{what} could not be parsed again from the fixed answer ({', '.join(kinds)}); the object parsed "
            "from the unfixed text is withheld", reason="parsed-invalid-after-fix") from None


def is_stream(result: Any) -> bool:
    return hasattr(result, "__next__") or hasattr(result, "__anext__")


class GuardedStream:
    """What a guarded ``stream=True`` call returns: iterate it like the SDK's ``Stream``.

    Only validated events come out. ``close()`` (or leaving a ``with`` block) closes the HTTP
    response; the audit records are written when the stream ends.
    """

    def __init__(self, events: Iterator[Any], source: Any) -> None:
        self._events = events
        self.response = getattr(source, "response", None)

    def __iter__(self) -> GuardedStream:
        return self

    def __next__(self) -> Any:
        return next(self._events)

    def close(self) -> None:
        self._events.close()  # type: ignore[attr-defined]  # runs the generator's finally: closes the source

    def __enter__(self) -> GuardedStream:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncGuardedStream:
    """The async twin of `GuardedStream`."""

    def __init__(self, events: Any, source: Any) -> None:
        self._events = events
        self.response = getattr(source, "response", None)

    def __aiter__(self) -> AsyncGuardedStream:
        return self

    async def __anext__(self) -> Any:
        return await self._events.__anext__()

    async def close(self) -> None:
        await self._events.aclose()

    async def __aenter__(self) -> AsyncGuardedStream:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


def wrap_stream(events: Any, source: Any) -> Any:
    return AsyncGuardedStream(events, source) if inspect.isasyncgen(events) else GuardedStream(events, source)


def usage_fields(usage: Any, inp: str, out: str) -> dict[str, Any]:
    if usage is None:
        return {}
    return {"usage": {"input_tokens": getattr(usage, inp, None), "output_tokens": getattr(usage, out, None)}}
