"""PERSON's cost on realistic text, before/after in one process: this tree against a baseline tree
(e.g. main), interleaved in turning order, both seeing the same machine load.

    git archive main src/guardwrap | tar -x -C /tmp/base && mv /tmp/base/src/guardwrap /tmp/base/guardwrap_old
    (copy main's built kernels into /tmp/base/guardwrap_old, e.g. from a build of main's checkout: the
     kernels of this tree take other arguments)
    sed -i 's/kernel("guardwrap\\./kernel("guardwrap_old./' $(grep -rl 'kernel("guardwrap\\.' /tmp/base/guardwrap_old)
    PYTHONPATH=src python benchmarks/bench_names_cost_ab.py --baseline /tmp/base [--docs 300] [--reps 3]

Rows, on pii_eval's realistic documents (development kinds, seed 7; held-out kinds, seed 17):
``PII().detect`` (all default entities), ``PII(all but PERSON).detect``, their difference of
medians (PERSON's share) and ``Names.scan`` alone on the canonical view (what the engine scans,
made once beforehand; a fresh `Doc` each call). Calling-thread CPU µs per text: median, and the
range of the per-pass medians. Findings are checked equal first. The four ``detect`` variants run
in one interleaved loop, so PERSON's share compares medians taken under the same load. Every
variant sees every text once before the timed passes: the first ``detect`` of a text costs more
than its repeats (in the number-run step, by ~60 µs on this host; cause not pinned down), and a
variant always called first would pay that alone.
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
    """Per variant, per pass, the CPU µs of each text; the order of the variants turns at every
    text, so each variant takes each place equally often (the first call on a text costs more)."""
    clock = time.thread_time_ns
    out: dict[str, list[list[float]]] = {k: [] for k in fns}
    items = list(fns.items())
    for r in range(reps):
        for v in out.values():
            v.append([])
        for j, t in enumerate(texts):
            turn = (j + r) % len(items)
            for k, f in items[turn:] + items[:turn]:
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
        # the four detect variants in one interleaved loop (their medians are compared with each
        # other: steps timed one after the other would see different machine load)
        steps = {
            "detect": {"main all": pii["main"].detect, "this all": pii["this"].detect,
                       "main all but PERSON": nop["main"].detect, "this all but PERSON": nop["this"].detect},
            "Names.scan": {"main": scan_fn("main"), "this": scan_fn("this")},
        }
        views = [canonical(d).text for d in docs]  # what the engine's scan reads
        for step, fns in steps.items():
            texts = views if step == "Names.scan" else docs
            for f in fns.values():  # every text once first: a text's first call pays warm-ups of its own
                for d in texts:
                    f(fresh(d))
            t = interleaved(fns, texts, reps)
            med = {k: statistics.median(x for p in v for x in p) for k, v in t.items()}
            rng = {k: (min(map(statistics.median, v)), max(map(statistics.median, v))) for k, v in t.items()}

            def cell(k: str, med: dict[str, float] = med, rng: dict[str, tuple[float, float]] = rng) -> str:
                return f"{med[k]:,.1f} [{rng[k][0]:,.0f}-{rng[k][1]:,.0f}]"
            rows = ([("PII().detect", "main all", "this all"),
                     ("PII(all but PERSON).detect", "main all but PERSON", "this all but PERSON")]
                    if step == "detect" else [("Names.scan", "main", "this")])
            for name, a, b in rows:
                print(f"| {label} | {name} | {cell(a)} | {cell(b)} | {med[a] - med[b]:,.1f} |", flush=True)
            if step == "detect":
                share = {k: med[f"{k} all"] - med[f"{k} all but PERSON"] for k in ("main", "this")}
                print(f"| {label} | PERSON share (detect all - all but PERSON) | {share['main']:,.1f} | "
                      f"{share['this']:,.1f} | {share['main'] - share['this']:,.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
