"""The examples run on a fresh machine: no API key, local fake server, exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("openai")


@pytest.mark.parametrize(
    ("script", "expect"),
    [
        ("openai_client.py", "provider saw:    Please update my contact address to <EMAIL_ADDRESS_1>."),
        ("structured_answer.py", "validated object: Triage(intent='refund', urgency=4)"),
    ],
)
def test_example_runs_offline(script, expect):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, str(ROOT / "examples" / script)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert expect in out.stdout
    assert "jane.roe@example.com" not in out.stdout.split("caller got:")[0]
