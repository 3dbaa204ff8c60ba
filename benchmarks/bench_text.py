# ruff: noqa: RUF001  (full-width digits and CJK punctuation are the point of some rows)
"""The canonical text view and inputs far beyond a prompt: what they cost, in time and memory.

1. Building the canonical view (`guardwrap._text.canonical`) of 2 KB / 20 KB texts: plain ASCII
   (the fast path: the view is the text itself), ASCII that needs work (an escape, a digit run
   over a line break), and non-ASCII texts (full-width digits, dense zero-width characters, CJK).
   A new string object each call, so nothing is cached.
2. The spec's input chain (PII 5 types redact + DenyTerms 50 + PromptInjection + MaxLength, no
   audit) on 1 MB and 10 MB inputs: caller CPU per call and peak traced memory per input byte.

Run: python benchmarks/bench_text.py [--quick]
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

from _harness import machine, median_us, table
from bench_input_guard import DENY
from bench_pii import ENTITIES, TEXTS

import guardwrap as gw
from guardwrap._text import canonical


def fresh(text: str) -> str:
    return (text + " ")[:-1]  # an equal string, but a new object: the view cache misses


def view_rows(quick: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    base = {"2 KB": TEXTS["2 KB"], "20 KB": TEXTS["20 KB"]}
    for size, ascii_text in base.items():
        n = len(ascii_text)
        kinds = {
            "ASCII prose with PII (fast path)": ascii_text,
            "ASCII + one URL escape": ascii_text[: n - 12] + " a%40b.org ",
            "ASCII + digit run over a line break": ascii_text[: n - 12] + " 4111\n1111 ",
            "full-width digits in places": ascii_text[: n - 40] + " card ４１１１ １１１１ １１１１ １１１１ ",
            "zero-width after every letter": "".join(c + "\u200b" for c in ascii_text[: n // 2]),
            "CJK": ("我们的银行提供多种服务，包括储蓄账户和信用卡。" * (n // 20 + 1))[:n],
        }
        for kind, text in kinds.items():
            number = (200 if quick else 2000) // (10 if size == "20 KB" else 1)
            us = median_us(lambda t=text: canonical(fresh(t)), number=number, repeat=5 if quick else 9,
                           clock=time.thread_time_ns)
            base_us = median_us(lambda t=text: fresh(t), number=number, repeat=5 if quick else 9,
                                clock=time.thread_time_ns)
            rows.append([size, kind, round(us - base_us, 2)])
    return rows


def big_rows(quick: bool) -> list[list[object]]:
    guard = gw.Guard("big", input=[gw.PII(ENTITIES, action="redact"), gw.DenyTerms(DENY, action="block"),
                                   gw.PromptInjection(action="block"), gw.MaxLength(chars=100_000_000)])
    unit = TEXTS["20 KB"]
    rows: list[list[object]] = []
    for label, size in (("1 MB", 1_000_000), ("10 MB", 10_000_000)):
        if quick and size > 1_000_000:
            continue
        text = (unit * (size // len(unit) + 1))[:size]
        guard.check(text[:20_000])  # warm up lazy imports and tables
        t0 = time.thread_time()
        d = guard.check(text)
        cpu = time.thread_time() - t0
        tracemalloc.start()
        guard.check(fresh(text))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append([label, d.outcome, len(d.findings), round(cpu, 2), round(cpu / size * 1e9, 1),
                     round(peak / size, 1)])
    return rows


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    table(f"Canonical view: build cost per text, caller CPU us, nothing cached ({machine()})",
          ["size", "text", "view (us)"], view_rows(quick))
    table("Input chain on very large inputs (PII 5 + DenyTerms 50 + PromptInjection + MaxLength)",
          ["input", "outcome", "findings", "caller CPU (s)", "ns per char", "peak memory (bytes per char)"],
          big_rows(quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
