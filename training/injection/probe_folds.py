"""The folds holding some families, trained and validated as `train.py` does, with the texts each
held-out model misses listed with their signal hits (round 12, ind15; ``--target`` since round 13).

    python training/injection/probe_folds.py [--target fam,fam,...] [--misses N] [--aux X] [--folds 2,3,...]

``--aux X``: train with ``NGRAM_AUX = X`` instead of train.py's.

``--target``: the families to look at (default: the indirect / agent-side ones of round 12); the
folds holding them are trained, unless ``--folds`` names folds.

(``--fam``, a family-level signal feature beside each pattern group's, ``s:override`` beside
``s:override:0.7``, was a variant until round 16 made it the model's: `_features.signal_chunks`.)
Writes nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train as T  # first: it pins numpy's floating-point paths before numpy loads

from guardwrap.injection._signals import SignalScanner

np = T.np
TARGET = ["bipia-task-irrelevant", "bipia-code", "tool-hijack", "indirect-subtle", "bipia-task-relevant",
          "exfiltration", "context-reset", "extraction", "bipia-targeted", "embedded-note"]


def main() -> None:
    args = sys.argv[1:]
    misses = int(args[args.index("--misses") + 1]) if "--misses" in args else 0
    target = args[args.index("--target") + 1].split(",") if "--target" in args else TARGET
    if "--aux" in args:  # a variant of NGRAM_AUX (round 16)
        T.NGRAM_AUX = float(args[args.index("--aux") + 1])
    t0 = time.time()
    rows = T.corpus.build()
    d = T.Data(rows)
    print(f"data {time.time() - t0:.0f} s", flush=True)
    fams = sorted(set(d.family[d.y > 0].tolist()))
    folds = [fams[k::T.FOLDS] for k in range(T.FOLDS)]
    if "--folds" in args:
        ks = [int(x) for x in args[args.index("--folds") + 1].split(",")]
    else:
        unknown = sorted(set(target) - set(fams))
        if unknown:
            raise SystemExit(f"--target: no attack family {', '.join(unknown)}; families: {', '.join(fams)}")
        ks = [k for k, f in enumerate(folds) if set(f) & set(target)]
    scanner = SignalScanner()
    det: dict[str, tuple[int, int]] = {}
    for k in ks:
        r = T.evaluate(d, np.isin(d.family, folds[k]), None, T.STEPS)
        worst = max((a / b, s) for s, (a, b) in r["fpr"].items() if b)
        for fam in folds[k]:
            det[fam] = T.rate(d, r["z"], d.family == fam, r["thr"])
        print(f"fold {k} thr {r['thr']:.3f} worst FPR {worst[0]:.3f} ({worst[1]}) heldout-role "
              f"{r['fpr'].get('heldout-role-prompts')}: "
              + " ".join(f"{f}={det[f][0]}/{det[f][1]}" for f in folds[k]), flush=True)
        if misses:
            for fam in folds[k]:
                if fam not in target:
                    continue
                ti, s = d.text_scores(r["z"], d.family == fam)
                missed = [(float(x), int(t)) for t, x in zip(ti.tolist(), s.tolist(), strict=True) if x < r["thr"]]
                missed.sort()
                for x, t in missed[:misses]:
                    text = rows[t]["text"]
                    hits = sorted({f"{a}:{w:g}" for a, w, _, _ in scanner.scan(text)})
                    print(f"  MISS {fam} {x - r['thr']:+.2f} {hits} {text[:300]!r}")
    print("TARGET " + " ".join(f"{f}={det[f][0] / det[f][1]:.2f}" for f in target if f in det)
          + f" macro-target {np.mean([det[f][0] / det[f][1] for f in target if f in det]):.3f}"
          + f" macro-all-run {np.mean([a / b for a, b in det.values()]):.3f} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
