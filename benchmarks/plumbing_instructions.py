"""Instructions the input guard's plumbing and audit writer execute per 2 KB call, validators aside.

The guard of ``bench_input_guard.py`` (PII redact + DenyTerms(50) + PromptInjection + MaxLength,
JSONL audit, layout "call"), with each validator replaced by a stub that replays its real result on
the 2 KB text (same names, versions, actions, scan patterns, findings): what is left is the guard's
own work (context, the one scan, redaction, steps and decision, the audit hand-off) and the writer's
(record bytes, keyed hashes, chain). Counted by callgrind, which is deterministic where a shared
machine's timings are not; only the measured loop is counted (``--toggle-collect=starmap_next``).

Run (each takes ~1 min):
    valgrind --tool=callgrind --toggle-collect=starmap_next --callgrind-out-file=/tmp/cg.out \\
        python benchmarks/plumbing_instructions.py caller 300
    callgrind_annotate /tmp/cg.out | grep "PROGRAM TOTALS"     # divide by 300
modes: caller (guarded calls), writer (the writer's ``_write`` of 300 queued calls), bare (a guard
without validators), bwriter (its writer). Under valgrind the SHA-256 kernel runs its portable code
(valgrind hides the SHA extensions): subtract ``blocks_portable`` (see callgrind_annotate) to
compare writer work as the CPU does it.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from itertools import starmap
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

import bench_input_guard as bench

import guardwrap as gw
from guardwrap._anonymize import apply_spans
from guardwrap._context import CallContext, current


class Replay:
    """A validator's name, version, action, scan patterns and its result on one text."""

    def __init__(self, v: Any, result: Any) -> None:
        self.name, self.version, self.action = v.name, v.version, v.action
        if getattr(v, "stream_safe", None) is not None:
            self.stream_safe = v.stream_safe
        if hasattr(v, "scan_patterns"):
            self.scan_patterns = v.scan_patterns
        self.describe = v.describe
        self.result = result

    def check(self, text: str, ctx: Any) -> Any:
        return self.result


def main(mode: str, n: int) -> None:
    text = bench.SIZES["2 KB"]
    stubs = []
    cur = text
    for v in bench.validators(True):
        r = v.check(cur, CallContext("x", current()))
        stubs.append(Replay(v, r))
        if r is not None and not r.passed and v.action == "redact":
            cur = apply_spans(cur, r.findings, "redact")
    tmp = tempfile.mkdtemp()
    sink = gw.JsonlSink(os.path.join(tmp, "a.jsonl"), layout="call", flush_interval=3600.0)
    guard = gw.Guard("bench-input", input=stubs if mode in ("caller", "writer") else [], audit=sink)
    llm = guard(lambda prompt: "ok")
    for _ in range(50):
        llm(text)
    guard.flush()
    gc.disable()
    if mode in ("caller", "bare"):
        list(starmap(llm, [(text,)] * n))
    else:
        for _ in range(n):
            llm(text)
        items, _markers = sink._drain()
        with sink._io_lock:
            list(starmap(sink._write, [(items,)]))
    os._exit(0)  # (nothing after the loop is counted anyway; skip the sink's close)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "caller", int(sys.argv[2]) if len(sys.argv) > 2 else 300)
