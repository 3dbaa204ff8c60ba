"""Building audit records (schema ``guardwrap.audit/1``) on the caller's thread.

Only cheap work happens here: a dict per record. ``seq``, ``prev_hash`` and ``hash`` are added by
the sink's writer when it chains the record; ``ts`` is epoch seconds (float) and is rendered by
readers. No record holds raw text or a matched value: findings carry types, offsets and scores;
content and actor are keyed hashes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from .._context import CallContext, ids
from .._decision import Decision, Finding, Step

SCHEMA = "guardwrap.audit/1"
RECORD_TYPES = ("decision", "call", "review", "gap", "checkpoint", "lifecycle")


class PolicyInfo:
    """The identity of the policy a guard enforces, stamped on every record."""

    __slots__ = ("app", "hash", "id", "version")

    def __init__(self, id: str, version: str | int | None, hash: str, app: str | None = None) -> None:
        self.id = id
        self.version = None if version is None else str(version)
        self.hash = hash
        self.app = app


def findings_payload(findings: Sequence[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    counts: dict[str, int] = {}
    for f in findings:
        k = f.kind
        counts[k] = counts.get(k, 0) + 1
    return [f.to_dict() for f in findings], counts


def _base(type_: str, policy: PolicyInfo, ctx: CallContext | DeferredDecision | None, actor_hash: str | None,
          ts: float | None = None, event_id: str | None = None) -> dict[str, Any]:
    c = ctx.context if ctx is not None else None
    return {
        "schema": SCHEMA,
        "type": type_,
        "ts": time.time() if ts is None else ts,
        "event_id": ids.next() if event_id is None else event_id,
        "call_id": ctx.call_id if ctx is not None else None,
        "trace_id": c.trace_id if c is not None else None,
        "request_id": c.request_id if c is not None else None,
        "app": (c.app if c is not None and c.app else policy.app),
        "actor": actor_hash,
        "provider": c.provider if c is not None else None,
        "model": c.model if c is not None else None,
        "policy_id": policy.id,
        "policy_version": policy.version,
        "policy_hash": policy.hash,
    }


def step_record(
    rec: dict[str, Any],
    step: Step,
    decision: Decision,
    attempt: int | None,
    fallback_from: str | None,
) -> dict[str, Any]:
    findings, counts = findings_payload(step.findings) if step.findings else ([], {})
    rec.update(
        validator=step.validator,
        validator_version=step.version,
        stage=decision.stage,
        action=step.action,
        outcome=step.outcome,
        enforced=decision.enforced,
        reasons=list(step.reasons),
        findings=findings,
        counts=counts,
        score=step.score,
        latency_us=round(step.latency_ns / 1000, 3),
        attempt=attempt,
        fallback_from=fallback_from,
    )
    if step.error:
        rec["error"] = step.error
    return rec


def call_record(
    policy: PolicyInfo,
    ctx: CallContext | DeferredCall,
    actor_hash: str | None,
    *,
    outcome: str,
    enforced: bool,
    reasons: Sequence[str],
    input_hash: str | None,
    output_hash: str | None,
    latency_ns: int,
    attempt: int,
    fallback_from: str | None = None,
    error: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record that closes a guarded call. One dict literal: this runs on every call."""
    c = ctx.context
    rec = {
        "schema": SCHEMA,
        "type": "call",
        "ts": ctx.ts if type(ctx) is DeferredCall else time.time(),
        "event_id": ctx.event_id if type(ctx) is DeferredCall else ids.next(),
        "call_id": ctx.call_id,
        "trace_id": c.trace_id,
        "request_id": c.request_id,
        "app": c.app or policy.app,
        "actor": actor_hash,
        "provider": c.provider,
        "model": c.model,
        "policy_id": policy.id,
        "policy_version": policy.version,
        "policy_hash": policy.hash,
        "validator": None,
        "validator_version": None,
        "stage": None,
        "outcome": outcome,
        "enforced": enforced,
        "reasons": list(reasons),
        "findings": [],
        "input_hash": input_hash,
        "output_hash": output_hash,
        "latency_us": round(latency_ns / 1000, 3),
        "attempt": attempt,
        "fallback_from": fallback_from,
    }
    if error is not None:
        rec["error"] = error
    if extra:
        rec.update(extra)
    return rec


def sources_payload(sources: Sequence[tuple[str, str]], hasher: Any) -> list[dict[str, Any]]:
    """The documents a call was grounded on, as the audit log keeps them: each source's id and a
    keyed hash of its text (never the text), so a reviewer holding the documents can prove which
    ones the model was given. Built on the writer thread, with the call record."""
    return [{"id": sid, "hash": hasher(text) if hasher is not None else None} for sid, text in sources]


