"""Running an ordered list of validators over a text: the guard's inner loop.

Each validator sees the previous one's output. The configured action turns a failed `Result` into
an outcome: ``block``/``reask`` stop the chain (in enforce mode), span actions and ``fix`` rewrite
the text, ``escalate`` and ``warn`` record and go on. A validator that raises fails closed.
"""

from __future__ import annotations

import logging
from time import perf_counter_ns
from typing import Any

from ._anonymize import apply_spans
from ._context import CallContext
from ._decision import (
    SPAN_ACTIONS,
    Decision,
    Finding,
    Result,
    Step,
    chain_decision,
    passed_step,
    worst,
)
from ._errors import ValidatorError
from ._text._scan import Hits, compile_matcher
from .audit._keys import audit_key

log = logging.getLogger("guardwrap")


def _log_validator_error(link: Link, exc: BaseException, how: str) -> None:
    """Log a broken validator with its traceback, but never its message: an exception raised on
    the guarded text may quote it. The decision fails closed (or warns, with ``on_error="pass"``)."""
    note = "" if how.startswith("returned") else "; its message is not logged: it may quote the guarded text"
    shown = ValidatorError(f"validator {link.name!r} (version {link.version}) {how}{note}")
    shown.__suppress_context__ = True
    outcome = "warned" if link.on_error == "pass" else "blocked"
    log.error("guardwrap: validator %r %s; the decision is %s", link.name, how, outcome,
              exc_info=(ValidatorError, shown, exc.__traceback__))


class Link:
    """One validator, with everything the loop needs looked up once."""

    __slots__ = (
        "action",
        "check",
        "hash_key",
        "mask_char",
        "mask_keep",
        "name",
        "on_error",
        "patterns",
        "stream_safe",
        "validator",
        "version",
    )

    def __init__(self, validator: Any, hash_key: bytes | None) -> None:
        self.validator = validator
        self.name = str(validator.name)
        self.version = str(validator.version)
        self.action = validator.action
        self.check = validator.check
        self.stream_safe = getattr(validator, "stream_safe", None)
        self.mask_char = getattr(validator, "mask_char", "*")
        self.mask_keep = getattr(validator, "mask_keep", 4)
        key = getattr(validator, "hash_key", None)
        self.hash_key = key if key is not None else hash_key
        self.on_error = getattr(validator, "on_error", "block")
        #: regexes that must match the canonical view for the validator to find anything (see
        #: `guardwrap._text._scan`), or None
        get = getattr(validator, "scan_patterns", None)
        self.patterns: list[tuple[str, bool]] | None = list(get()) if callable(get) else None


def _step_fail(link: Link, outcome: str, r: Result, latency: int, reason: str | None = None) -> Step:
    for f in r.findings:
        if f.validator is None:
            f.validator = link.name
    reasons = (reason or r.reason or link.name,)
    return Step(link.name, link.version, link.action, outcome, reasons, r.findings, r.score, latency)


