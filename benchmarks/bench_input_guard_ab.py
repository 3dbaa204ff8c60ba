"""The input guard before/after, in one process, interleaved: this tree against another tree's
``src`` (each with its own C kernels), on what the spec budgets and the hostile inputs.

    cp -r src /tmp/old-src   # (before your change, kernels built), or any checkout's src
    PYTHONPATH=src python benchmarks/bench_input_guard_ab.py --before /tmp/old-src [--rounds 15]
        [--only ident,guard,pi,hostile]

The other tree is copied and imported as ``guardwrap_before``; its ``_native.kernel`` is rewritten
to load ``guardwrap_before.*`` kernels (the ``.so`` files built in that tree), so a change to a C
kernel is measured too (``bench_injection.py --before`` shares this tree's kernels instead).

Sections (all by default):

ident    both trees' guard decisions (outcome, text, reasons, every step's outcome and score,
         findings) and ``PII().detect`` findings on bench_pii's texts, the hostile units at 2 KB and
         20 KB and bench_injection's input kinds: must print "identical" for a speed change.
guard    bench_input_guard's guarded call (PII + 50 deny terms + PromptInjection + MaxLength, JSONL
         audit with layout "call"), 2 KB and 20 KB: caller CPU (``thread_time``) and sustained wall
         (the round's calls plus draining the writer, per call), medians over rounds that
         alternate which tree goes first.
pi       ``PromptInjection().check`` of the text the guard hands it (the bench text after PII
         redaction), 2 KB and 20 KB: the learned tier's share of the guarded call, less noisy.
hostile  the guard without a sink on bench_hostile's slowest units at 2 KB.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "training" / "injection"))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")

import bench_injection as BI  # noqa: E402
from _harness import machine  # noqa: E402
from bench_hostile import UNITS, fresh, text_of  # noqa: E402
from bench_input_guard import CALLS, DENY, SIZES  # noqa: E402
from bench_pii import ENTITIES, TEXTS  # noqa: E402

import guardwrap as gw  # noqa: E402

HOSTILE = ("plain prose", "cards glued to words", "one word of glued cards", "hex strings", "one long digit run")


def load_before(src: str) -> Any:
    """``guardwrap`` of ``src``, imported as ``guardwrap_before`` with its own C kernels."""
    tmp = Path(tempfile.mkdtemp(prefix="gw-before-"))
    shutil.copytree(Path(src) / "guardwrap", tmp / "guardwrap_before")
    native = tmp / "guardwrap_before" / "_native.py"
    code = native.read_text()
    line = "        mod = importlib.import_module(name)"
    if line not in code:
        raise SystemExit(f"{native}: cannot point its kernels at guardwrap_before (no {line.strip()!r})")
    native.write_text(code.replace(line, "        mod = importlib.import_module('guardwrap_before' + name[len('guardwrap'):] "
                                         "if name.startswith('guardwrap.') else name)"))
    sys.path.insert(0, str(tmp))
    return importlib.import_module("guardwrap_before")


def validators(m: Any) -> list[Any]:
    return [m.PII(ENTITIES, action="redact"), m.DenyTerms(DENY, action="block"), m.PromptInjection(action="block"),
            m.MaxLength(chars=1_000_000)]


def decision_key(d: Any) -> tuple[Any, ...]:
    return (d.outcome, d.text, tuple(d.reasons), [(s.validator, s.outcome, s.score) for s in d.steps],
            [(f.rule, f.start, f.end, f.score) for f in d.findings])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, metavar="SRC", help="the other tree's src directory (kernels built)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--only", default="ident,guard,pi,hostile")
    args = ap.parse_args()
    only = set(args.only.split(","))
    mods = {"before": load_before(args.before), "after": gw}
    print(f"{machine()}; load {os.getloadavg()[0]:.1f}; rounds {args.rounds}")

    if "ident" in only:
        guards = {k: m.Guard("ab", input=validators(m)) for k, m in mods.items()}
        piis = {k: m.PII() for k, m in mods.items()}
        texts = [*TEXTS.values(), *(text_of(u, n) for u in UNITS.values() for n in (2048, 20480)),
                 *(make(n) for make in BI.KINDS.values() for n in (200, 2000, 20000))]
        same = sum(decision_key(guards["before"].check(fresh(t))) == decision_key(guards["after"].check(fresh(t)))
                   and [(f.entity_type, f.start, f.end, f.score) for f in piis["before"].detect(fresh(t))]
                   == [(f.entity_type, f.start, f.end, f.score) for f in piis["after"].detect(fresh(t))]
                   for t in texts)
        print(f"identical: {same}/{len(texts)} texts (guard decision and PII() findings)")

    if "guard" in only:
        tmp = tempfile.mkdtemp()
        guards = {k: m.Guard("bench-input", input=validators(m),
                             audit=m.JsonlSink(os.path.join(tmp, f"{k}.jsonl"), layout="call")) for k, m in mods.items()}
        llms = {k: g(lambda prompt: "ok") for k, g in guards.items()}
        for label in ("2 KB", "20 KB"):
            n = CALLS[label] // 4
            pair = [fresh(SIZES[label]) for _ in range(2)]
            res: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in mods}
            for k in mods:
                for i in range(n // 2):
                    llms[k](pair[i & 1])
                guards[k].flush()
            for r in range(args.rounds):
                for k in (list(mods) if r % 2 == 0 else list(mods)[::-1]):
                    gc.collect()
                    gc.disable()
                    w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
                    for i in range(n):
                        llms[k](pair[i & 1])
                    c1 = time.thread_time_ns()
                    guards[k].flush()
                    w1 = time.perf_counter_ns()
                    gc.enable()
                    res[k][0].append((c1 - c0) / n / 1000)
                    res[k][1].append((w1 - w0) / n / 1000)
            for k, (c, w) in res.items():
                print(f"guarded call {label:>5} {k:>6}: caller {statistics.median(c):7.1f} us (min {min(c):7.1f}), "
                      f"sustained {statistics.median(w):7.1f} us (min {min(w):7.1f})")
        for g in guards.values():
            g.close()

    if "pi" in only:
        redact = gw.Guard("ab", input=[gw.PII(ENTITIES, action="redact")])
        pis = {k: m.PromptInjection() for k, m in mods.items()}
        for label in ("2 KB", "20 KB"):
            red = redact.check(SIZES[label]).text
            pair = [fresh(red) for _ in range(2)]
            num = 200 if label == "2 KB" else 20
            runs: dict[str, list[float]] = {k: [] for k in mods}
            for k in mods:
                for i in range(num):
                    pis[k].check(pair[i & 1], None)
            for r in range(2 * args.rounds):
                for k in (list(mods) if r % 2 == 0 else list(mods)[::-1]):
                    gc.disable()
                    c0 = time.thread_time_ns()
                    for i in range(num):
                        pis[k].check(pair[i & 1], None)
                    runs[k].append((time.thread_time_ns() - c0) / num / 1000)
                    gc.enable()
            print(f"PromptInjection on the guard's {label} text: " + ", ".join(
                f"{k} {statistics.median(v):6.1f} us (min {min(v):6.1f})" for k, v in runs.items()))

    if "hostile" in only:
        guards = {k: m.Guard("h", input=validators(m)) for k, m in mods.items()}
        for name in HOSTILE:
            t = text_of(UNITS[name], 2048)
            runs = {k: [] for k in mods}
            for k in mods:
                for _ in range(5):
                    guards[k].check(fresh(t))
            for r in range(args.rounds):
                for k in (list(mods) if r % 2 == 0 else list(mods)[::-1]):
                    c0 = time.thread_time_ns()
                    for _ in range(20):
                        guards[k].check(fresh(t))
                    runs[k].append((time.thread_time_ns() - c0) / 20 / 1000)
            print(f"hostile 2 KB {name:<26}" + ", ".join(f"{k} {statistics.median(v):6.0f} us" for k, v in runs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
