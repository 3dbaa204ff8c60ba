"""The Responses API over real HTTP: ``responses.create(stream=True)`` is guarded, not refused."""

from __future__ import annotations

import asyncio
import json

import openai
import pytest

import guardwrap as gw
from fakellm import Email, fake_server_fixture, llm_fixture  # noqa: F401

SECRET = "jane.roe@example.com"
SPLIT = ["Contact jane", ".roe@exa", "mple.com", " today", "."]


def client(llm, guard, cls=None):
    cls = cls or openai.OpenAI
    return gw.openai.guard_client(cls(base_url=llm.openai_url, api_key="test", max_retries=0), guard)


def dumps(events) -> str:
    return "\n".join(ev.model_dump_json() for ev in events)


def by_type(events, kind):
    return [ev for ev in events if ev.type == kind]


def test_text_deltas_are_validated_and_done_events_repeat_only_the_released_text(llm, memory_sink):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    c = client(llm, gw.Guard("rs", output=[Email()], audit=memory_sink))
    events = list(c.responses.create(model="gpt-test", input="hi", stream=True))
    assert all(isinstance(ev, openai.types.responses.ResponseTextDeltaEvent)
               for ev in by_type(events, "response.output_text.delta"))
    deltas = [ev.delta for ev in by_type(events, "response.output_text.delta")]
    assert "".join(deltas) == "Contact <EMAIL_ADDRESS> today."
    assert not any("@" in d or "jane" in d for d in deltas)
    # every event that repeats the text says what was released, nothing more
    assert SECRET not in dumps(events) and "jane" not in dumps(events)
    (done,) = by_type(events, "response.output_text.done")
    assert done.text == "Contact <EMAIL_ADDRESS> today."
    (completed,) = by_type(events, "response.completed")
    assert completed.response.output_text == "Contact <EMAIL_ADDRESS> today."
    assert by_type(events, "response.content_part.done")[0].part.text == done.text
    # the SDK's event order is kept: created first, completed last
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    (call,) = memory_sink.of_type("call")
    assert call["outcome"] == "fixed" and call["response_model"] == "gpt-test"
    assert call["usage"]["output_tokens"] >= 1


def test_function_call_argument_deltas_are_held_and_fixed_everywhere(llm):
    args = json.dumps({"to": SECRET, "body": "hi"})
    llm.reply(text="sending", tool_calls=[{"name": "send", "arguments": args, "chunks": [args[:9], args[9:20], args[20:]]}])
    c = client(llm, gw.Guard("rs", output=[Email()]))
    events = list(c.responses.create(model="m", input="hi", stream=True))
    deltas = [ev.delta for ev in by_type(events, "response.function_call_arguments.delta")]
    assert json.loads("".join(deltas)) == {"to": "<EMAIL_ADDRESS>", "body": "hi"}
    (done,) = by_type(events, "response.function_call_arguments.done")
    assert json.loads(done.arguments) == {"to": "<EMAIL_ADDRESS>", "body": "hi"}
    assert SECRET not in dumps(events)
    items = [ev.item for ev in by_type(events, "response.output_item.done")]
    assert [i.type for i in items] == ["message", "function_call"]
    # an item's deltas never come before the event that adds the item
    kinds = [ev.type for ev in events]
    assert kinds.index("response.output_item.added", kinds.index("response.output_item.done")) < \
        kinds.index("response.function_call_arguments.delta")


def test_async_stream_restores_pseudonyms_in_deltas_and_done_events(llm):
    def answer(req):
        (sent,) = req.user_texts()
        ph = sent.split("I am ")[1].split(",")[0]
        assert SECRET not in req.text and ph == "<EMAIL_ADDRESS_1>"
        text = f"Noted, {ph}, thanks"
        return {"text": text, "chunks": [text[:10], text[10:14], text[14:]]}

    llm.responder = answer
    guard = gw.Guard("rs", input=[Email("pseudonymize")])

    async def main():
        c = client(llm, guard, cls=openai.AsyncOpenAI)
        s = await c.responses.create(model="m", input=f"I am {SECRET}, help", stream=True)
        return [ev async for ev in s]

    events = asyncio.run(main())
    text = "".join(ev.delta for ev in by_type(events, "response.output_text.delta"))
    assert text == f"Noted, {SECRET}, thanks"
    assert not any("<EMAIL" in ev.delta for ev in by_type(events, "response.output_text.delta"))
    (completed,) = by_type(events, "response.completed")
    assert completed.response.output_text == text
    assert "<EMAIL_ADDRESS" not in dumps(events)


def test_blocked_stream_raises_before_the_text_is_released(llm, memory_sink):
    @gw.validator(name="no-promise", stage="output", action="block")
    def no_promise(text, ctx):
        return gw.Result.fail("promise") if "guaranteed" in text else None

    llm.reply(text="returns are guaranteed forever", chunks=["returns are ", "guaranteed", " forever"])
    c = client(llm, gw.Guard("rs", output=[no_promise], audit=memory_sink))
    seen = []
    with pytest.raises(gw.Blocked):
        for ev in c.responses.create(model="m", input="hi", stream=True):
            seen.append(ev)
    assert "guaranteed" not in dumps(seen)
    assert memory_sink.of_type("call")[-1]["outcome"] == "blocked"


def test_shadow_mode_streams_untouched_but_audits(llm, memory_sink):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    c = client(llm, gw.Guard("rs", output=[Email()], audit=memory_sink, mode="shadow"))
    events = list(c.responses.create(model="m", input="hi", stream=True))
    assert by_type(events, "response.output_text.done")[0].text == "".join(SPLIT)
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_stream_fallback_is_a_delta_event(llm):
    llm.reply(status=503)
    c = client(llm, gw.Guard("rs", fallback=[gw.Static("later")]))
    events = list(c.responses.create(model="m", input="hi", stream=True))
    assert [ev.delta for ev in events] == ["later"]
    assert isinstance(events[0], openai.types.responses.ResponseTextDeltaEvent)


