"""`Detector._pick` for digit runs in C (``runs_config``'s pick settings, `_cscan` ``pick_c``): the
whole-scan differential tests of `test_pii_runs_native` hold it to `_pick` / `_pre_py` / `_pick_py`;
here, what it refuses and the paths it hands back to the Python. Also the kernel's gate before the
spaced NINO ("AB 12 34 56 C"): whole scans with and without the kernel on NINO-like text."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardwrap.pii import SUPPORTED_ENTITIES, _engine
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


_NINO_BITS = st.lists(st.sampled_from([
    "AB ", "ab ", "Ab ", "on ", "at ", "NI ", "QQ ", "JG ", "\u00e9b ", "1", "12", "34", "56", "123456", "1234",
    " ", "  ", "A", "C", "D", "E", "d", "e", "\u1e9a", "\u00e9", "-", ".", "x", "2026-01-02", "\n",
    "12 34 56 ", "12 34 56", "12 3456", "123456 ", "1234 56",
]), max_size=12).map("".join)


@cache
def _pair() -> tuple[Detector, Detector]:
    fast = Detector(SUPPORTED_ENTITIES, 0.5)
    ref = Detector(SUPPORTED_ENTITIES, 0.5)
    ref._rcfg = None
    return fast, ref


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(_NINO_BITS)
def test_spaced_nino_gate_as_the_python(text: str) -> None:
    fast, ref = _pair()
    assert fast.scan(text) == ref.scan(text), text


@needs_kernel
@pytest.mark.parametrize("text", [
    "NI AB 12 34 56 C", "nino ab 12 34 56 d", "ab 123456 c.", "Jg 1234 56 a", "AB 12 34 56 E", "AB 12 34 5 C",
    "on 2026-01-02", "AB 12 34 56 \u1e9a", "\u00e9b 12 34 56 C", "AB 12 34 56", "AB 12 34 56 CD",
])
def test_spaced_nino_gate_on_examples(text: str) -> None:
    fast, ref = _pair()
    assert fast.scan(text) == ref.scan(text), text
    if text.startswith(("NI AB", "nino ab", "ab 1", "Jg")):
        assert [f[2] for f in fast.scan(text)] == ["UK_NINO"], text
