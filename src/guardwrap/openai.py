"""Guarded OpenAI clients: ``gw.openai.guard_client(openai.OpenAI(), guard)``.

The returned client is the SDK's client with ``chat.completions.create`` (sync, async,
``stream=True``), ``chat.completions.parse``, ``responses.create`` (also ``stream=True``) and
``responses.parse`` going through ``guard``:

- input validators see the text of every user message (``messages``, or ``input`` for the
  Responses API); the request that leaves the process carries the fixed (redacted,
  pseudonymized) text;
- output validators see the answer text, and each tool call's arguments (all but answer-shape
  validators such as `JsonSchema`); pseudonyms are restored in what the caller receives;
- streams are validated as they arrive: only text every validator has settled is re-emitted (as
  the SDK's own chunk objects), tool-call argument deltas are held and validated whole at the end;
  so are the Responses API's other model texts (custom tool call input, refusals, reasoning
  summaries, and any ``*.delta`` kind not known here): no model text reaches the caller unchecked;
- the call record carries ``provider="openai"``, the requested ``model``, and the answer's
  ``response_model`` and token ``usage``;
- with an output `JsonSchema` the validated object is on ``choices[0].message.parsed``
  (``output_parsed`` for the Responses API), pseudonyms restored.

Retries belong to the guard (``gw.Retry(on="transient")``): build the SDK client with
``max_retries=0`` or both layers retry. A `gw.Static` fallback answers with a completion (or a
one-chunk stream) built from its text.

``n > 1`` choices are each validated and restored (one decision covers them: any blocked choice
blocks the call); ``stream=True`` with ``n > 1`` is refused. ``chat.completions.parse`` (also under
``beta``) and ``responses.parse`` are guarded: ``message.parsed``, ``output_parsed`` and tools'
``parsed_arguments`` are parsed again from the final text when a fix or a restored pseudonym
changed it. ``responses.create(stream=True)`` re-emits the SDK's own events with only released
text; ``*.done`` and ``response.completed`` events repeat exactly that text. The ``.stream()``
helpers and ``with_raw_response`` are refused rather than passed through unguarded.

The SDK itself is never imported by this module except to build a fallback's completion.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from ._errors import GuardrailError, PolicyError
from ._io import OutputAdapter
from ._sdk import (
    GuardedStream,
    Proxy,
    Refused,
    copy_with,
    guarded_method,
    is_stream,
    reparse,
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
    fn = getattr(tc, "function", None)
    if fn is not None:
        changes: dict[str, Any] = {"arguments": text}
        if getattr(fn, "parsed_arguments", None) is not None:  # chat.completions.parse with strict tools
            changes["parsed_arguments"] = reparse(fn.parsed_arguments, text, "tool call parsed_arguments")
        return copy_with(tc, function=copy_with(fn, **changes))
    return copy_with(tc, custom=copy_with(tc.custom, input=text))


# Message fields besides ``content`` and tool calls that carry what the model wrote: the refusal,
# and the reasoning some providers return (LiteLLM's ``reasoning_content``).
_SIDE_FIELDS = ("refusal", "reasoning_content")


def _sides(obj: Any) -> list[str]:
    return [f for f in _SIDE_FIELDS if isinstance(getattr(obj, f, None), str) and getattr(obj, f)]


class ChatAdapter(OutputAdapter):
    """Reads and rewrites a ``ChatCompletion`` (and its stream chunks).

    Every choice is an answer: the first is ``get``, the others ``more_answers`` (``n > 1``);
    each goes through the output validators and each is restored. Tool-call arguments of every
    choice are ``tool_texts``, in order. ``message.parsed`` (``chat.completions.parse``) and
    ``parsed_arguments`` are parsed again from the final text whenever a fix or a restored
    pseudonym changed it.
    """

    def __init__(self, streaming: bool = False) -> None:
        self.streaming = streaming

    # -- whole answers ---------------------------------------------------------------------------

    def get(self, result: Any) -> str | None:
        if isinstance(result, str):
            return result
        choices = result.choices
        return choices[0].message.content if choices else None

    def more_answers(self, result: Any) -> list[str | None] | None:
        if isinstance(result, str) or len(result.choices) < 2:
            return None
        return [c.message.content for c in result.choices[1:]]

    def tool_texts(self, result: Any) -> list[str] | None:
        if isinstance(result, str) or not result.choices:
            return None
        texts: list[str | None] = []
        for c in result.choices:
            texts.extend(_tool_get(tc) for tc in c.message.tool_calls or ())
            texts.extend(getattr(c.message, f) for f in _sides(c.message))
        return [t for t in texts if t is not None] or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None,
                  more: list[tuple[str, Any] | None] | None = None) -> Any:
        if isinstance(result, str):  # a fallback such as gw.Static answered
            return self._static(text)
        answers: list[tuple[str, Any] | None] = [(text, value), *(more or ())]
        tools = iter(parts) if parts is not None else None
        choices = [self._choice(c, answers[n] if n < len(answers) else None, tools)
                   for n, c in enumerate(result.choices)]
        if all(a is b for a, b in zip(choices, result.choices, strict=True)):
            return result  # nothing changed: no copy
        return copy_with(result, choices=choices)

    @staticmethod
    def _choice(choice: Any, answer: tuple[str, Any] | None, tools: Any) -> Any:
        msg = choice.message
        changes: dict[str, Any] = {}
        if answer is not None:
            text, value = answer
            if msg.content is not None and text != msg.content:
                changes["content"] = text
            if value is not None:
                changes["parsed"] = value
            elif "content" in changes and getattr(msg, "parsed", None) is not None:
                changes["parsed"] = reparse(msg.parsed, text, "message.parsed")
        if tools is not None and msg.tool_calls:
            tcs = []
            for tc in msg.tool_calls:
                old = _tool_get(tc)
                new = old if old is None else next(tools)
                tcs.append(tc if new == old else _tool_set(tc, new))  # type: ignore[arg-type]
            if any(a is not b for a, b in zip(tcs, msg.tool_calls, strict=True)):
                changes["tool_calls"] = tcs
        if tools is not None:
            for f in _sides(msg):
                new_side = next(tools)
                if new_side != getattr(msg, f):
                    changes[f] = new_side
        return copy_with(choice, message=copy_with(msg, **changes)) if changes else choice

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
        """Tool-call argument deltas, and refusal / reasoning deltas: held, validated whole."""
        if not ev.choices:
            return None
        delta = ev.choices[0].delta
        pairs: list[tuple[Any, str]] = [(tc.index, (tc.function.arguments or "") if tc.function else "")
                                        for tc in delta.tool_calls or ()]
        pairs.extend(((f,), getattr(delta, f)) for f in _sides(delta))
        return pairs or None

    def with_text(self, ev: Any, text: str) -> Any:
        ch = ev.choices[0]
        return copy_with(ev, choices=[copy_with(ch, delta=copy_with(ch.delta, content=text)), *ev.choices[1:]])

    def with_tool_text(self, ev: Any, repl: dict[Any, str]) -> Any:
        ch = ev.choices[0]
        changes: dict[str, Any] = {f: repl[(f,)] for f in _sides(ch.delta) if (f,) in repl}
        if ch.delta.tool_calls:
            changes["tool_calls"] = [copy_with(tc, function=copy_with(tc.function, arguments=repl[tc.index]))
                                     if tc.index in repl and tc.function is not None else tc
                                     for tc in ch.delta.tool_calls]
        return copy_with(ev, choices=[copy_with(ch, delta=copy_with(ch.delta, **changes)), *ev.choices[1:]])

    def event_fields(self, ev: Any) -> dict[str, Any] | None:
        usage = getattr(ev, "usage", None)
        if usage is not None:
            return {"response_model": ev.model, **usage_fields(usage, "prompt_tokens", "completion_tokens")}
        return None


# Responses API stream events that repeat text or arguments already streamed as deltas: held to
# the end of the stream and rewritten with what the guard released. Every other ``*.done`` event
# is held too, and rewritten by its channel (`_channel_key`).
_RESPONSE_FINAL_EVENTS = frozenset({
    "response.output_text.done", "response.content_part.done", "response.output_item.done",
    "response.function_call_arguments.done", "response.completed", "response.incomplete",
    "response.failed", "response.reasoning_summary_part.done",
})
_FUNCTION_ARGS = "response.function_call_arguments"
# Where a ``<family>.done`` event carries the whole text its ``<family>.delta`` events streamed.
_DONE_FIELDS = ("refusal", "input", "text", "arguments", "code", "transcript", "delta")


def _channel_key(ev: Any, family: str) -> Any:
    """The key of the text channel a ``<family>.delta`` / ``.done`` event belongs to: a function
    call's output index, else ``(family, output index, content or summary index)``."""
    if family == _FUNCTION_ARGS:
        return ev.output_index
    sub = getattr(ev, "content_index", None)
    if sub is None:
        sub = getattr(ev, "summary_index", None)
    return family, getattr(ev, "output_index", None), sub


