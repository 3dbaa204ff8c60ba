"""What validators return (`Result`), what they found (`Finding`), and what a guard decided (`Decision`).

These types cross the hot path on every call, so they are plain ``__slots__`` classes. None of them
ever renders the guarded text or a matched value in ``repr()``/``str()``: findings carry entity
types, offsets and scores only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Outcomes a decision (or one validator step) can have, mildest first.
OUTCOMES = ("pass", "warned", "fixed", "escalated", "blocked")
_SEVERITY = {name: rank for rank, name in enumerate(OUTCOMES)}

#: Actions a validator may be configured with.
ACTIONS = frozenset(
    {"block", "fix", "redact", "mask", "hash", "pseudonymize", "reask", "escalate", "warn"}
)
#: Actions that rewrite the matched spans of the text.
SPAN_ACTIONS = frozenset({"redact", "mask", "hash", "pseudonymize"})


def worst(a: str, b: str) -> str:
    """The more severe of two outcomes."""
    return a if _SEVERITY[a] >= _SEVERITY[b] else b


class Finding:
    """One thing a validator found: where (offsets), what kind, how sure. Never the value itself.

    ``entity_type`` names a PII type (Presidio's names, e.g. ``"EMAIL_ADDRESS"``); ``rule`` names a
    policy rule (e.g. ``"deny-term"``). ``digest`` is an optional keyed hash of the value, for
    correlating the same value across records without storing it.
    """

    __slots__ = ("digest", "end", "entity_type", "part", "rule", "score", "start", "validator")

    def __init__(
        self,
        entity_type: str | None = None,
        start: int = 0,
        end: int = 0,
        score: float = 1.0,
        *,
        rule: str | None = None,
        validator: str | None = None,
        digest: str | None = None,
        part: int | None = None,
    ) -> None:
        self.entity_type = entity_type
        self.start = start
        self.end = end
        self.score = score
        self.rule = rule
        self.validator = validator
        self.digest = digest
        #: which text of the call the offsets refer to, when a call has several (messages,
        #: arguments): its index in argument order
        self.part = part

    @property
    def kind(self) -> str:
        """``entity_type`` or, for rule findings, ``rule``."""
        return self.entity_type or self.rule or "finding"

    def shifted(self, offset: int) -> Finding:
        """A copy whose offsets are moved by ``offset`` (used when stream segments are merged)."""
        return Finding(
            self.entity_type,
            self.start + offset,
            self.end + offset,
            self.score,
            rule=self.rule,
            validator=self.validator,
            digest=self.digest,
            part=self.part,
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-able data: type or rule, offsets, score; never the matched value."""
        d: dict[str, Any] = {"start": self.start, "end": self.end, "score": round(self.score, 4)}
        if self.entity_type is not None:
            d["entity_type"] = self.entity_type
        if self.rule is not None:
            d["rule"] = self.rule
        if self.digest is not None:
            d["digest"] = self.digest
        if self.part is not None:
            d["part"] = self.part
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.entity_type, self.rule, self.start, self.end, self.score, self.validator) == (
            other.entity_type,
            other.rule,
            other.start,
            other.end,
            other.score,
            other.validator,
        )

    def __hash__(self) -> int:
        return hash((self.entity_type, self.rule, self.start, self.end))

    def __repr__(self) -> str:
        return (
            f"Finding(validator={self.validator!r}, {'entity_type' if self.entity_type else 'rule'}"
            f"={self.kind!r}, start={self.start}, end={self.end}, score={self.score:.2f})"
        )


_new = object.__new__


def finding(entity_type: str | None, start: int, end: int, score: float, validator: str | None) -> Finding:
    """``Finding(entity_type, start, end, score, validator=validator)``, built without a keyword
    call (~half the time): for validators that make one per value found."""
    f: Finding = _new(Finding)
    f.entity_type = entity_type
    f.start = start
    f.end = end
    f.score = score
    f.rule = None
    f.validator = validator
    f.digest = None
    f.part = None
    return f


class Result:
    """What a validator's ``check`` returns. Build it with `Result.ok` or `Result.fail`.

    A validator returning ``None`` means the same as ``Result.ok()``.
    """

    __slots__ = ("feedback", "findings", "fix", "passed", "reason", "score", "value")

    def __init__(
        self,
        passed: bool,
        reason: str | None = None,
        fix: str | None = None,
        findings: tuple[Finding, ...] = (),
        score: float | None = None,
        value: Any = None,
        feedback: str | None = None,
    ) -> None:
        self.passed = passed
        self.reason = reason
        self.fix = fix
        self.findings = findings
        self.score = score
        self.value = value
        self.feedback = feedback

    @classmethod
    def ok(cls, value: Any = None, *, score: float | None = None) -> Result:
        """The text is fine. ``value`` carries a parsed object (e.g. a validated schema model)."""
        if value is None and score is None:
            return _OK
        return cls(True, value=value, score=score)

    @classmethod
    def fail(
        cls,
        reason: str,
        fix: str | None = None,
        findings: Iterable[Finding] = (),
        score: float | None = None,
        *,
        feedback: str | None = None,
        value: Any = None,
    ) -> Result:
        """The text is not fine. ``reason`` is a short code (``"deny-term"``), never the text.

        ``fix`` is the corrected text, used when the configured action is ``fix`` (or a span action
        the validator implemented itself). ``feedback`` is what a re-ask tells the model; it must not
        quote the offending values.
        """
        return cls(False, reason, fix, tuple(findings), score, value, feedback)

    def __repr__(self) -> str:
        if self.passed:
            return "Result.ok()"
        return (
            f"Result.fail(reason={self.reason!r}, findings={len(self.findings)}, "
            f"fix={'yes' if self.fix is not None else 'no'}, score={self.score})"
        )


