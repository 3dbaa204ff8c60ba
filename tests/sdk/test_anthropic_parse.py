"""Anthropic's ``messages.parse`` through the guard, over real HTTP: ``parsed_output`` restored and fixed."""

from __future__ import annotations

import json

import anthropic
from pydantic import BaseModel

import guardwrap as gw
from fakellm import Email, fake_server_fixture, llm_fixture  # noqa: F401

SECRET = "jane.roe@example.com"


class Reply(BaseModel):
    contact: str
    note: str = ""


def client(llm, guard):
    return gw.anthropic.guard_client(anthropic.Anthropic(base_url=llm.anthropic_url, api_key="t", max_retries=0), guard)


def test_parse_restores_pseudonyms_in_parsed_output(llm):
    llm.responder = lambda req: {"text": json.dumps({"contact": req.user_texts()[-1].split("I am ")[1]})}
    c = client(llm, gw.Guard("an", input=[Email("pseudonymize")]))
    r = c.messages.parse(model="m", max_tokens=50, messages=[{"role": "user", "content": f"I am {SECRET}"}],
                         output_format=Reply)
    assert SECRET not in llm.requests[0].text
    assert r.parsed_output == Reply(contact=SECRET)


def test_a_fix_reaches_parsed_output(llm):
    llm.reply(text=json.dumps({"contact": "desk", "note": f"mail {SECRET}"}))
    c = client(llm, gw.Guard("an", output=[Email()]))
    r = c.messages.parse(model="m", max_tokens=50, messages=[{"role": "user", "content": "hi"}], output_format=Reply)
    assert r.parsed_output == Reply(contact="desk", note="mail <EMAIL_ADDRESS>")