class DeferredCall:
    """A call record whose building and keyed hashing is left to the sink's writer thread.

    The caller's thread captures what the record needs (a few references, the time, an id) and
    enqueues this; the writer calls `materialize`. It holds the call's text in memory until then
    (never on disk: only the keyed hashes are written). Sinks opt in with ``accepts_deferred``.
    """

    __slots__ = ("actor", "attempt", "call_id", "context", "enforced", "error", "event_id", "extra",
                 "fallback_from", "hasher", "inputs", "latency_ns", "outcome", "output", "policy",
                 "reasons", "ts")

    def __init__(self, policy: PolicyInfo, ctx: CallContext, hasher: Any, outcome: str, enforced: bool,
                 reasons: Sequence[str], inputs: Sequence[tuple[Any, str]], output: str | None,
                 latency_ns: int, fallback_from: str | None, error: str | None,
                 extra: dict[str, Any] | None) -> None:
        self.policy = policy
        self.context = ctx.context
        self.call_id = ctx.call_id
        self.attempt = ctx.attempt
        self.actor = ctx.context.actor
        self.hasher = hasher
        self.outcome = outcome
        self.enforced = enforced
        self.reasons = reasons
        self.inputs = inputs
        self.output = output
        self.latency_ns = latency_ns
        self.fallback_from = fallback_from
        self.error = error
        self.extra = extra
        self.ts = time.time()
        self.event_id = ids.next()

    def materialize(self) -> dict[str, Any]:
        """The call record as a plain dict (a new one on each call)."""
        h = self.hasher
        inputs = self.inputs
        in_hash = None
        if inputs and h is not None:
            in_hash = h(inputs[0][1] if len(inputs) == 1 else "\n".join(t for _, t in inputs))
        out_hash = h(self.output) if self.output is not None and h is not None else None
        actor = h(self.actor) if self.actor is not None and h is not None else None
        rec = call_record(self.policy, self, actor, outcome=self.outcome, enforced=self.enforced,
                          reasons=self.reasons, input_hash=in_hash, output_hash=out_hash,
                          latency_ns=self.latency_ns, attempt=self.attempt,
                          fallback_from=self.fallback_from, error=self.error, extra=self.extra)
        if self.context.sources:
            rec["sources"] = sources_payload(self.context.sources, h)
        return rec

    def records(self) -> list[dict[str, Any]]:
        return [self.materialize()]

    def __repr__(self) -> str:
        return f"DeferredCall(call_id={self.call_id!r}, outcome={self.outcome!r})"


class DeferredDecision:
    """The decision records of one `Decision`, built on the sink's writer thread.

    The caller assigns the event ids and the time (so a review case can reference the records at
    once) and enqueues this; the writer calls `records`.
    """

    __slots__ = ("actor", "attempt", "call_id", "context", "decision", "event_ids", "fallback_from",
                 "hasher", "policy", "ts")

    def __init__(self, decision: Decision, policy: PolicyInfo, ctx: CallContext, hasher: Any,
                 attempt: int | None, fallback_from: str | None) -> None:
        self.decision = decision
        self.policy = policy
        self.context = ctx.context
        self.call_id = ctx.call_id
        self.actor = ctx.context.actor
        self.hasher = hasher
        self.attempt = attempt
        self.fallback_from = fallback_from
        self.ts = time.time()
        self.event_ids = [ids.next() for _ in decision.steps]

    def records(self) -> list[dict[str, Any]]:
        actor = self.hasher(self.actor) if self.actor is not None and self.hasher is not None else None
        d = self.decision
        recs = [step_record(_base("decision", self.policy, self, actor, self.ts, eid), step, d, self.attempt,
                            self.fallback_from)
                for step, eid in zip(d.steps, self.event_ids, strict=True)]
        if recs and d.stage == "output" and self.context.sources:
            # an output checked against sources names them (ids and keyed hashes) on its first record
            recs[0]["sources"] = sources_payload(self.context.sources, self.hasher)
        return recs

    def __repr__(self) -> str:
        return f"DeferredDecision(call_id={self.call_id!r}, records={len(self.event_ids)})"


#: what queued sinks may receive instead of a record dict: each has ``records()``
DEFERRED = (DeferredCall, DeferredDecision)


def event_record(type_: str, policy: PolicyInfo, ctx: CallContext | None, **fields: Any) -> dict[str, Any]:
    """A record of another type (``review``, ``lifecycle``, ...) with the common fields."""
    rec = _base(type_, policy, ctx, None)
    rec.update(fields)
    return rec
