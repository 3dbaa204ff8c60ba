"""`Guard`: validators around a call, a decision for each stage, and an audit record for each.

A guard is built once (validators compiled, policy hashed, sinks opened) and is then immutable and
safe to share across threads and tasks; all per-call state lives in a `CallContext`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import logging
import sys
import threading
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from time import perf_counter_ns
from time import time as _now
from typing import Any, NoReturn, ParamSpec, Protocol, TypeVar, overload

from ._anonymize import MAX_PLACEHOLDER, VaultStore
from ._chain import Chain, merge
from ._context import CallContext, coerce
from ._context import current as current_context
from ._decision import Decision, Step, worst
from ._errors import Blocked, Escalated, GuardrailError, PolicyError, UncheckedInput
from ._io import DEFAULT_OUTPUT, Loc, OutputAdapter, PromptSpec
from ._restore import RestoreError, restore_value
from ._texts import check_texts, check_tool_args
from ._validator import as_validator
from ._walk import TooManyTexts, is_structured, replace, walk
from .audit._keys import audit_key as resolve_audit_key
from .audit._keys import hasher
from .audit._record import DeferredDecision, PolicyInfo, event_record, records_of
from .audit._sink import Sink
from .resilience import (
    CallTimeout,
    CircuitBreaker,
    CircuitOpen,
    Retry,
    Static,
    acall_with_timeout,
    call_with_timeout,
)

log = logging.getLogger("guardwrap")
MODES = ("enforce", "shadow")
#: Lists receiving a copy of every record from every guard (``guardwrap.testing.capture_decisions``).
TAPS: list[list[dict[str, Any]]] = []
_CTX_KW = "gw_context"

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class _Decorator(Protocol):
    """What ``guard.wrap(prompt=...)`` returns: a decorator that keeps the signature."""

    def __call__(self, fn: Callable[P, R], /) -> Callable[P, R]: ...


class _ReturningDecorator(Protocol[T_co]):
    """What ``guard.wrap(returns=T)`` returns: a decorator whose result returns ``T``."""

    @overload
    def __call__(self, fn: Callable[P, Awaitable[Any]], /) -> Callable[P, Coroutine[Any, Any, T_co]]: ...
    @overload
    def __call__(self, fn: Callable[P, Any], /) -> Callable[P, T_co]: ...


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr)


def _describe(v: Any) -> Any:
    d = getattr(v, "describe", None)
    if callable(d):
        return d()
    return {"name": getattr(v, "name", type(v).__name__), "callable": getattr(v, "__qualname__", repr(v))}


def _target_name(target: Any) -> str:
    return getattr(target, "__name__", None) or type(target).__name__


def _outcome_of(exc: BaseException) -> str:
    """The call record's outcome for a call that ended with ``exc``."""
    if isinstance(exc, CallTimeout):
        return "timeout"
    if isinstance(exc, GeneratorExit):
        return "abandoned"  # the reader closed (or dropped) the stream before its end
    aio = sys.modules.get("asyncio")
    if (aio is not None and isinstance(exc, aio.CancelledError)) or isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return "cancelled"  # task cancelled, asyncio.wait_for ran out, or the process is stopping
    return "error"


