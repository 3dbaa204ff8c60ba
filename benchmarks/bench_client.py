"""Overhead of a guarded ``chat.completions.create`` over the unguarded client, same run.

Both clients talk to guardwrap's local fake server on 127.0.0.1 (same canned answer), so the
difference of the medians is what the guard adds per call: input chain, output chain, adapter
copy of the completion, and audit records into a MemorySink. Inputs are fixed; calls alternate
between the variants in rounds so load drifts hit both alike.

    PYTHONPATH=src python benchmarks/bench_client.py [--calls 400]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

import openai

import guardwrap as gw
from guardwrap.fakellm import FakeLLM

os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "bench-key-0123456789abcdef0123456789abcdef")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@gw.validator(name="email", action="redact")
def email(text, ctx):
    found = [gw.Finding("EMAIL_ADDRESS", m.start(), m.end()) for m in EMAIL.finditer(text)]
    return gw.Result.fail("email", findings=found) if found else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=400)
    n = ap.parse_args().calls
    messages = [{"role": "system", "content": "You are a bank's assistant."},
                {"role": "user", "content": "My email is jane.roe@example.com; what is my card limit? " * 4}]
    with FakeLLM() as llm:
        llm.default = {"text": "Your limit is shown in the app under Cards > Limits. " * 3}
        raw = openai.OpenAI(base_url=llm.openai_url, api_key="bench", max_retries=0)
        variants = {
            "unguarded": raw,
            "guard, no validators": gw.openai.guard_client(raw, gw.Guard("bench-empty", audit=gw.MemorySink())),
            "guard, email in+out": gw.openai.guard_client(
                raw, gw.Guard("bench-email", input=[email], output=[email], audit=gw.MemorySink())),
            "guard, + retry/fallback/breaker": gw.openai.guard_client(
                raw, gw.Guard("bench-res", input=[email], output=[email], audit=gw.MemorySink(),
                              retry=gw.Retry(3, on="transient"), fallback=[gw.Static("sorry")],
                              breaker=gw.CircuitBreaker())),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        for c in variants.values():  # warm up connections and caches
            for _ in range(20):
                c.chat.completions.create(model="m", messages=messages)
        for _ in range(n):
            for name, c in variants.items():
                t0 = time.perf_counter_ns()
                c.chat.completions.create(model="m", messages=messages)
                times[name].append((time.perf_counter_ns() - t0) / 1000)
    base = statistics.median(times["unguarded"])
    print(f"{'variant':34} {'median us':>10} {'p90 us':>10} {'overhead us':>12}")
    for name, ts in times.items():
        med = statistics.median(ts)
        p90 = statistics.quantiles(ts, n=10)[-1]
        print(f"{name:34} {med:10.1f} {p90:10.1f} {med - base:12.1f}")
    print(f"\n{n} calls per variant, interleaved; python {os.sys.version.split()[0]}, openai {openai.__version__}")


if __name__ == "__main__":
    main()
