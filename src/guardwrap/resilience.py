"""Retries, timeouts, a circuit breaker, fallbacks and static answers for the wrapped call.

`Retry` is a thin, validated configuration over tenacity (imported when a guard with a retry is
built, not at ``import guardwrap``): exponential backoff with jitter, capped, and a server's
``Retry-After`` honoured. ``fallback=[other_model, gw.Static("...")]`` is tried in order when the
wrapped call still fails after its retries, times out, has its breaker open, or (with
``fallback_on_block=True``) when its answer is blocked. `CircuitBreaker` keeps one state per
wrapped callable: after ``failures`` consecutive failures it skips that callable for ``cooldown``
seconds and goes straight to the fallback, then lets a single probe through (half-open).

Nothing here renders an exception's message: audit records and errors carry exception class names
only, since provider errors may quote the request.
"""

from __future__ import annotations

import contextvars
import random
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from ._errors import GuardrailError, PolicyError

__all__ = [
    "RETRYABLE_STATUS",
    "BreakerState",
    "CallTimeout",
    "CircuitBreaker",
    "CircuitOpen",
    "Retry",
    "Static",
    "resolve_errors",
    "retry_after",
]

#: HTTP statuses worth retrying: request timeout, conflict, rate limit, and server errors.
RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


def _transient(exc: BaseException) -> bool:
    """Errors a retry may cure: timeouts, dropped connections, 429 and 5xx from an SDK.

    Matches by duck typing so no SDK is imported: a ``status_code`` attribute (openai, anthropic,
    httpx errors) or an SDK connection error class (``APIConnectionError``/``APITimeoutError``).
    """
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return True
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status in RETRYABLE_STATUS
    return any(c.__name__ in ("APIConnectionError", "APITimeoutError") for c in type(exc).__mro__)


_ERROR_ALIASES: dict[str, tuple[type[BaseException], ...]] = {
    "timeout": (TimeoutError,),
    "connection": (ConnectionError,),
    "os": (OSError,),
    "any": (Exception,),
}
_PREDICATE_ALIASES: dict[str, Callable[[BaseException], bool]] = {"transient": _transient}


def resolve_errors(on: Any) -> tuple[type[BaseException], ...]:
    """Exception classes from classes or the policy-file aliases (``timeout``, ``connection``)."""
    classes, preds = _resolve(on)
    if preds:
        raise PolicyError("predicates are not exception classes", key="retry.on",
                          expected=f"exception classes or one of {', '.join(_ERROR_ALIASES)}")
    return classes


def _resolve(on: Any) -> tuple[tuple[type[BaseException], ...], tuple[Callable[[BaseException], bool], ...]]:
    if isinstance(on, type) and issubclass(on, BaseException):
        return (on,), ()
    if isinstance(on, str) or (callable(on) and not isinstance(on, type)):
        on = [on]
    classes: list[type[BaseException]] = []
    preds: list[Callable[[BaseException], bool]] = []
    try:
        items = list(on)
    except TypeError:
        items = [on]
    for item in items:
        if isinstance(item, type) and issubclass(item, BaseException):
            classes.append(item)
        elif isinstance(item, str) and item in _ERROR_ALIASES:
            classes.extend(_ERROR_ALIASES[item])
        elif isinstance(item, str) and item in _PREDICATE_ALIASES:
            preds.append(_PREDICATE_ALIASES[item])
        elif callable(item) and not isinstance(item, type):
            preds.append(item)
        else:
            raise PolicyError(
                f"cannot retry on {item!r}",
                key="retry.on",
                expected="exception classes, a predicate exc -> bool, or one of "
                + ", ".join([*_ERROR_ALIASES, *_PREDICATE_ALIASES]),
            )
    return tuple(classes), tuple(preds)


