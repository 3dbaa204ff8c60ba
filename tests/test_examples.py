"""The examples run on a fresh machine, offline, and say what the README promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_example(name: str, tmp_path: Path) -> str:
    env = {**os.environ, "GUARDWRAP_DEMO_AUDIT": str(tmp_path)}
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_quickstart_runs_and_shows_decisions(tmp_path):
    out = run_example("quickstart.py", tmp_path)
    assert "account-number     -> fixed" in out
    assert "model saw: Please move money from account <ACCOUNT_NUMBER_1>" in out
    assert "answer: Thanks. I have noted your request: Please move money from account 12345678" in out
    assert "blocked: output blocked by no-promises (no-performance-promises)" in out
    assert "Audit trail:" in out