class Chain:
    """A compiled, ordered tuple of links for one stage."""

    __slots__ = ("links", "matcher", "needs_vault", "owners", "plan", "policy_hash", "shadow", "stage", "streamable")

    def __init__(self, validators: list[Any], stage: str, *, shadow: bool, policy_hash: str, hash_key: bytes | None) -> None:
        needs_key = any(getattr(v, "action", None) == "hash" for v in validators)
        key = hash_key if hash_key is not None else (audit_key() if needs_key else b"")
        self.links = tuple(Link(v, key) for v in validators)
        self.stage = stage
        self.shadow = shadow
        self.policy_hash = policy_hash
        self.needs_vault = any(link.action == "pseudonymize" for link in self.links)
        self.streamable = all(link.stream_safe is not None for link in self.links)
        # one scan of each text for every validator that says what it looks for (and for what the
        # canonical view would undo: usually nothing, and then the view is never built)
        self.matcher = compile_matcher([(i, link.patterns) for i, link in enumerate(self.links) if link.patterns]
                                       ) if self.links else None
        #: the links that read the scan's hits (none without a matcher)
        self.owners: frozenset[int] = self.matcher.owners if self.matcher is not None else frozenset()
        #: ``(index, link, reads the scan's hits)`` per link, looked up once for `run`
        self.plan = tuple((i, link, i in self.owners) for i, link in enumerate(self.links))

    def __len__(self) -> int:
        return len(self.links)

    def run(self, text: str, ctx: CallContext) -> Decision:
        t0 = perf_counter_ns()
        ctx.stage = self.stage
        if not self.links:
            return Decision("pass", text, stage=self.stage, policy_hash=self.policy_hash,
                            latency_ns=perf_counter_ns() - t0, enforced=not self.shadow)
        steps: list[Step] = []
        failed: list[Step] = []  # the steps that did not pass: the decision's findings and reasons
        outcome = "pass"
        value = None
        value_from: tuple[Link, str] | None = None  # the link that parsed ``value``, and from what text
        feedback: list[str] = []
        cur = text
        matcher = self.matcher
        scanned: Hits | None = None
        scanned_for: str | None = None  # the text `scanned` was made from (its view's hits)
        for i, link, owned in self.plan:
            ts = perf_counter_ns()
            if owned:
                # Scanned when a validator that reads the hits comes up, once per text: a text a
                # fixer (PII redaction) rewrites before any such validator is never scanned.
                if scanned_for is not cur:
                    scanned, scanned_for = matcher.scan_view(cur), cur  # type: ignore[union-attr]
                if scanned is not None:
                    hits = scanned.by_owner.get(i)
                    if not hits:  # nothing it looks for is in the text: it would pass
                        steps.append(passed_step(link.name, link.version, link.action, None, perf_counter_ns() - ts))
                        continue
                    ctx.hits = (cur, hits)
            try:
                r = link.check(cur, ctx)
                if r is not None and not isinstance(r, Result):
                    raise ValidatorError(f"returned {type(r).__name__}, not gw.Result or None")
            except Exception as exc:  # a broken validator must not let text through unchecked
                latency = perf_counter_ns() - ts
                err = type(exc).__name__
                if isinstance(exc, ValidatorError) and exc.args and str(exc.args[0]).startswith("returned "):
                    _log_validator_error(link, exc, f"{exc.args[0]} (return gw.Result.ok() or gw.Result.fail(...))")
                else:
                    _log_validator_error(link, exc, f"raised {err}")
                if link.on_error == "pass":
                    step = Step(link.name, link.version, link.action, "warned", ("validator-error",), (), None,
                                latency, err)
                    steps.append(step)
                    failed.append(step)
                    outcome = worst(outcome, "warned")
                    continue
                step = Step(link.name, link.version, link.action, "blocked", ("validator-error",), (), None,
                            latency, err)
                steps.append(step)
                failed.append(step)
                outcome = "blocked"
                if not self.shadow:
                    break
                continue
            finally:
                ctx.hits = None
            if r is None or r.passed:
                if r is not None and r.value is not None:
                    value = r.value
                    value_from = (link, cur)
                steps.append(passed_step(link.name, link.version, link.action,
                                         None if r is None else r.score, perf_counter_ns() - ts))
                continue
            action = link.action
            if action == "warn":
                step = _step_fail(link, "warned", r, perf_counter_ns() - ts)
            elif action == "escalate":
                step = _step_fail(link, "escalated", r, perf_counter_ns() - ts)
            elif action in ("block", "reask"):
                step = _step_fail(link, "blocked", r, perf_counter_ns() - ts)
                if r.feedback:
                    feedback.append(r.feedback)
            else:  # fix or a span action
                new = r.fix
                if new is not None and len(new) < len(cur) and cur.startswith(new):
                    new = self._safe_cut(new, link)
                if new is None and action in SPAN_ACTIONS and r.findings:
                    vault = ctx.vault() if action == "pseudonymize" else None
                    new = apply_spans(cur, r.findings, action, vault=vault, mask_char=link.mask_char,
                                      mask_keep=link.mask_keep, hash_key=link.hash_key or b"")
                if new is None:
                    step = _step_fail(link, "blocked", r, perf_counter_ns() - ts, "unfixable")
                else:
                    cur = new
                    if r.value is not None:
                        value = r.value
                        value_from = (link, cur)
                    step = _step_fail(link, "fixed", r, perf_counter_ns() - ts)
            steps.append(step)
            failed.append(step)
            outcome = worst(outcome, step.outcome)
            if step.outcome == "blocked" and not self.shadow:
                break
        if value_from is not None and value_from[1] is not cur and outcome != "blocked":
            # A later validator rewrote the text the value was parsed from (PII redacted inside a
            # JSON answer): parse the final text again, or the caller would get the old values.
            link = value_from[0]
            r = link.check(cur, ctx)
            if r is not None and r.passed and r.value is not None:
                value = r.value
            else:
                step = Step(link.name, link.version, link.action, "blocked", ("invalid-after-fix",))
                steps.append(step)
                failed.append(step)
                outcome = "blocked"
        # Only steps that did not pass carry findings and reasons (a passing step is built with
        # none): the decision's, in step order.
        findings: tuple[Finding, ...]
        reasons: tuple[str, ...]
        if not failed:
            findings = reasons = ()
        elif len(failed) == 1:
            only = failed[0]
            findings = only.findings if type(only.findings) is tuple else tuple(only.findings)
            reasons = only.reasons if type(only.reasons) is tuple else tuple(only.reasons)
        else:
            findings = tuple(f for s in failed for f in s.findings)
            reasons = tuple(r for s in failed for r in s.reasons)
        return chain_decision(outcome, cur, self.stage, findings, reasons, tuple(steps), self.policy_hash,
                              perf_counter_ns() - t0, not self.shadow, value, tuple(feedback) if feedback else ())

    def _safe_cut(self, prefix: str, link: Link) -> str:
        """A fix that cuts the text (``MaxLength``) must not cut through a value a later validator
        would find (a card cut to 13 digits passes as nothing): cut where every later validator
        considers the text settled, as it would for a stream."""
        later = self.links[self.links.index(link) + 1:]
        cut = len(prefix)
        for other in later:
            if other.stream_safe is not None:
                cut = min(cut, other.stream_safe(prefix))
            else:  # no hint: at least never cut inside a word
                while cut > 0 and not prefix[cut - 1].isspace():
                    cut -= 1
        return prefix[:max(cut, 0)]

    def scan(self, text: str, ctx: CallContext) -> list[tuple[Link, Result]]:
        """Every validator's verdict on the same ``text``, nothing applied (for texts that span
        several messages). A validator that raises fails closed, as in `run`."""
        ctx.stage = self.stage
        out: list[tuple[Link, Result]] = []
        for link in self.links:
            try:
                r = link.check(text, ctx)
            except Exception:
                if link.on_error == "pass":
                    continue
                r = Result.fail("validator-error")
            if r is not None and not r.passed:
                out.append((link, r))
        return out

    def wants_reask(self, decision: Decision) -> bool:
        return any(s.outcome == "blocked" and s.action == "reask" for s in decision.steps) and not any(
            s.outcome == "blocked" and s.action != "reask" for s in decision.steps
        )

    def safe_boundary(self, text: str) -> int:
        """For streaming: the index before which every validator considers ``text`` settled."""
        safe = len(text)
        for link in self.links:
            s = link.stream_safe(text)  # type: ignore[misc]
            if s < safe:
                safe = s
        return max(safe, 0)