def _item_texts(item: Any) -> list[tuple[str, int | None]]:
    """``(field, sub index)`` of every text the model wrote in one output item besides its
    ``output_text`` parts: function, custom tool and MCP calls' arguments, code interpreter code,
    refusals, reasoning summaries and reasoning text. Each is validated as a text of its own."""
    kind = getattr(item, "type", None)
    if kind == "function_call":
        return [("arguments", None)]
    if kind == "custom_tool_call":
        return [("input", None)]
    if kind == "mcp_call":
        return [("arguments", None)]
    if kind == "code_interpreter_call":
        return [("code", None)] if getattr(item, "code", None) is not None else []
    if kind == "message":
        return [("refusal", j) for j, part in enumerate(item.content or ())
                if getattr(part, "type", None) == "refusal"]
    if kind == "reasoning":
        return [*(("summary", j) for j in range(len(item.summary or ()))),
                *(("content", j) for j in range(len(getattr(item, "content", None) or ())))]
    return []


def _extra_texts(result: Any) -> list[tuple[int, str, int | None]]:
    """`_item_texts` of every output item of a ``Response``, with the item's index."""
    return [(i, field, j) for i, item in enumerate(result.output or ()) for field, j in _item_texts(item)]


def _get_extra(item: Any, field: str, j: int | None) -> str:
    if j is None:
        return str(getattr(item, field) or "")
    if field == "refusal":
        return str(item.content[j].refusal or "")
    return str(getattr(item, field)[j].text or "")


