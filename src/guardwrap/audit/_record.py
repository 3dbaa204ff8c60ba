"""Building audit records (schema ``guardwrap.audit/1``).

The caller's thread only captures what a record needs (`call_item`, `DeferredDecision`: a few
references, the time, ids) and enqueues it; the sink's writer thread builds the dicts and computes
the keyed hashes. ``seq``, ``prev_hash`` and ``hash`` are added when the writer chains the record;
``ts`` is epoch seconds (float). No record holds raw text or a matched value: findings carry types,
offsets and scores; content and actor are keyed hashes.

Two layouts: ``"decision"`` (default) writes one record per validator decision plus one ``call``
record per call; ``"call"`` writes one ``call`` record per call with the decisions embedded as
``steps``, which is a fraction of the writer's work (one dict, one serialisation, one chain hash).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from .._context import CallContext, ids
from .._decision import Decision, Finding, Step
from .._native import kernel
from ._chain import PRESORTED

if TYPE_CHECKING:
    from .._context import Context

SCHEMA = "guardwrap.audit/1"
RECORD_TYPES = ("decision", "call", "review", "gap", "checkpoint", "lifecycle")
LAYOUTS = ("decision", "call")
CALL_OUTCOMES = ("pass", "fixed", "warned", "blocked", "escalated", "error", "timeout", "cancelled",
                 "abandoned")


class PolicyInfo:
    """The identity of the policy a guard enforces, stamped on every record."""

    __slots__ = ("app", "hash", "id", "version")

    def __init__(self, id: str, version: str | int | None, hash: str, app: str | None = None) -> None:
        self.id = id
        self.version = None if version is None else str(version)
        self.hash = hash
        self.app = app


def findings_payload(findings: Sequence[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """``(findings as dicts, count per kind)``: `Finding.to_dict` and `Finding.kind`, inlined for
    plain findings (this runs for every finding of every record on the writer thread)."""
    counts: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    append = out.append
    for f in findings:
        if type(f) is not Finding:  # a subclass may say otherwise
            k = f.kind
            counts[k] = counts.get(k, 0) + 1
            append(f.to_dict())
            continue
        et, rule, score = f.entity_type, f.rule, f.score
        k = et or rule or "finding"
        counts[k] = counts.get(k, 0) + 1
        d: dict[str, Any] = {"start": f.start, "end": f.end,
                             "score": score if type(score) is float and score == 1.0 else round(score, 4)}
        if et is not None:
            d["entity_type"] = et
        if rule is not None:
            d["rule"] = rule
        if f.digest is not None:
            d["digest"] = f.digest
        if f.part is not None:
            d["part"] = f.part
        append(d)
    return out, counts


class _ActorHashes:
    """The keyed pseudonym of recent actors: one HMAC per actor, not one per record.

    Used on one writer thread (or on the caller's thread for sinks that build records there); a
    plain dict, cleared when it grows past ``limit`` so memory stays bounded.
    """

    __slots__ = ("cache", "limit")

    def __init__(self, limit: int = 4096) -> None:
        self.cache: dict[tuple[int, str], str] = {}
        self.limit = limit

    def get(self, hasher: Callable[[str], str] | None, actor: str | None) -> str | None:
        if actor is None or hasher is None:
            return None
        key = (id(hasher), actor)
        h = self.cache.get(key)
        if h is None:
            if len(self.cache) >= self.limit:
                self.cache.clear()
            h = self.cache[key] = hasher(actor)
        return h


actor_hashes = _ActorHashes()


def _step_dict(step: Step, stage: str, attempt: int | None, fallback_from: str | None,
               event_id: str) -> dict[str, Any]:
    """One validator's decision, as embedded in a ``call`` record (layout ``"call"``). Keys in
    sorted order, so a call record whose steps hold no findings serialises without sorting."""
    d: dict[str, Any] = {"action": step.action}
    if attempt is not None and attempt != 1:
        d["attempt"] = attempt
    findings = None
    if step.findings:
        findings, d["counts"] = findings_payload(step.findings)
    if step.error:
        d["error"] = step.error
    d["event_id"] = event_id
    if fallback_from is not None:
        d["fallback_from"] = fallback_from
    if findings is not None:
        d["findings"] = findings  # (finding dicts and counts are not in sorted order: the writer sorts)
    d["latency_us"] = step.latency_ns / 1000
    d["outcome"] = step.outcome
    d["reasons"] = list(step.reasons)
    if step.score is not None:
        d["score"] = step.score
    d["stage"] = stage
    d["validator"] = step.validator
    d["validator_version"] = step.version
    return d


def sources_payload(sources: Sequence[tuple[str, str]], hasher: Any) -> list[dict[str, Any]]:
    """The documents a call was grounded on, as the audit log keeps them: each source's id and a
    keyed hash of its text (never the text), so a reviewer holding the documents can prove which
    ones the model was given. Built on the writer thread, with the call record."""
    return [{"id": sid, "hash": hasher(text) if hasher is not None else None} for sid, text in sources]


#: A call record waiting for the writer is a plain tuple, the cheapest thing to build on the
#: caller's thread, with these fields in this order (see `call_item` and `materialize_call`). The
#: texts stay in memory until the writer hashes them; they are never written.
CALL_ITEM = ("policy", "ctx", "hasher", "outcome", "enforced", "reasons", "inputs", "output", "latency_ns",
             "fallback_from", "error", "extra", "decisions", "ts", "model_ns")


def call_item(policy: PolicyInfo, ctx: CallContext, hasher: Callable[[str], str] | None, outcome: str,
              enforced: bool, reasons: Sequence[str], inputs: Sequence[tuple[Any, str]], output: str | None,
              latency_ns: int, fallback_from: str | None = None, error: str | None = None,
              extra: dict[str, Any] | None = None,
              decisions: list[DeferredDecision] | None = None) -> tuple[Any, ...]:
    """The record closing a guarded call, deferred (the guard builds the same tuple inline)."""
    return (policy, ctx, hasher, outcome, enforced, reasons, inputs, output, latency_ns, fallback_from, error,
            extra, decisions, time.time(), ctx.model_ns)



def _text_hashes(h: Any, inputs: Any, output: str | None) -> tuple[str | None, str | None]:
    """The keyed hashes of a call's input texts (joined by newlines) and of its output; None for
    what is absent or when the sink keeps no hashes (``h`` None)."""
    if h is None:
        return None, None
    in_hash = (h(inputs[0][1] if len(inputs) == 1 else "\n".join(t for _, t in inputs))
               if inputs else None)
    return in_hash, (h(output) if output is not None else None)

def materialize_call(item: tuple[Any, ...], layout: str = "decision") -> dict[str, Any]:
    """The call record of a `call_item` tuple as a plain dict (keyed hashes computed here)."""
    (policy, ctx, h, outcome, enforced, reasons, inputs, output, latency_ns, fallback_from, error, extra,
     decisions, ts, model_ns) = item
    c: Context = ctx.context
    in_hash, out_hash = _text_hashes(h, inputs, output)
    cid = ctx.call_id
    # Keys in sorted order with the chain's own fields in place: the writer serialises this
    # without sorting (see ``_chain.PRESORTED``). Extra fields go through the sorting path.
    rec: dict[str, Any] = {
        "actor": None if c.actor is None else actor_hashes.get(h, c.actor),
        "app": c.app or policy.app,
        "attempt": ctx.attempt,
        "call_id": cid,
        "chain": PRESORTED,
        "enforced": enforced,
        "event_id": cid,  # one call record per call: the call id is a unique event id
        "fallback_from": fallback_from,
        "findings": [],
        "input_hash": in_hash,
        "latency_us": latency_ns / 1000,  # integer ns / 1000: exactly the 3-decimal value, no round()
        "model": c.model,
        "model_us": None if model_ns is None else model_ns / 1000,  # the model's own time, when it ran
        "outcome": outcome,
        "output_hash": out_hash,
        "policy_hash": policy.hash,
        "policy_id": policy.id,
        "policy_version": policy.version,
        "prev_hash": None,
        "provider": c.provider,
        "reasons": list(reasons) if reasons else [],
        "request_id": c.request_id,
        "schema": SCHEMA,
        "seq": 0,
        "stage": None,
        "steps": None,  # layout "call" only (in its sorted place; deleted otherwise)
        "trace_id": c.trace_id,
        "ts": ts,
        "type": "call",
        "validator": None,
        "validator_version": None,
    }
    if model_ns is None:
        del rec["model_us"]  # (the others keep their order)
    steps = None
    if layout == "call":
        steps = rec["steps"] = [s for d in decisions or () for s in d.steps_payload()] if decisions else []
    else:
        del rec["steps"]
    sources = c.sources
    if sources:
        rec["sources"] = sources_payload(sources, h)
    if error is not None or extra or sources or (steps and any("findings" in st for st in steps)):
        # not (or no longer) in sorted order, nested dicts included: the writer sorts
        rec["chain"] = None
    if error is not None:
        rec["error"] = error
    if extra:
        rec.update(extra)
    return rec


# -- the call record as bytes, without the dict ---------------------------------------------------
#
# A plain call record (no error, no extra fields, no sources: every call of a guard without
# validators, and, with the C kernel, every call whose decisions are embedded as steps, layout
# "call") is serialised here straight from its `call_item` tuple: each value by orjson itself (the
# steps by ``_csha.steps_json``) and the keys in sorted order, so the bytes are exactly what
# ``orjson.dumps(materialize_call(item), option=OPT_SORT_KEYS)`` gives (the chain's canonical
# bytes; differential tests hold the two together). Building and serialising the 30-key dict, its
# step dicts and their finding dicts was most of the writer's Python work per call. The parts that
# depend only on the context and the policy are cached per (context, policy, hasher).

_dumps = orjson.dumps
_csha = kernel("guardwrap.audit._csha")
#: the "steps" array of a call record as bytes (``_csha.c``); None: the dict path writes them
_steps_json = getattr(_csha, "steps_json", None)
_SEG_CACHE: dict[tuple[int, int, int, str], tuple[Any, ...]] = {}
_SEG_LIMIT = 256


def _segments(policy: PolicyInfo, c: Context, h: Callable[[str], str] | None, layout: str) -> tuple[Any, ...]:
    key = (id(c), id(policy), id(h), layout)
    seg = _SEG_CACHE.get(key)
    if seg is not None and seg[0] is c and seg[1] is policy and seg[2] is h:
        return seg
    actor = None if c.actor is None else actor_hashes.get(h, c.actor)
    seg = (
        c, policy, h,
        b'{"actor":' + _dumps(actor) + b',"app":' + _dumps(c.app or policy.app) + b',"attempt":',
        b',"model":' + _dumps(c.model),
        b',"policy_hash":' + _dumps(policy.hash) + b',"policy_id":' + _dumps(policy.id)
        + b',"policy_version":' + _dumps(policy.version) + b',"prev_hash":',
        b',"provider":' + _dumps(c.provider) + b',"reasons":',
        b',"request_id":' + _dumps(c.request_id) + b',"schema":' + _dumps(SCHEMA) + b',"seq":',
        b',"stage":null' + (b',"steps":' if layout == "call" else b""),
        b',"trace_id":' + _dumps(c.trace_id) + b',"ts":',
    )
    if len(_SEG_CACHE) >= _SEG_LIMIT:
        _SEG_CACHE.clear()
    _SEG_CACHE[key] = seg
    return seg


_TAIL = b',"type":"call","validator":null,"validator_version":null}'
_TRUE = b',"enforced":true,"event_id":'
_FALSE = b',"enforced":false,"event_id":'
_OUTCOMES = {o: _dumps(o) for o in CALL_OUTCOMES}


def call_body(item: tuple[Any, ...], layout: str, chain_json: bytes, seq: int, prev_json: bytes) -> bytes | None:
    """The canonical bytes of the call record of a `call_item` tuple, chained at ``seq`` with
    ``prev_json`` (the serialised ``prev_hash``) and ``chain_json`` (the serialised chain id); None
    when the record is not a plain one (the dict path then builds it)."""
    (policy, ctx, h, outcome, enforced, reasons, inputs, output, latency_ns, fallback_from, error, extra,
     decisions, ts, model_ns) = item
    c: Context = ctx.context
    if error is not None or extra or c.sources:
        return None
    steps: bytes | None
    if layout != "call":
        if decisions:
            return None
        steps = b""
    elif not decisions:
        steps = b"[]"
    else:
        # The embedded steps, by the C kernel (None: a value it leaves to the dict path).
        steps = _steps_json(decisions, Finding) if _steps_json is not None else None
        if steps is None:
            return None
    seg = _segments(policy, c, h, layout)
    in_hash, out_hash = _text_hashes(h, inputs, output)
    # The values that serialise without a comma, in one orjson call (a call id is ids' hex, a
    # keyed hash hex): split on commas. Anything else (a comma where none belongs) -> dict path.
    vals = _dumps((ctx.attempt, ctx.call_id, in_hash, latency_ns / 1000,
                   None if model_ns is None else model_ns / 1000, out_hash, seq, ts))[1:-1].split(b",")
    if len(vals) != 8:
        return None
    attempt, cid, in_j, lat, model_us, out_j, seq_j, ts_j = vals
    parts = [seg[3], attempt, b',"call_id":', cid, b',"chain":', chain_json,
             _TRUE if enforced is True else _FALSE if enforced is False else
             b',"enforced":' + _dumps(enforced) + b',"event_id":',
             cid, b',"fallback_from":', b"null" if fallback_from is None else _dumps(fallback_from),
             b',"findings":[],"input_hash":', in_j, b',"latency_us":', lat, seg[4]]
    if model_ns is not None:
        parts += (b',"model_us":', model_us)
    parts += (b',"outcome":', _OUTCOMES.get(outcome) or _dumps(outcome), b',"output_hash":', out_j, seg[5],
              prev_json, seg[6], _dumps(list(reasons)) if reasons else b"[]", seg[7], seq_j, seg[8], steps, seg[9],
              ts_j, _TAIL)
    return b"".join(parts)


#: `call_body` for a run of queued items in one call (``_csha.c``); None: one `call_body` each
_call_bodies = getattr(_csha, "call_bodies", None)


def _hmac_state(h: Any) -> bytes | None:
    """The key schedule of ``h`` when it is `_keys.hasher`'s C hasher (the kernel then computes
    the keyed hashes itself), else None (the kernel calls ``h``)."""
    if (type(h) is functools.partial and _csha is not None and h.func is _csha.hmac_hex and len(h.args) == 1
            and not h.keywords and type(h.args[0]) is bytes and len(h.args[0]) == 64):
        return h.args[0]
    return None


class CallBodies:
    """`call_body` over a run of queued items in one C call (``_csha.call_bodies``): the same
    bytes, without a Python frame, a tuple of values and a list of parts per record. One per
    writer (it keeps the segments of the last context, policy and hasher it saw)."""

    __slots__ = ("layout", "layout_call", "memo")

    def __init__(self, layout: str) -> None:
        self.layout = layout
        self.layout_call = layout == "call"
        self.memo: list[Any] = [None] * 5

    def _segments(self, policy: PolicyInfo, c: Context, h: Callable[[str], str] | None) -> tuple[Any, ...]:
        return _segments(policy, c, h, self.layout), _hmac_state(h)

    def __call__(self, items: list[Any], start: int, stop: int, seq: int, chain_json: bytes, prev_json: bytes,
                 out: list[bytes]) -> int:
        """Append the bodies of ``items[start:stop]`` to ``out``, chained from ``seq``, up to the
        first item that is not a plain call record; return that item's index (``stop``: all)."""
        return _call_bodies(items, start, stop, seq, chain_json, prev_json,  # type: ignore[no-any-return,misc]
                            self.layout_call, self.memo, self._segments, Finding, out)

    def seal(self, items: list[Any], start: int, stop: int, seq: int, chain_json: bytes, prev: str,
             max_bytes: int, gil_free_bytes: int = -1) -> tuple[bytes, str, int]:
        """The lines of ``items[start:stop]`` chained from ``seq`` after ``prev`` (what `__call__`
        and then ``_csha.seal`` give), in one pass (``_csha.seal_calls``), stopping at the first
        item that is not a plain call record or once the run passes ``max_bytes``: ``(lines, last
        hash, the index it stopped at)``. A run of at least ``gil_free_bytes`` (-1: none) is hashed
        without the GIL."""
        return _seal_calls(items, start, stop, seq, chain_json, prev,  # type: ignore[no-any-return,misc]
                           self.layout_call, self.memo, self._segments, Finding, max_bytes, gil_free_bytes)


