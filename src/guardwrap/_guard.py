"""`Guard`: validators around a call, a decision for each stage, and an audit record for each.

A guard is built once (validators compiled, policy hashed, sinks opened) and is then immutable and
safe to share across threads and tasks; all per-call state lives in a `CallContext`.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from time import perf_counter_ns
from typing import Any

from ._anonymize import MAX_PLACEHOLDER, VaultStore
from ._chain import Chain, merge
from ._context import CallContext, coerce
from ._decision import Decision, worst
from ._errors import Blocked, Escalated, GuardrailError, PolicyError
from ._io import DEFAULT_OUTPUT, Loc, OutputAdapter, PromptSpec
from ._validator import as_validator
from .audit._keys import audit_key as resolve_audit_key
from .audit._keys import hasher
from .audit._record import PolicyInfo, call_record, decision_records
from .audit._sink import Sink
from .resilience import Retry, Static

MODES = ("enforce", "shadow")
#: Lists receiving a copy of every record from every guard (``guardwrap.testing.capture_decisions``).
TAPS: list[list[dict[str, Any]]] = []
_CTX_KW = "gw_context"


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr)


def _describe(v: Any) -> Any:
    d = getattr(v, "describe", None)
    if callable(d):
        return d()
    return {"name": getattr(v, "name", type(v).__name__), "callable": getattr(v, "__qualname__", repr(v))}


def _combine(decisions: list[Decision], stage: str, policy_hash: str, shadow: bool) -> Decision:
    """One decision for several texts of one stage (e.g. several user messages)."""
    if len(decisions) == 1:
        return decisions[0]
    outcome = "pass"
    reasons: list[str] = []
    for d in decisions:
        outcome = worst(outcome, d.outcome)
        reasons.extend(r for r in d.reasons if r not in reasons)
    return Decision(
        outcome,
        decisions[-1].text if decisions else "",
        stage=stage,
        findings=tuple(f for d in decisions for f in d.findings),
        reasons=tuple(reasons),
        steps=tuple(s for d in decisions for s in d.steps),
        policy_hash=policy_hash,
        latency_ns=sum(d.latency_ns for d in decisions),
        enforced=not shadow,
        feedback=tuple(x for d in decisions for x in d.feedback),
    )


class Guard:
    """Input and output validators around LLM calls, with an audit record for every decision.

    >>> import guardwrap as gw
    >>> guard = gw.Guard("demo", input=[gw.MaxLength(chars=20)])  # doctest: +SKIP
    >>> @guard
    ... def ask(prompt: str) -> str: ...

    ``mode="shadow"`` decides and audits everything but changes and blocks nothing: use it to
    roll out a new policy against live traffic before enforcing it.
    """

    def __init__(
        self,
        name: str = "guard",
        input: Iterable[Any] = (),
        output: Iterable[Any] = (),
        *,
        retry: Retry | None = None,
        fallback: Iterable[Callable[..., Any]] = (),
        audit: Sink | str | Sequence[Sink | str] | None = None,
        mode: str = "enforce",
        review: Any = None,
        on_escalate: str = "block",
        audit_key: str | bytes | None = None,
        policy_id: str | None = None,
        policy_version: str | int | None = None,
        policy_hash: str | None = None,
        max_conversations: int = 10_000,
    ) -> None:
        if mode not in MODES:
            raise PolicyError(f"unknown mode {mode!r}", key="mode", expected="enforce | shadow")
        if on_escalate not in ("block", "flag"):
            raise PolicyError(f"unknown on_escalate {on_escalate!r}", key="on_escalate", expected="block | flag")
        if retry is not None and not isinstance(retry, Retry):
            raise PolicyError("retry must be a gw.Retry", key="retry", expected="gw.Retry(...)")
        self.name = name
        self.mode = mode
        self.shadow = mode == "shadow"
        self.input = tuple(as_validator(v, "input") for v in input)
        self.output = tuple(as_validator(v, "output") for v in output)
        self.retry = retry
        self.fallback = tuple(fallback)
        for fb in self.fallback:
            if not callable(fb):
                raise PolicyError(f"fallback {fb!r} is not callable", key="fallback",
                                  expected="callables or gw.Static(text)")
        self.review = review
        self.on_escalate = on_escalate
        self.sinks: tuple[Sink, ...] = self._open_sinks(audit)
        # Sinks that must confirm durability before the call returns (durability="sync") expose
        # ``barrier()``; it is called once per batch of records, so one fsync covers a whole call.
        self._barriers = tuple(b for b in (getattr(s, "barrier", None) for s in self.sinks) if b is not None)
        self._key = resolve_audit_key(audit_key) if self.sinks else None
        self._hash = hasher(self._key) if self._key is not None else None
        if policy_hash is None:
            policy_hash = hashlib.sha256(_canonical(self.describe()).encode()).hexdigest()
        self.policy = PolicyInfo(policy_id or name, policy_version, policy_hash, app=name)
        self.policy_hash = policy_hash
        hash_key = resolve_audit_key(audit_key) if audit_key is not None else None
        self._in = Chain(list(self.input), "input", shadow=self.shadow, policy_hash=policy_hash, hash_key=hash_key)
        self._out = Chain(list(self.output), "output", shadow=self.shadow, policy_hash=policy_hash, hash_key=hash_key)
        self.max_reasks = max((getattr(v, "max_reasks", 1) for v in self.output if v.action == "reask"), default=0)
        self._vaults = VaultStore(max_conversations)

    # -- construction helpers ---------------------------------------------------------------

    @staticmethod
    def _open_sinks(audit: Any) -> tuple[Sink, ...]:
        if audit is None:
            return ()
        items = [audit] if isinstance(audit, (str, Sink)) or not isinstance(audit, Sequence) else list(audit)
        sinks: list[Sink] = []
        for item in items:
            if isinstance(item, str):
                from .audit import JsonlSink  # type: ignore[attr-defined]

                item = JsonlSink(item)
            if not isinstance(item, Sink):
                raise PolicyError(f"{type(item).__name__} is not an audit sink", key="audit",
                                  expected="an object with emit(record), flush() and close(), or a path")
            sinks.append(item)
        return tuple(sinks)

    @classmethod
    def from_policy(cls, path: str, **overrides: Any) -> Guard:
        """Build a guard from a YAML or TOML policy file (see ``docs/policies.md``)."""
        from .policy import load_guard

        return load_guard(path, **overrides)

    def describe(self) -> dict[str, Any]:
        """The guard's configuration as data: what the policy hash covers."""
        return {
            "name": self.name,
            "mode": self.mode,
            "input": [_describe(v) for v in self.input],
            "output": [_describe(v) for v in self.output],
            "retry": self.retry.describe() if self.retry else None,
            "fallback": [_describe(f) for f in self.fallback],
            "on_escalate": self.on_escalate,
        }

    def __repr__(self) -> str:
        return (
            f"Guard({self.name!r}, mode={self.mode!r}, input={[v.name for v in self.input]}, "
            f"output={[v.name for v in self.output]}, policy_hash={self.policy_hash[:12]!r})"
        )

    # -- audit --------------------------------------------------------------------------------

    def _emit(self, records: list[dict[str, Any]]) -> None:
        for tap in TAPS:
            tap.extend(dict(r) for r in records)
        first = True
        for sink in self.sinks:
            for rec in records:
                sink.emit(rec if first else dict(rec))
            first = False
        for barrier in self._barriers:
            barrier()

    def _actor(self, ctx: CallContext) -> str | None:
        actor = ctx.context.actor
        if actor is None or self._hash is None:
            return None
        cached = ctx.state.get("_actor")
        if cached is None:
            cached = ctx.state["_actor"] = self._hash(actor)  # type: ignore[misc]
        return cached  # type: ignore[no-any-return]

    def _audit_decision(self, d: Decision, ctx: CallContext, attempt: int | None = None,
                        fallback_from: str | None = None) -> None:
        if (self.sinks or TAPS) and d.steps:
            records = decision_records(d, self.policy, ctx, self._actor(ctx), attempt=attempt,
                                       fallback_from=fallback_from)
            if d.outcome == "escalated":
                # The review queue references the records that escalated (the originals never change).
                ctx.state.setdefault("_escalated_events", []).extend(
                    r["event_id"] for r in records if r["outcome"] == "escalated")
            self._emit(records)

    def _audit_call(self, ctx: CallContext, t0: int, outcome: str, reasons: Sequence[str],
                    inputs: Sequence[tuple[Loc, str]], output: str | None, *,
                    fallback_from: str | None = None, error: str | None = None) -> None:
        if not (self.sinks or TAPS):
            return
        h = self._hash
        if inputs and h:
            in_hash = h(inputs[0][1] if len(inputs) == 1 else "\n".join(t for _, t in inputs))
        else:
            in_hash = None
        out_hash = h(output) if output is not None and h else None
        self._emit([call_record(self.policy, ctx, self._actor(ctx), outcome=outcome, enforced=not self.shadow,
                                reasons=reasons, input_hash=in_hash, output_hash=out_hash,
                                latency_ns=perf_counter_ns() - t0, attempt=ctx.attempt,
                                fallback_from=fallback_from, error=error)])

    def flush(self, timeout: float | None = None) -> None:
        """Wait until every audit record so far is written (as each sink's durability says)."""
        for s in self.sinks:
            s.flush(timeout)

    def close(self) -> None:
        for s in self.sinks:
            s.close()

    def __enter__(self) -> Guard:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- checking text without a call ------------------------------------------------------------

    def check(self, text: str, stage: str = "input", *, context: Any = None) -> Decision:
        """Run one stage's validators over ``text`` (no LLM call) and audit the decision.

        Never raises for a blocked text: inspect ``decision.outcome``.
        """
        if stage not in ("input", "output"):
            raise ValueError(f"stage must be 'input' or 'output', not {stage!r}")
        ctx = CallContext(self.name, coerce(context), self._vaults)
        chain = self._in if stage == "input" else self._out
        d = chain.run(text, ctx)
        self._audit_decision(d, ctx)
        if d.escalated and self.review is not None:
            d.review_id = self.review.submit(d, ctx=ctx, policy=self.policy)
        return d

    async def acheck(self, text: str, stage: str = "input", *, context: Any = None) -> Decision:
        """`check` for async code. Validators are CPU-bound microseconds, so this does not yield."""
        return self.check(text, stage, context=context)

    # -- wrapping ------------------------------------------------------------------------------

    def __call__(self, fn: Callable[..., Any]) -> Any:
        return self.wrap(fn)

    def wrap(self, fn: Callable[..., Any], *, prompt: str | None = None,
             output: OutputAdapter | None = None) -> Any:
        """Guard ``fn``. ``prompt`` names the argument holding the text when the default
        (first ``str`` argument, or ``messages``) is not right; ``output`` reads/writes the answer
        text of non-``str`` results."""
        spec = PromptSpec(fn, prompt)
        adapter = output or DEFAULT_OUTPUT
        guard = self
        wrapper: Callable[..., Any]
        if inspect.isasyncgenfunction(fn):
            async def wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[str]:
                ctx, t0, texts, args, kwargs = guard._begin(spec, args, kwargs)
                async for piece in guard._astream(ctx, t0, texts, fn(*args, **kwargs)):
                    yield piece
        elif inspect.iscoroutinefunction(fn):
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await guard._acall(spec, adapter, fn, args, kwargs)
        elif inspect.isgeneratorfunction(fn):
            def wrapper(*args: Any, **kwargs: Any) -> Iterator[str]:
                ctx, t0, texts, args, kwargs = guard._begin(spec, args, kwargs)
                yield from guard._stream(ctx, t0, texts, fn(*args, **kwargs))
        else:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return guard._call(spec, adapter, fn, args, kwargs)
        functools.update_wrapper(wrapper, fn)
        wrapper.guard = self  # type: ignore[attr-defined]
        return wrapper

    # -- the call, in stages ------------------------------------------------------------------------

    def _begin(self, spec: PromptSpec, args: Sequence[Any], kwargs: dict[str, Any]
               ) -> tuple[CallContext, int, list[tuple[Loc, str]], tuple[Any, ...], dict[str, Any]]:
        """Context and input stage. Returns the arguments to call with (fixed in enforce mode)."""
        t0 = perf_counter_ns()
        ctx = CallContext(self.name, coerce(kwargs.pop(_CTX_KW, None)), self._vaults)
        texts = spec.locate(args, kwargs)
        if not self._in.links:
            ctx.prompt = texts[-1][1] if texts else None
            return ctx, t0, texts, tuple(args), kwargs
        decisions = [self._in.run(t, ctx) for _, t in texts]
        for d in decisions:
            self._audit_decision(d, ctx)
        if not decisions:
            ctx.prompt = None
            return ctx, t0, texts, tuple(args), kwargs
        d = _combine(decisions, "input", self.policy_hash, self.shadow)
        if not self.shadow:
            self._enforce_stop(d, ctx, t0, texts)
            fixed = [(loc, dd.text) for (loc, t), dd in zip(texts, decisions, strict=True) if dd.text != t]
            if fixed:
                args, kwargs = spec.replace(args, kwargs, fixed)
        ctx.prompt = d.text if not self.shadow else texts[-1][1]
        ctx.state["_input_outcome"] = d.outcome
        return ctx, t0, texts, tuple(args), kwargs

    def _enforce_stop(self, d: Decision, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]]) -> None:
        """Raise `Blocked` / `Escalated` for a decision that stops the call (enforce mode)."""
        if d.outcome == "blocked":
            self._audit_call(ctx, t0, "blocked", d.reasons, texts, None)
            raise Blocked(d)
        if d.outcome == "escalated":
            if self.review is not None:
                d.review_id = self.review.submit(d, ctx=ctx, policy=self.policy)
            if self.on_escalate == "block":
                self._audit_call(ctx, t0, "escalated", d.reasons, texts, None)
                raise Escalated(d)
        ctx.state["_input_outcome"] = d.outcome

    def _invoke(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Any, str | None]:
        """Call ``fn`` (with retries), then the fallbacks in order. Returns the result and, when a
        fallback answered, the name of what it replaced."""
        targets = (fn, *self.fallback)
        for i, target in enumerate(targets):
            try:
                if self.retry is not None and not isinstance(target, Static):
                    result = self.retry.call(target, args, kwargs)
                else:
                    result = target(*args, **kwargs)
                return result, (getattr(fn, "__name__", "call") if i else None)
            except Exception:
                if i == len(targets) - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _ainvoke(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Any, str | None]:
        targets = (fn, *self.fallback)
        for i, target in enumerate(targets):
            try:
                if self.retry is not None and inspect.iscoroutinefunction(target):
                    result = await self.retry.acall(target, args, kwargs)
                elif self.retry is not None and not isinstance(target, Static):
                    result = self.retry.call(target, args, kwargs)
                else:
                    result = target(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
                return result, (getattr(fn, "__name__", "call") if i else None)
            except Exception:
                if i == len(targets) - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _output(self, ctx: CallContext, adapter: OutputAdapter, result: Any, fallback_from: str | None
                ) -> tuple[Decision | None, str | None]:
        """Run the output stage over one answer. Returns the decision (None if nothing ran)."""
        text = adapter.get(result)
        if text is None:
            if self._out.links:
                raise GuardrailError(
                    f"the guarded function returned {type(result).__name__}, but output validators "
                    "need text: return str, or pass guard.wrap(fn, output=...) an adapter"
                )
            return None, None
        if not self._out.links:
            return None, text
        d = self._out.run(text, ctx)
        self._audit_decision(d, ctx, attempt=ctx.attempt, fallback_from=fallback_from)
        return d, text

    def _reask_args(self, spec: PromptSpec, d: Decision, ctx: CallContext, args: Sequence[Any],
                    kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """Arguments for one more attempt when the answer failed only re-ask validators."""
        if self.shadow or not d.blocked or ctx.attempt > self.max_reasks or not self._out.wants_reask(d):
            return None
        return spec.with_feedback(args, kwargs, spec.locate(args, kwargs), reask_feedback(d))

    def _finish(self, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]], adapter: OutputAdapter,
                result: Any, d: Decision | None, fallback_from: str | None) -> Any:
        """Enforce the output decision, restore pseudonyms, write the call record."""
        in_outcome = ctx.state.get("_input_outcome", "pass")
        if d is None:
            out = adapter.get(result)
            if out is not None and ctx.has_vault and not self.shadow:
                result = adapter.set(result, ctx.vault().restore(out))
                out = adapter.get(result)
            self._audit_call(ctx, t0, in_outcome, (), texts, out, fallback_from=fallback_from)
            return result
        outcome = worst(in_outcome, d.outcome)
        if self.shadow:
            self._audit_call(ctx, t0, outcome, d.reasons, texts, d.text, fallback_from=fallback_from)
            return result
        if d.outcome == "blocked":
            self._audit_call(ctx, t0, "blocked", d.reasons, texts, None, fallback_from=fallback_from)
            raise Blocked(d)
        if d.outcome == "escalated":
            if self.review is not None:
                d.review_id = self.review.submit(d, ctx=ctx, policy=self.policy)
            if self.on_escalate == "block":
                self._audit_call(ctx, t0, "escalated", d.reasons, texts, None, fallback_from=fallback_from)
                raise Escalated(d)
        final = d.text
        if ctx.has_vault:
            final = ctx.vault().restore(final)
        self._audit_call(ctx, t0, outcome, d.reasons, texts, final, fallback_from=fallback_from)
        return adapter.set(result, final, d.value)

    def _call(self, spec: PromptSpec, adapter: OutputAdapter, fn: Callable[..., Any],
              args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        ctx, t0, texts, args, kwargs = self._begin(spec, args, kwargs)
        while True:
            try:
                result, fallback_from = self._invoke(fn, args, kwargs)
            except Exception as exc:
                self._audit_call(ctx, t0, "error", (), texts, None, error=type(exc).__name__)
                raise
            if adapter is DEFAULT_OUTPUT and not isinstance(result, str) and hasattr(result, "__next__"):
                return self._stream(ctx, t0, texts, result)
            d, _ = self._output(ctx, adapter, result, fallback_from)
            if d is not None:
                new = self._reask_args(spec, d, ctx, args, kwargs)
                if new is not None:
                    args, kwargs = new
                    ctx.attempt += 1
                    continue
            return self._finish(ctx, t0, texts, adapter, result, d, fallback_from)

    async def _acall(self, spec: PromptSpec, adapter: OutputAdapter, fn: Callable[..., Any],
                     args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        ctx, t0, texts, args, kwargs = self._begin(spec, args, kwargs)
        while True:
            try:
                result, fallback_from = await self._ainvoke(fn, args, kwargs)
            except Exception as exc:
                self._audit_call(ctx, t0, "error", (), texts, None, error=type(exc).__name__)
                raise
            if adapter is DEFAULT_OUTPUT and not isinstance(result, str) and hasattr(result, "__anext__"):
                return self._astream(ctx, t0, texts, result)
            d, _ = self._output(ctx, adapter, result, fallback_from)
            if d is not None:
                new = self._reask_args(spec, d, ctx, args, kwargs)
                if new is not None:
                    args, kwargs = new
                    ctx.attempt += 1
                    continue
            return self._finish(ctx, t0, texts, adapter, result, d, fallback_from)

    # -- streaming ----------------------------------------------------------------------------------

    def _stream(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Iterable[str]) -> Iterator[str]:
        proc = _StreamState(self, ctx)
        it = iter(source)
        try:
            for chunk in it:
                yield from proc.feed(chunk)
            yield from proc.finish()
        except GuardrailError:
            proc.close_blocked(t0, texts)
            raise
        except Exception as exc:
            self._audit_call(ctx, t0, "error", (), texts, None, error=type(exc).__name__)
            raise
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                close()
        proc.close_ok(t0, texts)

    async def _astream(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Any) -> AsyncIterator[str]:
        proc = _StreamState(self, ctx)
        try:
            async for chunk in source:
                for piece in proc.feed(chunk):
                    yield piece
            for piece in proc.finish():
                yield piece
        except GuardrailError:
            proc.close_blocked(t0, texts)
            raise
        except Exception as exc:
            self._audit_call(ctx, t0, "error", (), texts, None, error=type(exc).__name__)
            raise
        finally:
            aclose = getattr(source, "aclose", None)
            if aclose is not None:
                await aclose()
        proc.close_ok(t0, texts)


def reask_feedback(d: Decision) -> str:
    """What a re-ask tells the model: which checks failed and how, never the offending values."""
    details = "; ".join(d.feedback) if d.feedback else ", ".join(d.reasons)
    return (
        "Your previous answer did not pass validation: "
        f"{details}. Answer again and make sure the answer satisfies these requirements."
    )


class _StreamState:
    """Validate a stream segment by segment, releasing only text every validator considers settled."""

    def __init__(self, guard: Guard, ctx: CallContext) -> None:
        self.guard = guard
        self.chain = guard._out
        self.ctx = ctx
        self.pending = ""
        self.decisions: list[Decision] = []
        self.out: list[str] = []
        self.raw: list[str] = []
        ctx.streaming = True

    def _holdback_placeholder(self, safe: int) -> int:
        if not self.ctx.has_vault:
            return safe
        lt = self.pending.rfind("<", 0, safe)
        if lt >= 0 and self.pending.find(">", lt) < 0 and safe - lt <= MAX_PLACEHOLDER:
            return lt
        return safe

    def _run(self, seg: str, final: bool) -> str:
        ctx = self.ctx
        ctx.final = final
        d = self.chain.run(seg, ctx)
        self.decisions.append(d)
        guard = self.guard
        if d.outcome == "escalated" and guard.review is not None and not guard.shadow \
                and "_review_id" not in ctx.state:  # one case per stream, however many segments escalate
            d.review_id = ctx.state["_review_id"] = guard.review.submit(d, ctx=ctx, policy=guard.policy)
        if not guard.shadow and (d.outcome == "blocked" or (d.outcome == "escalated" and guard.on_escalate == "block")):
            merged = self._merged()
            raise (Blocked(merged) if d.outcome == "blocked" else Escalated(merged))
        text = d.text if not self.guard.shadow else seg
        if ctx.has_vault:
            text = ctx.vault().restore(text)
        self.out.append(text)
        return text

    def feed(self, chunk: Any) -> list[str]:
        if not isinstance(chunk, str):
            raise GuardrailError(f"guarded streams must yield str, got {type(chunk).__name__}")
        if self.guard.shadow:
            self.raw.append(chunk)
            return [chunk]
        self.pending += chunk
        if not self.chain.streamable:
            return []
        safe = self._holdback_placeholder(self.chain.safe_boundary(self.pending))
        if safe <= 0:
            return []
        seg, self.pending = self.pending[:safe], self.pending[safe:]
        return [self._run(seg, False)]

    def finish(self) -> list[str]:
        if self.guard.shadow:
            self._run("".join(self.raw), True)
            return []
        seg, self.pending = self.pending, ""
        if seg or not self.decisions:
            text = self._run(seg, True)
            return [text] if text else []
        return []

    def _merged(self) -> Decision:
        d = merge(self.decisions, "output", self.guard.policy_hash, self.guard.shadow, "".join(self.out))
        d.review_id = self.ctx.state.get("_review_id", d.review_id)
        return d

    def close_ok(self, t0: int, texts: list[tuple[Loc, str]]) -> None:
        d = self._merged()
        self.guard._audit_decision(d, self.ctx, attempt=self.ctx.attempt)
        outcome = worst(self.ctx.state.get("_input_outcome", "pass"), d.outcome)
        self.guard._audit_call(self.ctx, t0, outcome, d.reasons, texts, "".join(self.out))

    def close_blocked(self, t0: int, texts: list[tuple[Loc, str]]) -> None:
        if not self.decisions:
            return
        d = self._merged()
        self.guard._audit_decision(d, self.ctx, attempt=self.ctx.attempt)
        self.guard._audit_call(self.ctx, t0, d.outcome, d.reasons, texts, None)
