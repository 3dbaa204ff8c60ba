"""Testing your own guardrails with guardwrap's pytest fixtures (no conftest needed: installing
guardwrap registers them). Run: ``python -m pytest examples/pytest_plugin``.

``guard_decisions`` captures every audit record of the test; ``fake_llm`` is a local
OpenAI/Anthropic-compatible server, reset for each test.
"""

from __future__ import annotations

import openai
import pytest

import guardwrap as gw

GUARD = gw.Guard("support-bot", input=[gw.PII(entities=["CREDIT_CARD"], action="pseudonymize")],
                 output=[gw.RegexRule(r"(?i)\bguaranteed returns?\b", action="block", reason="no-promises")])


def test_card_numbers_never_reach_the_model(fake_llm, guard_decisions):
    fake_llm.responder = lambda req: {"echo": True}
    client = gw.openai.guard_client(openai.OpenAI(base_url=fake_llm.openai_url, api_key="test", max_retries=0), GUARD)
    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "card 4111 1111 1111 1111"}])
    assert "4111" not in fake_llm.requests[0].text               # the provider saw a placeholder
    assert r.choices[0].message.content == "card 4111 1111 1111 1111"  # the customer sees the number
    assert guard_decisions.outcomes("pii") == ["fixed"]


def test_promises_are_blocked(fake_llm, guard_decisions):
    fake_llm.reply(text="Guaranteed returns!")
    client = gw.openai.guard_client(openai.OpenAI(base_url=fake_llm.openai_url, api_key="test", max_retries=0), GUARD)
    with pytest.raises(gw.Blocked):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "invest?"}])
    assert [c["outcome"] for c in guard_decisions.calls] == ["blocked"]
