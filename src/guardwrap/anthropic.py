"""Guarded Anthropic clients: ``gw.anthropic.guard_client(anthropic.Anthropic(), guard)``.

``messages.create`` (sync, async, ``stream=True``) goes through ``guard``, as with
`guardwrap.openai`: input validators see the user messages' text (string content or ``text``
blocks; ``system`` is the developer's and is not validated), the request that leaves the process
carries the fixed text, output validators see the answer's text blocks and each ``tool_use``
block's input (as JSON), pseudonyms are restored, and streams release only validated text
(``text_delta`` events re-emitted as the SDK's own objects; ``input_json_delta`` held to the end).
The call record carries ``provider="anthropic"``, the model and token usage.

``messages.parse`` is guarded too: ``parsed_output`` is parsed again from the final text when a fix
or a restored pseudonym changed it. Build the SDK client with ``max_retries=0`` when the guard
retries. ``messages.stream`` and ``with_raw_response`` are refused rather than passed through
unguarded.
"""

from __future__ import annotations

import importlib
import json
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


def _types() -> Any:
    return importlib.import_module("anthropic.types")  # the SDK, not this module


class MessagesAdapter(OutputAdapter):
    """Reads and rewrites an Anthropic ``Message`` and its stream events."""

    def __init__(self, streaming: bool = False) -> None:
        self.streaming = streaming

    def get(self, result: Any) -> str | None:
        if isinstance(result, str):
            return result
        texts = [b.text for b in result.content if getattr(b, "type", None) == "text"]
        return "".join(texts) if texts else None

    def tool_texts(self, result: Any) -> list[str] | None:
        if isinstance(result, str):
            return None
        out = []
        for b in result.content:
            kind = getattr(b, "type", None)
            if kind == "tool_use":
                out.append(json.dumps(b.input, ensure_ascii=False))
            elif kind == "thinking":  # the model's visible reasoning: checked like any text it wrote
                out.append(b.thinking or "")
        return out or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None) -> Any:
        if isinstance(result, str):
            return self._static(text)
        if value is None and text == self.get(result) and (parts is None or parts == self.tool_texts(result)):
            return result  # nothing changed: no copy
        it = iter(parts or ())
        content = []
        first = True
        for b in result.content:
            kind = getattr(b, "type", None)
            if kind == "text":
                # validators saw the text blocks joined; the whole fixed text goes in the first
                new = text if first else ""
                if new != b.text:
                    changes_b: dict[str, Any] = {"text": new}
                    if getattr(b, "parsed_output", None) is not None:  # messages.parse(output_format=...)
                        changes_b["parsed_output"] = value if value is not None and first else (
                            reparse(b.parsed_output, new, "parsed_output") if first else None)
                    b = copy_with(b, **changes_b)
                first = False
            elif kind == "tool_use" and parts is not None:
                try:
                    b = copy_with(b, input=json.loads(next(it)))
                except ValueError as exc:
                    raise GuardrailError("a fix made a tool_use input invalid JSON; refusing to pass it on") from exc
            elif kind == "thinking" and parts is not None:
                new_thinking = next(it)
                if new_thinking != b.thinking:  # (a changed block no longer matches its signature)
                    b = copy_with(b, thinking=new_thinking)
            content.append(b)
        changes: dict[str, Any] = {"content": content}
        if value is not None:
            changes["parsed"] = value
        return copy_with(result, **changes)

    def call_fields(self, result: Any) -> dict[str, Any] | None:
        if isinstance(result, str):
            return None
        return {"response_model": getattr(result, "model", None),
                **usage_fields(getattr(result, "usage", None), "input_tokens", "output_tokens")}

    def _static(self, text: str) -> Any:
        t = _types()
        if self.streaming:
            ev = t.RawContentBlockDeltaEvent.model_construct(
                type="content_block_delta", index=0, delta=t.TextDelta.model_construct(type="text_delta", text=text))
            return GuardedStream(iter([ev]), None)
        return t.Message.model_construct(
            id="guardwrap-static", type="message", role="assistant", model="guardwrap.static",
            content=[t.TextBlock.model_construct(type="text", text=text)], stop_reason="end_turn",
            stop_sequence=None, usage=None)

    # -- streams ---------------------------------------------------------------------------------

    def is_stream(self, result: Any) -> bool:
        return not isinstance(result, str) and is_stream(result)

    def wrap_stream(self, events: Any, source: Any) -> Any:
        return wrap_stream(events, source)

    def event_text(self, ev: Any) -> str | None:
        if getattr(ev, "type", None) == "content_block_delta" and getattr(ev.delta, "type", None) == "text_delta":
            return ev.delta.text  # type: ignore[no-any-return]
        return None

    def event_tool(self, ev: Any) -> list[tuple[Any, str]] | None:
        """Tool input and thinking deltas are held and validated whole at the end of the stream."""
        if getattr(ev, "type", None) != "content_block_delta":
            return None
        kind = getattr(ev.delta, "type", None)
        if kind == "input_json_delta":
            return [(ev.index, ev.delta.partial_json or "")]
        if kind == "thinking_delta":
            return [(ev.index, ev.delta.thinking or "")]
        return None

    def with_text(self, ev: Any, text: str) -> Any:
        return copy_with(ev, delta=copy_with(ev.delta, text=text))

    def with_tool_text(self, ev: Any, repl: dict[Any, str]) -> Any:
        field = "thinking" if ev.delta.type == "thinking_delta" else "partial_json"
        return copy_with(ev, delta=copy_with(ev.delta, **{field: repl[ev.index]}))

    def event_fields(self, ev: Any) -> dict[str, Any] | None:
        kind = getattr(ev, "type", None)
        if kind == "message_start":
            return {"response_model": ev.message.model,
                    **usage_fields(ev.message.usage, "input_tokens", "output_tokens")}
        if kind == "message_delta" and getattr(ev, "usage", None) is not None:
            return {"usage_output_tokens": ev.usage.output_tokens}
        return None


