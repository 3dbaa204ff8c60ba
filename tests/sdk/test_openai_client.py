"""The guarded OpenAI client against the real SDK over real HTTP (a local fake server)."""

from __future__ import annotations

import asyncio
import json

import pytest

openai = pytest.importorskip("openai")

from pydantic import BaseModel  # noqa: E402

import guardwrap as gw  # noqa: E402
from fakellm import Email, fake_server_fixture, llm_fixture  # noqa: E402, F401

SECRET = "jane.roe@example.com"
MSGS = [{"role": "system", "content": "be brief"}, {"role": "user", "content": f"I am {SECRET}, help"}]


class Answer(BaseModel):
    intent: str
    confidence: float


def client(llm, guard, *, cls=None, **kw):
    cls = cls or openai.OpenAI
    return gw.openai.guard_client(cls(base_url=llm.openai_url, api_key="test", max_retries=0, **kw), guard)


def fast_retry(n=3, **kw):
    return gw.Retry(n, on="transient", backoff=0, jitter=0, **kw)


def test_request_leaves_redacted_and_call_record_has_model_and_usage(llm, memory_sink):
    guard = gw.Guard("oa", input=[Email()], audit=memory_sink)
    c = client(llm, guard)
    r = c.chat.completions.create(model="gpt-test", messages=MSGS)
    assert r.choices[0].message.content == "Hello from fakellm."
    (req,) = llm.requests
    assert SECRET not in req.text and "<EMAIL_ADDRESS>" in req.body["messages"][1]["content"]
    assert req.body["messages"][0] == MSGS[0] and MSGS[1]["content"].endswith("help")  # caller's list intact
    (call,) = memory_sink.of_type("call")
    assert call["provider"] == "openai" and call["model"] == "gpt-test"
    assert call["response_model"] == "gpt-test" and call["usage"]["output_tokens"] == 3
    assert all(SECRET not in json.dumps(rec) for rec in memory_sink.records)


def test_pseudonyms_go_out_and_are_restored_in_the_answer(llm):
    llm.responder = lambda req: {"echo": True}
    c = client(llm, gw.Guard("oa", input=[Email("pseudonymize")]))
    r = c.chat.completions.create(model="m", messages=MSGS)
    sent = llm.requests[0].body["messages"][1]["content"]
    assert SECRET not in sent and "<EMAIL_ADDRESS_1>" in sent
    assert r.choices[0].message.content == MSGS[1]["content"]


def test_output_and_tool_call_arguments_are_validated(llm):
    llm.reply(text=f"write to {SECRET}", tool_calls=[{"name": "send", "arguments": json.dumps({"to": SECRET})}])
    c = client(llm, gw.Guard("oa", output=[Email()]))
    r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    msg = r.choices[0].message
    assert msg.content == "write to <EMAIL_ADDRESS>"
    assert json.loads(msg.tool_calls[0].function.arguments) == {"to": "<EMAIL_ADDRESS>"}


def test_blocked_input_never_reaches_the_server(llm):
    @gw.validator(name="no-kyc", stage="input", action="block")
    def no_kyc(text, ctx):
        return gw.Result.fail("deny-term") if "bypass kyc" in text else None

    c = client(llm, gw.Guard("oa", input=[no_kyc]))
    with pytest.raises(gw.Blocked) as ei:
        c.chat.completions.create(model="m", messages=[{"role": "user", "content": "how to bypass kyc"}])
    assert llm.requests == [] and "bypass" not in str(ei.value)


# -- streaming ----------------------------------------------------------------------------------------

SPLIT = ["Contact jane", ".roe@exa", "mple.com", " today", "."]


def test_stream_with_pii_split_across_sse_chunks_is_redacted(llm, memory_sink):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    c = client(llm, gw.Guard("oa", output=[Email()], audit=memory_sink))
    stream = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True,
                                       stream_options={"include_usage": True})
    pieces = []
    for ch in stream:
        assert isinstance(ch, openai.types.chat.ChatCompletionChunk)
        if ch.choices and ch.choices[0].delta.content:
            pieces.append(ch.choices[0].delta.content)
    text = "".join(pieces)
    assert text == "Contact <EMAIL_ADDRESS> today."
    assert not any("@" in p or "jane" in p for p in pieces)
    (call,) = memory_sink.of_type("call")
    assert call["usage"]["output_tokens"] == 3


