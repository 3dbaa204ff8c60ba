"""OpenTelemetry metrics from a guard: calls, outcomes by validator, latency histograms.

``gw.OtelMetricsSink`` needs only opentelemetry-api (``guardwrap[otel]``); the application owns
the SDK and exporters. Here an in-memory reader (``pip install opentelemetry-sdk``) prints them.

    python examples/otel_metrics.py
"""

from __future__ import annotations

import os

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

import guardwrap as gw

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "demo-key-not-for-production-0123456789abcdef")


def main() -> None:
    reader = InMemoryMetricReader()
    guard = gw.Guard("metrics-demo", input=[gw.PII(entities=["EMAIL_ADDRESS"], action="redact")],
                     audit=gw.OtelMetricsSink(meter_provider=MeterProvider(metric_readers=[reader])))

    @guard
    def ask(prompt: str) -> str:
        return "ok"

    for text in ("hello", "mail jane.roe@example.com", "thanks"):
        ask(text)
    guard.flush()
    data = reader.get_metrics_data()
    for metric in data.resource_metrics[0].scope_metrics[0].metrics if data else ():
        for p in metric.data.data_points:
            attrs = {k.split(".")[-1]: v for k, v in p.attributes.items()}
            value = p.value if hasattr(p, "value") else f"count={p.count}"
            print(f"{metric.name:30} {value!s:>8}  {attrs}")
    guard.close()


if __name__ == "__main__":
    main()
