"""Grounding: accuracy on generated answer/source pairs, and cost per check.

    .venv/bin/python benchmarks/bench_grounding.py            # both tables
    .venv/bin/python benchmarks/bench_grounding.py --eval     # accuracy only (add --show for misses)
    .venv/bin/python benchmarks/bench_grounding.py --cost     # cost only
    .venv/bin/python benchmarks/bench_grounding.py --growth   # growth with 10x answer / sources
    .venv/bin/python benchmarks/bench_grounding.py --ab       # main C against C only, 21 rounds

Accuracy runs `gw.Grounded` over ``data/grounding_eval.jsonl`` (written by
``data/make_grounding_eval.py``): faithful restatements must pass; in each perturbed answer the
changed claim must be flagged *at its place* (a finding overlapping the changed span), so a
failure caused by something else does not count as a detection.

Cost times ``Grounded.check`` (CPU time of the calling thread, medians of interleaved rounds) on
~1 KB answers against ~10 KB of sources (several product sheets), a fresh call context each time,
so the sources are indexed on every check as on a real call; then answers of 2, 4 and 10 KB and
sources of 20, 40 and 100 KB, to show how the cost grows. Each row times, in the same interleaved
rounds, the reference reader (``tests/grounding/grounding_ref``, the code before the cost work:
"ref"), the package in pure Python (its C kernel ``guardwrap._cground`` switched off, as
``GUARDWRAP_PURE_PYTHON=1`` does: "python"), the package with the kernel as main had it before the
answer's lookups were settled in one call (without ``settle``: "main C") and the package with the
whole kernel ("C", when built).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "data"))
sys.path.insert(0, str(HERE.parent / "tests" / "grounding"))  # the reference ("before") reader

from _harness import machine  # noqa: E402

import guardwrap as gw  # noqa: E402
from guardwrap._context import CallContext  # noqa: E402

DATA = HERE / "data" / "grounding_eval.jsonl"
NUMERIC = ("number-changed", "unit-swapped", "date-shifted", "rate-rounded", "claim-added")


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(show: bool = False) -> dict[str, dict[str, float]]:
    rows = load()
    validator = gw.Grounded()
    table: dict[str, dict[str, float]] = {}
    misses = []
    for r in rows:
        ctx = CallContext("eval", gw.Context(sources=[tuple(s) for s in r["sources"]]))
        ctx.stage = "output"
        res = validator.check(r["answer"], ctx)
        failed = res is not None and not res.passed
        c = table.setdefault(r["category"], {"n": 0, "failed": 0, "detected": 0})
        c["n"] += 1
        c["failed"] += failed
        if r["span"] is not None:
            s, e = r["span"]
            hit = failed and any(f.start < e and s < f.end for f in res.findings)
            c["detected"] += hit
            if not hit:
                misses.append(r)
        elif failed:
            misses.append((r, [(f.rule, r["answer"][f.start:f.end]) for f in res.findings]))
    if show:
        for m in misses:
            print(m if isinstance(m, dict) and False else "", end="")
            if isinstance(m, tuple):
                r, found = m
                print(f"FALSE FLAG {r['id']}: {r['answer']!r} -> {found}")
            else:
                s, e = m["span"]
                print(f"MISS {m['id']}: {m['answer'][s:e]!r} in {m['answer']!r}")
    return table


def print_eval(table: dict[str, dict[str, float]]) -> None:
    print(f"{'category':<18}{'pairs':>7}{'flagged':>9}{'at the change':>15}{'rate':>9}")
    print("-" * 58)
    for cat in ("faithful", "faithful-hard", *NUMERIC, "entity-swapped", "figure-moved"):
        c = table[cat]
        if cat.startswith("faithful"):
            print(f"{cat:<18}{c['n']:>7}{c['failed']:>9}{'-':>15}{c['failed'] / c['n']:>9.3f}  (false flags)")
        else:
            print(f"{cat:<18}{c['n']:>7}{c['failed']:>9}{c['detected']:>15}{c['detected'] / c['n']:>9.3f}")
    n = sum(table[c]["n"] for c in NUMERIC)
    d = sum(table[c]["detected"] for c in NUMERIC)
    print("-" * 58)
    print(f"{'numeric recall':<18}{n:>7}{'':>9}{d:>15}{d / n:>9.3f}  (target >= 0.95)")
    f = table["faithful"]
    fm = table["figure-moved"]
    print(f"{'(figure-moved)':<18}{fm['n']:>7}{'':>9}{fm['detected']:>15}{fm['detected'] / fm['n']:>9.3f}"
          "  (reported apart: see grounding.md)")
    print(f"{'false flags':<18}{f['n']:>7}{f['failed']:>9}{'':>15}{f['failed'] / f['n']:>9.3f}  (target <= 0.02)")


# -- cost -----------------------------------------------------------------------------------------


def corpus(target: int, seed: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Product sheets adding up to ``target`` characters, and the sentences an answer may use."""
    from make_grounding_eval import PRODUCTS, sheet

    rng = random.Random(seed)
    sources: list[tuple[str, str]] = []
    sentences: list[str] = []
    size = 0
    while size < target:
        text, facts, _ = sheet(rng, rng.choice(list(PRODUCTS)))
        sources.append((f"doc-{len(sources) + 1}", text))
        size += len(text)
        sentences.extend(f.answer(rng)[0] for f in facts)  # type: ignore[operator]
    return sources, sentences


