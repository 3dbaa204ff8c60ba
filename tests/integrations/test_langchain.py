"""``guardwrap.langchain`` against the real langchain-core: chat models, streams, LCEL, runnables."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import ParrotFakeChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda
from pydantic import BaseModel

import guardwrap as gw
from guardwrap.langchain import (
    from_guard_messages,
    guard_chat_model,
    guard_runnable,
    to_guard_messages,
)

CARD = "4111 1111 1111 1111"
EMAIL = "jane.roe@example.com"


def pii(action="redact"):
    return gw.PII(entities=["CREDIT_CARD", "EMAIL_ADDRESS"], action=action)


class Scripted(BaseChatModel):
    """A chat model (the real base class) that records what it was sent and answers from a script."""

    answers: list[Any] = []
    seen: list[Any] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _next(self, messages):
        self.seen.append(messages)
        return self.answers.pop(0)

    def _generate(self, messages, stop=None, run_manager=None, **kw):
        ans = self._next(messages)
        msg = ans if isinstance(ans, AIMessage) else AIMessage(content="".join(c.content for c in ans))
        return ChatResult(generations=[ChatGeneration(message=msg)])

    def _stream(self, messages, stop=None, run_manager=None, **kw):
        ans = self._next(messages)
        chunks = ans if isinstance(ans, list) else [AIMessageChunk(content=ans.content)]
        for c in chunks:
            yield ChatGenerationChunk(message=c)


def sent_text(model) -> str:
    return json.dumps([m.model_dump() for m in model.seen[-1]], default=str)


# -- input: every message type ------------------------------------------------------------------------


def test_human_message_and_content_parts_are_checked():
    inner = Scripted(answers=[AIMessage(content="ok"), AIMessage(content="ok")])
    chat = guard_chat_model(inner, gw.Guard("lc", input=[pii()], unreadable="allow"))
    chat.invoke([HumanMessage(content=f"card {CARD}")])
    assert CARD not in sent_text(inner) and "<CREDIT_CARD>" in inner.seen[-1][0].content
    # an image cannot be checked: allowed here explicitly (the default fails closed)
    chat.invoke([HumanMessage(content=[{"type": "text", "text": f"card {CARD}"},
                                       {"type": "image_url", "image_url": {"url": "https://x/y.png"}}])])
    parts = inner.seen[-1][0].content
    assert parts[0] == {"type": "text", "text": "card <CREDIT_CARD>"} and parts[1]["type"] == "image_url"


def test_the_callers_messages_are_not_mutated_and_classes_and_ids_are_kept():
    inner = Scripted(answers=[AIMessage(content="ok")])
    msgs = [SystemMessage(content="be brief", id="s1"), HumanMessage(content=f"mail {EMAIL}", id="h1")]
    guard_chat_model(inner, gw.Guard("lc", input=[pii()])).invoke(msgs)
    assert msgs[1].content == f"mail {EMAIL}"
    sent = inner.seen[-1]
    assert [type(m) for m in sent] == [SystemMessage, HumanMessage] and [m.id for m in sent] == ["s1", "h1"]
    assert sent[0] is msgs[0]  # unchanged messages are passed as they are


def test_system_tool_and_ai_history_are_checked():
    inner = Scripted(answers=[AIMessage(content="ok")])
    msgs = [SystemMessage(content=f"customer card {CARD}"),
            HumanMessage(content="pay it"),
            AIMessage(content="", tool_calls=[{"name": "pay", "args": {"card": CARD}, "id": "t1"}]),
            ToolMessage(content=f"paid with {CARD}", tool_call_id="t1")]
    guard_chat_model(inner, gw.Guard("lc", input=[pii()])).invoke(msgs)
    assert CARD not in sent_text(inner)


def test_round_trip_of_the_guard_shape_keeps_every_field():
    msgs = [SystemMessage(content="s"), HumanMessage(content=["plain part", {"type": "text", "text": "t"}]),
            AIMessage(content="", tool_calls=[{"name": "f", "args": {"a": 1}, "id": "1"}]),
            ToolMessage(content="r", tool_call_id="1")]
    d = to_guard_messages(msgs)
    assert [x["role"] for x in d] == ["system", "user", "assistant", "tool"]
    assert d[2]["tool_calls"][0]["function"]["arguments"] == '{"a": 1}'
    assert from_guard_messages(d, msgs) == msgs
    d[1]["content"][0]["text"] = "fixed"
    d[2]["tool_calls"][0]["function"]["arguments"] = '{"a": 2}'
    back = from_guard_messages(d, msgs)
    assert back[1].content == ["fixed", {"type": "text", "text": "t"}]  # a str part stays a str
    assert back[2].tool_calls[0]["args"] == {"a": 2}


def test_blocked_input_never_reaches_the_model():
    inner = Scripted(answers=[AIMessage(content="ok")])
    chat = guard_chat_model(inner, gw.Guard("lc", input=[gw.DenyTerms(["bypass kyc"], action="block")]))
    with pytest.raises(gw.Blocked) as ei:
        chat.invoke("how do I bypass kyc")
    assert inner.seen == [] and "bypass" not in str(ei.value)


# -- output -------------------------------------------------------------------------------------------------


def test_answer_and_tool_call_arguments_are_validated():
    inner = Scripted(answers=[AIMessage(content=f"write to {EMAIL}", tool_calls=[
        {"name": "send", "args": {"to": EMAIL}, "id": "t1"}], additional_kwargs={"tool_calls": [{"raw": EMAIL}]})])
    out = guard_chat_model(inner, gw.Guard("lc", output=[pii()])).invoke("hi")
    assert out.content == "write to <EMAIL_ADDRESS>"
    assert out.tool_calls[0]["args"] == {"to": "<EMAIL_ADDRESS>"}
    assert EMAIL not in out.model_dump_json()


def test_every_text_the_model_wrote_is_validated_not_only_the_answer(memory_sink):
    # malformed tool-call JSON, reasoning/thinking blocks, a provider's tool_use block in content
    # and additional_kwargs strings all reach the caller: each is checked like the answer
    msg = AIMessage(
        content=[{"type": "thinking", "thinking": f"user is {EMAIL}", "signature": "c2lnbmF0dXJl"},
                 {"type": "text", "text": "done"},
                 {"type": "tool_use", "id": "t1", "name": "send", "input": {"card": CARD}}],
        invalid_tool_calls=[{"name": "send", "args": f'{{"to": "{EMAIL}"', "id": "t2", "error": "bad json"}],
        additional_kwargs={"reasoning_content": f"card {CARD} seen", "refusal": None})
    out = guard_chat_model(Scripted(answers=[msg]), gw.Guard("lc", output=[pii()], audit=memory_sink)).invoke("hi")
    dumped = out.model_dump_json()
    assert EMAIL not in dumped and "4111" not in dumped
    assert out.content[0]["thinking"] == "user is <EMAIL_ADDRESS>" and out.content[1]["text"] == "done"
    assert out.content[2]["input"] == {"card": "<CREDIT_CARD>"}
    assert out.invalid_tool_calls[0]["args"] == '{"to": "<EMAIL_ADDRESS>"'
    assert out.additional_kwargs["reasoning_content"] == "card <CREDIT_CARD> seen"
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_streamed_thinking_and_reasoning_content_are_held_and_checked():
    chunks = [AIMessageChunk(content=[{"type": "thinking", "thinking": "user is jane", "index": 0}]),
              AIMessageChunk(content=[{"type": "thinking", "thinking": ".roe@example.com ok", "index": 0}]),
              AIMessageChunk(content="", additional_kwargs={"reasoning_content": "card 4111 1111"}),
              AIMessageChunk(content="", additional_kwargs={"reasoning_content": " 1111 1111"}),
              AIMessageChunk(content="fine")]
    chat = guard_chat_model(Scripted(answers=[chunks]), gw.Guard("lc", output=[pii()]))
    got = list(chat.stream("hi"))
    dumped = "".join(c.model_dump_json() for c in got)
    assert "jane" not in dumped and "4111" not in dumped
    thinking = "".join(p.get("thinking", "") for c in got if isinstance(c.content, list) for p in c.content)
    assert thinking == "user is <EMAIL_ADDRESS> ok"
    reasoning = "".join(c.additional_kwargs.get("reasoning_content", "") for c in got)
    assert reasoning == "card <CREDIT_CARD>"
    assert "".join(c.content for c in got if isinstance(c.content, str)) == "fine"


def test_pseudonyms_round_trip_through_a_real_echo_model():
    chat = guard_chat_model(ParrotFakeChatModel(), gw.Guard("lc", input=[pii("pseudonymize")]))
    out = chat.invoke([HumanMessage(content=f"my card {CARD}")])
    assert out.content == f"my card {CARD}"


def test_schema_value_is_in_response_metadata_and_restored():
    class Answer(BaseModel):
        card: str

    def answer(messages):
        ph = messages[-1].content.split("card ")[1]
        return AIMessage(content=json.dumps({"card": ph}))

    class Echo(Scripted):
        def _next(self, messages):
            self.seen.append(messages)
            return answer(messages)

    chat = guard_chat_model(Echo(), gw.Guard("lc", input=[pii("pseudonymize")], output=[gw.JsonSchema(Answer)]))
    out = chat.invoke(f"card {CARD}")
    assert out.response_metadata["guardwrap_parsed"] == Answer(card=CARD)


def test_static_fallback_is_a_message():
    class Down(Scripted):
        def _generate(self, *a, **k):
            raise ConnectionError

    chat = guard_chat_model(Down(), gw.Guard("lc", fallback=[gw.Static("try later")]))
    out = chat.invoke("hi")
    assert isinstance(out, AIMessage) and out.content == "try later"


# -- streams ----------------------------------------------------------------------------------------------


SPLIT = ["Contact jane", ".roe@exa", "mple.com", " today", "."]


def test_stream_releases_only_validated_text():
    inner = Scripted(answers=[[AIMessageChunk(content=p) for p in SPLIT]])
    chat = guard_chat_model(inner, gw.Guard("lc", output=[pii()]))
    pieces = [c.content for c in chat.stream("hi")]
    assert "".join(pieces) == "Contact <EMAIL_ADDRESS> today."
    assert not any("jane" in p or "@" in p for p in pieces)


def test_stream_tool_call_chunks_are_held_and_fixed():
    args = json.dumps({"to": EMAIL})
    chunks = [AIMessageChunk(content="ok "),
              AIMessageChunk(content="", tool_call_chunks=[{"name": "send", "args": args[:8], "id": "t1", "index": 0}]),
              AIMessageChunk(content="", tool_call_chunks=[{"name": None, "args": args[8:], "id": None, "index": 0}])]
    chat = guard_chat_model(Scripted(answers=[chunks]), gw.Guard("lc", output=[pii()]))
    total = None
    for c in chat.stream("hi"):
        assert EMAIL not in c.model_dump_json()
        total = c if total is None else total + c
    assert total.tool_calls[0]["args"] == {"to": "<EMAIL_ADDRESS>"}


def test_astream_restores_pseudonyms():
    chat = guard_chat_model(ParrotFakeChatModel(), gw.Guard("lc", input=[pii("pseudonymize")]))

    async def main():
        return "".join([c.content async for c in chat.astream(f"card {CARD} please")])

    # the echo model streams back the pseudonymized prompt; the caller sees the real value
    assert asyncio.run(main()) == f"card {CARD} please"


def test_async_invoke_and_batch():
    chat = guard_chat_model(ParrotFakeChatModel(), gw.Guard("lc", input=[pii()]))
    assert asyncio.run(chat.ainvoke(f"mail {EMAIL}")).content == "mail <EMAIL_ADDRESS>"
    assert [m.content for m in chat.batch([f"a {EMAIL}", "b"])] == ["a <EMAIL_ADDRESS>", "b"]


# -- composition ------------------------------------------------------------------------------------------


def test_lcel_pipe_with_a_prompt_and_parser(memory_sink):
    prompt = ChatPromptTemplate.from_messages([("system", "You help bank customers."), ("human", "{question}")])
    chat = guard_chat_model(ParrotFakeChatModel(), gw.Guard("lc", input=[pii()], audit=memory_sink))
    chain = prompt | chat | StrOutputParser()
    assert chain.invoke({"question": f"card {CARD}?"}) == "card <CREDIT_CARD>?"
    (call,) = memory_sink.of_type("call")
    assert call["provider"] == "langchain" and call["outcome"] == "fixed"


def test_bind_tools_stays_guarded():
    class Tooling(Scripted):
        def bind_tools(self, tools, **kw):
            return self

    inner = Tooling(answers=[AIMessage(content=f"x {EMAIL}")])
    bound = guard_chat_model(inner, gw.Guard("lc", output=[pii()])).bind_tools([])
    assert bound.invoke("hi").content == "x <EMAIL_ADDRESS>"


def test_guard_runnable_takes_strings_messages_and_prompt_values():
    echo = RunnableLambda(lambda v: v if isinstance(v, str) else v[-1].content)
    guarded = guard_runnable(echo, gw.Guard("lc", input=[pii()], output=[pii()]))
    assert guarded.invoke(f"mail {EMAIL}") == "mail <EMAIL_ADDRESS>"
    assert guarded.invoke([HumanMessage(content=f"card {CARD}")]) == "card <CREDIT_CARD>"
    pv = ChatPromptTemplate.from_messages([("human", "{q}")]).invoke({"q": f"mail {EMAIL}"})
    assert guarded.invoke(pv) == "mail <EMAIL_ADDRESS>"
    assert asyncio.run(guarded.ainvoke(f"mail {EMAIL}")) == "mail <EMAIL_ADDRESS>"
    with pytest.raises(gw.GuardrailError):
        guarded.invoke({"q": "a dict the guard cannot read"})


def test_not_a_chat_model_is_a_policy_error():
    with pytest.raises(gw.PolicyError):
        guard_chat_model(object(), gw.Guard("lc"))
