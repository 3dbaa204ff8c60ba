"""The hot path's builders of findings, steps and decisions (`finding`, `passed_step`,
`chain_decision`) make the same objects as the constructors: every slot, for generated values."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from guardwrap._decision import Decision, Finding, Step, chain_decision, finding, passed_step


def slots(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in type(obj).__slots__}


names = st.one_of(st.none(), st.text(max_size=12))
ints = st.integers(min_value=0, max_value=10**7)
scores = st.one_of(st.none(), st.floats(allow_nan=False))


@given(names, ints, ints, st.floats(allow_nan=False), names)
def test_finding_is_the_constructors(entity_type: str | None, start: int, end: int, score: float,
                                     validator: str | None) -> None:
    got = finding(entity_type, start, end, score, validator)
    want = Finding(entity_type, start, end, score, validator=validator)
    assert type(got) is Finding
    assert slots(got) == slots(want)
    assert got == want and hash(got) == hash(want) and repr(got) == repr(want)


@given(st.text(max_size=12), st.text(max_size=4), st.sampled_from(["block", "redact", "warn"]), scores, ints)
def test_passed_step_is_the_constructors(validator: str, version: str, action: str, score: float | None,
                                         latency: int) -> None:
    got = passed_step(validator, version, action, score, latency)
    want = Step(validator, version, action, "pass", (), (), score, latency)
    assert type(got) is Step
    assert slots(got) == slots(want)
    assert repr(got) == repr(want)


@given(st.sampled_from(["pass", "fixed", "blocked"]), st.text(max_size=20), st.sampled_from(["input", "output"]),
       st.lists(st.text(max_size=5), max_size=3), ints, st.booleans(), st.one_of(st.none(), st.integers()),
       st.lists(st.text(max_size=5), max_size=2))
def test_chain_decision_is_the_constructors(outcome: str, text: str, stage: str, reasons: list[str], latency: int,
                                            enforced: bool, value: Any, feedback: list[str]) -> None:
    f = (Finding("EMAIL_ADDRESS", 1, 4, 0.9, validator="pii"),)
    steps = (Step("pii", "1", "redact", "fixed", ("pii",), f, 0.9, 5),)
    got = chain_decision(outcome, text, stage, f, tuple(reasons), steps, "h", latency, enforced, value,
                         tuple(feedback))
    want = Decision(outcome, text, stage=stage, findings=f, reasons=tuple(reasons), steps=steps, policy_hash="h",
                    latency_ns=latency, enforced=enforced, value=value, feedback=tuple(feedback))
    assert type(got) is Decision
    assert slots(got) == slots(want)
    assert repr(got) == repr(want) and got.to_dict() == want.to_dict()
