"""The examples run on a fresh machine, offline (no API key: a local fake server), exit 0, and
say what the README promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_example(name: str, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    env["GUARDWRAP_DEMO_AUDIT"] = str(tmp_path)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_quickstart_runs_and_shows_decisions(tmp_path):
    out = run_example("quickstart.py", tmp_path)
    assert "account-number     -> fixed" in out
    assert "model saw: Please move money from account <ACCOUNT_NUMBER_1>" in out
    assert "answer: Thanks. I have noted your request: Please move money from account 12345678" in out
    assert "blocked: output blocked by no-promises (no-performance-promises)" in out
    assert "Audit trail:" in out
    assert "OK: " in out and "signatures verified" in out  # the demo's own log verifies
    assert out.count("model saw:") == 1  # only the call whose prompt was rewritten


@pytest.mark.parametrize(
    ("script", "expect"),
    [
        ("openai_client.py", "provider saw:    Please update my contact address to <EMAIL_ADDRESS_1>."),
        ("structured_answer.py", "validated object: Triage(intent='refund', urgency=4)"),
    ],
)
def test_sdk_example_runs_offline(script, expect, tmp_path):
    pytest.importorskip("openai")
    out = run_example(script, tmp_path)
    assert expect in out
    assert "jane.roe@example.com" not in out.split("caller got:")[0]
