"""LangChain (and LangGraph) integration: ``gw.langchain.guard_chat_model(model, guard)``.

Extra ``guardwrap[langchain]`` (langchain-core only). The returned object is a LangChain chat
model, so it goes wherever the wrapped one went: ``invoke``/``ainvoke``, ``stream``/``astream``,
``batch``, LCEL pipes (``prompt | guarded | parser``), ``bind_tools``, LangGraph nodes.

- **Input**: every message of the call is handed to the guard as a role and content (``human``
  -> ``user``, ``system``, ``ai`` -> ``assistant`` with its tool calls' arguments as JSON,
  ``tool``), content parts included; the wrapped model receives the fixed messages (same classes,
  ids and metadata, only their text changed).
- **Output**: the answer's text and each tool call's arguments go through the output validators;
  pseudonyms are restored in both. Streams release only validated text: text chunks are
  re-emitted as ``AIMessageChunk`` carrying released text, tool-call chunks are held and validated
  whole at the end.
- With an output `gw.JsonSchema` the validated object is in ``response_metadata["guardwrap_parsed"]``.

`guard_runnable` guards any other runnable whose input is a string, messages or a prompt value
and whose output is a string or a message (a whole chain, for instance).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ._io import OutputAdapter
from ._walk import replace, walk

__all__ = ["guard_chat_model", "guard_runnable"]  # and GuardedChatModel, built on first use


def _lc() -> Any:
    try:
        import langchain_core.language_models as lm
    except ImportError:
        raise ImportError("guardwrap.langchain needs langchain-core: pip install 'guardwrap[langchain]'") from None
    return lm


_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool", "function": "function",
          "developer": "developer", "remove": "remove"}


# -- messages <-> what the guard reads -------------------------------------------------------------------


def _part_out(part: Any) -> Any:
    return {"type": "text", "text": part} if isinstance(part, str) else part


def to_guard_messages(messages: Sequence[Any]) -> list[dict[str, Any]]:
    """LangChain messages as OpenAI-style dicts: the shape the guard reads (role, content, parts,
    tool calls' arguments as JSON text)."""
    out = []
    for m in messages:
        kind = getattr(m, "type", None)
        role = getattr(m, "role", None) if kind == "chat" else _ROLES.get(kind or "", kind)
        content = m.content
        d: dict[str, Any] = {"role": role or "user",
                             "content": content if isinstance(content, str) else [_part_out(p) for p in content]}
        calls = getattr(m, "tool_calls", None)
        if calls:
            d["tool_calls"] = [{"id": tc.get("id"), "type": "function",
                                "function": {"name": tc["name"], "arguments": json.dumps(tc["args"], ensure_ascii=False)}}
                               for tc in calls]
        if kind == "tool":
            d["tool_call_id"] = m.tool_call_id
        out.append(d)
    return out


def _part_back(old: Any, new: Any) -> Any:
    if isinstance(old, str) and isinstance(new, dict) and new.get("type") == "text":
        return new.get("text", "")
    return new


def from_guard_messages(fixed: Sequence[dict[str, Any]], originals: Sequence[Any]) -> list[Any]:
    """The original LangChain messages with the guard's fixes applied (changed ones copied); dicts
    the guard appended (a re-ask's feedback) become ``HumanMessage``."""
    from langchain_core.messages import HumanMessage

    before = to_guard_messages(originals)
    out = []
    for i, d in enumerate(fixed):
        if i >= len(originals):
            out.append(HumanMessage(content=d["content"]))
            continue
        m, old = originals[i], before[i]
        changes: dict[str, Any] = {}
        if d["content"] != old["content"]:
            content = d["content"]
            if not isinstance(content, str):
                content = [_part_back(o, n) for o, n in zip(m.content, content, strict=True)]
            changes["content"] = content
        if d.get("tool_calls") != old.get("tool_calls"):
            changes["tool_calls"] = [dict(tc, args=json.loads(new["function"]["arguments"]))
                                     for tc, new in zip(m.tool_calls, d["tool_calls"], strict=True)]
        out.append(m.model_copy(update=changes) if changes else m)
    return out


# -- answers -------------------------------------------------------------------------------------------------

# where a side text of an AIMessage lives: ("tool", i, ()), ("invalid", i, ()), ("block", i, path in
# content[i]), ("kwarg", None, path in additional_kwargs)
_Where = tuple[str, Any, Any]


def _side_texts(msg: Any) -> list[tuple[_Where, str]]:
    out: list[tuple[_Where, str]] = []
    for i, tc in enumerate(getattr(msg, "tool_calls", None) or ()):
        out.append((("tool", i, ()), json.dumps(tc["args"], ensure_ascii=False)))
    for i, tc in enumerate(getattr(msg, "invalid_tool_calls", None) or ()):
        if isinstance(tc.get("args"), str):
            out.append((("invalid", i, ()), tc["args"]))
    content = getattr(msg, "content", None)
    if isinstance(content, list):
        for i, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") != "text":
                out.extend((("block", i, leaf.path), leaf.text) for leaf in walk(part, max_leaves=1000).leaves)
    kwargs = {k: v for k, v in (getattr(msg, "additional_kwargs", None) or {}).items() if k != "tool_calls"}
    out.extend((("kwarg", None, leaf.path), leaf.text) for leaf in walk(kwargs, max_leaves=1000).leaves)
    return out


def _with_side_texts(msg: Any, parts: list[str], content: Any) -> dict[str, Any]:
    """The fields of ``msg`` to change so that its side texts say ``parts`` (see `_side_texts`)."""
    calls = [dict(tc) for tc in getattr(msg, "tool_calls", None) or ()]
    invalid = [dict(tc) for tc in getattr(msg, "invalid_tool_calls", None) or ()]
    blocks: dict[int, list[tuple[Any, str]]] = {}
    kwarg_changes: list[tuple[Any, str]] = []
    tools_changed = False
    for ((kind, i, path), old), new in zip(_side_texts(msg), parts, strict=True):
        if new == old:
            continue
        if kind == "tool":
            tools_changed = True
            try:
                calls[i]["args"] = json.loads(new)
            except ValueError:
                from ._errors import GuardrailError

                raise GuardrailError("a fix made a tool call's arguments invalid JSON; refusing to pass it on") from None
        elif kind == "invalid":
            invalid[i]["args"] = new
        elif kind == "block":
            blocks.setdefault(i, []).append((path, new))
        else:
            kwarg_changes.append((path, new))
    changes: dict[str, Any] = {"tool_calls": calls, "invalid_tool_calls": invalid}
    if blocks:
        changes["content"] = [replace(part, blocks[i]) if i in blocks else part for i, part in enumerate(content)]
    kwargs = dict(getattr(msg, "additional_kwargs", None) or {})
    if tools_changed:
        kwargs.pop("tool_calls", None)  # the provider's raw copy of the calls would keep the old text
    if kwarg_changes:
        kwargs = replace(kwargs, kwarg_changes)
    changes["additional_kwargs"] = kwargs
    return changes



def _text_of(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    texts = [p if isinstance(p, str) else p.get("text", "") for p in content
             if isinstance(p, str) or (isinstance(p, dict) and p.get("type") == "text")]
    return "".join(texts) if texts else None


def _with_text(content: Any, text: str) -> Any:
    if isinstance(content, str):
        return text
    # validators saw the text parts joined: the whole fixed text goes in the first, others emptied
    out, first = [], True
    for p in content:
        if isinstance(p, str) or (isinstance(p, dict) and p.get("type") == "text"):
            p = (text if first else "") if isinstance(p, str) else dict(p, text=text if first else "")
            first = False
        out.append(p)
    return out


class MessageAdapter(OutputAdapter):
    """Reads and rewrites an ``AIMessage`` (or a runnable's ``str``) and its stream chunks.

    ``static``: what a plain-text answer (a `gw.Static` fallback) becomes: ``"message"`` an
    ``AIMessage``, ``"chunks"`` a one-chunk stream, ``"text"`` stays text."""

    def __init__(self, static: str = "message") -> None:
        self.static = static

    def get(self, result: Any) -> str | None:
        if isinstance(result, str):
            return result
        return _text_of(getattr(result, "content", None) or "")

    def tool_texts(self, result: Any) -> list[str] | None:
        """Every text the model wrote besides the answer text, each checked on its own: tool calls'
        arguments, the raw arguments of calls that failed to parse (``invalid_tool_calls``), the
        strings of non-text content blocks (reasoning, thinking, a provider's tool-use blocks) and
        of ``additional_kwargs`` (``reasoning_content``, ``refusal``...)."""
        if isinstance(result, str):
            return None
        return [text for _, text in _side_texts(result)] or None

    def set(self, result: Any, text: str, value: Any = None) -> Any:
        return self.set_parts(result, text, None, value)

    def set_parts(self, result: Any, text: str, parts: list[str] | None, value: Any = None) -> Any:
        if isinstance(result, str):
            if self.static == "text":
                return text if value is None else value
            from langchain_core.messages import AIMessage, AIMessageChunk

            meta = {} if value is None else {"guardwrap_parsed": value}
            if self.static == "chunks":
                return iter([AIMessageChunk(content=text, response_metadata=meta)])
            return AIMessage(content=text, response_metadata=meta)
        changes: dict[str, Any] = {}
        if text != _text_of(result.content) and _text_of(result.content) is not None:
            changes["content"] = _with_text(result.content, text)
        if parts is not None and parts != self.tool_texts(result):
            changes.update(_with_side_texts(result, parts, changes.get("content", result.content)))
        if value is not None:
            changes["response_metadata"] = {**result.response_metadata, "guardwrap_parsed": value}
        return result.model_copy(update=changes) if changes else result

    # -- streams ---------------------------------------------------------------------------------------

    def is_stream(self, result: Any) -> bool:
        return hasattr(result, "__next__") or hasattr(result, "__anext__")

    def wrap_stream(self, events: Any, source: Any) -> Any:
        return events

    def event_text(self, chunk: Any) -> str | None:
        return chunk if isinstance(chunk, str) else _text_of(chunk.content)

    def event_tool(self, chunk: Any) -> list[tuple[Any, str]] | None:
        """Tool-call argument chunks, and the pieces of every other text the model streams
        (reasoning or thinking blocks, ``additional_kwargs`` strings such as
        ``reasoning_content``): held and validated whole at the end of the stream."""
        if isinstance(chunk, str):
            return None
        tcc = getattr(chunk, "tool_call_chunks", None) or ()
        pairs: list[tuple[Any, str]] = [(c.get("index"), c.get("args") or "") for c in tcc]
        pairs.extend((key, piece) for key, piece, _ in _stream_side(chunk))
        return pairs or None

    def with_text(self, chunk: Any, text: str) -> Any:
        if isinstance(chunk, str):
            return text
        # a side text riding in a text chunk is withheld: it was never validated
        blank = {key: "" for key, _, _ in _stream_side(chunk)}
        return _rebuild_chunk(chunk, **_side_replaced(chunk, blank, _with_text(chunk.content, text)))

    def with_tool_text(self, chunk: Any, repl: dict[Any, str]) -> Any:
        tcc = [dict(c, args=repl[c.get("index")]) if c.get("index") in repl else c
               for c in getattr(chunk, "tool_call_chunks", None) or ()]
        return _rebuild_chunk(chunk, tool_call_chunks=tcc, **_side_replaced(chunk, repl, chunk.content))

    def event_fields(self, chunk: Any) -> dict[str, Any] | None:
        usage = getattr(chunk, "usage_metadata", None)
        if usage:
            return {"usage": {"input_tokens": usage.get("input_tokens"), "output_tokens": usage.get("output_tokens")}}
        return None


def _as_chunk(message: Any) -> Any:
    """A message chunk (a model without native streaming yields one whole message)."""
    from langchain_core.messages import AIMessageChunk, BaseMessageChunk

    if isinstance(message, BaseMessageChunk):
        return message
    return AIMessageChunk(content=message.content, id=message.id,
                          tool_call_chunks=[{"name": tc["name"], "args": json.dumps(tc["args"], ensure_ascii=False),
                                             "id": tc.get("id"), "index": i, "type": "tool_call_chunk"}
                                            for i, tc in enumerate(getattr(message, "tool_calls", None) or ())])


# string fields of a streamed non-text content block that carry what the model wrote
_BLOCK_FIELDS = ("thinking", "reasoning", "text", "partial_json", "input", "arguments")


def _stream_side(chunk: Any) -> list[tuple[Any, str, tuple[str, Any, str]]]:
    """``(key, piece, (where, index, field))`` of each side-text piece in a stream chunk."""
    out: list[tuple[Any, str, tuple[str, Any, str]]] = []
    content = getattr(chunk, "content", None)
    if isinstance(content, list):
        for j, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") != "text":
                for field in _BLOCK_FIELDS:
                    piece = part.get(field)
                    if isinstance(piece, str) and piece:
                        out.append((("block", part.get("index", j), part.get("type"), field), piece,
                                    ("block", j, field)))
    for k, v in (getattr(chunk, "additional_kwargs", None) or {}).items():
        if isinstance(v, str) and v:
            out.append((("kwarg", k), v, ("kwarg", k, "")))
    return out


def _side_replaced(chunk: Any, repl: dict[Any, str], content: Any) -> dict[str, Any]:
    """``content`` and ``additional_kwargs`` of ``chunk`` with the side-text pieces in ``repl``."""
    sides = [(key, where) for key, _, where in _stream_side(chunk) if key in repl]
    if not sides:
        return {"content": content}
    content = list(content) if isinstance(content, list) else content
    kwargs = dict(getattr(chunk, "additional_kwargs", None) or {})
    for key, (kind, j, field) in sides:
        if kind == "block":
            content[j] = dict(content[j], **{field: repl[key]})
        else:
            kwargs[j] = repl[key]
    return {"content": content, "additional_kwargs": kwargs}


def _rebuild_chunk(chunk: Any, **changes: Any) -> Any:
    # Through the constructor: an AIMessageChunk derives ``tool_calls`` from its tool_call_chunks
    # when built, and a plain copy would keep the ones parsed from the unfixed arguments.
    data = chunk.model_dump(exclude={"tool_calls", "invalid_tool_calls"})
    data.update(changes)
    return type(chunk)(**data)


# -- the chat model ------------------------------------------------------------------------------------------


def _model_class() -> Any:
    lm = _lc()
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from pydantic import ConfigDict, PrivateAttr

    class GuardedChatModel(lm.BaseChatModel):  # type: ignore[misc, name-defined]
        """A LangChain chat model whose calls go through a guard (see the module doc)."""

        model_config = ConfigDict(arbitrary_types_allowed=True)
        model: Any
        guard: Any
        _calls: dict[str, Any] = PrivateAttr(default_factory=dict)

        @property
        def _llm_type(self) -> str:
            return f"guardwrap-{getattr(self.model, '_llm_type', 'chat')}"

        @property
        def _identifying_params(self) -> dict[str, Any]:
            return {"guard": self.guard.name, "policy_hash": self.guard.policy_hash}

        def _guarded(self, kind: str) -> Any:
            fn = self._calls.get(kind)
            if fn is None:
                static = "chunks" if "stream" in kind else "message"
                fn = self._calls[kind] = self.guard.wrap(_target(self.model, kind), prompt="messages",
                                                          output=MessageAdapter(static))
            return fn

        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            # the guard stays outside: the wrapped model binds the tools, this one guards the calls
            return GuardedChatModel(model=self.model.bind_tools(tools, **kwargs), guard=self.guard)

        def _generate(self, messages: list[Any], stop: list[str] | None = None, run_manager: Any = None,
                      **kwargs: Any) -> Any:
            msg = self._guarded("invoke")(messages=to_guard_messages(messages), _originals=messages,
                                          gw_context=_context(self), stop=stop, **kwargs)
            return ChatResult(generations=[ChatGeneration(message=msg)])

        async def _agenerate(self, messages: list[Any], stop: list[str] | None = None, run_manager: Any = None,
                             **kwargs: Any) -> Any:
            msg = await self._guarded("ainvoke")(messages=to_guard_messages(messages), _originals=messages,
                                                 gw_context=_context(self), stop=stop, **kwargs)
            return ChatResult(generations=[ChatGeneration(message=msg)])

        def _stream(self, messages: list[Any], stop: list[str] | None = None, run_manager: Any = None,
                    **kwargs: Any) -> Iterator[Any]:
            chunks = self._guarded("stream")(messages=to_guard_messages(messages), _originals=messages,
                                             gw_context=_context(self), stop=stop, **kwargs)
            for chunk in chunks:
                gen = ChatGenerationChunk(message=_as_chunk(chunk))
                if run_manager is not None:
                    run_manager.on_llm_new_token(gen.text, chunk=gen)
                yield gen

        async def _astream(self, messages: list[Any], stop: list[str] | None = None, run_manager: Any = None,
                           **kwargs: Any) -> AsyncIterator[Any]:
            chunks = await self._guarded("astream")(messages=to_guard_messages(messages), _originals=messages,
                                                    gw_context=_context(self), stop=stop, **kwargs)
            async for chunk in chunks:
                gen = ChatGenerationChunk(message=_as_chunk(chunk))
                if run_manager is not None:
                    await run_manager.on_llm_new_token(gen.text, chunk=gen)
                yield gen

    return GuardedChatModel


def _context(model: Any) -> dict[str, Any]:
    inner = model.model
    name = getattr(inner, "model_name", None) or getattr(inner, "model", None)
    return {"provider": "langchain", "model": name if isinstance(name, str) else None}


def _target(model: Any, method: str) -> Any:
    """The function the guard wraps for one of the model's methods: it gets the fixed messages
    (as the guard reads them) and calls ``model.<method>`` with LangChain messages again. The
    async ones are coroutine functions, so the guard awaits them (``astream`` then returns the
    model's async iterator for the guard to validate)."""
    bound = getattr(model, method)

    def call(messages: list[dict[str, Any]], _originals: Sequence[Any], stop: Any = None, **kw: Any) -> Any:
        return bound(from_guard_messages(messages, _originals), stop=stop, **kw)

    async def acall(messages: list[dict[str, Any]], _originals: Sequence[Any], stop: Any = None, **kw: Any) -> Any:
        result = call(messages, _originals, stop, **kw)
        return await result if method == "ainvoke" else result

    fn = acall if method.startswith("a") else call
    fn.__qualname__ = f"{type(model).__name__}.{method}"
    return fn


_CLASS: list[Any] = []


def __getattr__(name: str) -> Any:
    if name == "GuardedChatModel":  # built on first use: importing this module never imports LangChain
        if not _CLASS:
            _CLASS.append(_model_class())
        return _CLASS[0]
    raise AttributeError(f"module 'guardwrap.langchain' has no attribute {name!r}")


def guard_chat_model(model: Any, guard: Any) -> Any:
    """``model`` (any LangChain chat model) with every call going through ``guard``."""
    cls = __getattr__("GuardedChatModel")
    if not isinstance(model, _lc().BaseChatModel) and not hasattr(model, "invoke"):
        from ._errors import PolicyError

        raise PolicyError(f"{type(model).__name__} is not a LangChain chat model", key="model",
                          expected="a langchain_core BaseChatModel (or a runnable with invoke)")
    return cls(model=model, guard=guard)


# -- any runnable ----------------------------------------------------------------------------------------------


def guard_runnable(runnable: Any, guard: Any) -> Any:
    """``runnable`` (input: str, messages or a prompt value; output: str or a message) as a
    ``RunnableLambda`` whose calls go through ``guard``, sync and async."""
    _lc()
    from langchain_core.prompt_values import PromptValue
    from langchain_core.runnables import RunnableLambda

    def as_messages(value: Any) -> list[Any] | None:
        if isinstance(value, PromptValue):
            return list(value.to_messages())
        if isinstance(value, (list, tuple)) and all(hasattr(m, "content") and hasattr(m, "type") for m in value):
            return list(value)
        return None

    def unwrap(messages: list[dict[str, Any]], originals: Any) -> Any:
        if isinstance(originals, list):
            return from_guard_messages(messages, originals)
        return "\n\n".join(m["content"] for m in messages)  # a str prompt (and any re-ask feedback)

    def call(messages: list[dict[str, Any]], _originals: Any, config: Any = None) -> Any:
        return runnable.invoke(unwrap(messages, _originals), config=config)

    async def acall(messages: list[dict[str, Any]], _originals: Any, config: Any = None) -> Any:
        return await runnable.ainvoke(unwrap(messages, _originals), config=config)

    call.__qualname__ = acall.__qualname__ = f"{type(runnable).__name__}.invoke"
    sync_fn = guard.wrap(call, prompt="messages", output=MessageAdapter("text"))
    async_fn = guard.wrap(acall, prompt="messages", output=MessageAdapter("text"))

    def prepare(value: Any) -> tuple[list[dict[str, Any]], Any]:
        msgs = as_messages(value)
        if msgs is not None:
            return to_guard_messages(msgs), msgs
        if isinstance(value, str):
            return [{"role": "user", "content": value}], value
        from ._errors import GuardrailError

        raise GuardrailError(f"guard_runnable takes a str, messages or a prompt value, not {type(value).__name__} "
                             "(the guard would not see the text)")

    def invoke(value: Any, config: Any = None) -> Any:
        msgs, originals = prepare(value)
        return sync_fn(messages=msgs, _originals=originals, config=config)

    async def ainvoke(value: Any, config: Any = None) -> Any:
        msgs, originals = prepare(value)
        return await async_fn(messages=msgs, _originals=originals, config=config)

    return RunnableLambda(invoke, afunc=ainvoke, name=f"guarded_{getattr(runnable, 'name', None) or 'runnable'}")