def _set_extra(item: Any, field: str, j: int | None, text: str) -> Any:
    if text == _get_extra(item, field, j):
        return item
    if field == "arguments":
        return _set_arguments(item, text)
    if j is None:
        return copy_with(item, **{field: text})
    seq = list(item.content if field == "refusal" else getattr(item, field))
    seq[j] = copy_with(seq[j], **{"refusal" if field == "refusal" else "text": text})
    return copy_with(item, **{"content" if field == "refusal" else field: seq})


class ResponsesAdapter(OutputAdapter):
    """Reads and rewrites a Responses API ``Response``: its ``output_text`` parts and function
    calls, and its stream: ``response.output_text.delta`` events carry only released text,
    ``response.function_call_arguments.delta`` events are held and validated whole, and the
    events that repeat the whole text or arguments (``*.done``, ``response.completed``) are held
    to the end and rewritten with exactly what was released."""

    def __init__(self, streaming: bool = False) -> None:
        self.streaming = streaming

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
        return [_get_extra(result.output[i], field, j) for i, field, j in _extra_texts(result)] or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None) -> Any:
        if isinstance(result, str):
            return self._static(text) if value is None else value
        output = list(result.output)
        # The whole (fixed) answer goes in the first text part; any others are emptied, since
        # validators saw them joined and a fix may span them.
        for n, (i, j) in enumerate(self._parts(result)):
            item = output[i]
            content = list(item.content)
            part = content[j]
            new = text if n == 0 else ""
            if new != part.text:
                changes: dict[str, Any] = {"text": new}
                if getattr(part, "parsed", None) is not None:  # responses.parse(text_format=...)
                    changes["parsed"] = value if value is not None else (
                        reparse(part.parsed, new, "output_parsed") if n == 0 else None)
                content[j] = copy_with(part, **changes)
                output[i] = copy_with(item, content=content)
        if parts is not None:
            for (k, field, sub), text in zip(_extra_texts(result), parts, strict=True):
                output[k] = _set_extra(output[k], field, sub, text)
        changes = {"output": output}
        if value is not None:
            changes["output_parsed"] = value
        return copy_with(result, **changes)

    def call_fields(self, result: Any) -> dict[str, Any] | None:
        if isinstance(result, str):
            return None
        return {"response_model": getattr(result, "model", None),
                **usage_fields(getattr(result, "usage", None), "input_tokens", "output_tokens")}

    def _static(self, text: str) -> Any:
        r = _types("responses")
        if self.streaming:
            ev = r.ResponseTextDeltaEvent.model_construct(
                type="response.output_text.delta", item_id="guardwrap-static", output_index=0, content_index=0,
                delta=text, logprobs=[], sequence_number=0)
            return GuardedStream(iter([ev]), None)
        return r.Response.model_construct(
            id="guardwrap-static", object="response", created_at=time.time(), model="guardwrap.static",
            status="completed", output=[r.ResponseOutputMessage.model_construct(
                type="message", id="guardwrap-static", role="assistant", status="completed",
                content=[r.ResponseOutputText.model_construct(type="output_text", text=text, annotations=[])])])

    # -- streams ---------------------------------------------------------------------------------------

    def is_stream(self, result: Any) -> bool:
        return not isinstance(result, str) and is_stream(result)

    def wrap_stream(self, events: Any, source: Any) -> Any:
        return wrap_stream(events, source)

    def event_text(self, ev: Any) -> str | None:
        return ev.delta if ev.type == "response.output_text.delta" else None

    def text_key(self, ev: Any) -> tuple[Any, Any]:
        return ev.item_id, ev.content_index

    def event_tool(self, ev: Any) -> list[tuple[Any, str]] | None:
        """Every other ``*.delta`` event carrying model text (function and custom tool call
        arguments, refusals, reasoning summaries, and kinds this adapter does not know) is held
        and validated whole at the end, like tool-call arguments: nothing unchecked is released."""
        kind = getattr(ev, "type", None) or ""
        if kind.endswith(".delta") and isinstance(getattr(ev, "delta", None), str):
            return [(_channel_key(ev, kind[:-6]), ev.delta)]
        return None

    def with_text(self, ev: Any, text: str) -> Any:
        return copy_with(ev, delta=text)

    def with_tool_text(self, ev: Any, repl: dict[Any, str]) -> Any:
        return copy_with(ev, delta=repl[_channel_key(ev, ev.type[:-6])])

    def event_fields(self, ev: Any) -> dict[str, Any] | None:
        if ev.type == "response.completed":
            return self.call_fields(ev.response)
        return None

    def holds(self, ev: Any) -> bool:
        kind = getattr(ev, "type", None) or ""
        return kind in _RESPONSE_FINAL_EVENTS or kind.endswith(".done")

    def finalize(self, ev: Any, released: dict[Any, str], tools: dict[Any, str]) -> Any:
        """``ev`` (a held event repeating streamed text) saying only what was released."""
        kind = ev.type
        if kind == "response.output_text.done":
            return copy_with(ev, text=released.get((ev.item_id, ev.content_index), ""))
        if kind == "response.content_part.done":
            if getattr(ev.part, "type", None) == "refusal":
                return copy_with(ev, part=copy_with(ev.part, refusal=tools.get(
                    ("response.refusal", ev.output_index, ev.content_index), "")))
            return copy_with(ev, part=_set_text(ev.part, released.get((ev.item_id, ev.content_index), "")))
        if kind == "response.function_call_arguments.done":
            return copy_with(ev, arguments=tools.get(ev.output_index, ""))
        if kind == "response.reasoning_summary_part.done":
            return copy_with(ev, part=copy_with(ev.part, text=tools.get(
                ("response.reasoning_summary_text", ev.output_index, ev.summary_index), "")))
        if kind == "response.output_item.done":
            return copy_with(ev, item=_final_item(ev.item, ev.output_index, released, tools))
        if kind.endswith(".done"):
            # a channel streamed as deltas: what was released; one never streamed: withheld
            key = _channel_key(ev, kind[:-5])
            for field in _DONE_FIELDS:
                if isinstance(getattr(ev, field, None), str):
                    return copy_with(ev, **{field: tools.get(key, "")})
            return ev
        response = ev.response
        if response is None:
            return ev
        return copy_with(ev, response=copy_with(response, output=[
            _final_item(item, i, released, tools) for i, item in enumerate(response.output or ())]))


