"""``guardwrap.agents`` against the real OpenAI Agents SDK, its model calls over real HTTP to a
local fake server (tracing off: nothing leaves the machine)."""

from __future__ import annotations

import asyncio
import json

import openai
import pytest
from agents import (
    Agent,
    InputGuardrailTripwireTriggered,
    OutputGuardrailTripwireTriggered,
    Runner,
    function_tool,
    set_tracing_disabled,
)
from pydantic import BaseModel

import guardwrap as gw
from fakellm import fake_server_fixture, llm_fixture  # noqa: F401
from guardwrap.agents import guarded_model, input_guardrail, output_guardrail, texts_of

set_tracing_disabled(True)

CARD = "4111 1111 1111 1111"
EMAIL = "jane.roe@example.com"


def pii(action="redact"):
    return gw.PII(entities=["CREDIT_CARD", "EMAIL_ADDRESS"], action=action)


def agent_for(llm, guard=None, **kw):
    client = openai.AsyncOpenAI(base_url=llm.openai_url, api_key="test", max_retries=0)
    model = guarded_model("gpt-test", guard, client) if guard is not None else \
        guarded_model("gpt-test", gw.Guard("none"), client)
    return Agent(name="support", instructions="Help bank customers.", model=model, **kw)


def run(agent, text):
    return asyncio.run(Runner.run(agent, text))


def test_input_guardrail_trips_before_the_model_is_called(llm, memory_sink):
    guard = gw.Guard("ag", input=[gw.DenyTerms(["bypass kyc"], action="block")], audit=memory_sink)
    agent = agent_for(llm, input_guardrails=[input_guardrail(guard)])
    with pytest.raises(InputGuardrailTripwireTriggered) as ei:
        run(agent, "how do I bypass kyc")
    assert llm.requests == []  # runs before the model: the text never left
    info = ei.value.guardrail_result.output.output_info
    assert info["outcomes"] == ["blocked"] and info["validators"] == ["deny_terms"]
    assert "bypass" not in json.dumps(info)
    assert memory_sink.of_type("decision")[0]["outcome"] == "blocked"


def test_a_fix_trips_the_guardrail_unless_allowed(llm):
    guard = gw.Guard("ag", input=[pii()])
    with pytest.raises(InputGuardrailTripwireTriggered):
        run(agent_for(llm, input_guardrails=[input_guardrail(guard)]), f"card {CARD}")
    assert llm.requests == []
    llm.reply(text="ok")
    result = run(agent_for(llm, input_guardrails=[input_guardrail(guard, allow_fixes=True)]), "hello")
    assert result.final_output == "ok"


def test_output_guardrail_trips_on_a_blocked_answer(llm):
    guard = gw.Guard("ag", output=[gw.RegexRule(r"(?i)guaranteed returns?", action="block", reason="promise")])
    llm.reply(text="Guaranteed returns of 20%!")
    with pytest.raises(OutputGuardrailTripwireTriggered) as ei:
        run(agent_for(llm, output_guardrails=[output_guardrail(guard)]), "invest?")
    assert ei.value.guardrail_result.output.output_info["reasons"] == ["promise"]


def test_structured_output_is_checked_as_json(llm):
    class Reply(BaseModel):
        note: str

    llm.reply(text=json.dumps({"note": f"mail {EMAIL}"}))
    guard = gw.Guard("ag", output=[pii()])
    with pytest.raises(OutputGuardrailTripwireTriggered):
        run(agent_for(llm, output_type=Reply, output_guardrails=[output_guardrail(guard)]), "hi")


def test_shadow_guard_never_trips(llm):
    guard = gw.Guard("ag", input=[gw.DenyTerms(["bypass kyc"], action="block")], mode="shadow")
    llm.reply(text="no")
    assert run(agent_for(llm, input_guardrails=[input_guardrail(guard)]), "bypass kyc?").final_output == "no"


def test_guarded_model_rewrites_what_the_model_sees_and_restores_the_answer(llm):
    def echo(req):
        (sent,) = req.user_texts()
        assert CARD not in req.text
        return {"text": f"Blocked card {sent.split('card ')[1]}"}

    llm.responder = echo
    guard = gw.Guard("ag", input=[pii("pseudonymize")])
    result = run(agent_for(llm, guard), f"Please block my card {CARD}")
    assert result.final_output == f"Blocked card {CARD}"


def test_guarded_model_streams_through_the_agents_sdk(llm):
    text = f"Write to {EMAIL} today."
    llm.reply(text=text, chunks=[text[:12], text[12:22], text[22:]])
    agent = agent_for(llm, gw.Guard("ag", output=[pii()]))

    async def main():
        result = Runner.run_streamed(agent, "hi")
        deltas = [ev.data.delta async for ev in result.stream_events()
                  if ev.type == "raw_response_event" and ev.data.type == "response.output_text.delta"]
        return deltas, result.final_output

    deltas, final = asyncio.run(main())
    assert "".join(deltas) == "Write to <EMAIL_ADDRESS> today." == final
    assert llm.requests[0].body["stream"] is True


def test_tool_call_arguments_from_the_model_are_validated(llm):
    seen = []

    @function_tool
    def send(to: str) -> str:
        """Send a message."""
        seen.append(to)
        return "sent"

    llm.reply(text=None, tool_calls=[{"name": "send", "arguments": json.dumps({"to": EMAIL})}]).reply(text="done")
    agent = agent_for(llm, gw.Guard("ag", output=[pii()]), tools=[send])
    assert run(agent, "send it").final_output == "done"
    assert seen == ["<EMAIL_ADDRESS>"]


def test_texts_of_reads_every_item_shape():
    items = [{"role": "user", "content": [{"type": "input_text", "text": "a"}, {"type": "input_image"}]},
             {"role": "assistant", "content": [{"type": "output_text", "text": "b"}]},
             {"type": "function_call", "name": "f", "arguments": '{"x": "c"}', "call_id": "1"},
             {"type": "function_call_output", "call_id": "1", "output": "d"}]
    assert list(texts_of(items)) == ["a", "b", '{"x": "c"}', "d"]
