"""`Detector._pick` for digit runs in C (``runs_config``'s pick settings, `_cscan` ``pick_c``): the
whole-scan differential tests of `test_pii_runs_native` hold it to `_pick` / `_pre_py` / `_pick_py`;
here, what it refuses and the paths it hands back to the Python."""

from __future__ import annotations

import pytest

from guardwrap.pii import _engine
from guardwrap.pii._engine import _K, Detector

needs_kernel = pytest.mark.skipif(_K is None, reason="guardwrap.pii._cscan is not built (or pure Python)")


@needs_kernel
def test_runs_config_refuses_a_context_window_past_its_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_engine, "CTX_WINDOW", 300)
    with pytest.raises(ValueError):
        Detector(["US_SSN", "PHONE_NUMBER"], 0.5)


@needs_kernel
@pytest.mark.parametrize(("text", "before"), [
    ("ssn 536228173", ""),                       # context in the window, ASCII
    ("Sozialversicherungsnr. für Zoë: 536228173", ""),  # a non-ASCII window: the Python decides
    ("536228173", "customer ssn:\n"),            # context from the text before the scan
    ("dob 03/03/1985 and 03/03/1985 (DOB)", ""),  # a date labelled after it (`_birth_after`)
    ("call 415 555 2671 or TFN 123 456 783", ""),  # a phone and an id label it failed to be
])
def test_pick_in_c_as_the_python(text: str, before: str) -> None:
    for entities in (_engine.CONTEXT_WORDS, ["US_SSN", "PHONE_NUMBER", "AU_TFN"]):
        fast = Detector(entities, 0.5, context={"US_SSN": ["sozialversicherungsnr"]})
        ref = Detector(entities, 0.5, context={"US_SSN": ["sozialversicherungsnr"]})
        ref._rcfg = None
        assert fast.scan(text, before) == ref.scan(text, before)
    assert [s[:3] for s in Detector(["US_SSN"], 0.5).scan("ssn 536228173")] == [(4, 13, "US_SSN")]