def test_non_streamed_function_calls_are_validated(llm):
    llm.reply(text="ok", tool_calls=[{"name": "send", "arguments": json.dumps({"to": SECRET})}])
    c = client(llm, gw.Guard("rs", output=[Email()]))
    r = c.responses.create(model="m", input="hi")
    (fc,) = [i for i in r.output if i.type == "function_call"]
    assert json.loads(fc.arguments) == {"to": "<EMAIL_ADDRESS>"}


def test_streamed_function_call_arguments_are_restored_everywhere(llm):
    def answer(req):
        ph = req.user_texts()[-1].split("I am ")[1]
        args = json.dumps({"to": ph})
        return {"text": "ok", "tool_calls": [{"name": "send", "arguments": args, "chunks": [args[:7], args[7:]]}]}

    llm.responder = answer
    c = client(llm, gw.Guard("rs", input=[Email("pseudonymize")]))
    events = list(c.responses.create(model="m", input=f"I am {SECRET}", stream=True))
    deltas = "".join(ev.delta for ev in by_type(events, "response.function_call_arguments.delta"))
    assert json.loads(deltas) == {"to": SECRET}
    assert json.loads(by_type(events, "response.function_call_arguments.done")[0].arguments) == {"to": SECRET}
    (completed,) = by_type(events, "response.completed")
    assert json.loads(completed.response.output[-1].arguments) == {"to": SECRET}
    assert "<EMAIL_ADDRESS" not in dumps(events)


# Every other text the model writes (refusals, custom tool and MCP call input, reasoning
# summaries) reaches the caller only after the output validators saw it, streamed or not.
ITEMS = [
    {"type": "refusal", "refusal": f"I cannot write to {SECRET} for you",
     "chunks": ["I cannot write to jane", ".roe@exa", "mple.com for you"]},
    {"type": "custom_tool_call", "name": "shell", "input": f"mail {SECRET} now",
     "chunks": ["mail jane.r", "oe@example", ".com now"]},
    {"type": "reasoning", "summary": f"The user is {SECRET}.", "chunks": ["The user is jan", "e.roe@example.com."]},
    {"type": "mcp_call", "name": "lookup", "arguments": json.dumps({"who": SECRET})},
]


def test_every_streamed_model_text_is_validated_before_release(llm, memory_sink):
    llm.reply(text="ok", items=ITEMS)
    c = client(llm, gw.Guard("rs", output=[Email()], audit=memory_sink))
    events = list(c.responses.create(model="m", input="hi", stream=True))
    assert SECRET not in dumps(events) and "jane" not in dumps(events)
    joined = {kind: "".join(ev.delta for ev in by_type(events, kind)) for kind in (
        "response.refusal.delta", "response.custom_tool_call_input.delta",
        "response.reasoning_summary_text.delta", "response.mcp_call_arguments.delta")}
    assert joined["response.refusal.delta"] == "I cannot write to <EMAIL_ADDRESS> for you"
    assert joined["response.custom_tool_call_input.delta"] == "mail <EMAIL_ADDRESS> now"
    assert joined["response.reasoning_summary_text.delta"] == "The user is <EMAIL_ADDRESS>."
    assert json.loads(joined["response.mcp_call_arguments.delta"]) == {"who": "<EMAIL_ADDRESS>"}
    # the done events and the completed response repeat exactly what was released
    assert by_type(events, "response.refusal.done")[0].refusal == joined["response.refusal.delta"]
    assert by_type(events, "response.custom_tool_call_input.done")[0].input == "mail <EMAIL_ADDRESS> now"
    (completed,) = by_type(events, "response.completed")
    kinds = {item.type: item for item in completed.response.output}
    assert kinds["custom_tool_call"].input == "mail <EMAIL_ADDRESS> now"
    assert kinds["reasoning"].summary[0].text == "The user is <EMAIL_ADDRESS>."
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_a_blocked_custom_tool_call_is_never_released(llm, memory_sink):
    @gw.validator(name="no-rm", stage="output", action="block")
    def no_rm(text, ctx):
        return gw.Result.fail("destructive command") if "rm -rf" in text else None

    llm.reply(text="ok", items=[{"type": "custom_tool_call", "name": "shell", "input": "rm -rf /",
                                 "chunks": ["rm", " -rf", " /"]}])
    c = client(llm, gw.Guard("rs", output=[no_rm], audit=memory_sink))
    seen = []
    with pytest.raises(gw.Blocked):
        for ev in c.responses.create(model="m", input="hi", stream=True):
            seen.append(ev)
    assert "-rf" not in dumps(seen)
    (call,) = memory_sink.of_type("call")
    assert call["outcome"] == "blocked" and "destructive command" in str(call["reasons"])


def test_every_non_streamed_model_text_is_validated(llm):
    llm.reply(text="ok", items=ITEMS)
    c = client(llm, gw.Guard("rs", output=[Email()]))
    r = c.responses.create(model="m", input="hi")
    assert SECRET not in r.model_dump_json()
    kinds = {item.type: item for item in r.output}
    assert kinds["custom_tool_call"].input == "mail <EMAIL_ADDRESS> now"
    assert json.loads(kinds["mcp_call"].arguments) == {"who": "<EMAIL_ADDRESS>"}
    refusal = next(i for i in r.output if i.type == "message" and i.content[0].type == "refusal")
    assert refusal.content[0].refusal == "I cannot write to <EMAIL_ADDRESS> for you"
