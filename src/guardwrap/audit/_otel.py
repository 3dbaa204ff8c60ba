"""`OtelSink`: audit records as OpenTelemetry span events or log records (extra ``guardwrap[otel]``,
``opentelemetry-api`` only; the application configures the SDK and exporters).

The caller's span is captured at ``emit`` (the writer thread has no current span). A decision
becomes a ``gen_ai.evaluation.result`` event (``gen_ai.evaluation.name`` = validator,
``gen_ai.evaluation.score.label`` = outcome, ``gen_ai.evaluation.score.value`` = score); other
records become ``guardwrap.<type>`` events. Every field is also there as ``guardwrap.<field>``,
with the model and provider under their GenAI names. Lists of findings become a JSON string.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from ._forward import ForwardSink

_MODES = ("auto", "events", "logs")
_SPAN = "\x00span"
_GENAI = {"model": "gen_ai.request.model", "provider": "gen_ai.provider.name"}


def _otel() -> tuple[Any, Any]:
    try:
        from opentelemetry import _logs, trace
    except ImportError:
        raise ImportError("OtelSink needs opentelemetry-api: pip install 'guardwrap[otel]'") from None
    return trace, _logs


def attributes(record: dict[str, Any]) -> dict[str, Any]:
    """OpenTelemetry attributes for one record (primitives and lists of strings only)."""
    out: dict[str, Any] = {}
    for k, v in record.items():
        if v is None:
            continue
        name = _GENAI.get(k)
        if name is not None:
            out[name] = v
        if isinstance(v, (str, bool, int, float)):
            out[f"guardwrap.{k}"] = v
        elif isinstance(v, list) and all(isinstance(x, str) for x in v):
            out[f"guardwrap.{k}"] = list(v)
        else:
            out[f"guardwrap.{k}"] = orjson.dumps(v, option=orjson.OPT_SORT_KEYS).decode()
    if record.get("type") == "decision":
        out["gen_ai.evaluation.name"] = str(record.get("validator"))
        if record.get("outcome") is not None:
            out["gen_ai.evaluation.score.label"] = str(record["outcome"])
        if isinstance(record.get("score"), (int, float)):
            out["gen_ai.evaluation.score.value"] = float(record["score"])
        if record.get("reasons"):
            out["gen_ai.evaluation.explanation"] = ",".join(map(str, record["reasons"]))
    return out


def event_name(record: dict[str, Any]) -> str:
    return "gen_ai.evaluation.result" if record.get("type") == "decision" else f"guardwrap.{record.get('type')}"


class OtelSink(ForwardSink):
    """Chained audit records on the caller's span (``mode="events"``), as log records carrying the
    caller's trace context (``"logs"``), or on the span while it is still recording and as a log
    record otherwise (``"auto"``, default)."""

    def __init__(self, *, mode: str = "auto", logger_provider: Any = None, **kwargs: Any) -> None:
        from .._errors import PolicyError

        if mode not in _MODES:
            raise PolicyError(f"unknown mode {mode!r}", key="audit.mode", expected=" | ".join(_MODES))
        self._trace, logs = _otel()
        super().__init__(**kwargs)
        self.mode = mode
        self._current = self._trace.get_current_span
        self._logger = logs.get_logger("guardwrap.audit", logger_provider=logger_provider)
        self._LogRecord = logs.LogRecord
        self._info = logs.SeverityNumber.INFO
        self._start()

    def __repr__(self) -> str:
        return f"OtelSink(mode={self.mode!r})"

    accepts_deferred = False  # records travel with the caller's span: built on the caller's thread

    def emit(self, record: dict[str, Any]) -> None:
        # The writer thread has no current span: capture the caller's with the record (under a key
        # no record field can have; `_detach` takes it out again before the record is chained).
        record = dict(record)
        record[_SPAN] = self._current()
        super().emit(record)

    def _detach(self, item: Any) -> tuple[dict[str, Any], Any]:
        return item, item.pop(_SPAN, None)

    def _deliver(self, record: dict[str, Any], span: Any) -> None:
        attrs = attributes(record)
        name = event_name(record)
        ts = int((record.get("ts") or time.time()) * 1e9)
        if span is not None and self.mode != "logs" and span.is_recording():
            span.add_event(name, attrs, timestamp=ts)
            return
        if self.mode == "events":
            return
        kwargs: dict[str, Any] = {"timestamp": ts, "severity_number": self._info, "severity_text": "INFO",
                                  "body": name, "attributes": attrs}
        ctx = span.get_span_context() if span is not None else None
        if ctx is not None and ctx.is_valid:
            kwargs.update(trace_id=ctx.trace_id, span_id=ctx.span_id, trace_flags=ctx.trace_flags)
        self._logger.emit(self._LogRecord(**kwargs))
