"""The shipped weights of the learned tier are what the training command makes, byte for byte
(issue: "the shipped weights are byte-identical when the training command is rerun")."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# the whole training run (~50 s, one thread): started when collection ends, beside the other tests
@pytest.mark.background([sys.executable, str(ROOT / "training/injection/train.py"), "--check"], needs="scipy")
def test_retraining_rebuilds_the_shipped_weights_byte_for_byte(
        background_run: Callable[[], subprocess.CompletedProcess[str]]) -> None:
    pytest.importorskip("scipy", reason="training needs the [train] extra")
    r = background_run()
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.stdout[-500:]
    assert r.returncode == 0, last
    assert "byte-identical" in last