def _set_text(part: Any, text: str) -> Any:
    return copy_with(part, text=text) if getattr(part, "type", None) == "output_text" else part


# The stream family whose deltas carry each extra text of an output item (see `_extra_texts`).
_FAMILY = {"input": "response.custom_tool_call_input", "refusal": "response.refusal",
           "summary": "response.reasoning_summary_text", "content": "response.reasoning_text",
           "arguments": "response.mcp_call_arguments", "code": "response.code_interpreter_call_code"}


def _set_arguments(item: Any, text: str) -> Any:
    if item.arguments == text:
        return item
    changes: dict[str, Any] = {"arguments": text}
    if getattr(item, "parsed_arguments", None) is not None:
        changes["parsed_arguments"] = reparse(item.parsed_arguments, text, "function call parsed_arguments")
    return copy_with(item, **changes)


def _final_item(item: Any, index: int, released: dict[Any, str], tools: dict[Any, str]) -> Any:
    """``item`` of a held event saying only what was released: text parts as streamed, every other
    model text as validated (withheld if it was never streamed, so never checked)."""
    kind = getattr(item, "type", None)
    if kind == "message":
        item = copy_with(item, content=[_set_text(p, released.get((item.id, j), ""))
                                        for j, p in enumerate(item.content or ())])
    elif kind == "function_call":
        return copy_with(item, arguments=tools.get(index, ""))
    for field, j in _item_texts(item):
        item = _set_extra(item, field, j, tools.get((_FAMILY[field], index, j), ""))
    return item


