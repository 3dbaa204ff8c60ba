"""Where candidate signal patterns fire in the training corpus, before they are added (round 15).

    python training/injection/probe_patterns.py [--show N] FILE

``FILE`` is a Python file defining ``CANDIDATES = [(name, regex), ...]``; each regex is searched,
as `_signals` does, in the canonical view of every corpus row (case-folded, accents removed). Per
candidate: the attack families it fires on (texts hit / texts) and every benign source it fires on,
with up to ``N`` benign texts it fires on (default 3), so a pattern's false positives are seen
before training. Writes nothing.
"""

from __future__ import annotations

import collections
import re
import runpy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from guardwrap.injection._canon import canonical


def main() -> None:
    args = sys.argv[1:]
    show = int(args[args.index("--show") + 1]) if "--show" in args else 3
    path = [a for a in args if a.endswith(".py")][0]
    cands = [(name, re.compile(rx)) for name, rx in runpy.run_path(path)["CANDIDATES"]]
    t0 = time.time()
    rows = corpus.build()
    views = [canonical(r["text"])[0] for r in rows]
    totals = collections.Counter(r["family"] for r in rows)
    print(f"{len(rows)} rows, {time.time() - t0:.0f} s", flush=True)
    for name, rx in cands:
        hits: collections.Counter[str] = collections.Counter()
        benign: dict[str, list[str]] = collections.defaultdict(list)
        for r, v in zip(rows, views, strict=True):
            m = rx.search(v)
            if m is None:
                continue
            hits[r["family"]] += 1
            if r["label"] == "benign":
                benign[r["family"]].append(v[max(0, m.start() - 60):m.end() + 60].replace("\n", " "))
        att = sorted((f for f in hits if f not in benign), key=lambda f: -hits[f])
        print(f"\n== {name}: attacks {sum(hits[f] for f in att)}, benign {sum(len(v) for v in benign.values())}")
        print("   " + " ".join(f"{f}={hits[f]}/{totals[f]}" for f in att))
        for src, texts in sorted(benign.items()):
            print(f"   BENIGN {src} {len(texts)}/{totals[src]}")
            for t in texts[:show]:
                print(f"      {t!r}")


if __name__ == "__main__":
    main()
