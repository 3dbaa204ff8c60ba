"""PERSON's cost on realistic text, before/after in one process: this tree against a baseline tree
(e.g. main), interleaved in alternating order, both seeing the same machine load.

    git archive main src/guardwrap | tar -x -C /tmp/base && mv /tmp/base/src/guardwrap /tmp/base/guardwrap_old
    (copy the built kernels: cd src/guardwrap && find . -name '*.so' -exec cp {} /tmp/base/guardwrap_old/{} \\;)
    sed -i 's/kernel("guardwrap\\./kernel("guardwrap_old./' $(grep -rl 'kernel("guardwrap\\.' /tmp/base/guardwrap_old)
    PYTHONPATH=src python benchmarks/bench_names_cost_ab.py --baseline /tmp/base [--docs 300] [--reps 3]

Rows, on pii_eval's realistic documents (development kinds, seed 7; held-out kinds, seed 17):
``PII().detect`` (all default entities), ``PII(all but PERSON).detect``, their difference of
medians (PERSON's share) and ``Names.scan`` alone on the canonical view (what the engine scans,
made once beforehand; a fresh `Doc` each call). Calling-thread CPU µs per text: median, and the
range of the per-pass medians. Findings are checked equal first. Every variant sees every text
once before the timed passes: the first ``detect`` of a text costs more than later ones (warm-ups
keyed by the text's values), and a variant always called first would pay it alone.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))


def fresh(text: str) -> str:
    return "".join([text[:1], text[1:]])


def interleaved(fns: dict[str, Callable[[str], Any]], texts: list[str], reps: int) -> dict[str, list[list[float]]]:
    """Per variant, per pass, the CPU µs of each text; the order of the variants alternates."""
    clock = time.thread_time_ns
    out: dict[str, list[list[float]]] = {k: [] for k in fns}
    items = list(fns.items())
    for r in range(reps):
        for v in out.values():
            v.append([])
        for j, t in enumerate(texts):
            for k, f in (items if (j + r) % 2 else items[::-1]):
                c = fresh(t)
                a = clock()
                f(c)
                out[k][-1].append((clock() - a) / 1000)
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, argv[argv.index("--baseline") + 1])
    n = int(argv[argv.index("--docs") + 1]) if "--docs" in argv else 300
    reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else 3
    import guardwrap_old as old
    import pii_eval
    from guardwrap_old.pii import _layout as old_layout
    from guardwrap_old.pii import _names as old_names

    import guardwrap as gw
    from guardwrap._text import canonical
    from guardwrap.pii import _layout, _names

    every = [e for e in gw.pii.SUPPORTED_ENTITIES if e != "PERSON"]
    pii = {"main": old.PII(), "this": gw.PII()}
    nop = {"main": old.PII(every), "this": gw.PII(every)}
    nm = {"main": old_names.Names(), "this": _names.Names()}

    def scan_fn(k: str) -> Callable[[str], Any]:
        names, doc = nm[k], (old_layout.Doc if k == "main" else _layout.Doc)

        def f(t: str) -> list[Any]:
            out: list[Any] = []
            names.scan(doc(t), out)
            return out
        return f

    print(f"PERSON cost, {n} documents per corpus, {reps} interleaved passes; CPU µs per text, "
          "median [range of the pass medians]\n")
    print("| corpus | step | main | this | main - this |\n|---|---|---|---|---|")
    for label, seed, kinds in (("dev, seed 7", 7, None), ("held-out, seed 17", 17, pii_eval.HELDOUT)):
        docs = [d.text for d in pii_eval.build(n, seed, kinds)]
        for d in docs:
            assert scan_fn("main")(canonical(d).text) == scan_fn("this")(canonical(d).text)
            assert [(f.entity_type, f.start, f.end, f.score) for f in pii["main"].detect(d)] == \
                [(f.entity_type, f.start, f.end, f.score) for f in pii["this"].detect(d)]
        steps = {
            "PII().detect": {k: p.detect for k, p in pii.items()},
            "PII(all but PERSON).detect": {k: p.detect for k, p in nop.items()},
            "Names.scan": {k: scan_fn(k) for k in ("main", "this")},
        }
        views = [canonical(d).text for d in docs]  # what the engine's scan reads
        med: dict[str, dict[str, float]] = {}
        for step, fns in steps.items():
            texts = views if step == "Names.scan" else docs
            for f in fns.values():  # every text once first: a text's first call pays warm-ups of its own
                for d in texts:
                    f(fresh(d))
            t = interleaved(fns, texts, reps)
            med[step] = {k: statistics.median(x for p in v for x in p) for k, v in t.items()}
            rng = {k: (min(map(statistics.median, v)), max(map(statistics.median, v))) for k, v in t.items()}
            a, b = med[step]["main"], med[step]["this"]
            print(f"| {label} | {step} | {a:,.1f} [{rng['main'][0]:,.0f}-{rng['main'][1]:,.0f}] | "
                  f"{b:,.1f} [{rng['this'][0]:,.0f}-{rng['this'][1]:,.0f}] | {a - b:,.1f} |", flush=True)
        share = {k: med["PII().detect"][k] - med["PII(all but PERSON).detect"][k] for k in ("main", "this")}
        print(f"| {label} | PERSON share (detect all - all but PERSON) | {share['main']:,.1f} | "
              f"{share['this']:,.1f} | {share['main'] - share['this']:,.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
