"""The guarded Anthropic client against the real SDK over real HTTP (a local fake server)."""

from __future__ import annotations

import asyncio
import json

import pytest

anthropic = pytest.importorskip("anthropic")

import guardwrap as gw  # noqa: E402
from fakellm import Email, fake_server_fixture, llm_fixture  # noqa: E402, F401

SECRET = "jane.roe@example.com"
MSGS = [{"role": "user", "content": [{"type": "text", "text": f"I am {SECRET}"}]}]


def client(llm, guard, cls=None):
    cls = cls or anthropic.Anthropic
    return gw.anthropic.guard_client(cls(base_url=llm.anthropic_url, api_key="test", max_retries=0), guard)


def test_request_redacted_answer_checked_and_recorded(llm, memory_sink):
    llm.reply(text=f"noted, {SECRET}", tool_calls=[{"name": "crm", "arguments": json.dumps({"email": SECRET})}])
    guard = gw.Guard("an", input=[Email()], output=[Email()], audit=memory_sink)
    m = client(llm, guard).messages.create(model="claude-test", max_tokens=50, messages=MSGS, system="be brief")
    (req,) = llm.requests
    assert SECRET not in req.text and req.body["system"] == "be brief"
    assert m.content[0].text == "noted, <EMAIL_ADDRESS>"
    assert m.content[1].input == {"email": "<EMAIL_ADDRESS>"}
    call = memory_sink.of_type("call")[-1]
    assert call["provider"] == "anthropic" and call["model"] == "claude-test" and call["usage"]["input_tokens"] == 3


def test_pseudonyms_restored(llm):
    llm.responder = lambda req: {"echo": True}
    m = client(llm, gw.Guard("an", input=[Email("pseudonymize")])).messages.create(
        model="m", max_tokens=5, messages=MSGS)
    assert "<EMAIL_ADDRESS_1>" in llm.requests[0].text and SECRET not in llm.requests[0].text
    assert m.content[0].text == f"I am {SECRET}"


SPLIT = ["mail jane.r", "oe@examp", "le.com now"]


def test_stream_split_pii_is_redacted_and_tool_input_fixed(llm):
    args = json.dumps({"to": SECRET})
    llm.reply(text="".join(SPLIT), chunks=SPLIT,
              tool_calls=[{"name": "send", "arguments": args, "chunks": [args[:9], args[9:]]}])
    s = client(llm, gw.Guard("an", output=[Email()])).messages.create(
        model="m", max_tokens=5, messages=MSGS, stream=True)
    texts, partial, types = [], [], []
    for ev in s:
        types.append(ev.type)
        if ev.type == "content_block_delta" and ev.delta.type == "text_delta":
            texts.append(ev.delta.text)
        elif ev.type == "content_block_delta":
            partial.append(ev.delta.partial_json)
    assert "".join(texts) == "mail <EMAIL_ADDRESS> now" and not any("@" in t for t in texts)
    assert json.loads("".join(partial)) == {"to": "<EMAIL_ADDRESS>"}
    assert types[0] == "message_start" and types[-1] == "message_stop"


def test_metadata_leaves_only_after_the_input_validators(llm):
    client(llm, gw.Guard("an", input=[Email()])).messages.create(
        model="m", max_tokens=5, messages=[{"role": "user", "content": "hi"}], metadata={"user_id": SECRET})
    assert SECRET not in llm.requests[-1].raw.decode()


THINK = ["The user jane", ".roe@exam", "ple.com wants mail"]


def test_thinking_is_checked_like_any_text_the_model_wrote(llm, memory_sink):
    llm.reply(text="ok", thinking="".join(THINK))
    m = client(llm, gw.Guard("an", output=[Email()], audit=memory_sink)).messages.create(
        model="m", max_tokens=5, messages=MSGS)
    assert m.content[0].type == "thinking" and m.content[0].thinking == "The user <EMAIL_ADDRESS> wants mail"
    assert SECRET not in m.model_dump_json()
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_streamed_thinking_deltas_are_held_and_checked(llm, memory_sink):
    llm.reply(text="ok", thinking="".join(THINK), thinking_chunks=THINK)
    s = client(llm, gw.Guard("an", output=[Email()], audit=memory_sink)).messages.create(
        model="m", max_tokens=5, messages=MSGS, stream=True)
    events = list(s)
    thinking = "".join(ev.delta.thinking for ev in events
                       if ev.type == "content_block_delta" and ev.delta.type == "thinking_delta")
    assert thinking == "The user <EMAIL_ADDRESS> wants mail"
    assert not any(SECRET in ev.model_dump_json() or "jane" in ev.model_dump_json() for ev in events)
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_async_stream(llm):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)

    async def main():
        c = client(llm, gw.Guard("an", output=[Email()]), anthropic.AsyncAnthropic)
        s = await c.messages.create(model="m", max_tokens=5, messages=MSGS, stream=True)
        return "".join([ev.delta.text async for ev in s if ev.type == "content_block_delta"])

    assert asyncio.run(main()) == "mail <EMAIL_ADDRESS> now"


def test_429_retry_then_success_and_500_fallback(llm):
    waits = []
    llm.reply(status=429, headers={"retry-after": "3"}).reply(text="ok")
    guard = gw.Guard("an", retry=gw.Retry(2, on="transient", backoff=0, jitter=0, sleep=waits.append),
                     fallback=[gw.Static("sorry")])
    c = client(llm, guard)
    assert c.messages.create(model="m", max_tokens=5, messages=MSGS).content[0].text == "ok"
    assert waits == [3.0]
    llm.reply(status=500).reply(status=500)
    m = c.messages.create(model="m", max_tokens=5, messages=MSGS)
    assert isinstance(m, anthropic.types.Message) and m.content[0].text == "sorry"


def test_stream_helper_is_refused(llm):
    c = client(llm, gw.Guard("an"))
    with pytest.raises(gw.GuardrailError):
        c.messages.stream(model="m", max_tokens=5, messages=MSGS)
    with pytest.raises(gw.PolicyError):
        gw.anthropic.guard_client(object(), gw.Guard("x"))
