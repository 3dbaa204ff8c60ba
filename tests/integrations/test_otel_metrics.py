"""`OtelMetricsSink` against the real OpenTelemetry SDK (an in-memory metric reader)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

import guardwrap as gw

SECRET = "jane.roe@example.com"


@pytest.fixture
def reader():
    r = InMemoryMetricReader()
    return r, MeterProvider(metric_readers=[r])


def points(reader) -> dict[str, list]:
    out: dict[str, list] = {}
    data = reader.get_metrics_data()
    for rm in data.resource_metrics if data else ():
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                out.setdefault(m.name, []).extend(m.data.data_points)
    return out


def test_calls_outcomes_by_validator_and_latency(reader):
    r, provider = reader
    sink = gw.OtelMetricsSink(meter_provider=provider)
    guard = gw.Guard("bank-bot", input=[gw.PII(entities=["EMAIL_ADDRESS"], action="redact")],
                     output=[gw.RegexRule(r"guaranteed", action="block", reason="promise")], audit=sink)

    @guard
    def ask(prompt: str, gw_context=None) -> str:
        return "guaranteed returns" if "promise" in prompt else "fine"

    ask(f"mail {SECRET}")
    ask("hello")
    with pytest.raises(gw.Blocked):
        ask("promise me")
    guard.flush()
    got = points(r)
    calls = {(p.attributes["guardwrap.outcome"], p.attributes["guardwrap.app"]): p.value
             for p in got["guardwrap.calls"]}
    assert calls == {("fixed", "bank-bot"): 1, ("pass", "bank-bot"): 1, ("blocked", "bank-bot"): 1}
    decisions = {(p.attributes["guardwrap.validator"], p.attributes["guardwrap.stage"],
                  p.attributes["guardwrap.outcome"]): p.value for p in got["guardwrap.decisions"]}
    assert decisions[("pii", "input", "fixed")] == 1
    assert decisions[("pii", "input", "pass")] == 2
    assert decisions[("regex", "output", "blocked")] == 1
    (hist,) = [p for p in got["guardwrap.call.duration"] if p.attributes["guardwrap.outcome"] == "pass"]
    assert hist.count == 1 and 0 < hist.sum < 5
    assert len(hist.explicit_bounds) > 10 and hist.explicit_bounds[0] < 1e-5  # microsecond buckets
    assert {p.attributes["guardwrap.validator"] for p in got["guardwrap.validator.duration"]} == {"pii", "regex"}
    # names and codes only: no text, no values in any attribute
    assert SECRET not in repr([p.attributes for ps in got.values() for p in ps])
    guard.close()


def test_retries_and_fallbacks_are_counted(reader):
    r, provider = reader
    guard = gw.Guard("g", retry=gw.Retry(2, on=(ConnectionError,), backoff=0, jitter=0),
                     fallback=[gw.Static("sorry")], audit=gw.OtelMetricsSink(meter_provider=provider))

    @guard
    def ask(prompt: str) -> str:
        raise ConnectionError

    assert ask("x") == "sorry"
    guard.flush()
    events = {p.attributes["guardwrap.event"]: p.value for p in points(r)["guardwrap.events"]}
    assert events["attempt"] >= 2 and events["fallback"] == 1
    guard.close()


def test_provider_and_model_from_the_context(reader):
    r, provider = reader
    guard = gw.Guard("g", audit=gw.OtelMetricsSink(meter_provider=provider))

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    ask("x", gw_context={"provider": "openai", "model": "gpt-test"})
    guard.flush()
    (p,) = points(r)["guardwrap.calls"]
    assert p.attributes["gen_ai.provider.name"] == "openai" and p.attributes["gen_ai.request.model"] == "gpt-test"
    guard.close()


def test_off_by_default_costs_nothing():
    # without the sink nothing imports the OpenTelemetry metrics API
    code = ("import sys, guardwrap as gw\n"
            "g = gw.Guard('x', audit=gw.MemorySink())\n"
            "g.check('hello')\n"
            "assert not any(m.startswith('opentelemetry') for m in sys.modules), 'otel imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_gap_records_count_the_lost_records(reader):
    r, provider = reader
    with gw.OtelMetricsSink(meter_provider=provider) as sink:
        sink.emit({"type": "gap", "dropped": 3, "reason": "queue-full"})
        sink.flush()
        (p,) = points(r)["guardwrap.audit.dropped"]
    assert p.value == 3 and p.attributes["guardwrap.reason"] == "queue-full"
