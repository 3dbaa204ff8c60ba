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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import corpus_attacks as A
import corpus_benign as B
import corpus_form as F
import corpus_fpr16 as FP16
import corpus_round4 as R4
import corpus_lead12 as L12
import corpus_round8 as R8
import corpus_round10 as R10
import corpus_tech as T

DATA = Path(__file__).resolve().parent / "data"
SEED = 20261130
PER_FAMILY = 120
#: round 8: texts added to each family of `corpus_round8.MORE`
PER_FAMILY_R8 = 60
#: round 10b (h-sfx13): gibberish-suffix texts added to `adversarial-suffix` (marked ``round: 11``); round 11b
#: (sfx14) sets it to 0: the result was the same within noise and the family keeps main's 180 texts
PER_FAMILY_R10B = 0
#: round 8: long documents (6-20 KB of joined project documents) as a benign source
LONG_DOCUMENTS = 300
PER_BENIGN = {
    "project-role-prompts": 2400, "project-system-prompts": 600, "project-documents": 2000, "project-cover-docs": 1200,
    "project-trigger-words": 2400, "project-benign-framing": 2000, "project-other-languages": 400,
    "project-payloads": 900, "project-research-requests": 600, "heldout-role-prompts": 800, "project-character-cards": 500,
    "project-long-documents": LONG_DOCUMENTS,
    # round 12 (lead): long packs of the indirect families' cover documents and of system prompts
    "project-long-packs": 120,
    # round 11b (sfx14): coding questions with inline code, stack traces, logs, markdown, config files
    "project-tech-texts": 1500,
    # round 13 (fpr16): role prompts and app system prompts with house style rules; questions full of
    # attack words about games, devices, code and the user's own account (`corpus_fpr16`)
    "project-style-rules": 1200, "project-owned-things": 800,
}
# the share of the big intent sets used (they are short, alike and plentiful)
INTENT_SAMPLE = 6000

Row = dict[str, Any]


def _read(name: str) -> list[Row]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _h(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:12]


def families() -> dict[str, list[A.Template]]:
    """Round 3's families with round 4's extra templates (and its new family) added."""
    fams = {f: list(t) for f, t in A.FAMILIES.items()}
    for f, more in R4.MORE.items():
        fams.setdefault(f, []).extend(more)
    return fams


def _mix(*gens: Any) -> Any:
    """A benign generator drawing from ``gens`` in turn at random (round 4 widens three sources)."""
    def make(rng: random.Random) -> str:
        return gens[rng.randrange(len(gens))](rng)
    return make


def project_attacks() -> list[Row]:
    rows = []
    payloads = A.HARMFUL + A.HARMLESS
    fams = families()
    for fam in sorted(fams):
        rng = random.Random(f"{SEED}:{fam}")
        for i in range(PER_FAMILY):
            p = payloads[(i * 7 + len(fam)) % len(payloads)]
            tpl = fams[fam][i % len(fams[fam])]
            rows.append({"text": tpl(rng, p), "label": "attack", "source": "project", "family": fam,
                         "group": f"payload:{_h(p)}", "payload": "harmful" if p in A.HARMFUL else "harmless"})
    # round 8: more texts for the families held-out validation missed most, added beside the
    # texts above (which stay the same), marked so the report can compare on those alone
    for fam in sorted(R8.MORE):
        rng = random.Random(f"{SEED}:round8:{fam}")
        for i in range(PER_FAMILY_R8):
            p = payloads[(i * 5 + len(fam)) % len(payloads)]
            tpl = R8.MORE[fam][i % len(R8.MORE[fam])]
            rows.append({"text": tpl(rng, p), "label": "attack", "source": "project", "family": fam,
                         "group": f"payload:{_h(p)}", "payload": "harmful" if p in A.HARMFUL else "harmless",
                         "round": 8})
    # round 10: the same techniques written in German, French, Spanish, Italian, Dutch and
    # Portuguese with payloads in that language, in the family of their technique
    for fam, text, p, harmful in R10.attacks(SEED):
        rows.append({"text": text, "label": "attack", "source": "project", "family": fam,
                     "group": f"payload:{_h(p)}", "payload": "harmful" if harmful else "harmless", "round": 10})
    # round 10b (h-sfx13): gibberish suffixes made at random (`corpus_form`), beside the above
    rng = random.Random(f"{SEED}:round10:adversarial-suffix")
    for i in range(PER_FAMILY_R10B):
        p = payloads[(i * 11 + 3) % len(payloads)]
        rows.append({"text": F.gibberish_suffix(rng, p), "label": "attack", "source": "project",
                     "family": "adversarial-suffix", "group": f"payload:{_h(p)}",
                     "payload": "harmful" if p in A.HARMFUL else "harmless", "round": 11})
    return rows


