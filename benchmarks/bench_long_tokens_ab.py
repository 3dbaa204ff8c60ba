"""Round 17: the long-token pass, regex against the C kernel, interleaved A/B in one process.

    PYTHONPATH=src python benchmarks/bench_long_tokens_ab.py [--rounds 9]

`PromptInjection().score` on bench_pii's 2 KB and 20 KB bank messages as a caller hands them in,
unredacted (an e-mail address among the PII, so the text holds a token of 16 characters or more
and both the scan and the hidden-text reader look for base64 / hex blobs). ``regex``: the tokens
found by ``(?<!\\S)\\S{16,}`` (the pass before round 17); ``kernel``: `_cscore.long_tokens` (the
shipped one). The two swap `_signals.long_tokens` and `_features.long_tokens` run by run, on
fresh text objects each call (no per-text cache helps). Median caller CPU µs per call over the
rounds, and the lowest.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pii import TEXTS

import guardwrap as gw
from guardwrap.injection import _features, _signals


def regex_tokens(text: str) -> list[tuple[int, int]]:
    """The pass before round 17: the regex's first 50 matches."""
    return [m.span() for m in itertools.islice(_signals._LONG_TOKEN.finditer(text), _signals._LONG_TOKENS)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    kernel = _signals.long_tokens
    if _signals._ck is None:
        raise SystemExit("the C kernel is not built: nothing to compare")
    variants = {"regex": regex_tokens, "kernel": kernel}
    pi = gw.PromptInjection()
    print("| text | chars | regex (µs) | kernel (µs) | regex, lowest | kernel, lowest |")
    print("|---|---|---|---|---|---|")
    try:
        for size, calls in (("2 KB", 400), ("20 KB", 40)):
            text = TEXTS[size]
            assert regex_tokens(text) == kernel(text)
            times: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(args.rounds):
                for name, fn in variants.items():
                    _signals.long_tokens = _features.long_tokens = fn
                    fresh = [(text + " ")[:-1] for _ in range(calls)]
                    start = time.thread_time_ns()
                    for t in fresh:
                        pi.score(t)
                    times[name].append((time.thread_time_ns() - start) / calls / 1000)
            med = {k: statistics.median(v) for k, v in times.items()}
            low = {k: min(v) for k, v in times.items()}
            print(f"| {size} | {len(text):,} | {med['regex']:,.1f} | {med['kernel']:,.1f} | "
                  f"{low['regex']:,.1f} | {low['kernel']:,.1f} |")
    finally:
        _signals.long_tokens = _features.long_tokens = kernel


if __name__ == "__main__":
    main()
