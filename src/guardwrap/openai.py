"""Guarded OpenAI clients: ``gw.openai.guard_client(openai.OpenAI(), guard)``.

The returned client is the SDK's client with ``chat.completions.create`` (sync, async,
``stream=True``) and ``responses.create`` going through ``guard``:

- input validators see the text of every user message (``messages``, or ``input`` for the
  Responses API); the request that leaves the process carries the fixed (redacted,
  pseudonymized) text;
- output validators see the answer text, and each tool call's arguments (all but answer-shape
  validators such as `JsonSchema`); pseudonyms are restored in what the caller receives;
- streams are validated as they arrive: only text every validator has settled is re-emitted (as
  the SDK's own chunk objects), tool-call argument deltas are held and validated whole at the end;
- the call record carries ``provider="openai"``, the requested ``model``, and the answer's
  ``response_model`` and token ``usage``;
- with an output `JsonSchema` the validated object is on ``choices[0].message.parsed``.

Retries belong to the guard (``gw.Retry(on="transient")``): build the SDK client with
``max_retries=0`` or both layers retry. A `gw.Static` fallback answers with a completion (or a
one-chunk stream) built from its text. ``n > 1``, ``chat.completions.parse``/``stream`` and
``responses.create(stream=True)`` are refused rather than passed through unguarded.

The SDK itself is never imported by this module except to build a fallback's completion.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable
from typing import Any

from ._errors import GuardrailError, PolicyError
from ._io import OutputAdapter
from ._sdk import (
    GuardedStream,
    Proxy,
    Refused,
    copy_with,
    is_stream,
    unguarded,
    usage_fields,
    with_call_context,
    wrap_stream,
)

__all__ = ["guard_client"]


def _types(module: str) -> Any:
    return importlib.import_module(f"openai.types.{module}")  # the SDK, not this module


def _tool_get(tc: Any) -> str | None:
    fn = getattr(tc, "function", None)
    if fn is not None:
        return fn.arguments or ""
    custom = getattr(tc, "custom", None)
    return None if custom is None else (custom.input or "")


def _tool_set(tc: Any, text: str) -> Any:
    if getattr(tc, "function", None) is not None:
        return copy_with(tc, function=copy_with(tc.function, arguments=text))
    return copy_with(tc, custom=copy_with(tc.custom, input=text))


class ChatAdapter(OutputAdapter):
    """Reads and rewrites a ``ChatCompletion`` (and its stream chunks)."""

    def __init__(self, streaming: bool = False) -> None:
        self.streaming = streaming

    # -- whole answers ---------------------------------------------------------------------------

    def get(self, result: Any) -> str | None:
        if isinstance(result, str):
            return result
        choices = result.choices
        if not choices:
            return None
        if len(choices) > 1:
            raise GuardrailError("guarded chat completions support one choice (n=1) only")
        return choices[0].message.content  # type: ignore[no-any-return]

    def tool_texts(self, result: Any) -> list[str] | None:
        if isinstance(result, str) or not result.choices:
            return None
        tcs = result.choices[0].message.tool_calls or ()
        texts = [_tool_get(tc) for tc in tcs]
        return [t for t in texts if t is not None] or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None) -> Any:
        if isinstance(result, str):  # a fallback such as gw.Static answered
            return self._static(text)
        choice = result.choices[0]
        msg = choice.message
        if value is None and text == msg.content and (parts is None or parts == self.tool_texts(result)):
            return result  # nothing changed: no copy
        changes: dict[str, Any] = {}
        if msg.content is not None:
            changes["content"] = text
        if parts is not None and msg.tool_calls:
            it = iter(parts)
            changes["tool_calls"] = [_tool_set(tc, next(it)) if _tool_get(tc) is not None else tc
                                     for tc in msg.tool_calls]
        if value is not None:
            changes["parsed"] = value
        return copy_with(result, choices=[copy_with(choice, message=copy_with(msg, **changes)), *result.choices[1:]])

    def call_fields(self, result: Any) -> dict[str, Any] | None:
        if isinstance(result, str):
            return None
        return {"response_model": getattr(result, "model", None),
                **usage_fields(getattr(result, "usage", None), "prompt_tokens", "completion_tokens")}

    def _static(self, text: str) -> Any:
        chat = _types("chat")
        if self.streaming:
            chunk = chat.ChatCompletionChunk.model_construct(
                id="guardwrap-static", object="chat.completion.chunk", created=int(time.time()),
                model="guardwrap.static",
                choices=[chat.chat_completion_chunk.Choice.model_construct(
                    index=0, delta=chat.chat_completion_chunk.ChoiceDelta.model_construct(
                        role="assistant", content=text), finish_reason="stop")])
            return GuardedStream(iter([chunk]), None)
        return chat.ChatCompletion.model_construct(
            id="guardwrap-static", object="chat.completion", created=int(time.time()), model="guardwrap.static",
            choices=[chat.chat_completion.Choice.model_construct(
                index=0, finish_reason="stop",
                message=chat.ChatCompletionMessage.model_construct(role="assistant", content=text))])

    # -- streams ---------------------------------------------------------------------------------------

    def is_stream(self, result: Any) -> bool:
        return not isinstance(result, str) and is_stream(result)

    def wrap_stream(self, events: Any, source: Any) -> Any:
        return wrap_stream(events, source)

    def event_text(self, ev: Any) -> str | None:
        choices = ev.choices
        return choices[0].delta.content if choices else None

    def event_tool(self, ev: Any) -> list[tuple[Any, str]] | None:
        if not ev.choices or not ev.choices[0].delta.tool_calls:
            return None
        return [(tc.index, (tc.function.arguments or "") if tc.function else "") for tc in ev.choices[0].delta.tool_calls]

    def with_text(self, ev: Any, text: str) -> Any:
        ch = ev.choices[0]
        return copy_with(ev, choices=[copy_with(ch, delta=copy_with(ch.delta, content=text)), *ev.choices[1:]])

    def with_tool_text(self, ev: Any, repl: dict[Any, str]) -> Any:
        ch = ev.choices[0]
        tcs = [copy_with(tc, function=copy_with(tc.function, arguments=repl[tc.index]))
               if tc.index in repl and tc.function is not None else tc for tc in ch.delta.tool_calls]
        return copy_with(ev, choices=[copy_with(ch, delta=copy_with(ch.delta, tool_calls=tcs)), *ev.choices[1:]])

    def event_fields(self, ev: Any) -> dict[str, Any] | None:
        usage = getattr(ev, "usage", None)
        if usage is not None:
            return {"response_model": ev.model, **usage_fields(usage, "prompt_tokens", "completion_tokens")}
        return None


class ResponsesAdapter(OutputAdapter):
    """Reads and rewrites a Responses API ``Response``: its ``output_text`` parts and function calls."""

    @staticmethod
    def _parts(result: Any) -> list[tuple[int, int]]:
        out = []
        for i, item in enumerate(result.output or ()):
            if getattr(item, "type", None) == "message":
                for j, part in enumerate(item.content or ()):
                    if getattr(part, "type", None) == "output_text":
                        out.append((i, j))
        return out

    def get(self, result: Any) -> str | None:
        if isinstance(result, str):
            return result
        parts = self._parts(result)
        if not parts:
            return None
        return "".join(result.output[i].content[j].text for i, j in parts)

    def tool_texts(self, result: Any) -> list[str] | None:
        if isinstance(result, str):
            return None
        return [item.arguments for item in result.output or () if getattr(item, "type", None) == "function_call"] or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None) -> Any:
        if isinstance(result, str):
            return text if value is None else value
        output = list(result.output)
        # The whole (fixed) answer goes in the first text part; any others are emptied, since
        # validators saw them joined and a fix may span them.
        for n, (i, j) in enumerate(self._parts(result)):
            item = output[i]
            content = list(item.content)
            content[j] = copy_with(content[j], text=text if n == 0 else "")
            output[i] = copy_with(item, content=content)
        if parts is not None:
            it = iter(parts)
            output = [copy_with(item, arguments=next(it)) if getattr(item, "type", None) == "function_call" else item
                      for item in output]
        changes: dict[str, Any] = {"output": output}
        if value is not None:
            changes["output_parsed"] = value
        return copy_with(result, **changes)

    def call_fields(self, result: Any) -> dict[str, Any] | None:
        if isinstance(result, str):
            return None
        return {"response_model": getattr(result, "model", None),
                **usage_fields(getattr(result, "usage", None), "input_tokens", "output_tokens")}


# Raw-response wrappers would reach the HTTP layer without the guard.
_RAW_REFUSALS = {
    "with_raw_response": Refused("with_raw_response"),
    "with_streaming_response": Refused("with_streaming_response"),
}


def _guarded(raw: Callable[..., Any], guard: Any, adapter: Any, prompt: str) -> Callable[..., Any]:
    call: Callable[..., Any]
    if inspect.iscoroutinefunction(raw) or inspect.iscoroutinefunction(inspect.unwrap(raw)):
        async def call(**kwargs: Any) -> Any:
            return await raw(**kwargs)
    else:
        def call(**kwargs: Any) -> Any:
            return raw(**kwargs)
    call.__name__ = call.__qualname__ = getattr(raw, "__qualname__", "create")
    return guard.wrap(call, prompt=prompt, output=adapter)  # type: ignore[no-any-return]


def guard_client(client: Any, guard: Any) -> Any:
    """``client`` (``openai.OpenAI`` or ``openai.AsyncOpenAI``) with its generation calls guarded.

    >>> client = gw.openai.guard_client(openai.OpenAI(max_retries=0), guard)  # doctest: +SKIP
    >>> client.chat.completions.create(model="gpt-4o-mini", messages=[...])   # doctest: +SKIP
    """
    completions = getattr(getattr(client, "chat", None), "completions", None)
    if completions is None or not callable(getattr(completions, "create", None)):
        raise PolicyError(f"{type(client).__name__} is not an OpenAI client", key="client",
                          expected="openai.OpenAI or openai.AsyncOpenAI")
    plain = _guarded(completions.create, guard, ChatAdapter(), "messages")
    streaming = _guarded(completions.create, guard, ChatAdapter(streaming=True), "messages")

    def create(*args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError("create() takes keyword arguments only")
        if kwargs.get("n") not in (None, 1):
            raise GuardrailError("guarded chat completions support one choice (n=1) only")
        with_call_context(kwargs, "openai")
        return (streaming if kwargs.get("stream") else plain)(**kwargs)

    chat = Proxy(client.chat, {"completions": Proxy(completions, {
        "create": create,
        **_RAW_REFUSALS,
        "parse": unguarded("chat.completions.parse", "chat.completions.create with gw.JsonSchema"),
        "stream": unguarded("chat.completions.stream", "chat.completions.create(stream=True)"),
    }, "chat.completions")}, "chat")
    overrides: dict[str, Any] = {
        "chat": chat,
        "guard": guard,
        # derived clients stay guarded
        "with_options": lambda **kw: guard_client(client.with_options(**kw), guard),
        "copy": lambda **kw: guard_client(client.copy(**kw), guard),
        **_RAW_REFUSALS,
    }
    responses = getattr(client, "responses", None)
    if responses is not None:
        resp_create = _guarded(responses.create, guard, ResponsesAdapter(), "input")

        def rcreate(*args: Any, **kwargs: Any) -> Any:
            if args:
                raise TypeError("create() takes keyword arguments only")
            if kwargs.get("stream"):
                raise GuardrailError("responses.create(stream=True) is not guarded yet; "
                                     "use chat.completions.create(stream=True)")
            with_call_context(kwargs, "openai")
            return resp_create(**kwargs)

        overrides["responses"] = Proxy(responses, {
            "create": rcreate,
            **_RAW_REFUSALS,
            "parse": unguarded("responses.parse", "responses.create with gw.JsonSchema"),
            "stream": unguarded("responses.stream", "chat.completions.create(stream=True)"),
        }, "responses")
    return Proxy(client, overrides, type(client).__name__)