def test_stream_tool_call_arguments_are_held_and_fixed(llm):
    args = json.dumps({"to": SECRET})
    llm.reply(text="ok ", tool_calls=[{"name": "send", "arguments": args, "chunks": [args[:12], args[12:]]}])
    c = client(llm, gw.Guard("oa", output=[Email()]))
    deltas = []
    with c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True) as s:
        for ch in s:
            for tc in (ch.choices[0].delta.tool_calls or []) if ch.choices else []:
                deltas.append(tc.function.arguments or "")
    assert json.loads("".join(deltas)) == {"to": "<EMAIL_ADDRESS>"}


def test_async_stream_is_redacted_and_pseudonyms_restored(llm):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    guard = gw.Guard("oa", output=[Email()])

    async def main():
        c = client(llm, guard, cls=openai.AsyncOpenAI)
        s = await c.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}], stream=True)
        out = []
        async for ch in s:
            if ch.choices and ch.choices[0].delta.content:
                out.append(ch.choices[0].delta.content)
        return "".join(out)

    assert asyncio.run(main()) == "Contact <EMAIL_ADDRESS> today."


# -- resilience over HTTP -------------------------------------------------------------------------------


def test_429_with_retry_after_then_success(llm, memory_sink):
    waits = []
    llm.reply(status=429, headers={"retry-after": "2"}).reply(text="finally")
    guard = gw.Guard("oa", retry=fast_retry(3, sleep=waits.append), audit=memory_sink)
    r = client(llm, guard).chat.completions.create(model="m", messages=MSGS)
    assert r.choices[0].message.content == "finally"
    assert waits == [2.0] and len(llm.requests) == 2
    (att,) = [x for x in memory_sink.of_type("lifecycle") if x["event"] == "attempt"]
    assert att["error"] == "RateLimitError" and att["outcome"] == "retry"


def test_500s_exhaust_retries_then_static_fallback(llm, memory_sink):
    for _ in range(3):
        llm.reply(status=500)
    guard = gw.Guard("oa", retry=fast_retry(3), fallback=[gw.Static("Sorry, try later.")], audit=memory_sink)
    r = client(llm, guard).chat.completions.create(model="m", messages=MSGS)
    assert isinstance(r, openai.types.chat.ChatCompletion)
    assert r.choices[0].message.content == "Sorry, try later."
    assert len(llm.requests) == 3
    assert memory_sink.of_type("call")[-1]["fallback_from"] == "Completions.create"


def test_malformed_json_goes_to_fallback(llm):
    llm.reply(raw="{this is not json")
    guard = gw.Guard("oa", fallback=[gw.Static("fallback")])
    r = client(llm, guard).chat.completions.create(model="m", messages=MSGS)
    assert r.choices[0].message.content == "fallback"


def test_timeout_goes_to_fallback_sync_and_async(llm):
    llm.default = {"text": "slow", "delay": 1.0}
    guard = gw.Guard("oa", timeout=0.1, fallback=[gw.Static("too slow")])
    r = client(llm, guard).chat.completions.create(model="m", messages=MSGS)
    assert r.choices[0].message.content == "too slow"

    async def main():
        c = client(llm, guard, cls=openai.AsyncOpenAI)
        return await c.chat.completions.create(model="m", messages=MSGS)

    assert asyncio.run(main()).choices[0].message.content == "too slow"


def test_breaker_opens_and_closes_over_http(llm, memory_sink):
    now = [0.0]
    guard = gw.Guard("oa", fallback=[gw.Static("fb")], breaker=gw.CircuitBreaker(2, 30, clock=lambda: now[0]),
                     audit=memory_sink)
    c = client(llm, guard)
    llm.reply(status=500).reply(status=500)
    for _ in range(3):
        assert c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "fb"
    assert len(llm.requests) == 2  # the third call skipped the open breaker
    now[0] = 31
    assert c.chat.completions.create(model="m", messages=MSGS).choices[0].message.content == "Hello from fakellm."
    states = [r["state"] for r in memory_sink.of_type("lifecycle") if r["event"] == "breaker"]
    assert states == ["open", "half_open", "closed"]