#: `CallBodies.seal` (``_csha.c``); None: an older kernel, `Chainer.seal_many` does it in two steps
_seal_calls = getattr(_csha, "seal_calls", None)


def call_bodies(layout: str) -> CallBodies | None:
    """A `CallBodies` for a writer of ``layout``, or None without the C kernel."""
    return CallBodies(layout) if _call_bodies is not None else None


def records_of(pending: Any, layout: str = "decision") -> list[dict[str, Any]]:
    """The record dicts of a deferred item (a `call_item` tuple or a `DeferredDecision`)."""
    if type(pending) is tuple:
        rec = materialize_call(pending, layout)
        del rec["chain"], rec["seq"], rec["prev_hash"]  # placeholders for a writer's chain
        return [rec]
    return pending.records(layout)  # type: ignore[no-any-return]


class DeferredDecision:
    """The decision records of one `Decision`, built on the sink's writer thread.

    The caller assigns the event ids and the time (so a review case can reference the records at
    once) and enqueues this (layout ``"decision"``) or attaches it to the call (layout ``"call"``).
    """

    __slots__ = ("_event_ids", "attempt", "ctx", "decision", "fallback_from", "hasher", "policy", "ts")

    def __init__(self, decision: Decision, policy: PolicyInfo, ctx: CallContext,
                 hasher: Callable[[str], str] | None, attempt: int | None, fallback_from: str | None) -> None:
        self.decision = decision
        self.policy = policy
        self.ctx = ctx
        self.hasher = hasher
        self.attempt = attempt
        self.fallback_from = fallback_from
        self.ts = time.time()
        self._event_ids: list[str] | None = None

    @property
    def event_ids(self) -> list[str]:
        """One unique id per step, made on first use: on the writer thread, unless the caller
        needs them at once (an escalation, which the review queue references)."""
        e = self._event_ids
        if e is None:
            e = self._event_ids = ids.take(len(self.decision.steps))
        return e

    @property
    def call_id(self) -> str:
        return self.ctx.call_id

    def steps_payload(self) -> list[dict[str, Any]]:
        d = self.decision
        return [_step_dict(step, d.stage, self.attempt, self.fallback_from, eid)
                for step, eid in zip(d.steps, self.event_ids, strict=True)]

    def records(self, layout: str = "decision") -> list[dict[str, Any]]:
        d = self.decision
        if layout == "call":  # a decision outside a call (``guard.check``): one record, steps embedded
            rec = _base("decision", self.policy, self.ctx, actor_hashes.get(self.hasher, self.ctx.context.actor),
                        self.ts, self.event_ids[0] if self.event_ids else None)
            rec.update(stage=d.stage, outcome=d.outcome, enforced=d.enforced, reasons=list(d.reasons),
                       latency_us=d.latency_ns / 1000, steps=self.steps_payload())
            sources = self.ctx.context.sources
            if d.stage == "output" and sources:  # as in layout "decision": the sources it was checked against
                rec["sources"] = sources_payload(sources, self.hasher)
            return [rec]
        actor = actor_hashes.get(self.hasher, self.ctx.context.actor)
        recs = [step_record(_base("decision", self.policy, self.ctx, actor, self.ts, eid), step, d, self.attempt,
                            self.fallback_from)
                for step, eid in zip(d.steps, self.event_ids, strict=True)]
        sources = self.ctx.context.sources
        if recs and d.stage == "output" and sources:
            # an output checked against sources names them (ids and keyed hashes) on its first record
            recs[0]["sources"] = sources_payload(sources, self.hasher)
        return recs

    def __repr__(self) -> str:
        return f"DeferredDecision(call_id={self.call_id!r}, records={len(self.event_ids)})"


