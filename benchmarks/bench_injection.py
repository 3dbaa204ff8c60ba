"""PromptInjection latency per tier and input kind at 200 B, 2 KB and 20 KB (median µs per check).

    PYTHONPATH=src:training/injection python benchmarks/bench_injection.py

Inputs are project-written and deterministic (the training corpus generators with fixed seeds, cut
or repeated to size): banking prose, the same prose with PII placeholders every ~100 characters,
trigger-word-dense benign questions, long "act as" role prompts, DAN-style persona prompts and
PAIR/TAP-style persuasive rewrites. Every call gets a text object the validator has not seen
(two copies alternate), so no per-text cache helps. Caller CPU time (``time.thread_time_ns``).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "training" / "injection"))

import corpus_attacks as A  # noqa: E402
import corpus_benign as B  # noqa: E402
from _harness import machine, median_us, table  # noqa: E402
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


def main() -> None:
    tiers = {"learned (default)": gw.PromptInjection(), "signals only": gw.PromptInjection(learned=False)}
    rows = []
    worst = 0.0
    for kind, make in KINDS.items():
        for n in SIZES:
            texts = [make(n), "".join(list(make(n)))]
            row: list[object] = [kind, f"{n:,}"]
            for pi in tiers.values():
                it = iter(range(10**9))

                def call(pi=pi, texts=texts, it=it):
                    return pi.check(texts[next(it) & 1], None)

                number = 200 if n <= 2000 else 30
                us = median_us(call, number=number, repeat=7, clock=time.thread_time_ns)
                row.append(us)
                worst = max(worst, us / max(n / 2000, 0.1))
            rows.append(row)
    print(table(f"PromptInjection, median caller CPU µs per check ({machine()})",
                ["input", "chars", *tiers], rows))
    print(f"worst µs per 2 KB over all inputs and tiers: {worst:,.0f}")


if __name__ == "__main__":
    main()
