"""The exception hierarchy. No message ever contains the guarded text or a matched value."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._decision import Decision


class GuardrailError(Exception):
    """Base class of every error guardwrap raises on purpose."""


class GuardwrapWarning(UserWarning):
    """Warnings about configuration that works but is weaker than it should be."""


def _describe(decision: Decision) -> str:
    who = [s.validator for s in decision.steps if s.outcome in ("blocked", "escalated")]
    reasons = ", ".join(decision.reasons) or "no reason given"
    by = f" by {', '.join(who)}" if who else ""
    return f"{decision.stage} {decision.outcome}{by} ({reasons})"


class Blocked(GuardrailError):
    """A validator blocked the call. ``decision`` says which validator and why."""

    def __init__(self, decision: Decision, message: str | None = None) -> None:
        self.decision = decision
        super().__init__(message or _describe(decision))


class Escalated(Blocked):
    """The call needs a human: the case went to review. ``review_id`` names it when a queue took it."""

    def __init__(self, decision: Decision, review_id: str | None = None) -> None:
        self.review_id = review_id if review_id is not None else decision.review_id
        msg = _describe(decision)
        if self.review_id:
            msg += f"; review {self.review_id}"
        super().__init__(decision, msg)


class UncheckedInput(Blocked):
    """Part of a call cannot be read or checked (bytes, an unknown object, too many texts), so in
    enforce mode the call does not go ahead. The message names where and what type, never a value."""


class PolicyError(GuardrailError, ValueError):
    """A policy (file or arguments) is malformed. Names the file, the key path and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        expected: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.expected = expected
        self.line = line
        where = ""
        if file:
            where = f"{file}"
            if line is not None:
                where += f":{line}"
            where += ": "
        if key:
            where += f"{key}: "
        text = where + message
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class ValidatorError(GuardrailError):
    """A validator raised. The guard fails closed (blocks) unless told otherwise."""


class AuditError(GuardrailError):
    """An audit sink could not accept or write a record and was configured to fail closed."""
