"""Cost on hostile input: texts built to hit each detector's slow paths, at 2 KB and 20 KB.

    .venv/bin/python benchmarks/bench_hostile.py            # PII with defaults (all entities)
    .venv/bin/python benchmarks/bench_hostile.py --guard    # the input guard of bench_input_guard

Work must be linear and bounded in the input's size whatever the input: each row prints the
median caller CPU per check at 2 KB and at 20 KB, the cost per 2 KB at 20 KB, and the growth
(20 KB / 2 KB: ~10 is linear; more means some step is worse than linear on that input). Each
input is a short unit repeated to the size, so one unit's cost times the count is the linear
expectation. Plain prose is the first row, for scale. Times are CPU time of the calling thread
(`time.thread_time_ns`), each call on a fresh copy of the text; the host is shared and noisy, so
read the growth column, not single microseconds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import time

from _harness import machine, median_us

import guardwrap as gw

#: name -> the unit repeated to the size
UNITS = {
    "plain prose": "The customer asked about the monthly fee and the overdraft limit. ",
    "names joined by &": "Tom Baker & Sylvia Baker, ",
    "firms joined by &": "Marks & Spencer & Co; ",
    "non-ASCII names": "Tomás Baker, Sylvia Bäker, ",
    "titled surname, comma": "Herr Müller, Ihre Karte. ",
    "capitalised words": "Alpha Beta Gamma Delta ",
    "cards glued to words": "card4111111111111111exp ",
    "references glued to digits": "TXN20261130123456 ",
    "digit groups": "12 34 56 78 90 ",
    "dates": "03/03/1985, ",
    "house numbers": "12 High St, ",
    "at signs": "a@b c@d ",
    "hex strings": "deadbeef4111111111111111cafe ",
    "one word of glued cards": "g4111111111111111",
    "one long digit run": "1234567890",
    "labels without values": "Name: , SSN: , Account: , ",
}


def fresh(text: str) -> str:
    """An equal string that is another object: each call reads its text anew, as a guarded call
    does (the canonical view is cached by the text's identity)."""
    return "".join([text[:1], text[1:]])


def text_of(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guard", action="store_true", help="the whole input guard instead of PII alone")
    args = ap.parse_args()
    if args.guard:
        from bench_input_guard import validators

        guard = gw.Guard("bench-hostile", input=validators(True))  # no audit sink: the checks alone

        def check(t: str) -> object:
            return guard.check(fresh(t))
        what = "the input guard of bench_input_guard.py (no sink)"
    else:
        pii = gw.PII()

        def check(t: str) -> object:
            return pii.detect(fresh(t))
        what = "gw.PII() (all entities) .detect"
    print(f"Cost on hostile input, {what}; {machine()}; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'input':<28}{'2 KB us':>10}{'20 KB us':>11}{'us per 2 KB at 20 KB':>22}{'growth':>8}")
    worst = 0.0
    for name, unit in UNITS.items():
        small, large = text_of(unit, 2048), text_of(unit, 20480)
        a = median_us(lambda s=small: check(s), number=20, repeat=7, clock=time.thread_time_ns)
        b = median_us(lambda s=large: check(s), number=3, repeat=5, clock=time.thread_time_ns)
        worst = max(worst, a, b / 10)
        print(f"{name:<28}{a:>10,.0f}{b:>11,.0f}{b / 10:>22,.0f}{b / a:>8.1f}")
    print(f"worst us per 2 KB: {worst:,.0f}")


if __name__ == "__main__":
    main()