def retry_after(exc: BaseException, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a server asked us to wait, from the exception, or None.

    Looks at a ``retry_after`` attribute (seconds), then at ``exc.response.headers``
    (``retry-after-ms``, then ``retry-after`` as seconds or an HTTP date), as the openai and
    anthropic SDKs' ``APIStatusError`` carry them.
    """
    ra = getattr(exc, "retry_after", None)
    if isinstance(ra, (int, float)) and not isinstance(ra, bool) and ra >= 0:
        return float(ra)
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return max(float(ms) / 1000.0, 0.0)
        value = headers.get("retry-after")
    except Exception:  # an exotic headers object: no hint
        return None
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    import email.utils  # rare: only for an HTTP-date Retry-After

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - now(), 0.0)


class Retry:
    """Retry the wrapped call on transient errors: exponential backoff with jitter, capped.

    ``Retry(attempts=3, on=(TimeoutError, ConnectionError))``. ``attempts`` counts the first call.
    ``on`` takes exception classes, a predicate ``exc -> bool``, or the aliases ``"timeout"``,
    ``"connection"``, ``"os"``, ``"any"`` and ``"transient"`` (timeouts, connection errors, and SDK
    errors with status 408/409/425/429/5xx: what ``openai``/``anthropic`` raise for a flaky
    provider). The wait before retry *n* is ``backoff * 2**(n-1)`` capped at ``max_backoff``, plus
    up to ``jitter`` seconds at random; when the error carries ``Retry-After`` the wait is at
    least that long, and a ``Retry-After`` over ``max_retry_after`` gives up at once (so the
    fallback answers instead of the caller waiting minutes). ``sleep`` replaces ``time.sleep``
    (and ``asyncio.sleep`` in async calls), for tests.

    Build SDK clients with ``max_retries=0`` when a guard retries, or both layers retry.
    """

    def __init__(
        self,
        attempts: int = 3,
        on: Any = (TimeoutError, ConnectionError),
        *,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        jitter: float = 0.25,
        max_retry_after: float = 30.0,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            raise PolicyError("attempts must be at least 1", key="retry.attempts", expected="int >= 1")
        for key, val in (("backoff", backoff), ("max_backoff", max_backoff), ("jitter", jitter),
                         ("max_retry_after", max_retry_after)):
            if not isinstance(val, (int, float)) or isinstance(val, bool) or val < 0:
                raise PolicyError(f"{key} must be a number >= 0", key=f"retry.{key}", expected="seconds >= 0")
        self.attempts = attempts
        self.on, self._preds = _resolve(on)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.jitter = float(jitter)
        self.max_retry_after = float(max_retry_after)
        self._sleep = sleep
        import tenacity  # at guard construction, never on import guardwrap

        self._tenacity = tenacity
        self._stop = tenacity.stop_after_attempt(attempts)
        self._retry = tenacity.retry_if_exception(self.retryable)

    def retryable(self, exc: BaseException) -> bool:
        """True when ``exc`` is one this policy retries (and no ``Retry-After`` is too long)."""
        if not (isinstance(exc, self.on) or any(p(exc) for p in self._preds)):
            return False
        ra = retry_after(exc)
        return ra is None or ra <= self.max_retry_after

    def delay(self, attempt: int, exc: BaseException | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        base = min(self.backoff * 2.0 ** (attempt - 1), self.max_backoff)
        if self.jitter:
            base += random.uniform(0, self.jitter)
        ra = retry_after(exc) if exc is not None else None
        return max(base, ra) if ra is not None else base

    def _wait(self, state: Any) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        return self.delay(state.attempt_number, exc)

    def describe(self) -> dict[str, Any]:
        """The retry policy as data, for the policy hash."""
        return {
            "attempts": self.attempts,
            "on": sorted([e.__name__ for e in self.on] + [getattr(p, "__name__", "predicate") for p in self._preds]),
            "backoff": self.backoff,
            "max_backoff": self.max_backoff,
            "jitter": self.jitter,
            "max_retry_after": self.max_retry_after,
        }

    def call(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
             on_retry: Callable[[int, BaseException, float], None] | None = None) -> Any:
        """``fn(*args, **kwargs)`` with retries. ``on_retry(attempt, exc, wait)`` runs before each sleep."""
        t = self._tenacity
        opts: dict[str, Any] = {}
        if self._sleep is not None:
            opts["sleep"] = self._sleep
        r = t.Retrying(stop=self._stop, wait=self._wait, retry=self._retry, reraise=True,
                       before_sleep=_before_sleep(on_retry), **opts)
        return r(fn, *args, **kwargs)

    async def acall(self, fn: Callable[..., Awaitable[Any]], args: Sequence[Any], kwargs: dict[str, Any],
                    on_retry: Callable[[int, BaseException, float], None] | None = None) -> Any:
        """`call` for async code: awaits ``fn(*args, **kwargs)`` with retries and async sleeps."""
        t = self._tenacity
        opts: dict[str, Any] = {}
        if self._sleep is not None:
            sleep = self._sleep
            import asyncio

            async def asleep(seconds: float) -> None:
                r = sleep(seconds)
                if asyncio.iscoroutine(r):
                    await r

            opts["sleep"] = asleep
        r = t.AsyncRetrying(stop=self._stop, wait=self._wait, retry=self._retry, reraise=True,
                            before_sleep=_before_sleep(on_retry), **opts)
        return await r(fn, *args, **kwargs)

    def __repr__(self) -> str:
        names = [e.__name__ for e in self.on] + [getattr(p, "__name__", "predicate") for p in self._preds]
        return f"Retry(attempts={self.attempts}, on={names})"


def _before_sleep(on_retry: Callable[[int, BaseException, float], None] | None) -> Any:
    if on_retry is None:
        return None

    def hook(state: Any) -> None:
        exc = state.outcome.exception()
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        on_retry(state.attempt_number, exc, wait)

    return hook


class Static:
    """A fixed answer, used as the last step of a fallback chain: ``gw.Static("Sorry...")``.

    Output validators still run over it. A static answer never fails, so it is never retried,
    timed out or put behind a breaker.
    """

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise PolicyError("Static needs a str", key="fallback.static", expected="str")
        self.text = text
        self.__name__ = "static"

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        """Return the fixed text, whatever the arguments."""
        return self.text

    def describe(self) -> dict[str, Any]:
        """The static answer as data, for the policy hash."""
        return {"static": self.text}

    def __repr__(self) -> str:
        return f"Static(chars={len(self.text)})"


class CallTimeout(GuardrailError, TimeoutError):
    """The wrapped call took longer than the guard's ``timeout``.

    A sync call cannot be killed: it is abandoned in its worker thread and its result discarded.
    """

    def __init__(self, target: str, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        super().__init__(f"{target} did not answer within {timeout:g}s")


class CircuitOpen(GuardrailError):
    """Every target of the call was skipped because its circuit breaker is open."""

    def __init__(self, targets: Sequence[str]) -> None:
        self.targets = tuple(targets)
        super().__init__(f"circuit open for {', '.join(self.targets)}; no fallback could answer")


def call_with_timeout(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
                      timeout: float, name: str) -> Any:
    """Run ``fn`` in a daemon worker thread and wait at most ``timeout`` seconds.

    On timeout the thread is abandoned (Python cannot kill it); its eventual result or error is
    dropped. The caller's ``contextvars`` are copied into the worker.
    """
    box: list[Any] = []
    done = threading.Event()
    run = contextvars.copy_context().run

    def work() -> None:
        try:
            box.append((True, run(fn, *args, **kwargs)))
        except BaseException as exc:  # handed back to the caller's thread
            box.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=work, name=f"guardwrap-timeout-{name}", daemon=True).start()
    if not done.wait(timeout):
        raise CallTimeout(name, timeout)
    ok, value = box[0]
    if ok:
        return value
    raise value


async def acall_with_timeout(aw: Awaitable[Any], timeout: float, name: str) -> Any:
    """Await ``aw`` for at most ``timeout`` seconds; the task is cancelled on timeout."""
    import asyncio  # only async callers get here, and they have imported it already

    try:
        return await asyncio.wait_for(aw, timeout)
    except asyncio.TimeoutError as exc:  # an alias of TimeoutError on 3.11+, distinct on 3.10
        raise CallTimeout(name, timeout) from exc


CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class BreakerState:
    """The breaker of one wrapped callable. Thread-safe; ``clock`` is ``time.monotonic``."""

    __slots__ = ("_lock", "clock", "cooldown", "failures", "name", "opened_at", "probing", "state", "threshold")

    def __init__(self, name: str, threshold: int, cooldown: float, clock: Callable[[], float]) -> None:
        self.name = name
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.state = CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self.probing = False
        self._lock = threading.Lock()

    def allow(self) -> tuple[bool, str | None]:
        """May a call go through now? Returns (allowed, new state if it changed)."""
        with self._lock:
            if self.state == CLOSED:
                return True, None
            if self.state == OPEN:
                if self.clock() - self.opened_at < self.cooldown:
                    return False, None
                self.state = HALF_OPEN
                self.probing = True
                return True, HALF_OPEN
            # half-open: one probe at a time
            if self.probing:
                return False, None
            self.probing = True
            return True, None

    def success(self) -> str | None:
        """Record a successful call. Returns the new state if it changed (``"closed"``)."""
        with self._lock:
            self.failures = 0
            self.probing = False
            if self.state != CLOSED:
                self.state = CLOSED
                return CLOSED
            return None

    def failure(self) -> str | None:
        """Record a failed call. Returns the new state if it changed (``"open"``)."""
        with self._lock:
            self.failures += 1
            self.probing = False
            if self.state == HALF_OPEN or (self.state == CLOSED and self.failures >= self.threshold):
                self.state = OPEN
                self.opened_at = self.clock()
                return OPEN
            return None

    def __repr__(self) -> str:
        return f"BreakerState({self.name!r}, state={self.state!r}, failures={self.failures})"


class CircuitBreaker:
    """Skip a failing callable for a cool-down: ``gw.CircuitBreaker(failures=5, cooldown=30.0)``.

    Given to a guard (``Guard(..., breaker=gw.CircuitBreaker())``), it keeps one state per wrapped
    callable and per fallback. ``failures`` consecutive failed calls (after their retries) open
    it; while open the callable is not called and the next fallback answers at once; after
    ``cooldown`` seconds one probe call goes through (half-open): success closes the breaker,
    failure opens it for another cool-down. Every change of state is an audit record
    (``type="lifecycle"``, ``event="breaker"``). ``clock`` replaces ``time.monotonic``, for tests.
    """

    def __init__(self, failures: int = 5, cooldown: float = 30.0, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not isinstance(failures, int) or isinstance(failures, bool) or failures < 1:
            raise PolicyError("failures must be at least 1", key="breaker.failures", expected="int >= 1")
        if not isinstance(cooldown, (int, float)) or isinstance(cooldown, bool) or cooldown < 0:
            raise PolicyError("cooldown must be a number >= 0", key="breaker.cooldown", expected="seconds >= 0")
        self.failures = failures
        self.cooldown = float(cooldown)
        self.clock = clock
        self._states: dict[Any, BreakerState] = {}
        self._lock = threading.Lock()

    def state_for(self, target: Any, name: str) -> BreakerState:
        """The `BreakerState` of ``target`` (created on first use; bound methods count per instance)."""
        key = getattr(target, "__func__", target)  # bound methods: one state per function+self
        key = (key, getattr(target, "__self__", None))
        st = self._states.get(key)
        if st is None:
            with self._lock:
                st = self._states.get(key)
                if st is None:
                    st = self._states[key] = BreakerState(name, self.failures, self.cooldown, self.clock)
        return st

    def states(self) -> dict[str, str]:
        """``{callable name: state}`` for every callable seen so far."""
        return {s.name: s.state for s in list(self._states.values())}

    def describe(self) -> dict[str, Any]:
        """The breaker settings as data, for the policy hash."""
        return {"failures": self.failures, "cooldown": self.cooldown}

    def __repr__(self) -> str:
        return f"CircuitBreaker(failures={self.failures}, cooldown={self.cooldown:g})"
