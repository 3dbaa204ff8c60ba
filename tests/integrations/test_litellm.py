"""``guardwrap.litellm`` against the real LiteLLM, over real HTTP to a local OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # LiteLLM would fetch prices at import

import litellm
import pytest

import guardwrap as gw
from fakellm import fake_server_fixture, llm_fixture  # noqa: F401
from guardwrap.litellm import guard_litellm

EMAIL = "jane.roe@example.com"
# LiteLLM's own TypedDicts make pydantic warn while it builds them; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:Item.* the `ReadOnly` qualifier:UserWarning")
MSGS = [{"role": "user", "content": f"I am {EMAIL}, help"}]


def pii(action="redact"):
    return gw.PII(entities=["EMAIL_ADDRESS"], action=action)


def kw(llm, **extra):
    return {"model": "openai/gpt-test", "api_base": llm.openai_url, "api_key": "test", "max_retries": 0, **extra}


def test_request_fixed_answer_validated_and_call_record(llm, memory_sink):
    llm.reply(text=f"write to {EMAIL}", tool_calls=[{"name": "send", "arguments": json.dumps({"to": EMAIL})}])
    guarded = guard_litellm(gw.Guard("lt", input=[pii()], output=[pii()], audit=memory_sink))
    r = guarded.completion(messages=MSGS, **kw(llm))
    assert isinstance(r, litellm.ModelResponse)
    assert EMAIL not in llm.requests[0].text and "<EMAIL_ADDRESS>" in llm.requests[0].text
    msg = r.choices[0].message
    assert msg.content == "write to <EMAIL_ADDRESS>"
    assert json.loads(msg.tool_calls[0].function.arguments) == {"to": "<EMAIL_ADDRESS>"}
    (call,) = memory_sink.of_type("call")
    assert call["provider"] == "litellm" and call["model"] == "openai/gpt-test"


def test_pseudonyms_restored_sync_and_async(llm):
    llm.responder = lambda req: {"echo": True}
    guarded = guard_litellm(gw.Guard("lt", input=[pii("pseudonymize")]))
    r = guarded.completion(messages=MSGS, **kw(llm))
    assert "<EMAIL_ADDRESS_1>" in llm.requests[0].text and r.choices[0].message.content == MSGS[0]["content"]
    r = asyncio.run(guarded.acompletion(messages=MSGS, **kw(llm)))
    assert r.choices[0].message.content == MSGS[0]["content"]


SPLIT = ["Contact jane", ".roe@exa", "mple.com", " today", "."]


def test_stream_releases_only_validated_text(llm):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    guarded = guard_litellm(gw.Guard("lt", output=[pii()]))
    pieces = [ch.choices[0].delta.content for ch in guarded.completion(messages=MSGS, stream=True, **kw(llm))
              if ch.choices and ch.choices[0].delta.content]
    assert "".join(pieces) == "Contact <EMAIL_ADDRESS> today."
    assert not any("jane" in p or "@" in p for p in pieces)


def test_async_stream(llm):
    llm.reply(text="".join(SPLIT), chunks=SPLIT)
    guarded = guard_litellm(gw.Guard("lt", output=[pii()]))

    async def main():
        s = await guarded.acompletion(messages=MSGS, stream=True, **kw(llm))
        return "".join([ch.choices[0].delta.content or "" async for ch in s if ch.choices])

    assert asyncio.run(main()) == "Contact <EMAIL_ADDRESS> today."


def test_blocked_input_never_leaves_and_static_fallback_is_a_litellm_response(llm):
    guard = gw.Guard("lt", input=[gw.DenyTerms(["bypass kyc"], action="block")])
    with pytest.raises(gw.Blocked):
        guard_litellm(guard).completion(messages=[{"role": "user", "content": "bypass kyc"}], **kw(llm))
    assert llm.requests == []
    llm.reply(status=500)
    r = guard_litellm(gw.Guard("lt", fallback=[gw.Static("later")])).completion(messages=MSGS, **kw(llm))
    assert isinstance(r, litellm.ModelResponse) and r.choices[0].message.content == "later"


def test_every_choice_is_validated(llm):
    llm.reply(choices=[f"a {EMAIL}", "b"])
    r = guard_litellm(gw.Guard("lt", output=[pii()])).completion(messages=MSGS, n=2, **kw(llm))
    assert [c.message.content for c in r.choices] == ["a <EMAIL_ADDRESS>", "b"]


def test_user_id_and_refusal_are_checked(llm):
    llm.reply(text=None, refusal=f"I will not email {EMAIL}")
    guarded = guard_litellm(gw.Guard("lt", input=[pii()], output=[pii()]))
    r = guarded.completion(messages=[{"role": "user", "content": "hi"}], user=EMAIL, **kw(llm))
    assert EMAIL not in llm.requests[-1].raw.decode()
    assert EMAIL not in r.model_dump_json()


def test_importing_litellm_through_guardwrap_sets_no_download(tmp_path):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "LITELLM_LOCAL_MODEL_COST_MAP"}
    code = "import guardwrap.litellm as g, os; g._litellm(); print(os.environ['LITELLM_LOCAL_MODEL_COST_MAP'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "True", out.stderr[-500:]
    assert "fetch" not in out.stderr.lower()
