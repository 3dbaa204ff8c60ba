"""`OtelMetricsSink`: OpenTelemetry metrics for dashboards, counted from the audit records
(extra ``guardwrap[otel]``, ``opentelemetry-api`` only; the application configures the SDK, its
readers and exporters).

Off by default and free when off: a guard without this sink creates no instrument and does no
work for metrics. With it, the caller only enqueues (as for any sink); the writer thread builds the
records and updates the instruments:

========================================  =========  =================================================
instrument                                kind       attributes
========================================  =========  =================================================
``guardwrap.calls``                       counter    ``guardwrap.app``, ``guardwrap.outcome``,
                                                     ``gen_ai.provider.name``, ``gen_ai.request.model``
``guardwrap.call.duration`` (s)           histogram  ``guardwrap.app``, ``guardwrap.outcome``
``guardwrap.decisions``                   counter    ``guardwrap.app``, ``guardwrap.validator``,
                                                     ``guardwrap.stage``, ``guardwrap.outcome``
``guardwrap.validator.duration`` (s)      histogram  ``guardwrap.app``, ``guardwrap.validator``,
                                                     ``guardwrap.stage``
``guardwrap.events``                      counter    ``guardwrap.app``, ``guardwrap.event`` (attempt,
                                                     reask, fallback, breaker, skipped)
``guardwrap.audit.dropped``               counter    ``guardwrap.reason`` (records lost upstream)
========================================  =========  =================================================

Attributes are names, outcomes and codes only: never text, values or hashes (which would also
explode the metric cardinality). A call's duration includes the model call, as its record says.
"""

from __future__ import annotations

from typing import Any

from ._record import expand_steps
from ._writer import QueuedSink

__all__ = ["OtelMetricsSink"]

#: seconds; from a validator's microseconds to a slow model's tens of seconds
BUCKETS = (1e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2,
           5e-2, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _metrics_api() -> Any:
    try:
        from opentelemetry import metrics
    except ImportError:
        raise ImportError("OtelMetricsSink needs opentelemetry-api: pip install 'guardwrap[otel]'") from None
    return metrics


def _histogram(meter: Any, name: str, description: str) -> Any:
    try:
        return meter.create_histogram(name, unit="s", description=description,
                                      explicit_bucket_boundaries_advisory=list(BUCKETS))
    except TypeError:  # opentelemetry-api before 1.23: the SDK's default buckets (or a View) apply
        return meter.create_histogram(name, unit="s", description=description)


class OtelMetricsSink(QueuedSink):
    """Counters and latency histograms from every guard that lists this sink in ``audit=``.

    ``gw.Guard(..., audit=[gw.JsonlSink("audit.jsonl"), gw.OtelMetricsSink()])``. ``meter_provider``
    defaults to the global one (``opentelemetry.metrics.set_meter_provider``).
    """

    def __init__(self, *, meter_provider: Any = None, queue_size: int = 100_000, on_full: str = "drop",
                 flush_interval: float = 0.25) -> None:
        metrics = _metrics_api()
        super().__init__(durability="none", on_full=on_full, queue_size=queue_size, flush_interval=flush_interval)
        meter = metrics.get_meter("guardwrap", meter_provider=meter_provider)
        self._m_calls = meter.create_counter("guardwrap.calls", unit="{call}", description="Guarded calls by outcome")
        self._m_decisions = meter.create_counter("guardwrap.decisions", unit="{decision}",
                                               description="Validator decisions by validator, stage and outcome")
        self._m_events = meter.create_counter("guardwrap.events", unit="{event}",
                                            description="Retries, re-asks, fallbacks and breaker changes")
        self._lost = meter.create_counter("guardwrap.audit.dropped", unit="{record}",
                                             description="Audit records lost before this sink saw them")
        self._call_time = _histogram(meter, "guardwrap.call.duration", "Guarded call duration (model included)")
        self._validator_time = _histogram(meter, "guardwrap.validator.duration", "Time spent in each validator")
        self._start()

    def __repr__(self) -> str:
        return "OtelMetricsSink()"

    def _open(self) -> None:
        return None

    def _reopen_in_child(self) -> None:
        return None

    def _write(self, records: list[Any]) -> None:
        for rec in self._records(records):
            kind = rec.get("type")
            app = str(rec.get("app") or "")
            if "steps" in rec:  # one record per call (layout "call"): its decisions count as such
                for step in expand_steps(rec):
                    attrs = {"guardwrap.app": app, "guardwrap.validator": str(step.get("validator")),
                             "guardwrap.stage": str(step.get("stage"))}
                    self._validator_time.record((step.get("latency_us") or 0) / 1e6, attrs)
                    self._m_decisions.add(1, {**attrs, "guardwrap.outcome": str(step.get("outcome"))})
                if kind == "decision":
                    continue
            if kind == "decision":
                attrs = {"guardwrap.app": app, "guardwrap.validator": str(rec.get("validator")),
                         "guardwrap.stage": str(rec.get("stage"))}
                self._validator_time.record((rec.get("latency_us") or 0) / 1e6, attrs)
                self._m_decisions.add(1, {**attrs, "guardwrap.outcome": str(rec.get("outcome"))})
            elif kind == "call":
                attrs = {"guardwrap.app": app, "guardwrap.outcome": str(rec.get("outcome"))}
                self._call_time.record((rec.get("latency_us") or 0) / 1e6, attrs)
                for field, name in (("provider", "gen_ai.provider.name"), ("model", "gen_ai.request.model")):
                    if rec.get(field) is not None:
                        attrs[name] = str(rec[field])
                self._m_calls.add(1, attrs)
            elif kind == "lifecycle" and rec.get("event") not in (None, "open", "close", "fork"):
                self._m_events.add(1, {"guardwrap.app": app, "guardwrap.event": str(rec["event"])})
            elif kind == "gap":
                self._lost.add(int(rec.get("dropped") or 0), {"guardwrap.reason": str(rec.get("reason") or "")})
