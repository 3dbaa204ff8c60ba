"""PromptInjection latency per tier and input kind at 200 B, 2 KB and 20 KB (median µs per check).

    PYTHONPATH=src:training/injection python benchmarks/bench_injection.py
    python benchmarks/bench_injection.py --before ../main/src   # adds the learned tier of another
                                                                # checkout, timed interleaved
    python benchmarks/bench_injection.py --pure                 # adds this checkout's learned tier
                                                                # without its C kernels

Inputs are project-written and deterministic (the training corpus generators with fixed seeds, cut
or repeated to size): banking prose, the same prose with PII placeholders every ~100 characters,
trigger-word-dense benign questions, long "act as" role prompts, DAN-style persona prompts and
PAIR/TAP-style persuasive rewrites. Every call gets a text object the validator has not seen
(two copies alternate), so no per-text cache helps. Caller CPU time (``time.thread_time_ns``).

``--before DIR`` loads the ``guardwrap`` package under DIR a second time, as ``guardwrap_before``
(its own weights and caches), and times its learned tier in the same process, the variants
interleaved run by run, so that load from other jobs falls on both alike. The copy asks for its C
kernels by their ``guardwrap.`` names, so it gets this checkout's: compare against a checkout without
``injection/_cscore.c`` (e.g. ``git worktree add ../before 906c193``), or read its columns as "that
checkout's Python with this checkout's kernels".

``--pure`` adds this checkout's learned tier run by its pure-Python reference (the C kernels of
``guardwrap.injection`` and ``guardwrap._text._fold`` switched off for its calls only: a model
without the kernel's tables, every kernel handle set aside during the call), timed interleaved
with the others.
"""

from __future__ import annotations

import argparse
import importlib
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "training" / "injection"))

import corpus_attacks as A  # noqa: E402
import corpus_benign as B  # noqa: E402
from _harness import machine, table  # noqa: E402
from bench_rules import prose  # noqa: E402

import guardwrap as gw  # noqa: E402

SIZES = (200, 2_000, 20_000)


def sized(make, n: int, seed: int) -> str:
    rng = random.Random(seed)
    out = ""
    while len(out) < n:
        out += make(rng) + "\n\n"
    return out[:n]


def placeholders(n: int) -> str:
    p = prose(n, 7)
    tags = ["<EMAIL_ADDRESS_1>", "<CREDIT_CARD>", "<PHONE_NUMBER_2>", "<IBAN_CODE_1>"]
    return " ".join(w + (" " + tags[i % 4] if i % 15 == 14 else "") for i, w in enumerate(p.split()))[:n]


KINDS = {
    "banking prose": lambda n: prose(n, 1),
    "prose with PII placeholders": placeholders,
    "trigger-word questions": lambda n: sized(B.trigger_prompt, n, 2),
    "long role prompts": lambda n: sized(B.role_prompt, n, 3),
    "DAN-style persona": lambda n: sized(lambda r: A.persona_long(r, A.pick(r, A.HARMFUL)), n, 4),
    "PAIR/TAP-style rewrite": lambda n: sized(lambda r: A.persuasive(r, A.pick(r, A.HARMFUL)), n, 5),
}


def load_before(src: str):
    """``guardwrap`` from another checkout's ``src`` directory, imported as ``guardwrap_before``."""
    tmp = Path(tempfile.mkdtemp(prefix="gw-before-"))
    shutil.copytree(Path(src) / "guardwrap", tmp / "guardwrap_before")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("guardwrap_before")


def interleaved(calls: list, number: int, repeat: int = 9) -> list[float]:
    """Median µs per call of each of ``calls``, timed in turn within every repeat."""
    for fn in calls:
        for _ in range(min(number, 50)):
            fn()
    runs: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for k, fn in enumerate(calls):
            t0 = time.thread_time_ns()
            for _ in range(number):
                fn()
            runs[k].append((time.thread_time_ns() - t0) / number / 1000)
    return [statistics.median(r) for r in runs]


class Pure:
    """This checkout's learned tier with its C kernels off (`--pure`): the injection kernel and the
    matching view's (``guardwrap._text._cfold``), as in ``bench_injection_ab.py``."""

    def __init__(self) -> None:
        from bench_injection_ab import Off

        self.off = Off()

    def check(self, text, ctx):
        return self.off.check(text, ctx)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", metavar="SRC", help="a checkout's src directory to time beside this one")
    ap.add_argument("--pure", action="store_true", help="also time this checkout without its C kernels")
    args = ap.parse_args()
    tiers = {"learned (default)": gw.PromptInjection(), "signals only": gw.PromptInjection(learned=False)}
    if args.pure:
        tiers = {"learned, pure Python": Pure(), **tiers}
    if args.before:
        old = load_before(args.before)
        tiers = {"learned, before": old.PromptInjection(), **tiers,
                 "signals only, before": old.PromptInjection(learned=False)}
    rows = []
    worst = 0.0
    for kind, make in KINDS.items():
        for n in SIZES:
            texts = [make(n), "".join(list(make(n)))]
            calls = []
            for pi in tiers.values():
                it = iter(range(10**9))

                def call(pi=pi, texts=texts, it=it):
                    return pi.check(texts[next(it) & 1], None)

                calls.append(call)
            got = interleaved(calls, number=100 if n <= 2000 else 15)
            for name, us in zip(tiers, got, strict=True):
                if not name.endswith((", before", "pure Python")):
                    worst = max(worst, us / max(n / 2000, 0.1))
            rows.append([kind, f"{n:,}", *got])
    from guardwrap._native import status

    table(f"PromptInjection, median caller CPU µs per check ({machine()}; {status()})",
          ["input", "chars", *tiers], rows)  # prints it
    print(f"worst µs per 2 KB over all inputs and this checkout's tiers: {worst:,.0f}")


if __name__ == "__main__":
    main()
