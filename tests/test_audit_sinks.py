"""LoggingSink and OtelSink: chained records handed to logging / OpenTelemetry, nothing raw."""

from __future__ import annotations

import logging

import pytest

import guardwrap as gw
from guardwrap.audit._chain import record_hash


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_logging_sink_puts_the_chained_record_in_extra():
    log = logging.getLogger("guardwrap.audit.test")
    h = Collect()
    log.addHandler(h)
    log.setLevel(logging.INFO)
    try:
        with gw.LoggingSink(log, checkpoint_every=3) as sink:
            for i in range(7):
                sink.emit({"type": "decision", "validator": "pii", "outcome": "fixed", "i": i})
    finally:
        log.removeHandler(h)
    recs = [r.guardwrap for r in h.records]
    assert [r["seq"] for r in recs] == list(range(len(recs)))
    assert all(r["hash"] == record_hash(r) for r in recs)
    assert sum(r["type"] == "checkpoint" for r in recs) >= 2
    msg = h.records[1].getMessage()
    assert msg.startswith("guardwrap audit decision seq=1 validator=pii outcome=fixed")


@pytest.fixture
def otel():
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    spans = InMemorySpanExporter()
    tp = TracerProvider()
    tp.add_span_processor(SimpleSpanProcessor(spans))
    logs = InMemoryLogRecordExporter()
    lp = LoggerProvider()
    lp.add_log_record_processor(SimpleLogRecordProcessor(logs))
    return tp.get_tracer("t"), spans, lp, logs


def test_otel_span_events_use_genai_names(otel):
    tracer, spans, lp, _ = otel
    sink = gw.OtelSink(logger_provider=lp)
    guard = gw.Guard("bot", input=[gw.validator(name="no-x", action="block")(
        lambda text, ctx: gw.Result.fail("x-found") if "x" in text else None)], audit=sink)
    with tracer.start_as_current_span("llm-call"), gw.context(model="gpt-x", provider="openai"):
        d = guard.check("say x please")
        sink.flush()
    sink.close()
    assert d.outcome == "blocked"
    (span,) = spans.get_finished_spans()
    ev = [e for e in span.events if e.name == "gen_ai.evaluation.result"]
    assert len(ev) == 1
    a = ev[0].attributes
    assert a["gen_ai.evaluation.name"] == "no-x"
    assert a["gen_ai.evaluation.score.label"] == "blocked"
    assert a["gen_ai.request.model"] == "gpt-x"
    assert a["gen_ai.provider.name"] == "openai"
    assert a["guardwrap.outcome"] == "blocked"
    assert isinstance(a["guardwrap.seq"], int) and len(a["guardwrap.hash"]) == 64
    assert "say x please" not in str(dict(a))


def test_otel_log_records_carry_the_callers_trace(otel):
    tracer, _, lp, logs = otel
    with gw.OtelSink(mode="logs", logger_provider=lp) as sink, tracer.start_as_current_span("s") as span:
        sink.emit({"type": "call", "outcome": "pass", "findings": [{"entity_type": "EMAIL_ADDRESS",
                                                                    "start": 1, "end": 5}]})
        trace_id = span.get_span_context().trace_id
    got = [x.log_record if hasattr(x, "log_record") else x for x in logs.get_finished_logs()]
    calls = [r for r in got if r.body == "guardwrap.call"]
    assert calls and calls[0].trace_id == trace_id
    assert '"entity_type":"EMAIL_ADDRESS"' in calls[0].attributes["guardwrap.findings"]


def test_otel_bad_mode_is_a_policy_error():
    pytest.importorskip("opentelemetry")
    with pytest.raises(gw.PolicyError, match=r"audit\.mode"):
        gw.OtelSink(mode="spans")
