"""``n > 1`` choices and the SDK's parsed answers (``.parse``), over real HTTP."""

from __future__ import annotations

import asyncio
import json

import openai
import pytest
from pydantic import BaseModel, Field

import guardwrap as gw
from fakellm import Email, fake_server_fixture, llm_fixture  # noqa: F401

SECRET = "jane.roe@example.com"
MSGS = [{"role": "user", "content": f"I am {SECRET}, help"}]


class Reply(BaseModel):
    text: str
    contact: str


class Contact(BaseModel):
    email: str = Field(pattern=r"^[^<>\s]+@[^<>\s]+$")


def client(llm, guard, cls=None):
    cls = cls or openai.OpenAI
    return gw.openai.guard_client(cls(base_url=llm.openai_url, api_key="test", max_retries=0), guard)


def placeholder_answer(make):
    """A responder answering with ``make(placeholder)`` for the pseudonym the request carried."""

    def answer(req):
        sent = req.user_texts()[-1]
        assert SECRET not in req.text
        ph = sent.split("I am ")[1].split(",")[0]
        return make(ph)

    return answer


# -- n > 1 ---------------------------------------------------------------------------------------------


def test_every_choice_is_validated(llm, memory_sink):
    llm.reply(choices=[f"first {SECRET}", "second clean", f"third {SECRET}"])
    c = client(llm, gw.Guard("n", output=[Email()], audit=memory_sink))
    r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], n=3)
    assert [ch.message.content for ch in r.choices] == ["first <EMAIL_ADDRESS>", "second clean",
                                                        "third <EMAIL_ADDRESS>"]
    assert llm.requests[0].body["n"] == 3
    assert len([d for d in memory_sink.of_type("decision") if d["stage"] == "output"]) == 3
    assert memory_sink.of_type("call")[-1]["outcome"] == "fixed"


def test_every_choice_is_restored(llm):
    llm.responder = placeholder_answer(lambda ph: {"choices": [f"a {ph}", f"b {ph}"]})
    c = client(llm, gw.Guard("n", input=[Email("pseudonymize")]))
    r = c.chat.completions.create(model="m", messages=MSGS, n=2)
    assert [ch.message.content for ch in r.choices] == [f"a {SECRET}", f"b {SECRET}"]


def test_one_blocked_choice_blocks_the_call(llm):
    @gw.validator(name="no-promise", stage="output", action="block")
    def no_promise(text, ctx):
        return gw.Result.fail("promise") if "guaranteed" in text else None

    llm.reply(choices=["fine", "guaranteed returns"])
    c = client(llm, gw.Guard("n", output=[no_promise]))
    with pytest.raises(gw.Blocked) as ei:
        c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], n=2)
    assert "promise" in ei.value.decision.reasons


def test_schema_over_every_choice_and_each_parsed(llm):
    llm.responder = placeholder_answer(lambda ph: {"choices": [json.dumps({"text": "one", "contact": ph}),
                                                               json.dumps({"text": "two", "contact": ph})]})
    c = client(llm, gw.Guard("n", input=[Email("pseudonymize")], output=[gw.JsonSchema(Reply)]))
    r = c.chat.completions.create(model="m", messages=MSGS, n=2)
    assert [ch.message.parsed for ch in r.choices] == [Reply(text="one", contact=SECRET),
                                                       Reply(text="two", contact=SECRET)]
    assert SECRET in r.choices[1].message.content


def test_tool_calls_of_every_choice_are_validated(llm):
    llm.reply(choices=["a", "b"], tool_calls=[{"name": "send", "arguments": json.dumps({"to": SECRET})}])
    c = client(llm, gw.Guard("n", output=[Email()]))
    r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], n=2)
    for ch in r.choices:
        assert json.loads(ch.message.tool_calls[0].function.arguments) == {"to": "<EMAIL_ADDRESS>"}


# -- the SDK's .parse ------------------------------------------------------------------------------------


def test_chat_parse_restores_pseudonyms_in_parsed(llm):
    llm.responder = placeholder_answer(lambda ph: {"text": json.dumps({"text": f"mail to {ph}", "contact": ph})})
    c = client(llm, gw.Guard("p", input=[Email("pseudonymize")]))
    r = c.chat.completions.parse(model="m", messages=MSGS, response_format=Reply)
    msg = r.choices[0].message
    assert msg.parsed == Reply(text=f"mail to {SECRET}", contact=SECRET)
    assert json.loads(msg.content)["contact"] == SECRET
    assert llm.requests[0].body["response_format"]["type"] == "json_schema"


def test_beta_parse_and_async_parse_are_guarded(llm):
    llm.responder = placeholder_answer(lambda ph: {"text": json.dumps({"text": "x", "contact": ph})})
    guard = gw.Guard("p", input=[Email("pseudonymize")])
    r = client(llm, guard).beta.chat.completions.parse(model="m", messages=MSGS, response_format=Reply)
    assert r.choices[0].message.parsed.contact == SECRET

    async def main():
        c = client(llm, guard, cls=openai.AsyncOpenAI)
        return await c.chat.completions.parse(model="m", messages=MSGS, response_format=Reply)

    assert asyncio.run(main()).choices[0].message.parsed.contact == SECRET


def test_a_fix_reaches_parsed_too(llm):
    # the SDK parsed the raw answer; after the output redaction .parsed must not keep the email
    llm.reply(text=json.dumps({"text": f"write {SECRET}", "contact": "desk"}))
    c = client(llm, gw.Guard("p", output=[Email()]))
    r = c.chat.completions.parse(model="m", messages=[{"role": "user", "content": "hi"}], response_format=Reply)
    assert r.choices[0].message.parsed == Reply(text="write <EMAIL_ADDRESS>", contact="desk")
    assert SECRET not in r.choices[0].message.content


def test_parsed_that_no_longer_validates_after_a_fix_is_blocked(llm, memory_sink):
    llm.reply(text=json.dumps({"email": SECRET}))
    c = client(llm, gw.Guard("p", output=[Email()], audit=memory_sink))
    with pytest.raises(gw.Blocked) as ei:
        c.chat.completions.parse(model="m", messages=[{"role": "user", "content": "hi"}], response_format=Contact)
    assert ei.value.decision.reasons == ("parsed-invalid-after-fix",)
    assert SECRET not in str(ei.value)
    assert memory_sink.of_type("call")[-1]["outcome"] == "blocked"


def test_parsed_tool_arguments_are_restored(llm):
    class Send(BaseModel):
        to: str

    llm.responder = placeholder_answer(lambda ph: {"text": None, "tool_calls": [
        {"name": "Send", "arguments": json.dumps({"to": ph})}]})
    c = client(llm, gw.Guard("p", input=[Email("pseudonymize")]))
    r = c.chat.completions.parse(model="m", messages=MSGS, tools=[openai.pydantic_function_tool(Send)])
    fn = r.choices[0].message.tool_calls[0].function
    assert json.loads(fn.arguments) == {"to": SECRET}
    assert fn.parsed_arguments == Send(to=SECRET)


def test_responses_parse_restores_output_parsed(llm):
    llm.responder = placeholder_answer(lambda ph: {"text": json.dumps({"text": "ok", "contact": ph})})
    c = client(llm, gw.Guard("p", input=[Email("pseudonymize")]))
    r = c.responses.parse(model="m", input=f"I am {SECRET}, help", text_format=Reply)
    assert r.output_parsed == Reply(text="ok", contact=SECRET)
    assert SECRET in r.output_text
