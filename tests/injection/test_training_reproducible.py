"""The shipped weights of the learned tier are what the training command makes, byte for byte
(issue: "the shipped weights are byte-identical when the training command is rerun")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_retraining_rebuilds_the_shipped_weights_byte_for_byte() -> None:
    pytest.importorskip("scipy", reason="training needs the [train] extra")
    r = subprocess.run([sys.executable, str(ROOT / "training/injection/train.py"), "--check"],
                       capture_output=True, text=True, timeout=600, check=False)
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.stdout[-500:]
    assert r.returncode == 0, last
    assert "byte-identical" in last