# The request parameters input validators check: what the model reads (messages, a predicted
# output, a stored prompt's variables) and what leaves with the request about the end user
# (``user``, ``metadata``). Tool definitions are the application's own text and are not checked.
CHAT_INPUTS = ("messages", "prediction", "user", "metadata")
RESPONSES_INPUTS = ("input", "instructions", "prompt", "user", "metadata")

# Raw-response wrappers would reach the HTTP layer without the guard.
_RAW_REFUSALS = {
    "with_raw_response": Refused("with_raw_response"),
    "with_streaming_response": Refused("with_streaming_response"),
}


def _keywords_only(args: tuple[Any, ...]) -> None:
    if args:
        raise TypeError("create() takes keyword arguments only")


def _chat(completions: Any, guard: Any) -> Proxy:
    """``chat.completions`` (or ``beta.chat.completions``) with create and parse guarded."""
    plain = guarded_method(completions.create, guard, ChatAdapter(), CHAT_INPUTS)
    streaming = guarded_method(completions.create, guard, ChatAdapter(streaming=True), CHAT_INPUTS)

    def create(*args: Any, **kwargs: Any) -> Any:
        _keywords_only(args)
        if kwargs.get("stream") and kwargs.get("n") not in (None, 1):
            raise GuardrailError("guarded chat completions stream one choice only: with stream=True, "
                                 "leave n unset (or 1), or call without stream for n > 1")
        with_call_context(kwargs, "openai")
        return (streaming if kwargs.get("stream") else plain)(**kwargs)

    overrides: dict[str, Any] = {
        "create": create,
        **_RAW_REFUSALS,
        "stream": unguarded("chat.completions.stream", "chat.completions.create(stream=True)"),
    }
    raw_parse = getattr(completions, "parse", None)
    if raw_parse is not None:
        guarded_parse = guarded_method(raw_parse, guard, ChatAdapter(), CHAT_INPUTS)

        def parse(*args: Any, **kwargs: Any) -> Any:
            _keywords_only(args)
            with_call_context(kwargs, "openai")
            return guarded_parse(**kwargs)

        overrides["parse"] = parse
    return Proxy(completions, overrides, "chat.completions")


