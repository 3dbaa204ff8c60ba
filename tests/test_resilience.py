"""Retry, fallback, timeout and circuit breaker around plain functions (no HTTP here)."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

import guardwrap as gw
from guardwrap.resilience import CallTimeout, CircuitOpen, retry_after


def fast_retry(attempts=3, **kw):
    kw.setdefault("on", (ConnectionError, TimeoutError))
    return gw.Retry(attempts=attempts, backoff=0, jitter=0, **kw)


def lifecycle(sink, event=None):
    return [r for r in sink.of_type("lifecycle") if event is None or r["event"] == event]


class Flaky:
    """Fails ``n`` times with ``exc``, then answers."""

    def __init__(self, n, exc=ConnectionError, answer="ok"):
        self.n = n
        self.exc = exc
        self.answer = answer
        self.calls = 0
        self.__name__ = "flaky"

    def __call__(self, prompt):
        self.calls += 1
        if self.calls <= self.n:
            raise self.exc("provider said no")
        return self.answer


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


# -- retry -------------------------------------------------------------------------------------------


def test_retry_then_success_records_each_attempt(memory_sink):
    fn = Flaky(2)
    guard = gw.Guard("r", retry=fast_retry(3), audit=memory_sink)
    assert guard.wrap(fn)("hi") == "ok"
    assert fn.calls == 3
    retries = lifecycle(memory_sink, "attempt")
    assert [r["outcome"] for r in retries] == ["retry", "retry"]
    assert [r["attempt"] for r in retries] == [1, 2]
    assert all(r["error"] == "ConnectionError" for r in retries)
    (call,) = memory_sink.of_type("call")
    assert call["attempt"] == 3 and call["fallback_from"] is None and call["outcome"] == "pass"


def test_error_not_in_retry_on_is_not_retried():
    fn = Flaky(1, exc=ValueError)
    guard = gw.Guard("r", retry=fast_retry(3))
    with pytest.raises(ValueError):
        guard.wrap(fn)("hi")
    assert fn.calls == 1


def test_retries_exhausted_then_fallback(memory_sink):
    fn = Flaky(99)
    guard = gw.Guard("r", retry=fast_retry(2), fallback=[gw.Static("sorry")], audit=memory_sink)
    assert guard.wrap(fn)("hi") == "sorry"
    assert fn.calls == 2
    (fb,) = lifecycle(memory_sink, "fallback")
    assert fb["fallback_from"] == "flaky" and fb["target"] == "static" and fb["reasons"] == ["error"]
    (call,) = memory_sink.of_type("call")
    assert call["fallback_from"] == "flaky"
    assert call["attempt"] == 3


def test_fallback_chain_tries_callables_in_order():
    backup = Flaky(99)
    backup.__name__ = "backup"
    second = Flaky(0, answer="from second")
    guard = gw.Guard("r", fallback=[backup, second, gw.Static("never")])
    assert guard.wrap(Flaky(99))("hi") == "from second"
    assert backup.calls == 1


def test_every_target_failing_raises_the_last_error(memory_sink):
    guard = gw.Guard("r", retry=fast_retry(2), fallback=[Flaky(99, exc=TimeoutError)], audit=memory_sink)
    with pytest.raises(TimeoutError):
        guard.wrap(Flaky(99))("hi")
    (call,) = memory_sink.of_type("call")
    assert call["outcome"] == "error" and call["error"] == "TimeoutError"


def test_transient_alias_matches_sdk_style_status_errors():
    class StatusError(Exception):
        def __init__(self, status):
            super().__init__("status")
            self.status_code = status

    r = gw.Retry(3, on="transient")
    assert r.retryable(StatusError(429)) and r.retryable(StatusError(503))
    assert not r.retryable(StatusError(400)) and not r.retryable(ValueError())
    assert r.retryable(TimeoutError()) and r.retryable(ConnectionResetError())


# -- Retry-After ------------------------------------------------------------------------------------


class _Resp:
    def __init__(self, headers):
        self.headers = headers


class RateLimited(ConnectionError):
    def __init__(self, headers):
        super().__init__("rate limited")
        self.response = _Resp(headers)


def test_retry_after_parsing():
    assert retry_after(RateLimited({"retry-after": "3"})) == 3.0
    assert retry_after(RateLimited({"retry-after-ms": "250"})) == 0.25
    assert retry_after(RateLimited({})) is None
    assert retry_after(ValueError()) is None
    e = ValueError()
    e.retry_after = 1.5
    assert retry_after(e) == 1.5
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    date = format_datetime(now + timedelta(seconds=20), usegmt=True)
    assert retry_after(RateLimited({"retry-after": date}), now=now.timestamp) == pytest.approx(20, abs=1)
    assert retry_after(RateLimited({"retry-after": "soon"})) is None


def test_retry_after_is_honoured_over_backoff():
    waits = []
    calls = []

    def fn(prompt):
        calls.append(1)
        if len(calls) == 1:
            raise RateLimited({"retry-after": "4"})
        return "ok"

    guard = gw.Guard("r", retry=gw.Retry(3, on=ConnectionError, backoff=0.01, jitter=0, sleep=waits.append))
    assert guard.wrap(fn)("hi") == "ok"
    assert waits == [4.0]


def test_retry_after_longer_than_allowed_goes_to_fallback_at_once():
    waits = []
    fn = Flaky(99, exc=lambda msg: RateLimited({"retry-after": "600"}))
    guard = gw.Guard("r", retry=gw.Retry(5, on=ConnectionError, max_retry_after=30, sleep=waits.append),
                     fallback=[gw.Static("later")])
    assert guard.wrap(fn)("hi") == "later"
    assert fn.calls == 1 and waits == []


def test_backoff_is_exponential_capped_with_bounded_jitter():
    r = gw.Retry(5, backoff=1, max_backoff=4, jitter=0.5)
    for attempt, base in ((1, 1), (2, 2), (3, 4), (4, 4), (5, 4)):
        d = r.delay(attempt)
        assert base <= d <= base + 0.5


# -- circuit breaker ----------------------------------------------------------------------------------


def test_breaker_opens_skips_then_half_open_probe_closes(memory_sink):
    clock = Clock()
    fn = Flaky(2)
    guard = gw.Guard("b", fallback=[gw.Static("fallback")], breaker=gw.CircuitBreaker(2, 10, clock=clock),
                     audit=memory_sink)
    ask = guard.wrap(fn)
    assert ask("1") == "fallback"
    assert ask("2") == "fallback"  # second consecutive failure opens the breaker
    assert [r["state"] for r in lifecycle(memory_sink, "breaker")] == ["open"]
    assert ask("3") == "fallback"
    assert fn.calls == 2  # skipped while open
    assert lifecycle(memory_sink, "skipped")[0]["reasons"] == ["circuit-open"]
    clock.t += 11
    assert ask("4") == "ok"  # the probe goes through and succeeds
    assert fn.calls == 3
    assert [r["state"] for r in lifecycle(memory_sink, "breaker")] == ["open", "half_open", "closed"]
    assert guard.breaker.states() == {"flaky": "closed"}


def test_failed_probe_reopens_for_another_cooldown():
    clock = Clock()
    fn = Flaky(99)
    guard = gw.Guard("b", fallback=[gw.Static("fb")], breaker=gw.CircuitBreaker(1, 5, clock=clock))
    ask = guard.wrap(fn)
    ask("1")
    clock.t += 6
    ask("2")  # probe fails
    assert fn.calls == 2
    clock.t += 1
    ask("3")
    assert fn.calls == 2
    assert guard.breaker.states() == {"flaky": "open"}


def test_success_resets_the_consecutive_failure_count():
    answers = iter([ConnectionError, "ok", ConnectionError, "ok"])

    def fn(prompt):
        a = next(answers)
        if a is ConnectionError:
            raise a("x")
        return a

    guard = gw.Guard("b", fallback=[gw.Static("fb")], breaker=gw.CircuitBreaker(2, 60))
    ask = guard.wrap(fn)
    assert [ask(str(i)) for i in range(4)] == ["fb", "ok", "fb", "ok"]
    assert guard.breaker.states() == {"fn": "closed"}


def test_all_breakers_open_without_static_raises_circuit_open():
    clock = Clock()
    guard = gw.Guard("b", breaker=gw.CircuitBreaker(1, 60, clock=clock))
    ask = guard.wrap(Flaky(99))
    with pytest.raises(ConnectionError):
        ask("1")
    with pytest.raises(CircuitOpen) as ei:
        ask("2")
    assert "flaky" in str(ei.value)


# -- timeout ------------------------------------------------------------------------------------------


def test_sync_timeout_goes_to_fallback(memory_sink):
    release = threading.Event()

    def slow(prompt):
        release.wait(5)
        return "late"

    guard = gw.Guard("t", timeout=0.05, fallback=[gw.Static("too slow")], audit=memory_sink)
    try:
        assert guard.wrap(slow)("hi") == "too slow"
    finally:
        release.set()
    (fail,) = lifecycle(memory_sink, "attempt")
    assert fail["error"] == "CallTimeout"
    assert lifecycle(memory_sink, "fallback")[0]["reasons"] == ["timeout"]


def test_sync_timeout_without_fallback_raises_call_timeout_naming_no_text():
    release = threading.Event()

    def slow(prompt):
        release.wait(5)

    guard = gw.Guard("t", timeout=0.05)
    try:
        with pytest.raises(CallTimeout) as ei:
            guard.wrap(slow)("my secret 123-45-6789")
    finally:
        release.set()
    assert isinstance(ei.value, TimeoutError)
    assert "123-45-6789" not in str(ei.value)


def test_worker_results_and_errors_reach_the_caller():
    guard = gw.Guard("t", timeout=5)
    assert guard.wrap(lambda p: p.upper())("abc") == "ABC"
    with pytest.raises(KeyError):
        guard.wrap(lambda p: {}[p])("abc")


def test_async_timeout_goes_to_fallback():
    async def slow(prompt):
        await asyncio.sleep(5)
        return "late"

    guard = gw.Guard("t", timeout=0.05, fallback=[gw.Static("too slow")])
    assert asyncio.run(guard.wrap(slow)("hi")) == "too slow"


def test_async_retry_then_success_and_async_fallback():
    calls = []

    async def flaky(prompt):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("x")
        return "ok"

    async def backup(prompt):
        return "backup"

    guard = gw.Guard("a", retry=fast_retry(3))
    assert asyncio.run(guard.wrap(flaky)("hi")) == "ok"

    async def broken(prompt):
        raise ConnectionError("x")

    guard2 = gw.Guard("a", retry=fast_retry(2), fallback=[backup])
    assert asyncio.run(guard2.wrap(broken)("hi")) == "backup"


# -- fallback on block, configuration ----------------------------------------------------------------


@gw.validator(name="no-bad", stage="output", action="block")
def no_bad(text, ctx):
    return gw.Result.fail("bad-word") if "bad" in text else None


def test_fallback_on_block(memory_sink):
    def primary(prompt):
        return "a bad answer"

    guard = gw.Guard("f", output=[no_bad], fallback=[lambda p: "a good answer"], fallback_on_block=True,
                     audit=memory_sink)
    assert guard.wrap(primary)("hi") == "a good answer"
    calls = memory_sink.of_type("call")
    assert calls[-1]["fallback_from"] == "primary" and calls[-1]["attempt"] == 2
    guard_off = gw.Guard("f", output=[no_bad], fallback=[lambda p: "a good answer"])
    with pytest.raises(gw.Blocked):
        guard_off.wrap(primary)("hi")


@pytest.mark.parametrize(
    ("build", "key"),
    [
        (lambda: gw.Retry(attempts=0), "retry.attempts"),
        (lambda: gw.Retry(backoff=-1), "retry.backoff"),
        (lambda: gw.Retry(on="sometimes"), "retry.on"),
        (lambda: gw.CircuitBreaker(failures=0), "breaker.failures"),
        (lambda: gw.CircuitBreaker(cooldown=-1), "breaker.cooldown"),
        (lambda: gw.Guard("g", timeout=0), "timeout"),
        (lambda: gw.Guard("g", breaker="yes"), "breaker"),
    ],
)
def test_bad_configuration_names_the_key(build, key):
    with pytest.raises(gw.PolicyError) as ei:
        build()
    assert ei.value.key == key


def test_policy_hash_covers_resilience_settings():
    a = gw.Guard("g", timeout=1)
    b = gw.Guard("g", timeout=2)
    c = gw.Guard("g", breaker=gw.CircuitBreaker())
    assert len({a.policy_hash, b.policy_hash, c.policy_hash}) == 3
