"""Train the learned tier of `PromptInjection`, validate it, and write the shipped weights.

    python training/injection/train.py            # validate, train, write weights + report
    python training/injection/train.py --quick    # fewer held-out folds, no files written

Steps (deterministic: fixed seeds, sorted inputs, single-threaded float work, rounded weights):

1. corpus.build(): copied public sources + project-written technique families and benign texts.
2. Every text is featurized exactly as the validator does (`guardwrap.injection._features`), into
   windows; each window is a training row with the text's label.
3. Benign rows are split by group into train / calibration / test (60/20/20).
4. Logistic regression (L2, L-BFGS, class and family balanced) on the attack rows of the
   training families and the benign train rows.
5. Threshold: the lowest that keeps false positives <= 1% on the calibration rows of *every* benign
   source; detection and per-source FPR on the test rows are reported at that threshold.
6. Held-out folds: leave one attack family out, and leave one source out (an attack source, or a
   benign source removed from training and calibration both).
7. The final model (all families) is pruned, calibrated so 0.5 is the threshold, and written.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import orjson  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import corpus  # noqa: E402

from guardwrap.injection._features import NGRAMS, NORM_FLOOR, featurize, windows  # noqa: E402
from guardwrap.injection._linear import FORMAT, WEIGHTS  # noqa: E402
from guardwrap.injection._signals import SignalScanner  # noqa: E402

TARGET_FPR = 0.01
L2 = 1e-4  # tried 1e-5, 3e-5, 2e-4, 4e-4, 1e-3: 1e-4 held out best
# n-grams must occur in this many training attack families (or in benign text) to get a weight
MIN_FAMILIES = 1  # 1: off (3 was tried: held-out detection fell)
SIGNAL_L2 = 0.02
# bare requests (harmful or not) are what the wrappers wrap: they weigh more among the benign
# sources, so the model learns the wrapper and not the topic
GROUP_WEIGHT = {"jbb-goals": 4.0, "project-payloads": 4.0, "simplesafetytests": 3.0, "xstest": 3.0}
STEPS = 300
MIN_DF = 2
MAX_WEIGHTS_BYTES = 3_000_000
# the strongest weights kept: the model's dicts cost ~300 bytes of memory per feature
MAX_FEATURES = 40_000
REPORT = ROOT / "benchmarks" / "injection.md"
# function words get no unigram weight of their own (they stay inside bigrams and trigrams): alone
# they describe how the training templates happen to read, not a technique. Measured: with them,
# role prompts written to a plan never trained on were flagged 3-4x as often.
STOP = frozenset("""a an the and or but if then so as at by for from in into of on onto to with without
this that these those it its is are was were be been being am do does did done have has had
i me my mine we us our you your yours he him his she her they them their there here what which who
whom whose when where why how all any each every some no not only own same such than too very can
will would shall should may might must just also about above below up down out over under again
further once s t re ve ll d m don isn aren wasn weren hasn haven hadn doesn didn won wouldn one two""".split())
FOLDS = 12
# benign sources held out of training and calibration, one at a time (the ones most like attacks)
BENIGN_HELD_OUT = ("project-role-prompts", "project-trigger-words", "project-system-prompts",
                   "project-documents", "xstest")


def split_of(group: str, source: str = "") -> str:
    if source.startswith("heldout-"):
        return "test"  # never trained on, never calibrated with
    h = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) % 10
    return "train" if h < 6 else "calib" if h < 8 else "test"


class Data:
    """Rows (windows) in CSR form, plus per-row text index, label, family, source and split."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        scanner = SignalScanner()
        self.rows = rows
        vocab: dict[str, int] = {}
        df: Counter[str] = Counter()
        feats_per_window: list[Counter[str]] = []
        text_of: list[int] = []
        for ti, r in enumerate(rows):
            chunks = featurize(r["text"], scanner)
            for i, j in windows(len(chunks)):
                c: Counter[str] = Counter()
                for k in range(i, j + 1):
                    c.update(chunks[k])
                norm = max(c.pop(NGRAMS, 0), NORM_FLOOR) ** 0.5
                for name in c:
                    if not name.startswith("s:"):
                        c[name] /= norm
                feats_per_window.append(c)
                text_of.append(ti)
                df.update(c.keys())
        for name in sorted(f for f, n in df.items() if n >= MIN_DF and not (f[:2] == "u:" and f[2:] in STOP)):
            vocab[name] = len(vocab)
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for c in feats_per_window:
            for name in sorted(c):
                idx = vocab.get(name)
                if idx is not None:
                    indices.append(idx)
                    data.append(float(c[name]))
            indptr.append(len(indices))
        self.vocab = vocab
        self.names = sorted(vocab, key=vocab.__getitem__)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.data = np.asarray(data, dtype=np.float64)
        self.text_of = np.asarray(text_of, dtype=np.int64)
        self.row_id = np.repeat(np.arange(len(feats_per_window)), np.diff(self.indptr))
        self.y = np.asarray([rows[t]["label"] == "attack" for t in text_of], dtype=np.float64)
        self.family = np.asarray([rows[t]["family"] for t in text_of])
        self.source = np.asarray([rows[t]["source"] for t in text_of])
        self.is_signal = np.char.startswith(np.asarray(self.names), "s:")
        self.split = np.asarray([split_of(rows[t]["group"], rows[t]["source"]) if rows[t]["label"] == "benign" else "attack"
                                 for t in text_of])

    def logits(self, w: np.ndarray, b: float) -> np.ndarray:
        return b + np.bincount(self.row_id, weights=w[self.indices] * self.data, minlength=len(self.y))

    def text_scores(self, z: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Max window logit per text among rows in ``mask``: (text indices, scores)."""
        t = self.text_of[mask]
        best: dict[int, float] = {}
        for ti, zi in zip(t.tolist(), z[mask].tolist()):
            if zi > best.get(ti, -1e300):
                best[ti] = zi
        keys = sorted(best)
        return np.asarray(keys, dtype=np.int64), np.asarray([best[k] for k in keys])


def train(d: Data, mask: np.ndarray, steps: int = STEPS) -> tuple[np.ndarray, float]:
    """Balanced logistic regression on the rows in ``mask``, fitted with L-BFGS.

    Each attack family and each benign source weighs the same within its class (bare requests
    more, see GROUP_WEIGHT), and the two classes weigh the same. N-grams seen in fewer than
    MIN_FAMILIES training attack families and never in benign training rows are left out: they
    name one template, and the weight they would soak up is better spent on what techniques share.
    """
    from scipy.optimize import minimize

    sel = np.flatnonzero(mask)
    y = d.y[sel]
    groups = np.where(y > 0, d.family[sel], d.source[sel])
    sw = np.zeros(len(sel))
    for cls in (0.0, 1.0):
        in_cls = y == cls
        names = sorted(set(groups[in_cls].tolist()))
        for g in names:
            m = in_cls & (groups == g)
            sw[m] = GROUP_WEIGHT.get(g, 1.0) / (m.sum() * len(names))
        sw[in_cls] *= 0.5 / sw[in_cls].sum()
    starts, ends = d.indptr[sel], d.indptr[sel + 1]
    lens = ends - starts
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)])
    idx, val = d.indices[take], d.data[take]
    rid = np.repeat(np.arange(len(sel)), lens)
    nf = len(d.vocab)
    # which features may carry weight in this fold
    fam_id = {f: i for i, f in enumerate(sorted(set(d.family.tolist())))}
    row_fam = np.asarray([fam_id[f] for f in d.family[sel].tolist()])[rid]
    att = y[rid] > 0
    pairs = np.unique(idx[att] * len(fam_id) + row_fam[att])
    n_fams = np.bincount(pairs // len(fam_id), minlength=nf)
    in_benign = np.bincount(idx[~att], minlength=nf) > 0
    allowed = (n_fams >= MIN_FAMILIES) | in_benign | d.is_signal
    keep = allowed[idx]
    idx, val, rid = idx[keep], val[keep], rid[keep]
    l2 = np.where(d.is_signal, L2 * SIGNAL_L2, L2)

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = x[:nf], x[nf]
        z = b + np.bincount(rid, weights=w[idx] * val, minlength=len(sel))
        loss = float(np.sum(sw * (np.logaddexp(0.0, z) - y * z))) + 0.5 * float(np.sum(l2 * w * w))
        g_row = (1.0 / (1.0 + np.exp(-z)) - y) * sw
        g = np.empty(nf + 1)
        g[:nf] = np.bincount(idx, weights=g_row[rid] * val, minlength=nf) + l2 * w
        g[nf] = g_row.sum()
        return loss, g

    res = minimize(fun, np.zeros(nf + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": steps, "gtol": 1e-9, "ftol": 1e-12})
    w = res.x[:nf] * allowed
    return w, float(res.x[nf])


def threshold(d: Data, z: np.ndarray, mask: np.ndarray) -> float:
    """Lowest logit threshold with <= TARGET_FPR on every benign source among rows in ``mask``."""
    thr = -1e300
    for src in sorted(set(d.source[mask].tolist())):
        _, s = d.text_scores(z, mask & (d.source == src))
        s = np.sort(s)
        allowed = int(np.floor(TARGET_FPR * len(s)))  # texts allowed at or above the threshold
        t = s[len(s) - allowed - 1] if allowed < len(s) else -1e300
        thr = max(thr, float(t) + 1e-6)
    return thr


def rate(d: Data, z: np.ndarray, mask: np.ndarray, thr: float) -> tuple[int, int]:
    _, s = d.text_scores(z, mask)
    return int((s >= thr).sum()), len(s)


def evaluate(d: Data, held_attack: np.ndarray | None, held_benign_src: str | None, steps: int
             ) -> dict[str, Any]:
    benign = d.y == 0
    attack = ~benign
    train_mask = (attack & (~held_attack if held_attack is not None else True)) | (benign & (d.split == "train"))
    calib_mask = benign & (d.split == "calib")
    if held_benign_src is not None:
        train_mask &= d.source != held_benign_src
        calib_mask &= d.source != held_benign_src
    w, b = train(d, train_mask, steps)
    z = d.logits(w, b)
    thr = threshold(d, z, calib_mask)
    out: dict[str, Any] = {"thr": thr, "z": z}
    if held_attack is not None:
        out["det"] = rate(d, z, held_attack, thr)
    test = benign & (d.split == "test")
    out["fpr"] = {src: rate(d, z, test & (d.source == src), thr) for src in sorted(set(d.source[benign].tolist()))}
    if held_benign_src is not None:
        out["held_fpr"] = rate(d, z, benign & (d.source == held_benign_src), thr)
    return out


def pct(k: int, n: int) -> str:
    return f"{k / n:.3f}" if n else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a few folds only; write nothing")
    ap.add_argument("--no-folds", action="store_true", help="skip held-out folds (train and write only)")
    ap.add_argument("--check", action="store_true",
                    help="train the shipped model and compare it byte for byte with the file in the package")
    args = ap.parse_args()
    if args.check:
        args.no_folds = True
    t0 = time.time()
    rows = corpus.build()
    d = Data(rows)
    print(f"{len(rows)} texts, {len(d.y)} windows, {len(d.vocab)} features ({time.time() - t0:.0f} s)", file=sys.stderr)
    lines: list[str] = []
    steps_cv = STEPS

    fams = sorted(set(d.family[d.y > 0].tolist()))
    # families are held out FOLDS at a time (family k in fold k % FOLDS): stricter than one at a
    # time (each model misses several techniques) and FOLDS trainings instead of one per family
    folds = [fams[k::FOLDS] for k in range(FOLDS)]
    if args.quick:
        folds = folds[:2]
    lofo: list[tuple[str, int, int, float]] = []
    if not args.no_folds:
        for fold in folds:
            r = evaluate(d, np.isin(d.family, fold), None, steps_cv)
            worst = max(a / b for a, b in r["fpr"].values() if b)
            for fam in fold:
                k, n = rate(d, r["z"], d.family == fam, r["thr"])
                lofo.append((fam, k, n, worst))
                print(f"  held-out family {fam:<28} {k}/{n} = {pct(k, n)}", file=sys.stderr)
    lofo.sort()
    loso: list[tuple[str, str, int, int]] = []
    if not args.no_folds and not args.quick:
        for src in ("project", "jbb", "bipia"):
            r = evaluate(d, d.source == src, None, steps_cv)
            loso.append(("attack", src, *r["det"]))
            print(f"  held-out attack source {src}: {pct(*r['det'])}", file=sys.stderr)
        for src in BENIGN_HELD_OUT:
            r = evaluate(d, None, src, steps_cv)
            loso.append(("benign", src, *r["held_fpr"]))
            print(f"  held-out benign source {src}: FPR {pct(*r['held_fpr'])}", file=sys.stderr)

    # final model: every family, benign train split; calibrated on the calibration split
    final = evaluate(d, None, None, STEPS)
    w, b = train(d, (d.y > 0) | ((d.y == 0) & (d.split == "train")), STEPS)
    doc, kept = weights_doc(d, w, b, final["thr"], len(rows))
    z = d.logits(np.asarray([doc_w(doc, name) for name in d.names]), doc["bias"])
    final_fpr = {src: rate(d, z, (d.y == 0) & (d.split == "test") & (d.source == src), 0.0)
                 for src in sorted(set(d.source[d.y == 0].tolist()))}
    final_det = {fam: rate(d, z, d.family == fam, 0.0) for fam in sorted(set(d.family[d.y > 0].tolist()))}
    lines = report(lofo, loso, final_fpr, final_det, kept, len(d.vocab), len(rows))
    print("\n".join(lines))
    body = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) + b"\n"
    if args.check:
        same = WEIGHTS.read_bytes() == body
        print(f"{WEIGHTS.relative_to(ROOT)}: {'byte-identical' if same else 'DIFFERS'} "
              f"(sha256 {hashlib.sha256(body).hexdigest()[:16]})", file=sys.stderr)
        raise SystemExit(0 if same else 1)
    if not args.quick:
        WEIGHTS.write_bytes(body)
        # the latency section comes from benchmarks/bench_injection.py: kept as it is
        old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
        latency = old[old.index(LATENCY):] if LATENCY in old else ""
        REPORT.write_text(REPORT_HEAD + "\n".join(lines) + "\n" + REPORT_TAIL + latency, encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size} bytes, sha256 "
              f"{hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()[:16]}) and {REPORT.relative_to(ROOT)}",
              file=sys.stderr)
    print(f"done in {time.time() - t0:.0f} s", file=sys.stderr)


def doc_w(doc: dict[str, Any], name: str) -> float:
    return float(doc["weights"].get(name, 0.0))


def weights_doc(d: Data, w: np.ndarray, b: float, thr: float, n_texts: int) -> tuple[dict[str, Any], int]:
    """The weights file: rounded weights, the MAX_FEATURES strongest at most and the smallest dropped
    until the file fits; the bias shifted
    so that a logit of 0 (score 0.5) is the calibrated threshold."""
    order = np.argsort(-np.abs(w), kind="stable")[:MAX_FEATURES]
    cut = 1e-3
    while True:
        weights = {d.names[i]: float(f"{w[i]:.4g}") for i in order.tolist() if abs(w[i]) >= cut}
        body = orjson.dumps(weights)
        if len(body) < MAX_WEIGHTS_BYTES - 4096:
            break
        cut *= 1.5
    doc = {"format": FORMAT, "bias": float(f"{b - thr:.6g}"), "weights": weights,
           "meta": {"trained_on_texts": n_texts, "min_abs_weight": cut, "target_fpr": TARGET_FPR,
                    "command": "python training/injection/train.py"}}
    return doc, len(weights)


LATENCY = "\n## Latency"
REPORT_HEAD = """# PromptInjection: validation of the learned tier

Made by `python training/injection/train.py` (needs `pip install -e '.[train]'`); the same command
rebuilds `src/guardwrap/data/injection_linear.json` byte for byte. Latency rows come from
`python benchmarks/bench_injection.py`.

How to read it: every number below except the last table comes from a model that did **not** see
the family or source it is measured on. The threshold is chosen, per fold, as the lowest that keeps
false positives at or under 1% on the calibration split of **every** benign source; FPR columns are
measured on a separate test split. Families are the project's own technique families (written for
this project, see `training/injection/corpus_attacks.py`), JailbreakBench's attack methods
(`jbb-*`) and BIPIA's injected instructions hidden in documents (`bipia-*`).