def merge(decisions: list[Decision], stage: str, policy_hash: str, shadow: bool, text: str) -> Decision:
    """Merge the decisions of a stream's segments into one, with offsets made absolute."""
    if len(decisions) == 1:
        return decisions[0]
    outcome = "pass"
    by_name: dict[str, Step] = {}
    order: list[str] = []
    findings: list[Finding] = []
    reasons: list[str] = []
    latency = 0
    value = None
    offset = 0
    for d in decisions:
        outcome = worst(outcome, d.outcome)
        latency += d.latency_ns
        value = d.value if d.value is not None else value
        shifted = {id(f): f.shifted(offset) for f in d.findings}
        findings.extend(shifted.values())
        for r in d.reasons:
            if r not in reasons:
                reasons.append(r)
        for s in d.steps:
            prev = by_name.get(s.validator)
            s_findings = tuple(shifted.get(id(f), f) for f in s.findings)
            if prev is None:
                order.append(s.validator)
                by_name[s.validator] = Step(s.validator, s.version, s.action, s.outcome, s.reasons,
                                            s_findings, s.score, s.latency_ns, s.error)
            else:
                prev.outcome = worst(prev.outcome, s.outcome)
                prev.reasons = prev.reasons + tuple(r for r in s.reasons if r not in prev.reasons)
                prev.findings = prev.findings + s_findings
                prev.latency_ns += s.latency_ns
                if s.score is not None:
                    prev.score = s.score if prev.score is None else max(prev.score, s.score)
        offset += len(d.text)
    return Decision(outcome, text, stage=stage, findings=tuple(findings), reasons=tuple(reasons),
                    steps=tuple(by_name[n] for n in order), policy_hash=policy_hash,
                    latency_ns=latency, enforced=not shadow, value=value)


#: validators whose ``fix`` never forms or hides a value another validator looks for: the canonical
#: view undoes invisible characters, and cuts are moved to where later validators are settled
_SAFE_FIXERS = frozenset({"invisible_text", "max_length"})


def order_hazards(validators: list[Any], stage: str) -> list[str]:
    """Orders of validators that weaken a check, in words (for ``guardwrap policy lint``)."""
    notes: list[str] = []
    for i, v in enumerate(validators):
        if v.action != "fix":
            continue
        later = [w for w in validators[i + 1:] if w.action != "warn"]
        if not later:
            continue
        kind = getattr(v, "name", type(v).__name__)
        if kind == "max_length":
            blind = [w.name for w in later if getattr(w, "stream_safe", None) is None]
            if blind:
                notes.append(f"{stage}[{i}] {kind} (fix) cuts the text before {', '.join(blind)}, which "
                             "cannot say where a cut is safe: the cut falls at a word boundary, and a "
                             "value split by it may pass; put max_length last or use action: block")
        elif kind not in _SAFE_FIXERS:
            notes.append(f"{stage}[{i}] {kind} (fix) rewrites the text before "
                         f"{', '.join(w.name for w in later)} check it: they see the rewritten text, "
                         "not what the user sent; put rewriting validators last unless that is intended")
    return notes