PROSE = [
    "Let me know if there is anything else I can help you with today.",
    "You can manage the account in the app, online or in any of our branches.",
    "Please read the summary box and the terms and conditions before you apply.",
    "Interest is calculated daily and paid into the account you choose.",
    "If you have any questions about eligibility, our team will be happy to help.",
]


def answer(sentences: list[str], target: int, seed: int, prose: float = 0.3) -> str:
    """Sentences restating facts, with ``prose`` the share of sentences that state none."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(rng.choice(PROSE) if rng.random() < prose else rng.choice(sentences))
    return " ".join(parts)


def _paired_us(fns: dict[str, Any], number: int | dict[str, int], repeat: int = 11) -> dict[str, float]:
    """Median CPU time of the calling thread per call (us) of each function, measured in the
    same rounds, interleaved, so that load from other jobs falls on all of them alike
    (``number``: calls per timing, for all or per function)."""
    runs: dict[str, list[float]] = {k: [] for k in fns}
    counts = number if isinstance(number, dict) else dict.fromkeys(fns, number)
    for f in fns.values():
        f()
    for _ in range(repeat):
        for k, f in fns.items():
            t0 = time.thread_time_ns()
            for _ in range(counts[k]):
                f()
            runs[k].append((time.thread_time_ns() - t0) / counts[k] / 1000)
    return {k: statistics.median(v) for k, v in runs.items()}


class _MainKernel:
    """The kernel as main had it before the answer's lookups were settled in one call (``settle``,
    2026-12-01 12:00): the same module without that function, so the index asks ``as_written``
    for the claims' first tests and each figure's lookup runs its needles in Python, calling the
    kernel per needle. (Main's build is not loaded here: the rest of the kernel is the same.)"""

    def __init__(self, kernel: Any) -> None:
        self._kernel = kernel

    def __getattr__(self, name: str) -> Any:
        if name == "settle":
            raise AttributeError(name)
        return getattr(self._kernel, name)


class _Kernel:
    """The package's grounding kernel for the calls made inside: ``"on"`` (all of it, when built),
    ``"main"`` (without ``settle``: what main ran before it) or ``"off"``."""

    def __init__(self, mode: str | bool) -> None:
        from guardwrap import _claims, _sources

        self.mods = (_claims, _sources)
        self.kernel = _sources._K
        self.mode = {True: "on", False: "off"}.get(mode, mode)  # type: ignore[call-overload]

    def __enter__(self) -> None:
        k = self.kernel
        for m in self.mods:
            m._K = (None if self.mode == "off" or k is None else  # type: ignore[attr-defined]
                    _MainKernel(k) if self.mode == "main" and m.__name__.endswith("_sources") else k)

    def __exit__(self, *exc: object) -> None:
        for m in self.mods:
            m._K = self.kernel  # type: ignore[attr-defined]


def cost(rows: str = "all") -> None:
    """The reference reader and index (tests/grounding/grounding_ref, before the cost work), the
    package in pure Python and the package with its C kernel, side by side: each row times all
    three in the same interleaved rounds."""
    from grounding_ref.check import Grounded as Reference

    from guardwrap._native import status

    new, before = gw.Grounded(), Reference()
    built = status().get("guardwrap._cground") == "C"
    print(f"grounding kernel: {'built' if built else 'NOT built: the C column is pure Python too'}\n")
    print(f"{'case':<44}{'answer':>8}{'sources':>9}{'claims':>8}{'ref us':>9}{'python us':>11}{'main C us':>11}"
          f"{'C us':>9}{'main/C':>8}")
    print("-" * 117)
    results: dict[str, tuple[float, float, float]] = {}
    cases = [
        ("1 KB answer, 10 KB sources", 1000, 10_000, 0.3),
        ("1 KB answer (mostly prose), 10 KB sources", 1000, 10_000, 0.75),
        ("2 KB answer, 10 KB sources", 2000, 10_000, 0.3),
        ("4 KB answer, 10 KB sources", 4000, 10_000, 0.3),
        ("10 KB answer, 10 KB sources", 10_000, 10_000, 0.3),
        ("1 KB answer, 20 KB sources", 1000, 20_000, 0.3),
        ("1 KB answer, 40 KB sources", 1000, 40_000, 0.3),
        ("1 KB answer, 100 KB sources", 1000, 100_000, 0.3),
        ("10 KB answer, 100 KB sources", 10_000, 100_000, 0.3),
    ]
    if rows == "main":
        cases = cases[:1]
    for label, a_size, s_size, prose in cases:
        sources, sentences = corpus(s_size, seed=7)
        # the answer restates facts of the first sheets only, as an answer to one question does
        text = answer(sentences[: max(12, len(sentences) * 10_000 // max(s_size, 1))], a_size, seed=11, prose=prose)
        ctx_sources = gw.Context(sources=sources)
        n_claims = len(new.claims(text))
        for v in (new, before):
            res = v.check(text, CallContext("bench", ctx_sources))
            assert res is None or res.passed, [f.rule for f in res.findings]

        def run(v: Any, kernel: str | None = None, text: str = text, ctx_sources: gw.Context = ctx_sources) -> Any:
            if kernel is None:
                return lambda: v.check(text, CallContext("bench", ctx_sources))

            def with_switch() -> Any:
                with _Kernel(kernel):
                    return v.check(text, CallContext("bench", ctx_sources))
            return with_switch

        size = a_size + s_size
        t = _paired_us({"ref": run(before), "python": run(new, "off"), "main": run(new, "main"), "C": run(new, "on")},
                       number=200 if size <= 20_000 else 60 if size <= 50_000 else 20)
        results[label] = (t["ref"], t["python"], t["main"], t["C"])
        size_s = sum(len(x) for _, x in sources)
        print(f"{label:<44}{len(text):>8}{size_s:>9}{n_claims:>8}{t['ref']:>9.1f}{t['python']:>11.1f}{t['main']:>11.1f}"
              f"{t['C']:>9.1f}{t['main'] / t['C']:>7.1f}x", flush=True)
    if rows == "main":
        return
    # the unfaithful answer: every claim looked up in vain costs a full search of the sources
    sources, sentences = corpus(10_000, seed=7)
    bad = answer(sentences, 1000, seed=11).replace("1", "9").replace("2", "8")
    ctx_sources = gw.Context(sources=sources)
    def bad_check(v: Any, kernel: str | None = None) -> Any:
        def f() -> Any:
            if kernel is None:
                return v.check(bad, CallContext("bench", ctx_sources))
            with _Kernel(kernel):
                return v.check(bad, CallContext("bench", ctx_sources))
        return f

    t = _paired_us({"ref": bad_check(before), "python": bad_check(new, "off"), "main": bad_check(new, "main"),
                    "C": bad_check(new, "on")}, number=200)
    print(f"{'1 KB answer, 10 KB sources, figures changed':<44}{len(bad):>8}{sum(len(x) for _, x in sources):>9}"
          f"{len(new.claims(bad)):>8}{t['ref']:>9.1f}{t['python']:>11.1f}{t['main']:>11.1f}{t['C']:>9.1f}"
          f"{t['main'] / t['C']:>7.1f}x")

    def ratio(label: str, k: int) -> str:
        base = results["1 KB answer, 10 KB sources"][k]
        return f"{results[label][k] / base:.1f}x"

    print("\ngrowth against 1 KB answer x 10 KB sources         ref  python  main C       C")
    for label, what in (("2 KB answer, 10 KB sources", "answer x2"), ("4 KB answer, 10 KB sources", "answer x4"),
                        ("10 KB answer, 10 KB sources", "answer x10"), ("1 KB answer, 20 KB sources", "sources x2"),
                        ("1 KB answer, 40 KB sources", "sources x4"), ("1 KB answer, 100 KB sources", "sources x10"),
                        ("10 KB answer, 100 KB sources", "both x10")):
        print(f"  {what:<44}{ratio(label, 0):>8}{ratio(label, 1):>8}{ratio(label, 2):>8}{ratio(label, 3):>8}")


def growth() -> None:
    """How the cost grows with the answer and the sources, each size timed in the *same* rounds
    as the 1 KB x 10 KB base (interleaved), so that load from other jobs, which changes between
    the rows of `cost`, falls on the base and the larger sizes alike."""
    from grounding_ref.check import Grounded as Reference

    new, ref = gw.Grounded(), Reference()
    sizes = {"base": (1000, 10_000), "answer x10": (10_000, 10_000), "sources x10": (1000, 100_000),
             "both x10": (10_000, 100_000)}
    fns: dict[str, Any] = {}
    for label, (a_size, s_size) in sizes.items():
        sources, sentences = corpus(s_size, seed=7)
        text = answer(sentences[: max(12, len(sentences) * 10_000 // max(s_size, 1))], a_size, seed=11)
        ctx_sources = gw.Context(sources=sources)
        for mode, v, on in (("ref", ref, None), ("python", new, "off"), ("main", new, "main"), ("C", new, "on")):
            def f(v: Any = v, on: str | None = on, text: str = text, ctx: gw.Context = ctx_sources) -> Any:
                if on is None:
                    return v.check(text, CallContext("bench", ctx))
                with _Kernel(on):
                    return v.check(text, CallContext("bench", ctx))
            fns[f"{label}/{mode}"] = f
    # about the same time per timing for every size: ~20 ms
    t = _paired_us(fns, number={k: 200 if k.startswith("base") else 20 if k.startswith("both") else 40 if
                                k.startswith("sources") else 25 for k in fns})
    modes = ("ref", "python", "main", "C")
    print(f"{'growth (same rounds as the base)':<36}{'ref':>10}{'python':>10}{'main C':>10}{'C':>10}")
    for label in sizes:
        cells = "".join(f"{t[f'{label}/{m}'] / t[f'base/{m}']:>9.2f}x" for m in modes)
        print(f"  {label:<34}{cells}")
    print(f"  {'(base us)':<34}" + "".join(f"{t[f'base/{m}']:>10.1f}" for m in modes))
    print(f"  {'(both x10 us)':<34}" + "".join(f"{t[f'both x10/{m}']:>10.1f}" for m in modes))


def ab() -> None:
    """Only "main C" against "C" (the kernel with and without this pass's functions), on the base
    and the both-x10 check, 21 interleaved rounds: a cheaper, steadier A/B than `cost`."""
    new = gw.Grounded()
    for label, (a_size, s_size) in {"1 KB answer, 10 KB sources": (1000, 10_000),
                                    "10 KB answer, 100 KB sources": (10_000, 100_000)}.items():
        sources, sentences = corpus(s_size, seed=7)
        text = answer(sentences[: max(12, len(sentences) * 10_000 // max(s_size, 1))], a_size, seed=11)
        ctx_sources = gw.Context(sources=sources)
        fns: dict[str, Any] = {}
        for mode in ("main", "on"):
            def f(mode: str = mode, text: str = text, ctx: gw.Context = ctx_sources) -> Any:
                with _Kernel(mode):
                    return new.check(text, CallContext("bench", ctx))
            fns[mode] = f
        t = _paired_us(fns, number=100 if a_size == 1000 else 5, repeat=21)
        print(f"{label:<36} main C {t['main']:>9.1f} us   C {t['on']:>9.1f} us   main/C {t['main'] / t['on']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", action="store_true")
    ap.add_argument("--cost", action="store_true")
    ap.add_argument("--show", action="store_true", help="print misses and false flags")
    ap.add_argument("--main", action="store_true", help="cost: only the 1 KB answer x 10 KB sources row")
    ap.add_argument("--growth", action="store_true", help="growth with 10x answer/sources, in the base's rounds")
    ap.add_argument("--ab", action="store_true", help="only main C against C, base and both x10, 21 rounds")
    args = ap.parse_args()
    if args.ab:
        ab()
        return
    both = not (args.eval or args.cost or args.main or args.growth)
    print(f"{machine()}, guardwrap {gw.__version__}, {time.strftime('%Y-%m-%d')}\n")
    if args.eval or both:
        print_eval(evaluate(args.show))
        print()
    if args.cost or args.main or both:
        cost("main" if args.main else "all")
        print()
    if args.growth or both:
        growth()


if __name__ == "__main__":
    main()
