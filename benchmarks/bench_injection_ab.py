"""PromptInjection with its C kernels on and off, interleaved in one process (median µs per check).

    python benchmarks/bench_injection_ab.py [--quick] [--kinds KIND,KIND]

"on" is the default validator (the learned tier; ``guardwrap.injection._cscore`` and
``guardwrap._text._cfold`` where built); "off" is the same validator run by the pure-Python
references: a model without the kernel's tables, and every kernel handle of ``guardwrap.injection``
and ``guardwrap._text._fold`` set to None during its calls (what ``GUARDWRAP_PURE_PYTHON=1``
gives, switched per call so both run in one process). The two are timed in turn, run after run
(A, B, A, B, ...), so load from other jobs on a shared host falls on both alike; the table gives
medians of caller CPU time (``time.thread_time_ns``).

Before timing, every input is checked both ways and the results (decision, score, reason, every
finding's rule and offsets) must be equal: the script fails otherwise.

Inputs (project-written, deterministic; see ``bench_injection.py``) at 200 B, 2 KB, 20 KB and
200 KB: banking prose with PII placeholders every ~100 characters (what the validator reads after
a PII redactor in an input guard), long role prompts and DAN-style persona prompts. Each call gets
one of two equal text objects in turn, so the per-text caches (canonical view, word set) never
answer: this is the validator's cost on its own, the view included. In a guard whose earlier
validators built the view already, the view costs the validator nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from _harness import machine, table  # noqa: E402
from bench_injection import KINDS  # noqa: E402

import guardwrap as gw  # noqa: E402
from guardwrap._native import status  # noqa: E402
from guardwrap._text import _fold  # noqa: E402
from guardwrap.injection import _features, _linear, _signals  # noqa: E402

SIZES = (200, 2_000, 20_000, 200_000)
DEFAULT_KINDS = ("prose with PII placeholders", "long role prompts", "DAN-style persona")


@contextlib.contextmanager
def kernels_off() -> Iterator[None]:
    """Every kernel handle the injection validator reads set to None for the duration."""
    mods: list[tuple[Any, str]] = [(_signals, "_ck"), (_features, "_ck"), (_linear, "_ck"), (_fold, "_cf")]
    saved = [getattr(m, name) for m, name in mods]
    for m, name in mods:
        setattr(m, name, None)
    try:
        yield
    finally:
        for (m, name), v in zip(mods, saved, strict=True):
            setattr(m, name, v)


class Off:
    """The default validator run by its pure-Python references."""

    def __init__(self) -> None:
        self.pi = gw.PromptInjection()
        model = _linear.LinearModel.load(_linear.WEIGHTS)
        model._tables = None
        self.pi._linear = model

    def check(self, text: str, ctx: Any) -> Any:
        with kernels_off():
            return self.pi.check(text, ctx)


def outcome(r: Any) -> Any:
    if r is None:
        return None
    return (r.passed, r.score, r.reason, [(f.rule, f.start, f.end, f.score) for f in r.findings])


def interleaved(calls: list[Callable[[], Any]], number: int, repeat: int) -> list[float]:
    """Median µs per call of each of ``calls``, timed in turn within every repeat."""
    for fn in calls:
        for _ in range(min(number, 20)):
            fn()
    runs: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for k, fn in enumerate(calls):
            t0 = time.thread_time_ns()
            for _ in range(number):
                fn()
            runs[k].append((time.thread_time_ns() - t0) / number / 1000)
    return [statistics.median(r) for r in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    ap.add_argument("--kinds", default=",".join(DEFAULT_KINDS), help="comma-separated input kinds")
    args = ap.parse_args()
    on = gw.PromptInjection()
    off = Off()
    rows = []
    for kind in args.kinds.split(","):
        make = KINDS[kind]
        for n in SIZES:
            base = make(n) if n <= 20_000 else (make(20_000) + "\n") * (n // 20_000)
            texts = [base, "".join(list(base))]
            want = outcome(off.check(texts[0], None))
            got = outcome(on.check(texts[1], None))
            if got != want:
                raise SystemExit(f"{kind} at {n:,} chars: kernels on and off disagree: {got} != {want}")
            calls = []
            for pi in (on, off):
                flip = [0]

                def call(pi: Any = pi, texts: list[str] = texts, flip: list[int] = flip) -> Any:
                    flip[0] ^= 1
                    return pi.check(texts[flip[0]], None)

                calls.append(call)
            number = max(1, (400 if n <= 2_000 else 40 if n <= 20_000 else 4) // (4 if args.quick else 1))
            a, b = interleaved(calls, number=number, repeat=5 if args.quick else 11)
            rows.append([kind, f"{len(base):,}", a, b, b / a])
    table(f"PromptInjection, C kernels on / off, median caller CPU µs per check ({machine()}; {status()})",
          ["input", "chars", "kernels on", "kernels off", "off / on"], rows)


if __name__ == "__main__":
    main()
