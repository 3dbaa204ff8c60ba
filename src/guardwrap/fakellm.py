"""A local OpenAI- and Anthropic-compatible HTTP server, for tests and offline examples.

It speaks just enough of ``POST /v1/chat/completions``, ``POST /v1/responses`` and
``POST /v1/messages`` (JSON and server-sent events) for the official SDKs to talk to it, records
every request it receives, and answers from a script::

    from guardwrap.fakellm import FakeLLM
    with FakeLLM() as llm:
        llm.reply(text="Hello!")                              # next answer
        llm.reply(status=429, headers={"retry-after": "1"})   # then a rate limit
        client = openai.OpenAI(base_url=llm.openai_url, api_key="test", max_retries=0)

A scripted reply is a dict of: ``text`` (the answer; with ``chunks=[...]`` for how a stream splits
it), ``tool_calls=[{"name": ..., "arguments": "{...}"}]``, ``choices=[text, ...]`` (one answer per
chat choice; by default ``n`` copies of ``text``), ``items=[...]`` (further Responses API output
items: refusals, custom tool and MCP calls, reasoning summaries), ``thinking`` (an Anthropic thinking
block, with ``thinking_chunks``), ``refusal`` (a chat message's refusal, with ``refusal_chunks``), ``status`` + ``headers`` + ``error``
for an error response, ``delay`` (seconds before answering, for timeouts), ``raw`` (a body sent
as is, e.g. malformed JSON), ``echo=True`` (answer with the last user message). With an empty
script it answers ``default`` (``{"text": "Hello from fakellm."}``). Only the standard library
is used; it binds 127.0.0.1 on a free port and never touches the network beyond it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeLLM", "Request"]


class Request:
    """One request the server received: ``path``, ``headers`` (lower-case keys), ``body`` (parsed JSON)."""

    __slots__ = ("body", "headers", "path", "raw")

    def __init__(self, path: str, headers: dict[str, str], raw: bytes) -> None:
        self.path = path
        self.headers = headers
        self.raw = raw
        try:
            self.body: Any = json.loads(raw or b"null")
        except ValueError:
            self.body = None

    @property
    def text(self) -> str:
        """The raw body, decoded: what left the client process."""
        return self.raw.decode("utf-8", "replace")

    def user_texts(self) -> list[str]:
        """The text of every user message in the request (chat, responses and messages shapes)."""
        body = self.body if isinstance(self.body, dict) else {}
        msgs = body.get("messages")
        if msgs is None:
            inp = body.get("input")
            msgs = [{"role": "user", "content": inp}] if isinstance(inp, str) else inp or []
        out = []
        for m in msgs:
            if not isinstance(m, dict) or m.get("role") != "user":
                continue
            c = m.get("content")
            if isinstance(c, str):
                out.append(c)
            elif isinstance(c, list):
                out.extend(p.get("text", "") for p in c if isinstance(p, dict) and "text" in p)
        return out

    def __repr__(self) -> str:
        return f"Request({self.path!r}, bytes={len(self.raw)})"


def _split(text: str, chunks: list[str] | None) -> list[str]:
    if chunks is not None:
        if "".join(chunks) != text:
            raise ValueError("chunks must join to text")
        return chunks
    return [text[i:i + 4] for i in range(0, len(text), 4)] or [""]


def _usage_counts(req: Request, text: str) -> tuple[int, int]:
    prompt = sum(len(t.split()) for t in req.user_texts())
    return prompt, len(text.split())


class FakeLLM:
    """The server. Use as a context manager, or call `start` and `stop`."""

    def __init__(self, *, model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[Request] = []
        self.default: dict[str, Any] = {"text": "Hello from fakellm."}
        self.responder: Callable[[Request], dict[str, Any] | None] | None = None
        self._script: deque[dict[str, Any]] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._n = 0

    # -- script -----------------------------------------------------------------------------

    def reply(self, **reply: Any) -> FakeLLM:
        """Queue the next answer (see the module doc for the keys)."""
        with self._lock:
            self._script.append(reply)
        return self

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.responder = None
            self.default = {"text": "Hello from fakellm."}

    def _next(self, req: Request) -> dict[str, Any]:
        with self._lock:
            self.requests.append(req)
            self._n += 1
            if self._script:
                return self._script.popleft()
        if self.responder is not None:
            r = self.responder(req)
            if r is not None:
                return r
        return self.default

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_url(self) -> str:
        """``base_url`` for ``openai.OpenAI``."""
        return self.url + "/v1"

    @property
    def anthropic_url(self) -> str:
        """``base_url`` for ``anthropic.Anthropic``."""
        return self.url

    def start(self) -> FakeLLM:
        handler = type("Handler", (_Handler,), {"llm": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakellm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- bodies ---------------------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}{self._n}"

    def chat_body(self, req: Request, text: str | None, tools: list[dict[str, Any]],
                  choices: list[str | None] | None = None, refusal: str | None = None) -> dict[str, Any]:
        texts = choices if choices is not None else [text] * max(1, int(req.body.get("n") or 1))
        p, c = _usage_counts(req, "".join(t or "" for t in texts))
        out = []
        for n, t in enumerate(texts):
            msg: dict[str, Any] = {"role": "assistant", "content": t}
            if refusal is not None:
                msg["refusal"] = refusal
            if tools:
                msg["tool_calls"] = [
                    {"id": f"call_{n}_{i}", "type": "function",
                     "function": {"name": x["name"], "arguments": x["arguments"]}}
                    for i, x in enumerate(tools)
                ]
            out.append({"index": n, "message": msg, "finish_reason": "tool_calls" if tools else "stop",
                        "logprobs": None})
        return {
            "id": self._id("chatcmpl-"), "object": "chat.completion", "created": int(time.time()),
            "model": req.body.get("model", self.model),
            "choices": out,
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
        }

    def chat_events(self, req: Request, text: str | None, chunks: list[str] | None,
                    tools: list[dict[str, Any]], refusal: str | None = None,
                    refusal_chunks: list[str] | None = None) -> list[dict[str, Any]]:
        base = {"id": self._id("chatcmpl-"), "object": "chat.completion.chunk", "created": int(time.time()),
                "model": req.body.get("model", self.model)}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}

        events = [chunk({"role": "assistant", "content": ""})]
        if text:
            events.extend(chunk({"content": piece}) for piece in _split(text, chunks))
        if refusal is not None:
            events.extend(chunk({"refusal": piece}) for piece in _split(refusal, refusal_chunks))
        for i, t in enumerate(tools):
            events.append(chunk({"tool_calls": [{"index": i, "id": f"call_{i}", "type": "function",
                                                 "function": {"name": t["name"], "arguments": ""}}]}))
            for piece in _split(t["arguments"], t.get("chunks")):
                events.append(chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]}))
        events.append(chunk({}, "tool_calls" if tools else "stop"))
        if (req.body.get("stream_options") or {}).get("include_usage"):
            p, c = _usage_counts(req, text or "")
            events.append({**base, "choices": [],
                           "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}})
        return events

    def _responses_output(self, text: str | None, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if text is not None or not tools:
            out.append({"type": "message", "id": self._id("msg_"), "status": "completed", "role": "assistant",
                        "content": [{"type": "output_text", "text": text or "", "annotations": []}]})
        out.extend({"type": "function_call", "id": f"fc_{i}", "call_id": f"call_{i}", "name": t["name"],
                    "arguments": t["arguments"], "status": "completed"} for i, t in enumerate(tools))
        return out

    def _responses_items(self, items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Further Responses output items (``items=[...]`` in a reply), each with the stream events
        between its ``output_item.added`` and ``.done``: ``{"type": "refusal", "refusal": ...}`` (a
        message with a refusal part), ``{"type": "custom_tool_call", "name": ..., "input": ...}``,
        ``{"type": "reasoning", "summary": ...}``, ``{"type": "mcp_call", "name": ..., "arguments":
        ...}``; each may say ``chunks`` for its deltas."""
        out = []
        for n, spec in enumerate(items):
            kind, chunks = spec["type"], spec.get("chunks")
            iid = f"{kind[:3]}_{n}"
            if kind == "refusal":
                full = spec["refusal"]
                item = {"type": "message", "id": iid, "status": "completed", "role": "assistant",
                        "content": [{"type": "refusal", "refusal": full}]}
                part = {"type": "refusal", "refusal": ""}
                evs = [{"type": "response.content_part.added", "item_id": iid, "content_index": 0, "part": part},
                       *({"type": "response.refusal.delta", "item_id": iid, "content_index": 0, "delta": piece}
                         for piece in _split(full, chunks)),
                       {"type": "response.refusal.done", "item_id": iid, "content_index": 0, "refusal": full},
                       {"type": "response.content_part.done", "item_id": iid, "content_index": 0,
                        "part": dict(part, refusal=full)}]
            elif kind == "reasoning":
                full = spec["summary"]
                item = {"type": "reasoning", "id": iid, "summary": [{"type": "summary_text", "text": full}]}
                part = {"type": "summary_text", "text": ""}
                evs = [{"type": "response.reasoning_summary_part.added", "item_id": iid, "summary_index": 0,
                        "part": part},
                       *({"type": "response.reasoning_summary_text.delta", "item_id": iid, "summary_index": 0,
                          "delta": piece} for piece in _split(full, chunks)),
                       {"type": "response.reasoning_summary_text.done", "item_id": iid, "summary_index": 0,
                        "text": full},
                       {"type": "response.reasoning_summary_part.done", "item_id": iid, "summary_index": 0,
                        "part": dict(part, text=full)}]
            else:
                field = {"custom_tool_call": "input", "mcp_call": "arguments"}[kind]
                family = {"custom_tool_call": "custom_tool_call_input", "mcp_call": "mcp_call_arguments"}[kind]
                full = spec[field]
                item = {"type": kind, "id": iid, "name": spec.get("name", "tool"), field: full}
                if kind == "custom_tool_call":
                    item["call_id"] = f"call_{iid}"
                else:
                    item.update(server_label="srv", status="completed")
                evs = [*({"type": f"response.{family}.delta", "item_id": iid, "delta": piece}
                         for piece in _split(full, chunks)),
                       {"type": f"response.{family}.done", "item_id": iid, field: full}]
            out.append((item, evs))
        return out

    def responses_body(self, req: Request, text: str | None,
                       tools: list[dict[str, Any]] | None = None,
                       items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        p, c = _usage_counts(req, text or "")
        return {
            "id": self._id("resp_"), "object": "response", "created_at": int(time.time()), "status": "completed",
            "model": req.body.get("model", self.model), "error": None, "incomplete_details": None,
            "instructions": req.body.get("instructions"), "metadata": {}, "parallel_tool_calls": True,
            "temperature": 1.0, "tool_choice": "auto", "tools": [], "top_p": 1.0,
            "output": self._responses_output(text, tools or []) + [it for it, _ in self._responses_items(items or [])],
            "usage": {"input_tokens": p, "output_tokens": c, "total_tokens": p + c,
                      "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 0}},
        }

    def responses_events(self, req: Request, text: str | None, chunks: list[str] | None,
                         tools: list[dict[str, Any]],
                         items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """The Responses API's stream: created, per output item its added/delta/done events
        (text deltas, function-call argument deltas), then completed with the whole response."""
        final = self.responses_body(req, text, tools, items)
        extra = self._responses_items(items or [])
        plain = len(final["output"]) - len(extra)
        start = dict(final, status="in_progress", output=[], usage=None)
        events: list[dict[str, Any]] = [{"type": "response.created", "response": start},
                                        {"type": "response.in_progress", "response": start}]
        for i, item in enumerate(final["output"]):
            if i >= plain:
                empty: dict[str, Any] = {k: ([] if isinstance(v, list) else "" if k in ("input", "arguments") else v)
                         for k, v in item.items()}
                events.append({"type": "response.output_item.added", "output_index": i, "item": empty})
                events.extend(dict(ev, output_index=i) for ev in extra[i - plain][1])
            elif item["type"] == "message":
                events.append({"type": "response.output_item.added", "output_index": i,
                               "item": dict(item, status="in_progress", content=[])})
                part = {"type": "output_text", "text": "", "annotations": []}
                events.append({"type": "response.content_part.added", "item_id": item["id"], "output_index": i,
                               "content_index": 0, "part": part})
                full = item["content"][0]["text"]
                events.extend({"type": "response.output_text.delta", "item_id": item["id"], "output_index": i,
                               "content_index": 0, "delta": piece, "logprobs": []}
                              for piece in _split(full, chunks))
                events.append({"type": "response.output_text.done", "item_id": item["id"], "output_index": i,
                               "content_index": 0, "text": full, "logprobs": []})
                events.append({"type": "response.content_part.done", "item_id": item["id"], "output_index": i,
                               "content_index": 0, "part": dict(part, text=full)})
            else:
                t = tools[i - (len(final["output"]) - len(tools))]
                events.append({"type": "response.output_item.added", "output_index": i,
                               "item": dict(item, arguments="", status="in_progress")})
                events.extend({"type": "response.function_call_arguments.delta", "item_id": item["id"],
                               "output_index": i, "delta": piece}
                              for piece in _split(item["arguments"], t.get("chunks")))
                events.append({"type": "response.function_call_arguments.done", "item_id": item["id"],
                               "output_index": i, "name": item["name"], "arguments": item["arguments"]})
            events.append({"type": "response.output_item.done", "output_index": i, "item": item})
        events.append({"type": "response.completed", "response": final})
        for n, ev in enumerate(events):
            ev["sequence_number"] = n
        return events

    def messages_body(self, req: Request, text: str | None, tools: list[dict[str, Any]],
                      thinking: str | None = None) -> dict[str, Any]:
        p, c = _usage_counts(req, text or "")
        content: list[dict[str, Any]] = []
        if thinking is not None:
            content.append({"type": "thinking", "thinking": thinking, "signature": "fake-signature"})
        if text is not None:
            content.append({"type": "text", "text": text})
        content.extend({"type": "tool_use", "id": f"toolu_{i}", "name": t["name"], "input": json.loads(t["arguments"])}
                       for i, t in enumerate(tools))
        return {
            "id": self._id("msg_"), "type": "message", "role": "assistant", "model": req.body.get("model", self.model),
            "content": content, "stop_reason": "tool_use" if tools else "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": p, "output_tokens": c},
        }

    def messages_events(self, req: Request, text: str | None, chunks: list[str] | None,
                        tools: list[dict[str, Any]], thinking: str | None = None,
                        thinking_chunks: list[str] | None = None) -> list[dict[str, Any]]:
        p, c = _usage_counts(req, text or "")
        start = self.messages_body(req, None, [])
        start["usage"] = {"input_tokens": p, "output_tokens": 0}
        events: list[dict[str, Any]] = [{"type": "message_start", "message": start}]
        idx = 0
        if thinking is not None:
            events.append({"type": "content_block_start", "index": 0,
                           "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
            events.extend({"type": "content_block_delta", "index": 0,
                           "delta": {"type": "thinking_delta", "thinking": piece}}
                          for piece in _split(thinking, thinking_chunks))
            events.append({"type": "content_block_delta", "index": 0,
                           "delta": {"type": "signature_delta", "signature": "fake-signature"}})
            events.append({"type": "content_block_stop", "index": 0})
            idx = 1
        if text is not None:
            events.append({"type": "content_block_start", "index": idx, "content_block": {"type": "text", "text": ""}})
            events.extend({"type": "content_block_delta", "index": idx, "delta": {"type": "text_delta", "text": piece}}
                          for piece in _split(text, chunks))
            events.append({"type": "content_block_stop", "index": idx})
            idx += 1
        for i, t in enumerate(tools):
            events.append({"type": "content_block_start", "index": idx + i,
                           "content_block": {"type": "tool_use", "id": f"toolu_{i}", "name": t["name"], "input": {}}})
            events.extend({"type": "content_block_delta", "index": idx + i,
                           "delta": {"type": "input_json_delta", "partial_json": piece}}
                          for piece in _split(t["arguments"], t.get("chunks")))
            events.append({"type": "content_block_stop", "index": idx + i})
        events.append({"type": "message_delta", "delta": {"stop_reason": "tool_use" if tools else "end_turn",
                                                          "stop_sequence": None}, "usage": {"output_tokens": c}})
        events.append({"type": "message_stop"})
        return events


class _Handler(BaseHTTPRequestHandler):
    llm: FakeLLM
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
              ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _sse(self, events: list[dict[str, Any]], typed: bool) -> None:
        """Server-sent events; ``typed``: each with an ``event:`` line and no ``[DONE]`` (Anthropic,
        the Responses API), else chat completions' plain ``data:`` lines."""
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        for ev in events:
            data = json.dumps(ev)
            line = f"event: {ev['type']}\ndata: {data}\n\n" if typed else f"data: {data}\n\n"
            self.wfile.write(line.encode())
            self.wfile.flush()
        if not typed:
            self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        req = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
        reply = self.llm._next(req)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
            self._answer(req, reply)

    def _answer(self, req: Request, reply: dict[str, Any]) -> None:
        llm = self.llm
        if reply.get("delay"):
            time.sleep(float(reply["delay"]))
        anthropic = req.path.rstrip("/").endswith("/messages")
        if "status" in reply and reply["status"] >= 400:
            msg = reply.get("error", "scripted error")
            if anthropic:
                body = {"type": "error", "error": {"type": "api_error", "message": msg}}
            else:
                body = {"error": {"message": msg, "type": "server_error", "code": None, "param": None}}
            self._send(reply["status"], json.dumps(body).encode(), reply.get("headers"))
            return
        if "raw" in reply:
            self._send(reply.get("status", 200), reply["raw"].encode(), reply.get("headers"))
            return
        text = reply.get("text")
        if reply.get("echo"):
            texts = req.user_texts()
            text = texts[-1] if texts else ""
        tools = reply.get("tool_calls") or []
        body = req.body if isinstance(req.body, dict) else {}
        stream = bool(body.get("stream"))
        if req.path.endswith("/chat/completions"):
            refusal = reply.get("refusal")
            if stream:
                self._sse(llm.chat_events(req, text, reply.get("chunks"), tools, refusal,
                                          reply.get("refusal_chunks")), False)
            else:
                self._send(200, json.dumps(llm.chat_body(req, text, tools, reply.get("choices"), refusal)).encode())
        elif req.path.endswith("/responses"):
            items = reply.get("items")
            if stream:
                self._sse(llm.responses_events(req, text, reply.get("chunks"), tools, items), True)
            else:
                self._send(200, json.dumps(llm.responses_body(req, text, tools, items)).encode())
        elif anthropic:
            thinking = reply.get("thinking")
            if stream:
                self._sse(llm.messages_events(req, text, reply.get("chunks"), tools, thinking,
                                              reply.get("thinking_chunks")), True)
            else:
                self._send(200, json.dumps(llm.messages_body(req, text, tools, thinking)).encode())
        else:
            self._send(404, b'{"error": {"message": "unknown path"}}')