_RAW_REFUSALS = {
    "with_raw_response": Refused("with_raw_response"),
    "with_streaming_response": Refused("with_streaming_response"),
}


def guard_client(client: Any, guard: Any) -> Any:
    """``client`` (``anthropic.Anthropic`` or ``anthropic.AsyncAnthropic``) with ``messages.create`` guarded."""
    messages = getattr(client, "messages", None)
    if messages is None or not callable(getattr(messages, "create", None)):
        raise PolicyError(f"{type(client).__name__} is not an Anthropic client", key="client",
                          expected="anthropic.Anthropic or anthropic.AsyncAnthropic")
    plain = guarded_method(messages.create, guard, MessagesAdapter(), ("messages", "system", "metadata"))
    streaming = guarded_method(messages.create, guard, MessagesAdapter(streaming=True), ("messages", "system", "metadata"))

    def create(*args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError("create() takes keyword arguments only")
        with_call_context(kwargs, "anthropic")
        return (streaming if kwargs.get("stream") else plain)(**kwargs)

    overrides: dict[str, Any] = {}
    if callable(getattr(messages, "parse", None)):
        guarded_parse = guarded_method(messages.parse, guard, MessagesAdapter(), ("messages", "system", "metadata"))

        def parse(*args: Any, **kwargs: Any) -> Any:
            if args:
                raise TypeError("parse() takes keyword arguments only")
            with_call_context(kwargs, "anthropic")
            return guarded_parse(**kwargs)

        overrides["parse"] = parse
    guarded_messages = Proxy(messages, {
        **overrides,
        "create": create,
        "stream": unguarded("messages.stream", "messages.create(stream=True)"),
        **_RAW_REFUSALS,
    }, "messages")
    return Proxy(client, {
        "messages": guarded_messages,
        "guard": guard,
        "with_options": lambda **kw: guard_client(client.with_options(**kw), guard),
        "copy": lambda **kw: guard_client(client.copy(**kw), guard),
        **_RAW_REFUSALS,
    }, type(client).__name__)

