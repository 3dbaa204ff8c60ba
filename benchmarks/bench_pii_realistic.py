"""PII cost on realistic bank text (the documents of pii_eval.py), per entity set, CPU time.

    PYTHONPATH=src python benchmarks/bench_pii_realistic.py [--docs 300] [--reps 3] [--baseline DIR]
    PYTHONPATH=src python benchmarks/bench_pii_realistic.py --linearity [--baseline DIR]

``--baseline DIR``: a directory holding another guardwrap tree renamed ``guardwrap_old`` (for
example ``git archive main src/guardwrap | tar -x -C DIR`` then ``mv DIR/src/guardwrap
DIR/guardwrap_old``); it is measured in the same process, interleaved with this tree, so both see
the same machine load. Medians, 90th and 95th percentiles of the calling thread's CPU time per
``detect``, in microseconds; every call gets a fresh copy of its text, so the canonical view and
its decoded blobs are built each time, as for a new message.

``--linearity``: the same documents joined into texts of 2, 20 and 200 KB, all entities and the
input guard's five: time per call and per KB (a linear engine keeps µs/KB flat); then
``bench_pii.py``'s prose texts, a new text object each call.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

FIVE = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"]


def fresh(text: str) -> str:
    """An equal string that is another object (the view cache is keyed by identity)."""
    return "".join([text[:1], text[1:]])


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def variants(argv: list[str], every: tuple[str, ...], full: bool) -> dict[str, Any]:
    import guardwrap as gw

    out: dict[str, Any] = {}
    if "--baseline" in argv:
        sys.path.insert(0, argv[argv.index("--baseline") + 1])
        import guardwrap_old as old

        out["baseline, all its entities"] = old.PII()
        out["baseline, 5 entities"] = old.PII(FIVE)
    out["all (defaults)"] = gw.PII()
    out["5 entities"] = gw.PII(FIVE)
    if full:
        out.update({
            "all but PERSON and STREET_ADDRESS": gw.PII([e for e in every
                                                         if e not in ("PERSON", "STREET_ADDRESS")]),
            "all but PERSON": gw.PII([e for e in every if e != "PERSON"]),
            "all but STREET_ADDRESS": gw.PII([e for e in every if e != "STREET_ADDRESS"]),
        })
    return out


def interleaved(fns: dict[str, Callable[[str], Any]], texts: list[str], reps: int) -> dict[str, list[float]]:
    """Calling-thread CPU µs per call of each variant, text by text. The order of the variants turns
    by one at every text, so each runs first as often as the others: a call right after another
    variant's call on the same text finds that text and much of the shared code in the CPU caches
    (on this host the same code measured 380 µs first and 270 µs second, in fixed order)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    keys = list(fns)
    clock = time.thread_time_ns
    turn = 0
    for _ in range(reps):
        for t in texts:
            for k in keys[turn:] + keys[:turn]:
                c = fresh(t)
                a = clock()
                fns[k](c)
                times[k].append((clock() - a) / 1000)
            turn = (turn + 1) % len(keys)
    return times


def realistic(argv: list[str]) -> None:
    import pii_eval

    import guardwrap as gw

    n = int(argv[argv.index("--docs") + 1]) if "--docs" in argv else 300
    reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else 3
    texts = [d.text for d in pii_eval.build(n, 7)]
    found = variants(argv, gw.pii.SUPPORTED_ENTITIES, "--short" not in argv)
    for p in found.values():
        for t in texts[:50]:
            p.detect(t)
    times = interleaved({k: p.detect for k, p in found.items()}, texts, reps)
    print(f"PII detect on {n} realistic documents (median {statistics.median(map(len, texts)):.0f} chars), "
          f"CPU µs per call, {reps} interleaved passes\n")
    print("| variant | median | p90 | p95 | mean |\n|---|---|---|---|---|")
    for k, v in times.items():
        print(f"| {k} | {statistics.median(v):.0f} | {pct(v, 0.9):.0f} | {pct(v, 0.95):.0f} | "
              f"{statistics.mean(v):.0f} |")


def linearity(argv: list[str]) -> None:
    import pii_eval

    import guardwrap as gw

    docs = [d.text for d in pii_eval.build(1200, 7)]
    joined = "\n\n".join(docs)
    sizes = {"2 KB": 2048, "20 KB": 20480, "200 KB": 204800}
    texts = {}
    for label, size in sizes.items():
        cut = joined.rfind("\n", 0, size)
        texts[label] = joined[:cut]
    assert len(joined) > 204800
    found = variants(argv, gw.pii.SUPPORTED_ENTITIES, False)
    print("PII detect on realistic documents joined into one text, CPU µs per call (median) and per KB\n")
    print("| variant | " + " | ".join(f"{k} µs | {k} µs/KB" for k in sizes) + " |")
    print("|---|" + "---|---|" * len(sizes))
    results: dict[str, list[str]] = {k: [] for k in found}
    for label, text in texts.items():
        reps = {"2 KB": 60, "20 KB": 10, "200 KB": 3}[label]
        for p in found.values():
            p.detect(fresh(text))
        times = interleaved({k: p.detect for k, p in found.items()}, [text], reps)
        for k, v in times.items():
            med = statistics.median(v)
            results[k] += [f"{med:,.0f}", f"{med / (len(text) / 1024):,.0f}"]
    for k, row in results.items():
        print(f"| {k} | " + " | ".join(row) + " |")

    import bench_pii

    prose = {k: bench_pii.TEXTS[k] for k in ("2 KB, no PII", "2 KB", "20 KB")}
    print("\nbench_pii.py's prose texts (a new text each call), CPU µs per call (median)\n")
    print("| variant | " + " | ".join(prose) + " |")
    print("|---|" + "---|" * len(prose))
    results = {k: [] for k in found}
    for label, text in prose.items():
        times = interleaved({k: p.detect for k, p in found.items()}, [text], 200 if label != "20 KB" else 20)
        for k, v in times.items():
            results[k].append(f"{statistics.median(v):,.0f}")
    for k, row in results.items():
        print(f"| {k} | " + " | ".join(row) + " |")


def main(argv: list[str]) -> int:
    if "--linearity" in argv:
        linearity(argv)
    else:
        realistic(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