def test_stream_request_falls_back_to_a_one_chunk_stream(llm):
    llm.reply(status=503)
    guard = gw.Guard("oa", fallback=[gw.Static("static answer")])
    s = client(llm, guard).chat.completions.create(model="m", messages=MSGS, stream=True)
    assert [ch.choices[0].delta.content for ch in s] == ["static answer"]


# -- schema and re-ask over HTTP ------------------------------------------------------------------------


def test_reask_fixes_a_schema_failure_and_feedback_holds_no_values(llm, memory_sink):
    bad = json.dumps({"intent": SECRET, "confidence": "very-high-9931"})
    llm.reply(text=bad).reply(text='{"intent": "refund", "confidence": 0.8}')
    guard = gw.Guard("oa", output=[gw.JsonSchema(Answer, max_reasks=2)], audit=memory_sink)
    r = client(llm, guard).chat.completions.create(model="m", messages=[{"role": "user", "content": "classify"}])
    assert r.choices[0].message.parsed == Answer(intent="refund", confidence=0.8)
    second = llm.requests[1].body["messages"]
    assert second[-1]["role"] == "user" and "confidence" in second[-1]["content"]
    assert "very-high-9931" not in llm.requests[1].text and SECRET not in llm.requests[1].text
    assert [x["event"] for x in memory_sink.of_type("lifecycle")] == ["reask"]


# -- responses API and refusals ----------------------------------------------------------------------------


def test_responses_create_is_guarded(llm):
    llm.reply(text=f"mail {SECRET}")
    c = client(llm, gw.Guard("oa", input=[Email()], output=[Email()]))
    r = c.responses.create(model="m", input=f"from {SECRET}")
    assert SECRET not in llm.requests[0].text
    assert r.output_text == "mail <EMAIL_ADDRESS>"


def test_bypassing_methods_are_refused_and_derived_clients_stay_guarded(llm):
    c = client(llm, gw.Guard("oa", input=[Email()]))
    with pytest.raises(gw.GuardrailError):
        c.chat.completions.with_raw_response.create(model="m", messages=MSGS)
    with pytest.raises(gw.GuardrailError):
        c.chat.completions.stream(model="m", messages=MSGS)
    with pytest.raises(gw.GuardrailError):
        c.responses.stream(model="m", input="x")
    with pytest.raises(gw.GuardrailError):
        c.chat.completions.create(model="m", messages=MSGS, n=2, stream=True)
    c.with_options(timeout=5).chat.completions.create(model="m", messages=MSGS)
    assert SECRET not in llm.requests[-1].text
    assert c.models is not None  # everything else is the SDK's own
    with pytest.raises(gw.PolicyError):
        gw.openai.guard_client(object(), gw.Guard("x"))


def test_a_refusal_is_checked_like_the_answer_streamed_or_not(llm, memory_sink):
    refusal = f"I cannot email {SECRET} for you"
    llm.reply(text=None, refusal=refusal)
    c = client(llm, gw.Guard("o", output=[Email()], audit=memory_sink))
    r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.refusal == "I cannot email <EMAIL_ADDRESS> for you"
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"
    llm.reply(text="", refusal=refusal, refusal_chunks=["I cannot email jane", ".roe@example", ".com for you"])
    events = list(c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True))
    got = "".join(ev.choices[0].delta.refusal or "" for ev in events if ev.choices)
    assert got == "I cannot email <EMAIL_ADDRESS> for you"
    assert not any("jane" in ev.model_dump_json() for ev in events)


def test_every_request_field_with_user_data_is_checked(llm):
    # a predicted output (the model reads it), a stored prompt's variables, and what the request
    # says about the end user (user, metadata) leave the process only after the input validators
    c = client(llm, gw.Guard("o", input=[Email()]))
    c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}],
                              prediction={"type": "content", "content": f"Dear {SECRET}"},
                              user=SECRET, metadata={"customer": SECRET})
    c.responses.create(model="m", input="hi", prompt={"id": "pmpt_1", "variables": {"who": SECRET}},
                       user=SECRET, metadata={"customer": SECRET})
    for req in llm.requests[-2:]:
        assert SECRET not in req.raw.decode() and "<EMAIL_ADDRESS>" in req.raw.decode()