def extend_pools() -> None:
    """Round 4: wider pools for the benign documents (extended once, in place, before any is drawn).
    Everything that draws documents calls it first (`dilution` too), so a document of a seed is the
    same whether or not the corpus was built before in the process."""
    if R4.MORE_TERMS[0] not in B.TERMS:
        B.TERMS.extend(R4.MORE_TERMS)
        B.LETTER[-1:-1] = R4.MORE_LETTER  # the sign-off stays last
        B.EMAILS.extend(R4.MORE_EMAILS)


def joined(make: Callable[[random.Random], str], rng: random.Random, chars: int) -> str:
    """Texts from ``make`` joined by blank lines until they hold at least ``chars`` characters (the
    long documents of training and of `dilution`)."""
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(make(rng))
        size += len(parts[-1]) + 2
    return "\n\n".join(parts)


def long_document(rng: random.Random, lo: int = 6_000, hi: int = 20_000) -> str:
    """Round 8: project documents (`corpus_benign.document`) joined until the text is between
    ``lo`` and ``hi`` characters long (a random target): what a user pastes, a mailbox or a pack of
    terms. A 20 KB text is ~40 windows; its score is the highest of them, so the threshold must be
    calibrated on such texts' highest window, not on one-window texts (round 7: 5-7 of 40 such
    documents flagged when it was not)."""
    target = rng.randrange(lo, hi + 1)
    # half of them of one kind only (a long pack of terms, a mailbox): their windows hold the
    # trigger-like clauses of that kind again and again, which mixed documents rarely do
    kinds = len(B.DOCUMENT_KINDS)
    kind = rng.randrange(2 * kinds)
    return joined(lambda r: B.document(r, kind if kind < kinds else None), rng, target)


def long_pack(rng: random.Random, lo: int = 6_000, hi: int = 20_000) -> str:
    """Round 12: the two kinds of long benign text that `long_document` never makes, joined to
    between ``lo`` and ``hi`` characters: the indirect families' cover documents with their
    ordinary requests ("Translate this into German: ..."), a dozen tasks on pasted texts in one
    message, and system prompts, one long prompt of many rules. Their windows hold the host tasks
    and the rule talk of attacks over and over; one-window texts of these kinds are trained on, and
    the long ones were flagged near the threshold when never seen (round 11: 4 of 480)."""
    target = rng.randrange(lo, hi + 1)
    return joined(R4.benign_cover_doc if rng.random() < 0.5 else B.system_prompt, rng, target)


def project_benign() -> list[Row]:
    rows = []
    extend_pools()
    sources = {**B.SOURCES, **B.HELD_OUT_SOURCES}
    sources["project-long-documents"] = long_document
    sources["project-long-packs"] = long_pack
    # round 4: cover documents with ordinary lines in their own source (the documents the indirect families and BIPIA's
    # strings are hidden in), more trigger-word questions, more harmless framings
    sources["project-cover-docs"] = R4.benign_cover_doc
    sources["project-role-prompts"] = _mix(B.role_prompt, B.role_prompt, R4.role_prompt3)
    # round 12: questions about the bank's own policies and terms ("what does your refund policy say?"),
    # a quarter of the draws (the round-4 questions a half, the first ones a quarter)
    sources["project-trigger-words"] = _mix(B.trigger_prompt, R4.trigger_more, R4.trigger_more, L12.policy_question)
    sources["project-benign-framing"] = _mix(B.benign_framing, R4.benign_more)
    sources["project-payloads"] = _mix(B.payloads_bare, R4.payloads_bare2)
    # round 10: bank messages in the languages of round 10's attacks, hard cases included
    sources["project-other-languages"] = _mix(B.foreign, R10.benign)
    sources["project-tech-texts"] = T.tech_text
    sources.update(FP16.SOURCES)
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
    # round 4: the cover documents are also benign documents (with ordinary lines in the same place),
    # so their words tell nothing and what is detected is the injected string; until round 3 the
    # documents were those of the project's indirect families only, whose words then counted as
    # attack evidence
    pools = R4.COVER_DOCS
    out = []
    for r in _read("bipia_attacks.jsonl"):
        doc = A.pick(rng, pools).format(inj=r["text"].replace("{", "(").replace("}", ")"))
        ask = A.pick(rng, R4.COVER_ASK)
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
