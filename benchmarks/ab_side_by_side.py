"""Side by side: the same guards measured on two source trees, alternating fresh interpreters.

    .venv/bin/python benchmarks/ab_side_by_side.py CONFIGS ROUNDS [INNER] [--a SRC] [--b SRC]

CONFIGS (comma-separated): none (no validators, JsonlSink, 83-char prompt); 2k, 20k, 200k (PII(5,
redact) + DenyTerms(50) + PromptInjection(learned=False) + MaxLength + JsonlSink); L2k, L20k (the
same with PromptInjection's learned tier, its default: the SPEC's input-guard row); m2k, m20k, m200k
(MaxLength + JsonlSink: the guard's own plumbing and the audit); d2k, d20k, d200k (DenyTerms alone,
no sink). Each round runs one interpreter per tree (order alternating), each measuring INNER rounds
per config: caller CPU (``time.thread_time_ns``), sustained (wall of N calls plus ``flush()``, / N)
and writer CPU (process CPU not on the calling thread, / N). Medians over all rounds. ``--a``/``--b``
default to the main checkout (/work/main/src) and this tree's src. AB_LAYOUT=call|decision forces
the JsonlSink layout on both (default: each tree's JsonlSink default).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def child(src: str, rounds: int, which: list[str]) -> None:
    import gc
    import tempfile
    import time

    sys.path.insert(0, src)
    sys.path.insert(0, HERE)
    os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "benchmark-key-0123456789abcdef0123456789")
    import guardwrap as gw

    assert gw.__file__.startswith(src), gw.__file__
    from bench_input_guard import DENY
    from bench_pii import ENTITIES, TEXTS

    tmp = tempfile.mkdtemp()
    layout = os.environ.get("AB_LAYOUT")

    def sink(name: str) -> gw.JsonlSink:
        path = os.path.join(tmp, name)
        return gw.JsonlSink(path, layout=layout) if layout else gw.JsonlSink(path)

    def full(name: str, learned: bool = False) -> gw.Guard:
        return gw.Guard("in", input=[gw.PII(ENTITIES, action="redact"), gw.DenyTerms(DENY, action="block"),
                                     gw.PromptInjection(action="block", learned=learned),
                                     gw.MaxLength(chars=1_000_000)], audit=sink(name))

    t200 = TEXTS["20 KB"] * 10
    prompt = "What is the overdraft fee on my current account, and how do I avoid it next month?"
    cfgs = {
        "none": (lambda: gw.Guard("b", audit=sink("n.jsonl")), prompt, 20000),
        "2k": (lambda: full("2.jsonl"), TEXTS["2 KB"], 1000),
        "20k": (lambda: full("20.jsonl"), TEXTS["20 KB"], 100),
        "200k": (lambda: full("200.jsonl"), t200, 10),
        "L2k": (lambda: full("L2.jsonl", True), TEXTS["2 KB"], 500),
        "L20k": (lambda: full("L20.jsonl", True), TEXTS["20 KB"], 50),
        "m2k": (lambda: gw.Guard("m", input=[gw.MaxLength(chars=1_000_000)], audit=sink("m2.jsonl")),
                TEXTS["2 KB"], 5000),
        "m20k": (lambda: gw.Guard("m", input=[gw.MaxLength(chars=1_000_000)], audit=sink("m20.jsonl")),
                 TEXTS["20 KB"], 2000),
        "m200k": (lambda: gw.Guard("m", input=[gw.MaxLength(chars=1_000_000)], audit=sink("m200.jsonl")),
                  t200, 200),
        "d2k": (lambda: gw.Guard("d", input=[gw.DenyTerms(DENY)]), TEXTS["2 KB"], 2000),
        "d20k": (lambda: gw.Guard("d", input=[gw.DenyTerms(DENY)]), TEXTS["20 KB"], 200),
        "d200k": (lambda: gw.Guard("d", input=[gw.DenyTerms(DENY)]), t200, 20),
    }
    out = {}
    for k in which:
        make, text, n = cfgs[k]
        g = make()
        f = g(lambda prompt: "ok")
        for _ in range(max(2, n // 10)):
            f(text)
        g.flush()
        res = []
        for _ in range(rounds):
            gc.collect()
            gc.disable()
            p0, w0, c0 = time.process_time_ns(), time.perf_counter_ns(), time.thread_time_ns()
            for _ in range(n):
                f(text)
            c1 = time.thread_time_ns()
            g.flush()
            w1, p1 = time.perf_counter_ns(), time.process_time_ns()
            gc.enable()
            res.append(((c1 - c0) / n / 1000, (w1 - w0) / n / 1000, ((p1 - p0) - (c1 - c0)) / n / 1000))
        g.close()
        out[k] = res
    print(json.dumps(out))


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        child(argv[1], int(argv[2]), argv[3].split(","))
        return 0
    trees = {"a": "/work/main/src", "b": os.path.join(HERE, "..", "src")}
    for flag in ("--a", "--b"):
        if flag in argv:
            i = argv.index(flag)
            trees[flag[2:]] = argv[i + 1]
            del argv[i:i + 2]
    trees = {k: os.path.abspath(v) for k, v in trees.items()}
    which, outer = argv[0], int(argv[1])
    inner = argv[2] if len(argv) > 2 else "3"
    acc: dict[str, dict[str, list[list[float]]]] = {t: {} for t in trees}
    for i in range(outer):
        for t in (list(trees) if i % 2 == 0 else list(trees)[::-1]):
            r = subprocess.run([sys.executable, __file__, "--child", trees[t], inner, which],
                               capture_output=True, text=True)
            if r.returncode:
                print(r.stderr[-3000:])
                return 1
            for k, v in json.loads(r.stdout.strip().splitlines()[-1]).items():
                acc[t].setdefault(k, []).extend(v)
    print(f"a = {trees['a']}, b = {trees['b']}; load {os.getloadavg()[0]:.1f}; "
          f"layout={os.environ.get('AB_LAYOUT') or 'each tree default'}")
    print(f"{'config':8} {'tree':4} {'caller us':>10} {'sustained':>10} {'writer':>8}  n")
    for k in which.split(","):
        for t in trees:
            v = acc[t][k]
            print(f"{k:8} {t:4} {statistics.median(x[0] for x in v):10.2f} {statistics.median(x[1] for x in v):10.2f} "
                  f"{statistics.median(x[2] for x in v):8.2f}  {len(v)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
