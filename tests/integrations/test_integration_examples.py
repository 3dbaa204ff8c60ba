"""The integration examples run offline on a fresh machine and show what their docs promise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from test_examples import ROOT, run_example

CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize(
    ("script", "expect"),
    [
        ("langchain_chat.py", ["model saw: Block my card <CREDIT_CARD_1> please",
                               f"caller got: Block my card {CARD} please",
                               "blocked: input blocked by deny_terms",
                               "calls audited: ['fixed', 'fixed', 'blocked']"]),
        ("openai_agents_guardrails.py", ["model saw: Please block my card <CREDIT_CARD_1>",
                                         f"final output: Done: {CARD} is blocked.",
                                         "input guardrail tripped: ['deny-term']"]),
        ("litellm_completion.py", ["provider saw: I am <EMAIL_ADDRESS_1>",
                                   "caller got: Noted (I am jane.roe@example.com). Card on file: <CREDIT_CARD>.",
                                   "streamed: Noted (stream please). Card on file: <CREDIT_CARD>."]),
        ("otel_metrics.py", ["guardwrap.calls", "'outcome': 'fixed'", "guardwrap.validator.duration"]),
    ],
)
def test_integration_example(script, expect, tmp_path):
    out = run_example(script, tmp_path)
    for line in expect:
        assert line in out


def test_pytest_plugin_example_passes(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                        str(ROOT / "examples" / "pytest_plugin")], capture_output=True, text=True, timeout=120,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:]
    assert "2 passed" in r.stdout
