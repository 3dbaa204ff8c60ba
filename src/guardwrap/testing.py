"""Helpers for testing your own guards and policies in your own test suite.

>>> import guardwrap as gw
>>> from guardwrap.testing import capture_decisions, assert_passes
>>> guard = gw.Guard("demo")
>>> with capture_decisions() as captured:
...     _ = assert_passes(guard, "hello")
>>> captured.outcomes()
[]

Assertion messages name outcomes, validators and reasons, never the text under test, so a CI log
stays free of the personal data your test cases may contain.

This module is also a pytest plugin (registered under the ``pytest11`` entry point, so installing
guardwrap is enough) with two fixtures:

``guard_decisions``
    A `Captured` holding every audit record any guard writes during the test::

        def test_card_numbers_never_reach_the_model(guard_decisions):
            ask("my card is 4111 1111 1111 1111")
            assert guard_decisions.outcomes("pii") == ["fixed"]

``fake_llm``
    A local OpenAI- and Anthropic-compatible server (`guardwrap.fakellm.FakeLLM`, started once
    per session, its script and recorded requests cleared for each test)::

        def test_guarded_client(fake_llm):
            fake_llm.reply(text="Hello!")
            client = gw.openai.guard_client(
                openai.OpenAI(base_url=fake_llm.openai_url, api_key="test", max_retries=0), guard)
            ...
            assert "4111" not in fake_llm.requests[0].text
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._decision import Decision
    from ._guard import Guard
    from .fakellm import FakeLLM

__all__ = [
    "Captured",
    "assert_blocks",
    "assert_escalates",
    "assert_fixes",
    "assert_passes",
    "assert_warns",
    "capture_decisions",
    "fake_llm",
    "guard_decisions",
]


class Captured:
    """Audit records captured from every guard while the block ran."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    @property
    def decisions(self) -> list[dict[str, Any]]:
        """Per-validator decision records, in order."""
        return [r for r in self.records if r.get("type") == "decision"]

    @property
    def calls(self) -> list[dict[str, Any]]:
        """One record per guarded call, in order."""
        return [r for r in self.records if r.get("type") == "call"]

    def outcomes(self, validator: str | None = None) -> list[str]:
        """Outcomes of the decision records (of one validator when given)."""
        return [r["outcome"] for r in self.decisions if validator is None or r["validator"] == validator]

    def by_validator(self, name: str) -> list[dict[str, Any]]:
        """The decision records written by the validator called ``name``."""
        return [r for r in self.decisions if r["validator"] == name]

    def __len__(self) -> int:
        return len(self.records)


@contextmanager
def capture_decisions() -> Iterator[Captured]:
    """Capture every audit record any guard writes inside the block (in addition to its sinks)."""
    # imported here, not at the top: pytest loads this module as a plugin in every run
    from ._guard import TAPS

    captured = Captured()
    TAPS.append(captured.records)
    try:
        yield captured
    finally:
        TAPS.remove(captured.records)


def _summary(d: Decision) -> str:
    steps = ", ".join(f"{s.validator}={s.outcome}" for s in d.steps) or "no validators"
    return f"outcome {d.outcome!r} (reasons {list(d.reasons)}; {steps})"


def _expect(guard: Guard, text: str, stage: str, outcomes: tuple[str, ...], *,
            validator: str | None, reason: str | None) -> Decision:
    d = guard.check(text, stage)
    if d.outcome not in outcomes:
        raise AssertionError(f"expected {' or '.join(outcomes)} at {stage}, got {_summary(d)}")
    if validator is not None and not any(s.validator == validator and s.outcome != "pass" for s in d.steps):
        raise AssertionError(f"expected validator {validator!r} to act, got {_summary(d)}")
    if reason is not None and reason not in d.reasons:
        raise AssertionError(f"expected reason {reason!r}, got {_summary(d)}")
    return d


def assert_blocks(guard: Guard, text: str, stage: str = "input", *, validator: str | None = None,
                  reason: str | None = None) -> Decision:
    """Assert the guard blocks ``text`` (optionally: by ``validator``, for ``reason``)."""
    return _expect(guard, text, stage, ("blocked",), validator=validator, reason=reason)


def assert_escalates(guard: Guard, text: str, stage: str = "input", *, validator: str | None = None,
                     reason: str | None = None) -> Decision:
    """Assert that ``text`` is escalated at ``stage`` (by ``validator``, with ``reason``, when given).

    Returns the decision; the failure message never quotes ``text``.
    """
    return _expect(guard, text, stage, ("escalated",), validator=validator, reason=reason)


def assert_warns(guard: Guard, text: str, stage: str = "input", *, validator: str | None = None,
                 reason: str | None = None) -> Decision:
    """Assert that ``text`` only warns at ``stage`` (by ``validator``, with ``reason``, when given).

    Returns the decision; the failure message never quotes ``text``.
    """
    return _expect(guard, text, stage, ("warned",), validator=validator, reason=reason)


def assert_passes(guard: Guard, text: str, stage: str = "input") -> Decision:
    """Assert every validator lets ``text`` through unchanged."""
    return _expect(guard, text, stage, ("pass",), validator=None, reason=None)


def assert_fixes(guard: Guard, text: str, stage: str = "input", *, expected: str | None = None,
                 removed: tuple[str, ...] = (), validator: str | None = None) -> Decision:
    """Assert the guard rewrites ``text``: to ``expected`` when given, and without any of ``removed``."""
    d = _expect(guard, text, stage, ("fixed",), validator=validator, reason=None)
    if expected is not None and d.text != expected:
        raise AssertionError("fixed text differs from the expected text")
    leaked = [i for i, value in enumerate(removed) if value in d.text]
    if leaked:
        raise AssertionError(f"fixed text still contains removed value(s) at index {leaked}")
    return d


# -- the pytest plugin ------------------------------------------------------------------------------

try:
    import pytest
except ImportError:  # the helpers above work without pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def guard_decisions() -> Iterator[Captured]:
        """Every audit record any guard writes during the test (see `capture_decisions`)."""
        with capture_decisions() as captured:
            yield captured

    @pytest.fixture(scope="session")
    def guardwrap_fake_llm_server() -> Iterator[FakeLLM]:
        """The session's `FakeLLM` server; tests use ``fake_llm``."""
        from .fakellm import FakeLLM

        with FakeLLM() as server:
            yield server

    @pytest.fixture
    def fake_llm(guardwrap_fake_llm_server: FakeLLM) -> Iterator[FakeLLM]:
        """A local OpenAI/Anthropic-compatible server with an empty script and no recorded requests."""
        guardwrap_fake_llm_server.reset()
        yield guardwrap_fake_llm_server
        guardwrap_fake_llm_server.reset()
