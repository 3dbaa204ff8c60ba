"""The input guard of ``bench_input_guard.py`` (PII 5 types redact + 50 deny terms + PromptInjection +
MaxLength + JsonlSink), this tree against another guardwrap tree (the baseline, e.g. main's HEAD),
interleaved in one process: the validators' step latencies and the whole guarded call, caller CPU
and sustained.

    git archive main src/guardwrap | tar -x -C /tmp/base && mv /tmp/base/src/guardwrap /tmp/base/guardwrap_old
    (copy the baseline's built kernels into /tmp/base/guardwrap_old, then)
    sed -i 's/kernel("guardwrap\\./kernel("guardwrap_old./' $(grep -rl 'kernel("guardwrap\\.' /tmp/base/guardwrap_old)
    PYTHONPATH=src python benchmarks/bench_validators_ab.py --baseline /tmp/base [--quick]

(as ``bench_pii_ab.py``; the ``sed`` makes the baseline load its own C kernels.)

"Steps" are the medians of each validator's step latency (wall, from the decisions of
``Guard.check`` on a guard without audit sink, a fresh copy of the text each call, old and new
call by call). "Caller" is the calling thread's CPU per guarded call (``time.thread_time_ns``),
"sustained" the wall time of N guarded calls plus draining the audit writer, divided by N (as
``bench_input_guard.py``), in blocks of N calls alternating old and new. The decisions of both
trees are checked to be identical (outcome, text, reasons, findings) on every text first.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

import bench_input_guard as big
from bench_pii import ENTITIES, TEXTS

import guardwrap as gw


def validators(m: Any) -> list[Any]:
    return [m.PII(ENTITIES, action="redact"), m.DenyTerms(big.DENY, action="block"),
            m.PromptInjection(action="block"), m.MaxLength(chars=1_000_000)]


def fresh(t: str) -> str:
    return "".join([t[:1], t[1:]])


def summary(d: Any) -> Any:
    return (d.outcome, d.text, d.reasons, [(s.validator, s.outcome, s.reasons,
                                            [(f.kind, f.start, f.end, f.score) for f in s.findings]) for s in d.steps])


def pct(v: list[float], q: float) -> float:
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


def main(argv: list[str]) -> int:
    sys.path.insert(0, argv[argv.index("--baseline") + 1])
    import guardwrap_old as old

    quick = "--quick" in argv
    mods = {"main": old, "this": gw}
    texts = {"2 KB": TEXTS["2 KB"], "20 KB": TEXTS["20 KB"]}
    plain = {k: m.Guard("ab", input=validators(m)) for k, m in mods.items()}
    for t in [*texts.values(), TEXTS["200 B"], TEXTS["2 KB, no PII"]]:
        a, b = (summary(g.check(fresh(t))) for g in plain.values())
        assert a == b, "the two trees decide differently"
    # the step latencies, call by call
    reps = {"2 KB": 1500, "20 KB": 200} if not quick else {"2 KB": 300, "20 KB": 40}
    steps: dict[tuple[str, str], dict[str, list[float]]] = {}
    for label, text in texts.items():
        for g in plain.values():
            for _ in range(5):
                g.check(fresh(text))
        for _ in range(reps[label]):
            for k, g in plain.items():
                d = g.check(fresh(text))
                acc = steps.setdefault((label, k), {})
                for s in d.steps:
                    acc.setdefault(s.validator, []).append(s.latency_ns / 1000)
                acc.setdefault("all steps", []).append(sum(s.latency_ns for s in d.steps) / 1000)
    # the guarded call with its JSONL audit, in blocks of n calls
    tmp = tempfile.mkdtemp()
    guards = {k: m.Guard("bench-input", input=validators(m),
                         audit=m.JsonlSink(os.path.join(tmp, f"{k}.jsonl"), layout="call"))
              for k, m in mods.items()}
    calls = {k: g(lambda prompt: "ok") for k, g in guards.items()}
    n_calls = {"2 KB": 50, "20 KB": 5}
    rounds = 20 if quick else 80
    whole: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for label, text in texts.items():
        for k in mods:
            for _ in range(n_calls[label] // 4):
                calls[k](text)
            guards[k].flush()
    for _ in range(rounds):
        for label, text in texts.items():
            for k in mods:
                n = n_calls[label]
                gc.collect()
                gc.disable()
                try:
                    w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
                    for _ in range(n):
                        calls[k](text)
                    c1 = time.thread_time_ns()
                    guards[k].flush()
                    w1 = time.perf_counter_ns()
                finally:
                    gc.enable()
                whole.setdefault((label, k), []).append(((c1 - c0) / n / 1000, (w1 - w0) / n / 1000))
    for g in guards.values():
        g.close()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (other benchmarks were running on the host)\n")
    print("| text | step | main µs (median / p10) | this µs (median / p10) | main / this |\n|---|---|---|---|---|")
    for label in texts:
        for name in ("pii", "deny_terms", "prompt_injection", "max_length", "all steps"):
            a, b = steps[(label, "main")][name], steps[(label, "this")][name]
            print(f"| {label} | {name} | {statistics.median(a):,.1f} / {pct(a, 0.1):,.1f} | "
                  f"{statistics.median(b):,.1f} / {pct(b, 0.1):,.1f} | {statistics.median(a) / statistics.median(b):.2f} |")
    print("\n| text | guarded call | main µs (median, range) | this µs (median, range) | main / this |\n|---|---|---|---|---|")
    for label in texts:
        for i, name in ((0, "caller CPU"), (1, "sustained")):
            a = [r[i] for r in whole[(label, "main")]]
            b = [r[i] for r in whole[(label, "this")]]
            print(f"| {label} | {name} | {statistics.median(a):,.1f} ({min(a):,.0f}-{max(a):,.0f}) | "
                  f"{statistics.median(b):,.1f} ({min(b):,.0f}-{max(b):,.0f}) | "
                  f"{statistics.median(a) / statistics.median(b):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
