"""Round 11b (sfx14): the probes of the form features, for one or more weights files side by side.

    PYTHONPATH=src python training/injection/probe_form.py WEIGHTS.json [WEIGHTS.json ...] [--repo DIR]

For each weights file (e.g. main's, ``git show main:src/guardwrap/data/injection_linear.json``, and
this tree's): the share flagged by `PromptInjection` (signals and learned tier, threshold 0.5) of

- 1000 unseen form-heavy benign documents (`corpus_form.form_document`, seed ``sfx14-probe``: never
  trained or calibrated on; round 10b's probe generator),
- the repository's own files (``--repo``, default this checkout) cut in 2 KB pieces at line ends,
  per kind (C, Python, markdown): never trained on, and they talk about prompts and injection,
- long benign documents (`dilution.long_benign_documents(30, seed)`, seeds 1001 and 1002),
- the adversarial suffixes of the corpus (GCG, DSN, `adversarial-suffix`) as a sanity check (these
  are trained on by the final model, so this is *not* the held-out rate).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import corpus_form as F  # noqa: E402
import dilution  # noqa: E402

import guardwrap as gw  # noqa: E402
from guardwrap.injection import _linear  # noqa: E402


def pieces(repo: Path, exts: tuple[str, ...], size: int = 2048) -> list[str]:
    files = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True).stdout.split()
    out = []
    for f in sorted(files):
        if not f.endswith(exts) or "/data/" in f:
            continue
        text = (repo / f).read_text(encoding="utf-8", errors="replace")
        cur = ""
        for line in text.splitlines(keepends=True):
            if len(cur) + len(line) > size and cur:
                out.append(cur)
                cur = ""
            cur += line
        if cur.strip():
            out.append(cur)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("weights", nargs="+")
    ap.add_argument("--repo", default=str(HERE.parents[1]))
    args = ap.parse_args()
    rng = random.Random("sfx14-probe")
    probes: dict[str, list[str]] = {"form-heavy documents (unseen)": [F.form_document(rng) for _ in range(1000)]}
    repo = Path(args.repo)
    for kind, exts in (("repository C", (".c", ".h")), ("repository Python", (".py",)), ("repository markdown", (".md",))):
        probes[kind] = pieces(repo, exts)
    longs = []
    for seed in dilution.LONG_SEEDS:
        for docs in dilution.long_benign_documents(30, seed).values():
            longs += docs
    probes["long benign documents (1001+1002)"] = longs
    rows = corpus.build()
    for fam in ("jbb-GCG", "jbb-DSN", "adversarial-suffix"):
        probes[f"{fam} (trained on)"] = [r["text"] for r in rows if r["family"] == fam]
    print("| probe | " + " | ".join(Path(w).name for w in args.weights) + " |")
    print("|---|" + "---|" * len(args.weights))
    results: dict[str, list[str]] = {k: [] for k in probes}
    for w in args.weights:
        _linear._builtin = _linear.LinearModel.load(Path(w))
        pi = gw.PromptInjection()
        for k, texts in probes.items():
            n = sum(pi.score(t) >= 0.5 for t in texts)
            results[k].append(f"{n}/{len(texts)} ({100 * n / len(texts):.1f}%)")
    for k, cells in results.items():
        print(f"| {k} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