def guard_client(client: Any, guard: Any) -> Any:
    """``client`` (``openai.OpenAI`` or ``openai.AsyncOpenAI``) with its generation calls guarded.

    >>> client = gw.openai.guard_client(openai.OpenAI(max_retries=0), guard)  # doctest: +SKIP
    >>> client.chat.completions.create(model="gpt-4o-mini", messages=[...])   # doctest: +SKIP
    """
    completions = getattr(getattr(client, "chat", None), "completions", None)
    if completions is None or not callable(getattr(completions, "create", None)):
        raise PolicyError(f"{type(client).__name__} is not an OpenAI client", key="client",
                          expected="openai.OpenAI or openai.AsyncOpenAI")
    overrides: dict[str, Any] = {
        "chat": Proxy(client.chat, {"completions": _chat(completions, guard)}, "chat"),
        "guard": guard,
        # derived clients stay guarded
        "with_options": lambda **kw: guard_client(client.with_options(**kw), guard),
        "copy": lambda **kw: guard_client(client.copy(**kw), guard),
        **_RAW_REFUSALS,
    }
    beta_chat: Any = getattr(getattr(client, "beta", None), "chat", None)
    if getattr(beta_chat, "completions", None) is not None:
        overrides["beta"] = Proxy(client.beta, {"chat": Proxy(beta_chat, {
            "completions": _chat(beta_chat.completions, guard)}, "beta.chat")}, "beta")
    responses = getattr(client, "responses", None)
    if responses is not None:
        resp_create = guarded_method(responses.create, guard, ResponsesAdapter(), RESPONSES_INPUTS)
        resp_stream = guarded_method(responses.create, guard, ResponsesAdapter(streaming=True), RESPONSES_INPUTS)
        resp_parse = guarded_method(responses.parse, guard, ResponsesAdapter(), RESPONSES_INPUTS)

        def rcreate(*args: Any, **kwargs: Any) -> Any:
            _keywords_only(args)
            with_call_context(kwargs, "openai")
            return (resp_stream if kwargs.get("stream") else resp_create)(**kwargs)

        def rparse(*args: Any, **kwargs: Any) -> Any:
            _keywords_only(args)
            with_call_context(kwargs, "openai")
            return resp_parse(**kwargs)

        overrides["responses"] = Proxy(responses, {
            "create": rcreate,
            "parse": rparse,
            **_RAW_REFUSALS,
            "stream": unguarded("responses.stream", "responses.create(stream=True)"),
        }, "responses")
    return Proxy(client, overrides, type(client).__name__)