#: what queued sinks may receive instead of a record dict (besides `call_item` tuples)
DEFERRED = (DeferredDecision,)


def _base(type_: str, policy: PolicyInfo, ctx: CallContext | None, actor_hash: str | None,
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
        latency_us=step.latency_ns / 1000,
        attempt=attempt,
        fallback_from=fallback_from,
    )
    if step.error:
        rec["error"] = step.error
    return rec


def event_record(type_: str, policy: PolicyInfo, ctx: CallContext | None, **fields: Any) -> dict[str, Any]:
    """A record of another type (``review``, ``lifecycle``, ...) with the common fields."""
    rec = _base(type_, policy, ctx, None)
    rec.update(fields)
    return rec


def expand_steps(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Decision-shaped records for the ``steps`` a record embeds (layout ``"call"``), so readers
    that count decisions treat both layouts alike. A record without steps gives ``[]``."""
    steps = rec.get("steps")
    if not isinstance(steps, list):
        return []
    common = {k: rec.get(k) for k in ("schema", "ts", "call_id", "trace_id", "request_id", "app", "actor",
                                      "provider", "model", "policy_id", "policy_version", "policy_hash",
                                      "enforced", "chain", "seq")}
    out = []
    for s in steps:
        if isinstance(s, dict):
            d: dict[str, Any] = dict(common, type="decision", findings=[], counts={}, attempt=rec.get("attempt"))
            d.update(s)
            out.append(d)
    return out