class _Deadline:
    """Pulls a sync stream on a helper thread so that it can be given up at ``timeout``.

    A stalled ``next()`` cannot be interrupted in Python: at the deadline the guard raises
    `CallTimeout` and leaves the helper blocked in it; the helper closes the stream when it returns.
    Items are fetched one at a time, on demand, never ahead of the reader.
    """

    def __init__(self, source: Iterable[Any], timeout: float, name: str) -> None:
        import contextvars

        self.it = iter(source)
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.name = name
        self.run = contextvars.copy_context().run
        self.want = threading.Semaphore(0)
        self.got = threading.Semaphore(0)
        self.box: tuple[int, Any] = (0, None)
        self.abandoned = False
        self.thread: threading.Thread | None = None

    def _work(self) -> None:
        while True:
            self.want.acquire()
            if self.abandoned:
                break
            try:
                self.box = (0, self.run(next, self.it))
            except StopIteration:
                self.box = (1, None)
            except BaseException as exc:
                self.box = (2, exc)
            stop = self.box[0] != 0 or self.abandoned
            self.got.release()
            if stop:
                break
        if self.abandoned:
            close = getattr(self.it, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()

    def __iter__(self) -> _Deadline:
        return self

    def __next__(self) -> Any:
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name=f"guardwrap-stream-{self.name}", daemon=True)
            self.thread.start()
        self.want.release()
        if not self.got.acquire(timeout=max(0.0, self.deadline - time.monotonic())):
            self.abandoned = True
            raise CallTimeout(self.name, self.timeout)
        kind, value = self.box
        if kind == 1:
            raise StopIteration
        if kind == 2:
            raise value
        return value

    def close(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            close = getattr(self.it, "close", None)
            if close is not None:
                close()
            return
        self.abandoned = True  # the helper closes the stream when its pending next() returns
        self.want.release()



async def _anext_by(source: Any, deadline: float, timeout: float, name: str) -> Any:
    import asyncio

    try:
        return await asyncio.wait_for(source.__anext__(), max(0.0, deadline - time.monotonic()))
    except asyncio.TimeoutError as exc:  # TimeoutError on 3.11+, distinct on 3.10
        raise CallTimeout(name, timeout) from exc


async def _atimed(source: Any, timeout: float, name: str) -> AsyncIterator[Any]:
    """An async stream that raises `CallTimeout` when it is not done ``timeout`` seconds from now."""
    deadline = time.monotonic() + timeout
    it = source.__aiter__()
    while True:
        try:
            item = await _anext_by(it, deadline, timeout, name)
        except StopAsyncIteration:
            return
        yield item


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
        timeout: float | None = None,
        breaker: CircuitBreaker | None = None,
        fallback_on_block: bool = False,
        audit: Sink | str | Sequence[Sink | str] | None = None,
        mode: str = "enforce",
        review: Any = None,
        on_escalate: str = "block",
        audit_key: str | bytes | None = None,
        policy_id: str | None = None,
        policy_version: str | int | None = None,
        policy_hash: str | None = None,
        max_conversations: int = 10_000,
        max_texts: int = 10_000,
        unreadable: str = "block",
        unchecked_roles: Iterable[str] = (),
    ) -> None:
        if mode not in MODES:
            raise PolicyError(f"unknown mode {mode!r}", key="mode", expected="enforce | shadow")
        if on_escalate not in ("block", "flag"):
            raise PolicyError(f"unknown on_escalate {on_escalate!r}", key="on_escalate", expected="block | flag")
        if unreadable not in ("block", "allow"):
            raise PolicyError(f"unknown unreadable {unreadable!r}", key="unreadable", expected="block | allow")
        if isinstance(max_texts, bool) or not isinstance(max_texts, int) or max_texts < 1:
            raise PolicyError(f"max_texts is {max_texts!r}", key="max_texts", expected="an integer >= 1")
        if isinstance(unchecked_roles, str):
            unchecked_roles = (unchecked_roles,)
        #: what a call may hand the model that the guard cannot read: "block" (fail closed) or
        #: "allow" (recorded as unchecked)
        self.unreadable = unreadable
        self.max_texts = max_texts
        #: message roles not checked (e.g. ("system",) for a trusted system prompt)
        self.unchecked_roles = tuple(unchecked_roles)
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
        if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool)
                                    or timeout <= 0):
            raise PolicyError(f"timeout must be a positive number of seconds, not {timeout!r}",
                              key="timeout", expected="seconds > 0 or None")
        if breaker is not None and not isinstance(breaker, CircuitBreaker):
            raise PolicyError("breaker must be a gw.CircuitBreaker", key="breaker",
                              expected="gw.CircuitBreaker(failures=5, cooldown=30.0)")
        self.timeout = None if timeout is None else float(timeout)
        self.breaker = breaker
        self.fallback_on_block = bool(fallback_on_block)
        # Nothing between the call and its result: the hot path calls the function directly.
        self._plain = retry is None and not self.fallback and breaker is None and timeout is None
        self.review = review
        self.on_escalate = on_escalate
        self.sinks: tuple[Sink, ...] = self._open_sinks(audit)
        # Sinks that must confirm durability before the call returns (durability="sync") expose
        # ``barrier()``; it is called once per batch of records, so one fsync covers a whole call.
        self._barriers = tuple(b for b in (getattr(s, "barrier", None) for s in self.sinks) if b is not None)
        self._deferred = bool(self.sinks) and all(getattr(s, "accepts_deferred", False) for s in self.sinks)
        # Sinks with layout "call" get one record per call, its decisions embedded: the call's
        # decisions are kept on its context until the call record is written.
        self._call_layout = any(getattr(s, "layout", "decision") == "call" for s in self.sinks)
        self._decision_sinks = tuple(s for s in self.sinks if getattr(s, "layout", "decision") != "call")
        self._key = resolve_audit_key(audit_key) if self.sinks else None
        self._hash = hasher(self._key) if self._key is not None else None
        if policy_hash is None:
            policy_hash = hashlib.sha256(_canonical(self.describe()).encode()).hexdigest()
        self.policy = PolicyInfo(policy_id or name, policy_version, policy_hash, app=name)
        self.policy_hash = policy_hash
        hash_key = resolve_audit_key(audit_key) if audit_key is not None else None
        self._in = Chain(list(self.input), "input", shadow=self.shadow, policy_hash=policy_hash, hash_key=hash_key)
        self._out = Chain(list(self.output), "output", shadow=self.shadow, policy_hash=policy_hash, hash_key=hash_key)
        self._out_tools = Chain([v for v in self.output if getattr(v, "tool_calls", True)], "output",
                                shadow=self.shadow, policy_hash=policy_hash, hash_key=hash_key)
        self.max_reasks = max((getattr(v, "max_reasks", 1) for v in self.output if v.action == "reask"), default=0)
        self._vaults = VaultStore(max_conversations)
        # No validator and nothing around the call (retries, fallbacks, timeout, breaker): a sync
        # call then only needs its context, the model's result and one call record.
        self._bare = self._plain and not self._in.links and not self._out.links

    # -- construction helpers ---------------------------------------------------------------

    @staticmethod
    def _open_sinks(audit: Any) -> tuple[Sink, ...]:
        if audit is None:
            return ()
        items = [audit] if isinstance(audit, (str, Sink)) or not isinstance(audit, Sequence) else list(audit)
        sinks: list[Sink] = []
        for item in items:
            if isinstance(item, str):
                from .audit import JsonlSink

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

        guard: Guard = load_guard(path, **overrides)
        return guard

    def describe(self) -> dict[str, Any]:
        """The guard's configuration as data: what the policy hash covers."""
        return {
            "name": self.name,
            "mode": self.mode,
            "input": [_describe(v) for v in self.input],
            "output": [_describe(v) for v in self.output],
            "retry": self.retry.describe() if self.retry else None,
            "fallback": [_describe(f) for f in self.fallback],
            "timeout": self.timeout,
            "breaker": self.breaker.describe() if self.breaker else None,
            "fallback_on_block": self.fallback_on_block,
            "on_escalate": self.on_escalate,
            "unreadable": self.unreadable,
            "unchecked_roles": sorted(self.unchecked_roles),
        }

    def __repr__(self) -> str:
        return (
            f"Guard({self.name!r}, mode={self.mode!r}, input={[v.name for v in self.input]}, "
            f"output={[v.name for v in self.output]}, policy_hash={self.policy_hash[:12]!r})"
        )

    # -- audit --------------------------------------------------------------------------------

    def _emit(self, records: list[dict[str, Any]], sinks: Sequence[Sink] | None = None) -> None:
        for tap in TAPS:
            tap.extend(dict(r) for r in records)
        first = True
        for sink in self.sinks if sinks is None else sinks:
            for rec in records:
                sink.emit(rec if first else dict(rec))
            first = False
        for barrier in self._barriers:
            barrier()

    def _audit_decision(self, d: Decision, ctx: CallContext, attempt: int | None = None,
                        fallback_from: str | None = None, standalone: bool = False) -> None:
        if not ((self.sinks or TAPS) and d.steps):
            return
        pending = DeferredDecision(d, self.policy, ctx, self._hash, attempt, fallback_from)
        if d.outcome == "escalated":
            # The review queue references the records that escalated (the originals never change).
            ctx.state.setdefault("_escalated_events", []).extend(
                eid for s, eid in zip(d.steps, pending.event_ids, strict=True) if s.outcome == "escalated")
        if self._call_layout:
            if standalone:  # a check without a call: its own record, steps embedded
                self._hand_off(pending, tuple(s for s in self.sinks if s not in self._decision_sinks), taps=False)
            elif ctx.audit is None:
                ctx.audit = [pending]
            else:
                ctx.audit.append(pending)
            if not (self._decision_sinks or TAPS):
                return
        self._hand_off(pending, self._decision_sinks if self._call_layout else None)

    def _audit_call(self, ctx: CallContext, t0: int, outcome: str, reasons: Sequence[str],
                    inputs: Sequence[tuple[Loc, str]], output: str | None, fallback_from: str | None = None,
                    error: str | None = None, extra: dict[str, Any] | None = None) -> None:
        """Hand the call's one ``call`` record to the sinks (a second call is a no-op)."""
        if ctx.recorded or not (self.sinks or TAPS):
            return
        ctx.recorded = True
        # ``_record.call_item``, built inline: this runs on every call. ``ctx.model_ns`` (the
        # model's own time, so reports can tell the guard's overhead from it) becomes ``model_us``.
        item = (self.policy, ctx, self._hash, outcome, not self.shadow, reasons, inputs, output,
                perf_counter_ns() - t0, fallback_from, error, extra, ctx.audit, _now(), ctx.model_ns)
        # The item holds the call's decisions now (layout "call"); each refers to the context, so
        # the context letting go of them leaves no reference cycle: a queue of calls waiting for
        # the writer is then freed by reference counting, not by the garbage collector (which
        # otherwise found ~30 objects of every call in its full collections, on the caller's thread).
        ctx.audit = None
        if self._deferred and not TAPS:
            for sink in self.sinks:
                sink.emit(item)  # type: ignore[arg-type]
            for barrier in self._barriers:
                barrier()
            return
        self._hand_off(item)

    def _end_call(self, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]], exc: BaseException,
                  extra: dict[str, Any] | None = None) -> None:
        """The call record of a call that ends with ``exc``, unless it has one already: outcome
        ``timeout``, ``cancelled``, ``abandoned`` (a stream nobody reads any more) or ``error``."""
        if ctx.recorded or not (self.sinks or TAPS):
            return
        try:
            self._audit_call(ctx, t0, _outcome_of(exc), (), texts, None, error=type(exc).__name__, extra=extra)
        except Exception as audit_exc:  # the call's own exception matters more; the sink counted the loss
            log.error("guardwrap: the call record of a failed call could not be handed to the audit "
                      "sinks (%s)", type(audit_exc).__name__)

    def _begin_failed(self, exc: BaseException) -> None:
        """A call that failed before its context existed (a bad ``gw_context``, an input the guard
        cannot read): still one call record, under a context of its own."""
        if isinstance(exc, Blocked) or not (self.sinks or TAPS):
            return  # a blocked input has its call record already
        self._end_call(CallContext(self.name, current_context(), None), perf_counter_ns(), (), exc)

    def _hand_off(self, pending: tuple[Any, ...] | DeferredDecision, sinks: Sequence[Sink] | None = None,
                  taps: bool = True) -> None:
        """Give records to the sinks: deferred to their writer threads when every sink builds its
        own (the caller then only enqueues), else built here."""
        targets = self.sinks if sinks is None else sinks
        if self._deferred and not (TAPS and taps):
            for sink in targets:
                sink.emit(pending)  # type: ignore[arg-type]
            for barrier in self._barriers:
                barrier()
            return
        if taps and TAPS:
            recs = records_of(pending, "decision")
            for tap in TAPS:
                tap.extend(dict(r) for r in recs)
        if not targets:
            return
        by_layout: dict[str, list[Sink]] = {}
        for sink in targets:
            by_layout.setdefault(getattr(sink, "layout", "decision"), []).append(sink)
        for layout, group in by_layout.items():
            records = records_of(pending, layout)
            first = True
            for sink in group:
                for rec in records:
                    sink.emit(rec if first else dict(rec))
                first = False
        for barrier in self._barriers:
            barrier()

    def flush(self, timeout: float | None = None) -> None:
        """Wait until every audit record so far is written (as each sink's durability says)."""
        for s in self.sinks:
            s.flush(timeout)

    def close(self) -> None:
        """Flush and close the guard's audit sinks (also on leaving a ``with guard:`` block)."""
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
        self._audit_decision(d, ctx, standalone=True)
        if d.escalated and self.review is not None:
            d.review_id = self.review.submit(d, ctx=ctx, policy=self.policy)
        return d

    async def acheck(self, text: str, stage: str = "input", *, context: Any = None) -> Decision:
        """`check` for async code. Validators are CPU-bound microseconds, so this does not yield."""
        return self.check(text, stage, context=context)

    # -- wrapping ------------------------------------------------------------------------------

    def __call__(self, fn: Callable[P, R]) -> Callable[P, R]:
        """Guard ``fn`` (``@guard`` on a function): the same as ``guard.wrap(fn)``.

        The guarded function keeps ``fn``'s signature for type checkers. Sync and async
        functions, generators and async generators (streams) are all supported.
        """
        return self.wrap(fn)

    @overload
    def wrap(self, fn: Callable[P, R], *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None) -> Callable[P, R]: ...
    @overload
    def wrap(self, fn: Callable[P, Awaitable[Any]], *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None, returns: type[T]) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def wrap(self, fn: Callable[P, Any], *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None, returns: type[T]) -> Callable[P, T]: ...
    @overload
    def wrap(self, fn: None = None, *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None) -> _Decorator: ...
    @overload
    def wrap(self, fn: None = None, *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None, returns: type[T]) -> _ReturningDecorator[T]: ...

    def wrap(self, fn: Callable[..., Any] | None = None, *, prompt: str | Sequence[str] | None = None,
             output: OutputAdapter | None = None, returns: type[Any] | None = None) -> Any:
        """Guard ``fn``; without ``fn``, a decorator (``@guard.wrap(prompt="question")``).

        By default every argument that reaches the model is checked (every string, every message
        of every role, nested values); ``prompt`` names exactly the argument(s) to check instead. ``output`` reads and writes the answer text of
        results that are not ``str`` (the SDK clients pass their own). ``returns`` declares the type
        an output `JsonSchema` validates the answer into, so that a type checker sees what the
        call really returns (``ask = guard.wrap(call_model, returns=Answer)`` is ``(str) -> Answer``
        even though ``call_model`` returns the model's JSON text); it needs an output `JsonSchema`
        and ``mode="enforce"``, and is checked here, once.
        """
        if fn is None:
            return functools.partial(self.wrap, prompt=prompt, output=output, returns=returns)
        if returns is not None:
            self._check_returns(fn, returns)
        return self._wrap(fn, prompt, output)

    def _check_returns(self, fn: Callable[..., Any], returns: Any) -> None:
        from .schema import JsonSchema

        where = getattr(fn, "__qualname__", repr(fn))
        if not isinstance(returns, type):
            raise PolicyError(f"wrap({where}, returns={returns!r}): returns must be a type", key="returns",
                              expected="the type the output JsonSchema validates into, e.g. returns=Answer")
        if not any(isinstance(v, JsonSchema) for v in self.output):
            raise PolicyError(f"wrap({where}, returns={returns.__name__}): the guard has no output "
                              "JsonSchema, so the call returns the model's text", key="returns",
                              expected="output=[gw.JsonSchema(...)] or no returns=")
        if self.shadow:
            raise PolicyError(f"wrap({where}, returns={returns.__name__}): a shadow guard changes nothing, "
                              "so the call returns the model's text", key="returns",
                              expected='mode="enforce" or no returns=')
        if inspect.isasyncgenfunction(fn) or inspect.isgeneratorfunction(fn):
            raise PolicyError(f"wrap({where}, returns={returns.__name__}): a stream yields text, not one "
                              "validated object", key="returns", expected="a function returning one answer")

    def _wrap(self, fn: Callable[..., Any], prompt: str | Sequence[str] | None,
              output: OutputAdapter | None) -> Any:
        spec = PromptSpec(fn, prompt, self.unchecked_roles)
        adapter = output or DEFAULT_OUTPUT
        guard = self
        wrapper: Any
        name = _target_name(fn)
        if inspect.isasyncgenfunction(fn):
            async def wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[str]:
                try:
                    ctx, t0, texts, args, kwargs = guard._begin(spec, args, kwargs)
                except BaseException as exc:
                    guard._begin_failed(exc)
                    raise
                try:
                    source = fn(*args, **kwargs)
                except BaseException as exc:
                    guard._end_call(ctx, t0, texts, exc)
                    raise
                inner = guard._astream(ctx, t0, texts, source, name)
                try:
                    async for piece in inner:
                        yield piece
                finally:  # a reader that stops early closes this generator: pass that on
                    await inner.aclose()
        elif inspect.iscoroutinefunction(fn) and self._bare and adapter is DEFAULT_OUTPUT:
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await guard._acall_bare(spec, fn, args, kwargs)
        elif inspect.iscoroutinefunction(fn):
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                return await guard._acall(spec, adapter, fn, args, kwargs)
        elif inspect.isgeneratorfunction(fn):
            def wrapper(*args: Any, **kwargs: Any) -> Iterator[str]:
                try:
                    ctx, t0, texts, args, kwargs = guard._begin(spec, args, kwargs)
                except BaseException as exc:
                    guard._begin_failed(exc)
                    raise
                try:
                    source = fn(*args, **kwargs)
                except BaseException as exc:
                    guard._end_call(ctx, t0, texts, exc)
                    raise
                yield from guard._stream(ctx, t0, texts, source, name)
        elif self._bare and adapter is DEFAULT_OUTPUT:
            # nothing to check and nothing around the call: only the call record (see _call_bare)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return guard._call_bare(spec, fn, args, kwargs)
        elif self._plain and not self._out.links and adapter is DEFAULT_OUTPUT:
            # input validators only, nothing around the call (see _call_in)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return guard._call_in(spec, fn, args, kwargs)
        else:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return guard._call(spec, adapter, fn, args, kwargs)
        functools.update_wrapper(wrapper, fn)
        wrapper.guard = self
        return wrapper

    # -- the call, in stages ------------------------------------------------------------------------

    def _begin(self, spec: PromptSpec, args: Sequence[Any], kwargs: dict[str, Any]
               ) -> tuple[CallContext, int, list[tuple[Loc, str]], tuple[Any, ...], dict[str, Any]]:
        """Context and input stage. Returns the arguments to call with (fixed in enforce mode)."""
        t0 = perf_counter_ns()
        ctx = CallContext(self.name, coerce(kwargs.pop(_CTX_KW, None)), self._vaults)
        if not self._in.links:  # nothing to check: the texts only feed the audit's input hash
            texts = spec.texts(args, kwargs, self.max_texts) if self.sinks or TAPS else []
            ctx.prompt = texts[-1][1] if texts else None
            return ctx, t0, texts, tuple(args), kwargs
        plain = spec.plain_texts(args, kwargs)
        if plain is not None and len(plain) <= self.max_texts:  # plain string arguments: no walk
            texts = plain
        else:
            try:
                found = spec.locate(args, kwargs, self.max_texts)
            except TooManyTexts:
                self._unchecked(ctx, t0, [], "too-many-texts",
                                f"the call passes more than {self.max_texts} texts to the model "
                                "(raise Guard(max_texts=...) if that is expected)", always=True)
                return ctx, t0, [], tuple(args), kwargs  # shadow mode: recorded, not checked
            texts = [(leaf.path, leaf.text) for leaf in found.leaves]
        if plain is None and found.unreadable:
            self._unchecked(ctx, t0, texts, "unreadable-input",
                            "cannot read " + ", ".join(found.unreadable[:5])
                            + (" ..." if len(found.unreadable) > 5 else "")
                            + ": pass text or messages, name the checked arguments with "
                            "guard.wrap(fn, prompt=...), or build the guard with unreadable='allow'")
        if not texts:
            ctx.prompt = None
            return ctx, t0, texts, tuple(args), kwargs
        d, fixed = check_texts(self._in, [texts[0][1]] if len(texts) == 1 else [t for _, t in texts], ctx,
                               stop_on_block=not self.shadow)
        self._audit_decision(d, ctx)
        if not self.shadow:
            if d.outcome == "blocked" or d.outcome == "escalated":
                self._enforce_stop(d, ctx, t0, texts)
            if len(texts) == 1:  # (the common call)
                changes = [(texts[0][0], fixed[0])] if fixed[0] is not texts[0][1] else []
            else:
                changes = [(loc, new) for (loc, old), new in zip(texts, fixed, strict=True) if new is not old]
            if changes:
                if plain is not None:  # each text is a whole positional argument
                    new_args = list(args)
                    for loc, new in changes:
                        new_args[loc[0][1]] = new
                    args = tuple(new_args)
                else:
                    args, kwargs = spec.replace(args, kwargs, changes)
        ctx.prompt = fixed[-1] if not self.shadow else texts[-1][1]
        ctx.state["_input_outcome"] = d.outcome
        return ctx, t0, texts, tuple(args), kwargs

    def _unchecked(self, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]], reason: str,
                   message: str, *, always: bool = False) -> None:
        """Part of the call cannot be checked: fail closed (enforce mode, ``unreadable="block"``),
        else record the call as partly unchecked and go on."""
        enforce = not self.shadow and (always or self.unreadable == "block")
        step = Step("guard", "1", "block", "blocked" if enforce else "warned", (reason,))
        d = Decision(step.outcome, "", stage="input", reasons=(reason,), steps=(step,),
                     policy_hash=self.policy_hash, enforced=not self.shadow)
        self._audit_decision(d, ctx)
        if enforce:
            self._audit_call(ctx, t0, "blocked", (reason,), texts, None)
            raise UncheckedInput(d, f"input blocked ({reason}): {message}")
        ctx.state["_unchecked"] = reason

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

    # -- calling the model: retries, timeout, breaker, fallbacks -------------------------------------

    def _lifecycle(self, ctx: CallContext, event: str, **fields: Any) -> None:
        """An audit record for a resilience event (failed attempt, re-ask, fallback, breaker)."""
        if self.sinks or TAPS:
            self._emit([event_record("lifecycle", self.policy, ctx, event=event, attempt=ctx.attempt, **fields)])

    def _breaker_allows(self, ctx: CallContext, target: Any, name: str) -> Any:
        """The breaker state of ``target`` if it may be called now, ``False`` if it is open, or None."""
        st = self.breaker.state_for(target, name)  # type: ignore[union-attr]
        ok, change = st.allow()
        if change is not None:
            self._lifecycle(ctx, "breaker", target=name, state=change)
        if not ok:
            self._lifecycle(ctx, "skipped", target=name, reasons=["circuit-open"])
            return False
        return st

    def _breaker_result(self, ctx: CallContext, st: Any, name: str, ok: bool) -> None:
        change = st.success() if ok else st.failure()
        if change is not None:
            self._lifecycle(ctx, "breaker", target=name, state=change)

    def _plan(self, fn: Callable[..., Any], ctx: CallContext, start: int
              ) -> Generator[tuple[int, Callable[..., Any], str, bool], BaseException | None, None]:
        """The fallback chain, shared by the sync and async callers.

        Yields ``(index, target, name, static)`` for each target to try (the breaker may skip one);
        the caller attempts it and sends back the exception it raised, or ``None`` on success.
        Raises the last error when every target failed, or `CircuitOpen` when every one was skipped.
        """
        targets = (fn, *self.fallback)
        skipped: list[str] = []
        last: BaseException | None = None
        reason = None
        for i in range(start, len(targets)):
            target = targets[i]
            name = _target_name(target)
            static = isinstance(target, Static)
            st = None
            if self.breaker is not None and not static:
                st = self._breaker_allows(ctx, target, name)
                if st is False:
                    skipped.append(name)
                    reason = reason or "circuit-open"
                    continue
            if i:
                self._lifecycle(ctx, "fallback", target=name, fallback_from=_target_name(fn),
                                reasons=[reason or "error"])
            exc = yield i, target, name, static
            if exc is None:
                if st is not None:
                    self._breaker_result(ctx, st, name, True)
                return
            if st is not None:
                self._breaker_result(ctx, st, name, False)
            self._lifecycle(ctx, "attempt", target=name, outcome="failed", error=type(exc).__name__)
            last = exc
            reason = "timeout" if isinstance(exc, CallTimeout) else "error"
        if last is not None:
            raise last
        raise CircuitOpen(skipped)

    def _invoke(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
                ctx: CallContext, start: int = 0) -> tuple[Any, int]:
        """Call ``fn`` (with timeout and retries), then the fallbacks in order, from ``start``.

        Returns the result and the index of the target that gave it (0: ``fn``). Raises the last
        error when every target failed, or `CircuitOpen` when every one was skipped."""
        if self._plain:
            return fn(*args, **kwargs), 0
        plan = self._plan(fn, ctx, start)
        first = [True]  # the first call of this round is already counted in ctx.attempt
        i, target, name, static = next(plan)
        while True:
            try:
                result = self._attempt(target, name, static, args, kwargs, ctx, first)
            except Exception as exc:
                i, target, name, static = plan.send(exc)
                continue
            _finish_plan(plan)
            return result, i

    def _attempt(self, target: Callable[..., Any], name: str, static: bool, args: Sequence[Any],
                 kwargs: dict[str, Any], ctx: CallContext, first: list[bool]) -> Any:
        timeout = self.timeout

        def once(*a: Any, **k: Any) -> Any:
            if first[0]:
                first[0] = False
            else:
                ctx.attempt += 1
            if timeout is not None and not static:
                return call_with_timeout(target, a, k, timeout, name)
            return target(*a, **k)

        if self.retry is None or static:
            return once(*args, **kwargs)

        def on_retry(n: int, exc: BaseException, wait: float) -> None:
            self._lifecycle(ctx, "attempt", target=name, outcome="retry", error=type(exc).__name__,
                            wait_s=round(wait, 3))

        return self.retry.call(once, args, kwargs, on_retry)

    async def _ainvoke(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
                       ctx: CallContext, start: int = 0) -> tuple[Any, int]:
        if self._plain:
            result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result, 0
        plan = self._plan(fn, ctx, start)
        first = [True]  # the first call of this round is already counted in ctx.attempt
        i, target, name, static = next(plan)
        while True:
            try:
                result = await self._aattempt(target, name, static, args, kwargs, ctx, first)
            except Exception as exc:
                i, target, name, static = plan.send(exc)
                continue
            _finish_plan(plan)
            return result, i

    async def _aattempt(self, target: Callable[..., Any], name: str, static: bool, args: Sequence[Any],
                        kwargs: dict[str, Any], ctx: CallContext, first: list[bool]) -> Any:
        timeout = None if static else self.timeout

        async def once(*a: Any, **k: Any) -> Any:
            if first[0]:
                first[0] = False
            else:
                ctx.attempt += 1
            if timeout is not None and not inspect.iscoroutinefunction(target):
                # a sync callable in async code: run it off the event loop so it can be abandoned
                import asyncio

                return await acall_with_timeout(asyncio.to_thread(target, *a, **k), timeout, name)
            result = target(*a, **k)
            if inspect.isawaitable(result):
                result = await (acall_with_timeout(result, timeout, name) if timeout is not None else result)
            return result

        if self.retry is None or static:
            return await once(*args, **kwargs)

        def on_retry(n: int, exc: BaseException, wait: float) -> None:
            self._lifecycle(ctx, "attempt", target=name, outcome="retry", error=type(exc).__name__,
                            wait_s=round(wait, 3))

        return await self.retry.acall(once, args, kwargs, on_retry)

    def _output(self, ctx: CallContext, adapter: OutputAdapter, result: Any, fallback_from: str | None
                ) -> tuple[Decision | None, Any]:
        """Run the output stage over one answer. Returns the decision (None if nothing ran) and,
        when the adapter exposes them, the parts beside the first answer text: tool-call argument
        texts after fixes, and the decisions on further answers (``n > 1`` choices)."""
        text = adapter.get(result)
        sdk = adapter is not DEFAULT_OUTPUT
        if text is None and not sdk and self._out.links and is_structured(result):
            return self._structured_output(ctx, result, fallback_from), None  # None: held no text
        tools = adapter.tool_texts(result) if sdk and hasattr(adapter, "tool_texts") else None
        more = adapter.more_answers(result) if sdk and hasattr(adapter, "more_answers") else None
        if text is None and not tools and not more:
            if self._out.links:
                raise GuardrailError(
                    f"the guarded function returned {type(result).__name__}, but output validators "
                    "need text: return str, or pass guard.wrap(fn, output=...) an adapter"
                )
            return None, None
        if not tools and not more:
            if not self._out.links:
                return None, None
            d = self._out.run(text, ctx)  # type: ignore[arg-type]
            self._audit_decision(d, ctx, attempt=ctx.attempt, fallback_from=fallback_from)
            return d, None
        # Tool-call arguments go through the output validators too (all but answer-only ones
        # such as JsonSchema), each as its own text; every further answer (choice) through all of
        # them; one decision covers the whole result.
        decisions = [] if text is None else [self._out.run(text, ctx)]
        mds = [None if t is None else self._out.run(t, ctx) for t in more or ()]
        checked = [check_tool_args(self._out_tools, t, ctx, stop_on_block=not self.shadow) for t in tools or ()]
        tds = [d for d, _ in checked]
        decisions.extend(x for x in mds if x is not None)
        decisions.extend(tds)
        for dd in decisions:
            self._audit_decision(dd, ctx, attempt=ctx.attempt, fallback_from=fallback_from)
        d = _combine(decisions, "output", self.policy_hash, self.shadow)
        if len(decisions) > 1:
            d.text = decisions[0].text if text is not None else ""
            d.value = decisions[0].value if text is not None else None
        return d, ([new for _, new in checked] if tools else None, mds if more else None)

    def _structured_output(self, ctx: CallContext, result: Any, fallback_from: str | None) -> Decision | None:
        """A dict, list, tuple, pydantic model or dataclass answered: its strings (and large
        numbers) are checked as one conversation is, by the output validators that read text
        (all but answer-shape ones such as `JsonSchema`); the decision's ``value`` is the answer
        rebuilt with the fixes. A part that is not text fails closed."""
        try:
            w = walk(result, max_leaves=self.max_texts)
        except TooManyTexts as exc:
            raise GuardrailError(f"the guarded function's answer holds more than {self.max_texts} texts "
                                 "(raise Guard(max_texts=...))") from exc
        if w.unreadable:
            raise GuardrailError(f"the guarded function's answer holds parts output validators cannot read: "
                                 f"{', '.join(w.unreadable[:3])}; return text, or pass guard.wrap(fn, output=...) "
                                 "an adapter")
        if not w.leaves:
            return None  # no text and no number that could hold one
        d, fixed = check_texts(self._out_tools, [leaf.text for leaf in w.leaves], ctx,
                               stop_on_block=not self.shadow)
        self._audit_decision(d, ctx, attempt=ctx.attempt, fallback_from=fallback_from)
        changes = [(leaf.path, new) for leaf, new in zip(w.leaves, fixed, strict=True) if new != leaf.text]
        d.value = replace(result, changes) if changes else result
        return d

    def _reask_args(self, spec: PromptSpec, d: Decision, ctx: CallContext, args: Sequence[Any],
                    kwargs: dict[str, Any], reasks: int = 0) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """Arguments for one more attempt when the answer failed only re-ask validators."""
        if self.shadow or not d.blocked or reasks >= self.max_reasks or not self._out.wants_reask(d):
            return None
        return spec.with_feedback(args, kwargs, reask_feedback(d))

    def _finish(self, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]], adapter: OutputAdapter,
                result: Any, d: Decision | None, fallback_from: str | None,
                parts: Any = None) -> Any:
        """Enforce the output decision, restore pseudonyms, write the call record."""
        in_outcome = ctx.state.get("_input_outcome", "pass")
        extra = None if adapter is DEFAULT_OUTPUT or not hasattr(adapter, "call_fields") else adapter.call_fields(result)
        if d is None:
            out = adapter.get(result)
            restore = ctx.has_vault and not self.shadow
            try:
                if out is None and restore and adapter is DEFAULT_OUTPUT:
                    # a model, dict or list answered: its strings carry the placeholders
                    result = restore_value(result, ctx.vault())
                elif out is not None and (restore or adapter is not DEFAULT_OUTPUT):
                    # SDK adapters also turn a plain-text fallback (gw.Static) into a native response
                    if restore:
                        out = ctx.vault().restore(out)
                    result = adapter.set(result, out)
            except RestoreError as exc:
                self._restore_failed(ctx, t0, texts, exc, fallback_from, extra)
            self._audit_call(ctx, t0, in_outcome, (), texts, out, fallback_from, None, extra)
            return result
        outcome = worst(in_outcome, d.outcome)
        if self.shadow:
            self._audit_call(ctx, t0, outcome, d.reasons, texts, d.text, fallback_from=fallback_from, extra=extra)
            return result
        if d.outcome == "blocked":
            self._audit_call(ctx, t0, "blocked", d.reasons, texts, None, fallback_from=fallback_from, extra=extra)
            raise Blocked(d)
        if d.outcome == "escalated":
            if self.review is not None:
                d.review_id = self.review.submit(d, ctx=ctx, policy=self.policy)
            if self.on_escalate == "block":
                self._audit_call(ctx, t0, "escalated", d.reasons, texts, None, fallback_from=fallback_from,
                                 extra=extra)
                raise Escalated(d)
        vault = ctx.vault() if ctx.has_vault else None
        final, value = d.text, d.value
        tools, more = parts if parts is not None else (None, None)
        try:
            if vault is not None:
                final = vault.restore(final)
                if value is not None:  # a parsed answer (gw.JsonSchema): its strings too
                    value = restore_value(value, vault)
                if tools is not None:
                    tools = [vault.restore(p) for p in tools]
            if more is not None:  # further answers: each restored like the first
                more = [None if md is None else
                        (md.text, md.value) if vault is None else
                        (vault.restore(md.text), None if md.value is None else restore_value(md.value, vault))
                        for md in more]
                out = adapter.set_parts(result, final, tools, value, more=more)  # type: ignore[attr-defined]
            elif tools is not None:
                out = adapter.set_parts(result, final, tools, value)  # type: ignore[attr-defined]
            else:
                out = adapter.set(result, final, value)
        except RestoreError as exc:
            self._restore_failed(ctx, t0, texts, exc, fallback_from, extra)
        self._audit_call(ctx, t0, outcome, d.reasons, texts, final, fallback_from=fallback_from, extra=extra)
        return out

    def _restore_failed(self, ctx: CallContext, t0: int, texts: Sequence[tuple[Loc, str]], exc: RestoreError,
                        fallback_from: str | None, extra: dict[str, Any] | None) -> NoReturn:
        """An answer whose real (restored or fixed) contents fail its own model is a blocked
        answer, never an object that did not validate."""
        d = Decision("blocked", "", stage="output", reasons=(exc.reason,), policy_hash=self.policy_hash)
        self._audit_call(ctx, t0, "blocked", d.reasons, texts, None, fallback_from=fallback_from, extra=extra)
        raise Blocked(d, str(exc)) from None

    def _after_output(self, spec: PromptSpec, d: Decision | None, ctx: CallContext, idx: int,
                      reasks: int, args: Sequence[Any], kwargs: dict[str, Any], base: tuple[Any, ...]
                      ) -> tuple[int, tuple[Any, ...], dict[str, Any]] | None:
        """What to do after a failed answer: (start index, args, kwargs) of another call, or None.

        A re-ask goes back to the target that answered; with ``fallback_on_block`` a blocked answer
        moves on to the next fallback with the original (input-fixed) arguments."""
        if d is None or not d.blocked or self.shadow:
            return None
        can_reask = idx == 0 or not isinstance(self.fallback[idx - 1], Static)
        # From the first call's arguments: one feedback paragraph, about the latest answer, however
        # many re-asks came before (appending to the last re-ask's prompt would repeat it).
        new = self._reask_args(spec, d, ctx, base[0], base[1], reasks) if can_reask else None
        if new is not None:
            ctx.attempt += 1
            self._lifecycle(ctx, "reask", reasons=list(d.reasons), reask=reasks + 1)
            return idx, new[0], new[1]
        if self.fallback_on_block and idx < len(self.fallback):
            ctx.attempt += 1
            return idx + 1, base[0], base[1]
        return None

    def _call_bare(self, spec: PromptSpec, fn: Callable[..., Any], args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> Any:
        """`_call` for a guard with no validators and no retries, fallbacks, timeout or breaker,
        with the default output adapter: the same call record, without the stages that have
        nothing to do (no decision, no vault, nothing to restore)."""
        if kwargs and _CTX_KW in kwargs:
            return self._call(spec, DEFAULT_OUTPUT, fn, args, kwargs)
        t0 = perf_counter_ns()
        ctx = CallContext(self.name, current_context(), self._vaults)
        sinks = self.sinks
        if sinks or TAPS:
            try:
                texts = spec.texts(args, kwargs, self.max_texts)
            except BaseException as exc:
                self._begin_failed(exc)
                raise
            ctx.prompt = texts[-1][1] if texts else None
        else:
            texts = []
        m0 = perf_counter_ns()
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            ctx.model_ns = perf_counter_ns() - m0
            self._end_call(ctx, t0, texts, exc)
            raise
        t1 = perf_counter_ns()
        ctx.model_ns = t1 - m0
        if isinstance(result, str):
            out: str | None = result
        elif hasattr(result, "__next__"):
            return self._stream(ctx, t0, texts, result, _target_name(fn))
        else:
            out = None
        if not (sinks or TAPS):
            return result
        if self._deferred and not TAPS:  # `_audit_call`, inline
            ctx.recorded = True
            item = (self.policy, ctx, self._hash, "pass", not self.shadow, (), texts, out, t1 - t0, None, None,
                    None, ctx.audit, _now(), ctx.model_ns)
            for sink in sinks:
                sink.emit(item)  # type: ignore[arg-type]
            for barrier in self._barriers:
                barrier()
        else:
            self._audit_call(ctx, t0, "pass", (), texts, out)
        return result

    def _call_in(self, spec: PromptSpec, fn: Callable[..., Any], args: Sequence[Any],
                 kwargs: dict[str, Any]) -> Any:
        """`_call` for a guard with input validators but no output validators, no retries,
        fallbacks, timeout or breaker, and the default output adapter: the same stages, decisions
        and records, without the ones that have nothing to do (no output decision, no re-ask)."""
        try:
            ctx, t0, texts, args, kwargs = self._begin(spec, args, kwargs)
        except BaseException as exc:
            self._begin_failed(exc)
            raise
        try:  # every way out of the call leaves its one call record (see _end_call)
            m0 = perf_counter_ns()
            try:
                result = fn(*args, **kwargs)
            finally:  # the model's own time
                ctx.model_ns = (ctx.model_ns or 0) + perf_counter_ns() - m0
            out: str | None
            if isinstance(result, str):
                out = result
            elif hasattr(result, "__next__"):
                return self._stream(ctx, t0, texts, result, _target_name(fn))
            else:
                out = None
            if ctx.has_vault and not self.shadow:  # `_finish` without an output decision
                try:
                    if out is None:  # a model, dict or list answered: its strings carry the placeholders
                        result = restore_value(result, ctx.vault())
                    else:
                        out = result = ctx.vault().restore(out)
                except RestoreError as exc:
                    self._restore_failed(ctx, t0, texts, exc, None, None)
            self._audit_call(ctx, t0, ctx.state.get("_input_outcome", "pass"), (), texts, out)
            return result
        except BaseException as exc:
            self._end_call(ctx, t0, texts, exc)
            raise

    def _begin_bare(self, spec: PromptSpec, args: tuple[Any, ...], kwargs: dict[str, Any]
                    ) -> tuple[CallContext, int, list[tuple[Loc, str]]]:
        """`_begin` of a bare call (no gw_context keyword): the context and, for the input hash
        of the call record, the texts."""
        t0 = perf_counter_ns()
        ctx = CallContext(self.name, current_context(), self._vaults)
        if not (self.sinks or TAPS):
            return ctx, t0, []
        try:
            texts = spec.texts(args, kwargs, self.max_texts)
        except BaseException as exc:
            self._begin_failed(exc)
            raise
        ctx.prompt = texts[-1][1] if texts else None
        return ctx, t0, texts

    def _end_bare(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], out: str | None) -> None:
        """The call record of a bare call that returned (`_audit_call`, inline)."""
        sinks = self.sinks
        if self._deferred and not TAPS:
            ctx.recorded = True
            item = (self.policy, ctx, self._hash, "pass", not self.shadow, (), texts, out, perf_counter_ns() - t0,
                    None, None, None, ctx.audit, _now(), ctx.model_ns)
            for sink in sinks:
                sink.emit(item)  # type: ignore[arg-type]
            for barrier in self._barriers:
                barrier()
        elif sinks or TAPS:
            self._audit_call(ctx, t0, "pass", (), texts, out)

    async def _acall_bare(self, spec: PromptSpec, fn: Callable[..., Any], args: tuple[Any, ...],
                          kwargs: dict[str, Any]) -> Any:
        """`_call_bare` for coroutine functions."""
        if kwargs and _CTX_KW in kwargs:
            return await self._acall(spec, DEFAULT_OUTPUT, fn, args, kwargs)
        ctx, t0, texts = self._begin_bare(spec, args, kwargs)
        m0 = perf_counter_ns()
        try:
            result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except BaseException as exc:
            ctx.model_ns = perf_counter_ns() - m0
            self._end_call(ctx, t0, texts, exc)
            raise
        ctx.model_ns = perf_counter_ns() - m0
        if isinstance(result, str):
            out: str | None = result
        elif hasattr(result, "__anext__"):
            return self._astream(ctx, t0, texts, result, _target_name(fn))
        else:
            out = None
        self._end_bare(ctx, t0, texts, out)
        return result

    def _call(self, spec: PromptSpec, adapter: OutputAdapter, fn: Callable[..., Any],
              args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        try:
            ctx, t0, texts, args, kwargs = self._begin(spec, args, kwargs)
        except BaseException as exc:
            self._begin_failed(exc)
            raise
        base = (args, kwargs)
        start = reasks = 0
        try:  # every way out of the call leaves its one call record (see _end_call)
            while True:
                m0 = perf_counter_ns()
                try:
                    result, idx = self._invoke(fn, args, kwargs, ctx, start)
                finally:  # the model's own time: the wrapped function, its retries and waits, fallbacks
                    ctx.model_ns = (ctx.model_ns or 0) + perf_counter_ns() - m0
                fallback_from = _target_name(fn) if idx else None
                if adapter is DEFAULT_OUTPUT:
                    if not isinstance(result, str) and hasattr(result, "__next__"):
                        return self._stream(ctx, t0, texts, result, _target_name(fn))
                elif hasattr(adapter, "is_stream") and adapter.is_stream(result):
                    return adapter.wrap_stream(  # type: ignore[attr-defined]
                        self._events(ctx, t0, texts, result, adapter, _target_name(fn)), result)
                d, parts = self._output(ctx, adapter, result, fallback_from)
                nxt = self._after_output(spec, d, ctx, idx, reasks, args, kwargs, base)
                if nxt is not None:
                    if nxt[0] == idx:
                        reasks += 1
                    start, args, kwargs = nxt
                    continue
                return self._finish(ctx, t0, texts, adapter, result, d, fallback_from, parts)
        except BaseException as exc:
            self._end_call(ctx, t0, texts, exc)
            raise

    async def _acall(self, spec: PromptSpec, adapter: OutputAdapter, fn: Callable[..., Any],
                     args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        # The twin of _call, line for line but for the await and the async stream types: driving
        # one shared generator from both cost ~0.4 us per call (a tenth of the 5 us budget).
        try:
            ctx, t0, texts, args, kwargs = self._begin(spec, args, kwargs)
        except BaseException as exc:
            self._begin_failed(exc)
            raise
        base = (args, kwargs)
        start = reasks = 0
        try:  # every way out, cancellation included, leaves the call's one call record
            while True:
                m0 = perf_counter_ns()
                try:
                    result, idx = await self._ainvoke(fn, args, kwargs, ctx, start)
                finally:  # the model's own time: the wrapped function, its retries and waits, fallbacks
                    ctx.model_ns = (ctx.model_ns or 0) + perf_counter_ns() - m0
                fallback_from = _target_name(fn) if idx else None
                if adapter is DEFAULT_OUTPUT:
                    if not isinstance(result, str) and hasattr(result, "__anext__"):
                        return self._astream(ctx, t0, texts, result, _target_name(fn))
                elif hasattr(adapter, "is_stream") and adapter.is_stream(result):
                    return adapter.wrap_stream(  # type: ignore[attr-defined]
                        self._aevents(ctx, t0, texts, result, adapter, _target_name(fn)), result)
                d, parts = self._output(ctx, adapter, result, fallback_from)
                nxt = self._after_output(spec, d, ctx, idx, reasks, args, kwargs, base)
                if nxt is not None:
                    if nxt[0] == idx:
                        reasks += 1
                    start, args, kwargs = nxt
                    continue
                return self._finish(ctx, t0, texts, adapter, result, d, fallback_from, parts)
        except BaseException as exc:
            self._end_call(ctx, t0, texts, exc)
            raise

    # -- streaming ----------------------------------------------------------------------------------

    def _stream(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Iterable[str],
                name: str = "stream") -> Iterator[str]:
        proc = _StreamState(self, ctx)
        it: Any = iter(source) if self.timeout is None else _Deadline(source, self.timeout, name)
        try:
            for chunk in it:
                yield from proc.feed(chunk)
            yield from proc.finish()
        except BaseException as exc:  # blocked, an error, the timeout, or the reader walking away
            proc.close_failed(t0, texts, exc)
            raise
        finally:
            _close_quietly(it)
        proc.close_ok(t0, texts)

    async def _astream(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Any,
                       name: str = "stream") -> AsyncGenerator[str, None]:
        proc = _StreamState(self, ctx)
        it = source if self.timeout is None else _atimed(source, self.timeout, name)
        try:
            async for chunk in it:
                for piece in proc.feed(chunk):
                    yield piece
            for piece in proc.finish():
                yield piece
        except BaseException as exc:  # blocked, an error, the timeout, cancellation, the reader gone
            proc.close_failed(t0, texts, exc)
            raise
        finally:
            await _aclose_quietly(it, source)
        proc.close_ok(t0, texts)

    # -- streaming SDK events ------------------------------------------------------------------------

    def _events(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Any,
                adapter: Any, name: str = "stream") -> Iterator[Any]:
        """Validate a stream of SDK events: text deltas go through the stream validation and are
        re-emitted carrying only released text; tool-call deltas are held and validated whole at
        the end; other events keep their place after any text still held back."""
        ev_state = _EventStream(self, ctx, adapter)
        it: Any = source if self.timeout is None else _Deadline(source, self.timeout, name)
        try:
            for ev in it:
                yield from ev_state.feed(ev)
            yield from ev_state.finish()
        except BaseException as exc:
            ev_state.proc.close_failed(t0, texts, exc, ev_state.extra)
            raise
        finally:
            _close_quietly(it)
            if it is not source:
                _close_quietly(source, only_if_idle=it)
        ev_state.proc.close_ok(t0, texts, ev_state.extra)

    async def _aevents(self, ctx: CallContext, t0: int, texts: list[tuple[Loc, str]], source: Any,
                       adapter: Any, name: str = "stream") -> AsyncIterator[Any]:
        ev_state = _EventStream(self, ctx, adapter)
        it = source if self.timeout is None else _atimed(source, self.timeout, name)
        try:
            async for ev in it:
                for out in ev_state.feed(ev):
                    yield out
            for out in ev_state.finish():
                yield out
        except BaseException as exc:
            ev_state.proc.close_failed(t0, texts, exc, ev_state.extra)
            raise
        finally:
            await _aclose_quietly(it, source)
        ev_state.proc.close_ok(t0, texts, ev_state.extra)


def _close_quietly(it: Any, only_if_idle: Any = None) -> None:
    """Close a stream the guard is done with; one still running on a deadline helper is closed
    by that helper when it returns."""
    if only_if_idle is not None and isinstance(only_if_idle, _Deadline):
        return  # the helper owns the source
    close = getattr(it, "close", None)
    if close is None:
        return
    with contextlib.suppress(ValueError):  # "generator already executing": left to the helper
        close()


async def _aclose_quietly(it: Any, source: Any) -> None:
    for obj in (it, source) if it is not source else (source,):
        aclose = getattr(obj, "aclose", None) or getattr(obj, "close", None)
        if aclose is None:
            continue
        try:
            r = aclose()
            if inspect.isawaitable(r):
                await r
        except RuntimeError:  # an async generator still running its cancelled step
            pass


class _EventStream:
    """Per-stream state for `Guard._events`: the text stream state plus held events.

    Adapters may also say which events repeat text already streamed (``holds``: the Responses
    API's ``*.done`` and ``response.completed`` events carry the whole text or arguments); those
    are held to the end and rewritten (``finalize``) with what was actually released, per
    ``text_key`` (e.g. output item and content part), and with each tool call's final arguments.
    """

    def __init__(self, guard: Guard, ctx: CallContext, adapter: Any) -> None:
        self.guard = guard
        self.ctx = ctx
        self.adapter = adapter
        self.proc = _StreamState(guard, ctx)
        self.held: list[Any] = []
        self.tools: list[tuple[list[tuple[Any, str]], Any]] = []
        self.last: Any = None
        self.extra: dict[str, Any] = {}
        self.holds = getattr(adapter, "holds", None)
        self.text_key = getattr(adapter, "text_key", None)
        self.released: dict[Any, list[str]] = {}
        self.tool_final: dict[Any, str] = {}

    def _text_ev(self, ev: Any, text: str) -> Any:
        if self.text_key is not None:
            self.released.setdefault(self.text_key(ev), []).append(text)
        return self.adapter.with_text(ev, text)

    def feed(self, ev: Any) -> list[Any]:
        adapter = self.adapter
        fields = adapter.event_fields(ev)
        if fields:
            self.extra.update(fields)
        text = adapter.event_text(ev)
        if not text:
            tool = adapter.event_tool(ev)
            if tool:
                self.tools.append((tool, ev))
                self.held.append(ev)
                return []
            if self.proc._size or self.held or (self.holds is not None and self.holds(ev)):
                self.held.append(ev)
                return []
            return [ev]
        self.last = ev
        out = "".join(self.proc.feed(text))
        return [self._text_ev(ev, out)] if out else []

    def finish(self) -> list[Any]:
        out: list[Any] = []
        if self.last is not None:
            rest = "".join(self.proc.finish())
            if rest:
                out.append(self._text_ev(self.last, rest))
        repl = self._tools() if self.tools else {}
        finalize = getattr(self.adapter, "finalize", None) if self.holds is not None else None
        for ev in self.held:
            ev = repl.get(id(ev), ev)
            if finalize is not None and self.holds(ev):  # type: ignore[misc]
                ev = finalize(ev, {k: "".join(v) for k, v in self.released.items()}, self.tool_final)
            out.append(ev)
        return out

    def _tools(self) -> dict[int, Any]:
        """Validate each tool call's whole arguments; a fix goes in its first delta, later ones
        empty. Returns the rewritten events by ``id`` of the original."""
        guard, ctx = self.guard, self.ctx
        parts: dict[Any, list[str]] = {}
        for pairs, _ in self.tools:
            for idx, delta in pairs:
                parts.setdefault(idx, []).append(delta or "")
        fixed: dict[Any, str] = {}
        for idx, pieces in parts.items():
            args = "".join(pieces)
            d, new = check_tool_args(guard._out_tools, args, ctx, stop_on_block=not guard.shadow)
            guard._audit_decision(d, ctx, attempt=ctx.attempt)
            self.proc.side.append(d)
            stops = d.outcome == "blocked" or (d.outcome == "escalated" and guard.on_escalate == "block")
            if stops and not guard.shadow:
                raise Blocked(d) if d.outcome == "blocked" else Escalated(d)
            if ctx.has_vault:
                new = ctx.vault().restore(new)
            self.tool_final[idx] = args if guard.shadow else new
            if not guard.shadow and new != args:
                fixed[idx] = new
        out: dict[int, Any] = {}
        if not fixed:
            return out
        seen: set[Any] = set()
        for pairs, ev in self.tools:
            repl = {}
            for idx, _ in pairs:
                if idx in fixed:
                    repl[idx] = "" if idx in seen else fixed[idx]
                seen.add(idx)
            if repl:
                out[id(ev)] = self.adapter.with_tool_text(ev, repl)
        return out



def _finish_plan(plan: Generator[Any, BaseException | None, None]) -> None:
    """Tell the fallback plan its last target succeeded (it records the breaker result)."""
    try:
        plan.send(None)
    except StopIteration:
        return
    raise AssertionError("the fallback plan yielded after a success")  # pragma: no cover


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
        # text not yet released, as chunks: joined only when checked (appending to one string
        # would copy it on every chunk)
        self._chunks: list[str] = []
        self._size = 0
        self._next_check = 0
        self.decisions: list[Decision] = []
        # decisions on the stream's tool-call arguments and other model texts (audited where
        # made): they count in the call record's outcome and reasons
        self.side: list[Decision] = []
        self.out: list[str] = []
        self.raw: list[str] = []
        ctx.streaming = True

    @property
    def pending(self) -> str:
        if len(self._chunks) > 1:
            self._chunks = ["".join(self._chunks)]
        return self._chunks[0] if self._chunks else ""

    def _holdback_placeholder(self, pending: str, safe: int) -> int:
        """Never release part of a pseudonym placeholder: it could not be restored."""
        if not self.ctx.has_vault:
            return safe
        lt = pending.rfind("<", max(0, safe - MAX_PLACEHOLDER), safe)
        if lt >= 0 and pending.find(">", lt, safe) < 0:
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
        self._chunks.append(chunk)
        self._size += len(chunk)
        if not self.chain.streamable or self._size < self._next_check:
            return []
        pending = self.pending
        safe = self._holdback_placeholder(pending, self.chain.safe_boundary(pending))
        seg, rest = (pending[:safe], pending[safe:]) if safe > 0 else ("", pending)
        self._chunks = [rest] if rest else []
        self._size = len(rest)
        # Check again once the held text has grown by a quarter: each check costs time linear in
        # the held text, so a stream costs time linear in its length whatever its chunking, even
        # when validators hold much back; while little is held, every chunk is checked.
        self._next_check = self._size + self._size // 4
        return [self._run(seg, False)] if seg else []

    def finish(self) -> list[str]:
        if self.guard.shadow:
            self._run("".join(self.raw), True)
            return []
        seg = self.pending
        self._chunks = []
        self._size = 0
        if seg or not self.decisions:
            text = self._run(seg, True)
            return [text] if text else []
        return []

    def _merged(self) -> Decision:
        d = merge(self.decisions, "output", self.guard.policy_hash, self.guard.shadow, "".join(self.out))
        d.review_id = self.ctx.state.get("_review_id", d.review_id)
        return d

    def close_ok(self, t0: int, texts: list[tuple[Loc, str]], extra: dict[str, Any] | None = None) -> None:
        d = self._merged()
        self.guard._audit_decision(d, self.ctx, attempt=self.ctx.attempt)
        outcome, reasons = self._call_outcome(d)
        self.guard._audit_call(self.ctx, t0, outcome, reasons, texts, "".join(self.out), extra=extra)

    def _call_outcome(self, d: Decision | None) -> tuple[str, tuple[str, ...]]:
        """The call record's outcome and reasons: the input's, the text's and the side texts'."""
        outcome = worst(self.ctx.state.get("_input_outcome", "pass"), d.outcome if d else "pass")
        reasons = d.reasons if d else ()
        for side in self.side:
            outcome = worst(outcome, side.outcome)
            reasons = (*reasons, *(r for r in side.reasons if r not in reasons))
        return outcome, reasons

    def close_failed(self, t0: int, texts: list[tuple[Loc, str]], exc: BaseException,
                     extra: dict[str, Any] | None = None) -> None:
        """The stream ended early: audit what was decided so far, then its one call record."""
        guard, ctx = self.guard, self.ctx
        if ctx.recorded:
            return
        try:
            d = self._merged() if self.decisions else None
            if d is not None:
                guard._audit_decision(d, ctx, attempt=ctx.attempt)
            if (d is not None or self.side) and isinstance(exc, Blocked):
                outcome, reasons = self._call_outcome(d)
                guard._audit_call(ctx, t0, outcome, reasons, texts, None, extra=extra)
                return
        except Exception as audit_exc:
            log.error("guardwrap: the decisions of an interrupted stream could not be handed to the audit "
                      "sinks (%s)", type(audit_exc).__name__)
        guard._end_call(ctx, t0, texts, exc, extra)
