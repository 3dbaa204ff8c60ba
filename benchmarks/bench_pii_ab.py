"""PII before/after, in one process, interleaved: this tree against another guardwrap tree (the
baseline, e.g. main) on the input guard's texts and on realistic documents.

    git archive main src/guardwrap | tar -x -C /tmp/base && mv /tmp/base/src/guardwrap /tmp/base/guardwrap_old
    (copy the built kernels: cd src/guardwrap && find . -name '*.so' -exec cp {} /tmp/base/guardwrap_old/{} \\;)
    sed -i 's/kernel("guardwrap\\./kernel("guardwrap_old./' $(grep -rl 'kernel("guardwrap\\.' /tmp/base/guardwrap_old)
    PYTHONPATH=src python benchmarks/bench_pii_ab.py --baseline /tmp/base [--quick]

The ``sed`` makes the baseline load its own C kernels (``guardwrap_old.pii._cscan``), not this
tree's. Rows: ``PII(5 entities, redact).check`` (the input guard's PII step) and the whole input
guard's ``Guard.check`` (PII + 50 deny terms + PromptInjection + MaxLength, no audit sink) on
bench_pii's 2 KB / 20 KB / 200 KB prose; ``PII().detect`` (all default entities) on pii_eval's
realistic documents (seed 7). Calling-thread CPU time, medians of interleaved calls (old, new,
old, new...), a fresh copy of the text for each call.
"""

from __future__ import annotations

import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))

from bench_pii_realistic import interleaved  # one timing loop for both benchmarks


def main(argv: list[str]) -> int:
    sys.path.insert(0, argv[argv.index("--baseline") + 1])
    quick = "--quick" in argv
    import bench_input_guard as big
    import bench_pii
    import guardwrap_old as old
    import pii_eval

    import guardwrap as gw

    def guard(mod: object) -> object:
        m: object = mod
        return m.Guard("ab", input=[  # type: ignore[attr-defined]
            m.PII(bench_pii.ENTITIES, action="redact"), m.DenyTerms(big.DENY, action="block"),  # type: ignore[attr-defined]
            m.PromptInjection(action="block"), m.MaxLength(chars=1_000_000)])  # type: ignore[attr-defined]

    pii = {"main": old.PII(bench_pii.ENTITIES, action="redact"), "this": gw.PII(bench_pii.ENTITIES, action="redact")}
    guards = {"main": guard(old), "this": guard(gw)}
    texts = {"2 KB": bench_pii.TEXTS["2 KB"], "20 KB": bench_pii.TEXTS["20 KB"], "200 KB": bench_pii.TEXTS["20 KB"] * 10}
    reps = {"2 KB": 300, "20 KB": 40, "200 KB": 5}
    if quick:
        reps = {k: max(3, v // 3) for k, v in reps.items()}
    for k in ("main", "this"):
        assert [f.entity_type for f in pii[k].detect(texts["2 KB"])] == \
            [f.entity_type for f in pii["this"].detect(texts["2 KB"])]
    print("| step | text | main µs | this µs | main / this |\n|---|---|---|---|---|")
    for label, text in texts.items():
        for name, objs in (("PII (5 entities, redact) check", pii), ("input guard check", guards)):
            fns = {k: o.check for k, o in objs.items()}  # type: ignore[attr-defined]
            for f in fns.values():
                for _ in range(3):
                    f(text)
            t = interleaved(fns, [text], reps[label])
            a, b = statistics.median(t["main"]), statistics.median(t["this"])
            print(f"| {name} | {label} | {a:,.1f} | {b:,.1f} | {a / b:.2f} |")
    docs = [d.text for d in pii_eval.build(100 if quick else 300, 7)]
    every = {"main": old.PII(), "this": gw.PII()}
    for p in every.values():
        for d in docs[:30]:
            p.detect(d)
    t = interleaved({k: p.detect for k, p in every.items()}, docs, 2 if quick else 3)
    a, b = statistics.median(t["main"]), statistics.median(t["this"])
    print(f"| PII() detect, all default entities | realistic, median {statistics.median(map(len, docs)):.0f} chars "
          f"| {a:,.1f} | {b:,.1f} | {a / b:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
