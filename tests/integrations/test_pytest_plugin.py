"""``guardwrap.testing`` as a pytest plugin: a user's suite gets the fixtures by installing guardwrap."""

from __future__ import annotations

import subprocess
import sys
import textwrap

USER_TESTS = '''
import json
import openai
import pytest
import guardwrap as gw


def test_guard_decisions_captures_each_call(guard_decisions):
    guard = gw.Guard("user-app", input=[gw.PII(entities=["CREDIT_CARD"], action="redact")])

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    ask("card 4111 1111 1111 1111")
    ask("hello")
    assert guard_decisions.outcomes("pii") == ["fixed", "pass"]
    assert [c["outcome"] for c in guard_decisions.calls] == ["fixed", "pass"]


def test_guard_decisions_starts_empty(guard_decisions):
    assert len(guard_decisions) == 0


def test_fake_llm_speaks_openai(fake_llm):
    fake_llm.reply(text="Hello, card 4111 1111 1111 1111")
    guard = gw.Guard("user-app", input=[gw.PII(entities=["CREDIT_CARD"], action="redact")],
                     output=[gw.PII(entities=["CREDIT_CARD"], action="redact")])
    client = gw.openai.guard_client(
        openai.OpenAI(base_url=fake_llm.openai_url, api_key="test", max_retries=0), guard)
    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "4111 1111 1111 1111"}])
    assert r.choices[0].message.content == "Hello, card <CREDIT_CARD>"
    assert "4111" not in fake_llm.requests[0].text


def test_fake_llm_is_reset_between_tests(fake_llm):
    assert fake_llm.requests == []
'''


def test_a_users_suite_gets_the_fixtures_without_a_conftest(tmp_path):
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "4 passed" in r.stdout


def test_the_plugin_can_be_disabled(tmp_path):
    (tmp_path / "test_user.py").write_text("def test_x(guard_decisions):\n    pass\n")
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:guardwrap",
                        str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "fixture 'guard_decisions' not found" in r.stdout