`heldout-role-prompts` is a benign source that no model here trains or calibrates on: role prompts
written to a different plan from the training ones (other openings, other rules, some of them
close to attack wording: "don't mention that you are an AI", "forget the usual formal style"). Its
FPR is the honest estimate of how the shipped threshold treats role prompts worded in ways the
corpus does not cover.

"""
REPORT_TAIL = """
## What this says, honestly

- The target (>= 0.90 detection of held-out families at <= 1% FPR on every benign source) is **not
  met** by this model: macro 0.63 over 50 families. At >= 0.9 held out: long persona prompts, dual
  responses, many-shot, refusal suppression, rule lists, JailbreakBench's random-search template and
  every indirect-injection family (e-mail, web, table, tool output, code, BIPIA). Between 0.8 and
  0.9: developer mode, games and simulations, homoglyphs and spacing, sudo commands, config flags,
  fake system messages, prefix injection, translation. Techniques whose wording shares little with
  the others are missed when held out (grandma-style nostalgia, reverse psychology, payload
  splitting, codebooks, threats, continuation, tool hijacking, PAIR rewrites, invisible tags,
  leetspeak, encodings), and so are gibberish adversarial suffixes (GCG/DSN/our own), which word
  n-grams cannot see. The shipped model is trained on all of them.
