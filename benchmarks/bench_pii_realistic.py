"""PII cost on realistic bank text (the documents of pii_eval.py), per entity set, CPU time.

    PYTHONPATH=src python benchmarks/bench_pii_realistic.py [--docs 300] [--baseline DIR]

``--baseline DIR``: a directory holding another guardwrap tree renamed ``guardwrap_old`` (for
example ``git archive main src/guardwrap | tar -x`` then ``mv src/guardwrap DIR/guardwrap_old``);
it is measured in the same process, interleaved with this tree, so both see the same machine load.
Medians and 90th percentiles of the calling thread's CPU time per ``detect``, in microseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

FIVE = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"]


def main(argv: list[str]) -> int:
    import pii_eval

    import guardwrap as gw

    n = int(argv[argv.index("--docs") + 1]) if "--docs" in argv else 300
    texts = [d.text for d in pii_eval.build(n, 7)]
    every = gw.pii.SUPPORTED_ENTITIES
    variants: dict[str, Any] = {}
    if "--baseline" in argv:
        sys.path.insert(0, argv[argv.index("--baseline") + 1])
        import guardwrap_old as old

        variants["baseline, all its entities"] = old.PII()
        variants["baseline, 5 entities"] = old.PII(FIVE)
    variants.update({
        "all (defaults)": gw.PII(),
        "5 entities": gw.PII(FIVE),
        "all but PERSON and STREET_ADDRESS": gw.PII([e for e in every if e not in ("PERSON", "STREET_ADDRESS")]),
        "all but PERSON": gw.PII([e for e in every if e != "PERSON"]),
        "all but STREET_ADDRESS": gw.PII([e for e in every if e != "STREET_ADDRESS"]),
    })
    for p in variants.values():
        for t in texts[:50]:
            p.detect(t)
    times: dict[str, list[float]] = {k: [] for k in variants}
    clock = time.thread_time_ns
    for _ in range(3):
        for t in texts:
            for k, p in variants.items():
                a = clock()
                p.detect(t)
                times[k].append((clock() - a) / 1000)
    print(f"PII detect on {n} realistic documents (median {statistics.median(map(len, texts)):.0f} chars), "
          "CPU µs per call\n")
    print("| variant | median | p90 |\n|---|---|---|")
    for k, v in times.items():
        print(f"| {k} | {statistics.median(v):.0f} | {sorted(v)[int(0.9 * len(v))]:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