_OK = Result(True)


class Step:
    """What one validator did in one decision."""

    __slots__ = (
        "action",
        "error",
        "findings",
        "latency_ns",
        "outcome",
        "reasons",
        "score",
        "validator",
        "version",
    )

    def __init__(
        self,
        validator: str,
        version: str,
        action: str,
        outcome: str,
        reasons: tuple[str, ...] = (),
        findings: tuple[Finding, ...] = (),
        score: float | None = None,
        latency_ns: int = 0,
        error: str | None = None,
    ) -> None:
        self.validator = validator
        self.version = version
        self.action = action
        self.outcome = outcome
        self.reasons = reasons
        self.findings = findings
        self.score = score
        self.latency_ns = latency_ns
        self.error = error

    def __repr__(self) -> str:
        return (
            f"Step({self.validator!r}, outcome={self.outcome!r}, action={self.action!r}, "
            f"reasons={self.reasons!r}, findings={len(self.findings)})"
        )


def passed_step(validator: str, version: str, action: str, score: float | None, latency_ns: int) -> Step:
    """``Step(validator, version, action, "pass", (), (), score, latency_ns)``, built without
    the call's argument binding: the guard's loop makes one per validator that passed."""
    s: Step = _new(Step)
    s.validator = validator
    s.version = version
    s.action = action
    s.outcome = "pass"
    s.reasons = ()
    s.findings = ()
    s.score = score
    s.latency_ns = latency_ns
    s.error = None
    return s


class Decision:
    """The result of running one stage's validators over a text.

    ``outcome`` is one of ``"pass"``, ``"fixed"``, ``"blocked"``, ``"escalated"``, ``"warned"``;
    ``text`` is the text after fixes (in shadow mode: what enforce mode would have produced);
    ``steps`` says which validator did what, in order. ``value`` holds a parsed object when an
    output schema validated the text. ``repr()`` never includes ``text``.
    """

    __slots__ = (
        "enforced",
        "event_id",
        "feedback",
        "findings",
        "latency_ns",
        "outcome",
        "policy_hash",
        "reasons",
        "review_id",
        "stage",
        "steps",
        "text",
        "value",
    )

    def __init__(
        self,
        outcome: str,
        text: str,
        *,
        stage: str,
        findings: tuple[Finding, ...] = (),
        reasons: tuple[str, ...] = (),
        steps: tuple[Step, ...] = (),
        policy_hash: str = "",
        latency_ns: int = 0,
        enforced: bool = True,
        value: Any = None,
        feedback: tuple[str, ...] = (),
        event_id: str | None = None,
        review_id: str | None = None,
    ) -> None:
        self.outcome = outcome
        self.text = text
        self.stage = stage
        self.findings = findings
        self.reasons = reasons
        self.steps = steps
        self.policy_hash = policy_hash
        self.latency_ns = latency_ns
        self.enforced = enforced
        self.value = value
        self.feedback = feedback
        self.event_id = event_id
        self.review_id = review_id

    @property
    def blocked(self) -> bool:
        """True when the outcome is ``"blocked"``."""
        return self.outcome == "blocked"

    @property
    def escalated(self) -> bool:
        """True when the outcome is ``"escalated"`` (a person must look)."""
        return self.outcome == "escalated"

    @property
    def ok(self) -> bool:
        """True when the text may go on (pass, warned or fixed)."""
        return self.outcome in ("pass", "warned", "fixed")

    @property
    def validators(self) -> tuple[str, ...]:
        """Names of the validators that ran, in order."""
        return tuple(s.validator for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able summary without the text (what ``guardwrap check --json`` prints)."""
        return {
            "stage": self.stage,
            "outcome": self.outcome,
            "enforced": self.enforced,
            "reasons": list(self.reasons),
            "findings": [dict(f.to_dict(), validator=f.validator) for f in self.findings],
            "steps": [
                {
                    "validator": s.validator,
                    "version": s.version,
                    "action": s.action,
                    "outcome": s.outcome,
                    "reasons": list(s.reasons),
                    "findings": len(s.findings),
                    "score": s.score,
                    "latency_us": round(s.latency_ns / 1000, 2),
                }
                for s in self.steps
            ],
            "policy_hash": self.policy_hash,
            "latency_us": round(self.latency_ns / 1000, 2),
        }

    def __repr__(self) -> str:
        return (
            f"Decision(stage={self.stage!r}, outcome={self.outcome!r}, reasons={self.reasons!r}, "
            f"findings={len(self.findings)}, validators={self.validators!r}, "
            f"enforced={self.enforced}, latency_us={self.latency_ns / 1000:.1f})"
        )


def chain_decision(outcome: str, text: str, stage: str, findings: tuple[Finding, ...], reasons: tuple[str, ...],
                   steps: tuple[Step, ...], policy_hash: str, latency_ns: int, enforced: bool, value: Any,
                   feedback: tuple[str, ...]) -> Decision:
    """``Decision(outcome, text, stage=stage, ...)`` as the guard's loop builds it once per
    stage and call, without the keyword call (event and review ids unset)."""
    d: Decision = _new(Decision)
    d.outcome = outcome
    d.text = text
    d.stage = stage
    d.findings = findings
    d.reasons = reasons
    d.steps = steps
    d.policy_hash = policy_hash
    d.latency_ns = latency_ns
    d.enforced = enforced
    d.value = value
    d.feedback = feedback
    d.event_id = None
    d.review_id = None
    return d
