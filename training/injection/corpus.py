"""Builds the training corpus: the copied public sources plus the project-written families.

Every row is ``{"text", "label", "source", "family", "group"}``:

- ``family``: the technique family of an attack (``persona-long``, ``jbb-PAIR``, ``bipia-code``,
  ...), the benign source for benign rows; leave-one-family-out validation holds out one at a time.
- ``source``: where the row comes from (``project``, ``jbb``, ``bipia`` for attacks; one name per
  benign source); FPR is reported per benign source.
- ``group``: rows sharing a group never straddle a split (a JailbreakBench goal, a payload, ...).

Deterministic: fixed seeds, inputs read in file order, output sorted.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import corpus_attacks as A
import corpus_benign as B

DATA = Path(__file__).resolve().parent / "data"
SEED = 20261130
PER_FAMILY = 120
PER_BENIGN = {
    "project-role-prompts": 2000, "project-system-prompts": 600, "project-documents": 900,
    "project-trigger-words": 1200, "project-benign-framing": 800, "project-other-languages": 400,
    "project-payloads": 600, "project-research-requests": 600, "heldout-role-prompts": 800, "project-character-cards": 500,
}
# the share of the big intent sets used (they are short, alike and plentiful)
INTENT_SAMPLE = 6000

Row = dict[str, Any]


def _read(name: str) -> list[Row]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _h(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:12]


def project_attacks() -> list[Row]:
    rows = []
    payloads = A.HARMFUL + A.HARMLESS
    for fam in sorted(A.FAMILIES):
        rng = random.Random(f"{SEED}:{fam}")
        for i in range(PER_FAMILY):
            p = payloads[(i * 7 + len(fam)) % len(payloads)]
            tpl = A.FAMILIES[fam][i % len(A.FAMILIES[fam])]
            rows.append({"text": tpl(rng, p), "label": "attack", "source": "project", "family": fam,
                         "group": f"payload:{_h(p)}", "payload": "harmful" if p in A.HARMFUL else "harmless"})
    return rows


def project_benign() -> list[Row]:
    rows = []
    sources = {**B.SOURCES, **B.HELD_OUT_SOURCES}
    for src in sorted(sources):
        rng = random.Random(f"{SEED}:{src}")
        for _ in range(PER_BENIGN[src]):
            t = sources[src](rng)
            rows.append({"text": t, "label": "benign", "source": src, "family": src, "group": f"text:{_h(t)}"})
    return rows


def jbb() -> list[Row]:
    out = [{"text": r["text"], "label": "attack", "source": "jbb", "family": f"jbb-{r['meta']['method']}",
            "group": f"goal:{_h(r['meta']['goal'])}"} for r in _read("jbb_attacks.jsonl")]
    out += [{"text": r["text"], "label": "benign", "source": "jbb-goals", "family": "jbb-goals",
             "group": f"goal:{_h(r['text'])}"} for r in _read("jbb_goals.jsonl")]
    return out


def bipia() -> list[Row]:
    """BIPIA's injected instructions, each hidden in one of the project's documents."""
    rng = random.Random(f"{SEED}:bipia")
    pools = A.EMAIL_BODIES + A.WEB_PAGES + A.TABLES + A.TOOL_OUT + A.CODE
    out = []
    for r in _read("bipia_attacks.jsonl"):
        doc = A.pick(rng, pools).format(inj=r["text"].replace("{", "(").replace("}", ")"))
        ask = A.pick(rng, A.DOC_ASK)
        grp = r["meta"]["bipia_group"]
        out.append({"text": f"{ask}\n\n{doc}" if ask else doc, "label": "attack", "source": "bipia",
                    "family": f"bipia-{grp}", "group": f"bipia:{r['meta']['category']}"})
    return out


def public_benign() -> list[Row]:
    out = []
    for name, src in (("xstest.jsonl", "xstest"), ("simplesafetytests.jsonl", "simplesafetytests")):
        out += [{"text": r["text"], "label": "benign", "source": src, "family": src, "group": f"text:{_h(r['text'])}"}
                for r in _read(name)]
    for name, src in (("banking77.jsonl", "banking77"), ("clinc150.jsonl", "clinc150")):
        rows = _read(name)
        rng = random.Random(f"{SEED}:{src}")
        rows = rng.sample(rows, min(INTENT_SAMPLE, len(rows)))
        out += [{"text": r["text"], "label": "benign", "source": src, "family": src, "group": f"text:{_h(r['text'])}"}
                for r in rows]
    return out


def build() -> list[Row]:
    rows = project_attacks() + jbb() + bipia() + project_benign() + public_benign()
    seen: set[str] = set()
    out = []
    for r in rows:
        if r["text"] in seen:
            continue
        seen.add(r["text"])
        out.append(r)
    out.sort(key=lambda r: (r["label"], r["source"], r["family"], _h(r["text"])))
    return out


if __name__ == "__main__":
    import collections

    rows = build()
    c = collections.Counter((r["label"], r["family"]) for r in rows)
    for k in sorted(c):
        print(k, c[k])