- The threshold keeps each benign source at <= 1% on its calibration split; on the test split the
  worst source in a fold reaches 4-10% (the small sources: 76 trigger-word prompts, 17 bare
  JailbreakBench goals), which the "worst benign FPR" column shows.
- Role prompts and character cards are the hardest benign text: when a benign source is held out
  of training, the model flags much of it (table above), and role prompts worded to a plan it never
  saw (`heldout-role-prompts`) are flagged far above 1%. The learned tier is trained on several
  benign role-prompt styles; expect false positives on styles it has not seen, and prefer
  `action="escalate"` to `block` where such prompts are common.
- The project-written families come from one author's idea of each technique, so leave-one-out
  still shares a writing style across folds; held-out public collections of real-world jailbreaks
  (which nobody here trained or tuned on) are the real test. Languages other
than English are covered thinly (a few templates in French, German, Spanish, Italian, Portuguese,
Dutch); scripts without spaces between words (Chinese, Japanese, Thai) are read as few long words.
"""


def report(lofo: list[tuple[str, int, int, float]], loso: list[tuple[str, str, int, int]],
           final_fpr: dict[str, tuple[int, int]], final_det: dict[str, tuple[int, int]],
           kept: int, nvocab: int, ntexts: int) -> list[str]:
    out = []
    if lofo:
        tot_k = sum(k for _, k, _, _ in lofo)
        tot_n = sum(n for _, _, n, _ in lofo)
        macro = sum(k / n for _, k, n, _ in lofo) / len(lofo)
        out += ["## Leave technique families out", "",
                f"Families are held out in {FOLDS} folds (family k, in name order, in fold k mod {FOLDS}), so each model "
                "misses several techniques at once. "
                f"Detection of each family by a model trained without it, at the threshold for <= 1% FPR on every benign source. "
                f"Micro average **{tot_k / tot_n:.3f}** ({tot_k}/{tot_n}), macro average **{macro:.3f}** over {len(lofo)} families.", "",
                "| held-out family | detected | texts | rate | worst benign FPR (test split) in that fold |", "|---|---|---|---|---|"]
        out += [f"| {f} | {k} | {n} | {pct(k, n)} | {fp:.3f} |" for f, k, n, fp in lofo]
        out.append("")
    if loso:
        out += ["## Leave one source out", "",
                "Attack sources: detection by a model trained without any row of that source. Benign sources: the FPR on that whole "
                "source of a model trained and calibrated without it (the threshold comes from the other sources); "
                "the five benign sources most like attacks are held out this way.", "",
                "| kind | held-out source | flagged | texts | rate |", "|---|---|---|---|---|"]
        out += [f"| {kind} | {s} | {k} | {n} | {pct(k, n)} |" for kind, s, k, n in loso]
        out.append("")
    out += ["## The shipped model", "",
            f"Trained on all {ntexts} texts' training rows ({nvocab} candidate features, {kept} kept). "
            "FPR per benign source on the test split (never trained on), at the shipped threshold (score 0.5):", "",
            "| benign source | flagged | texts | FPR |", "|---|---|---|---|"]
    out += [f"| {s} | {k} | {n} | {pct(k, n)} |" for s, (k, n) in final_fpr.items()]
    out += ["", "Detection on the training families (in-distribution; this proves little):", "",
            "| family | detected | texts | rate |", "|---|---|---|---|"]
    out += [f"| {f} | {k} | {n} | {pct(k, n)} |" for f, (k, n) in final_det.items()]
    return out


if __name__ == "__main__":
    main()
