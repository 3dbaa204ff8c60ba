"""Short attacks hidden in long benign documents: detected as often as on their own?

    PYTHONPATH=src python training/injection/dilution.py          # the table for benchmarks/injection.md

Attacks are the project's own technique families (`corpus.project_attacks`, at most `MAX_ATTACK`
characters, the same number from every family); documents are long benign texts made by joining
project-written documents (letters, statements, terms, e-mails, code: `corpus_benign.document`)
until they are `DOC_CHARS` long. Each attack is put at `PER_ATTACK` random word boundaries of a
document. Reported: detection of the attacks alone, of the same attacks in the documents, and how
many long benign texts are flagged (the documents alone, and `DOC_CHARS` of each benign source's
texts joined, from the split that training never trains on).

Deterministic (fixed seeds); the test suite (`tests/injection/test_injection_dilution.py`) runs a
smaller draw of the same generator.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import corpus_benign as B  # noqa: E402

SEED = 20261201
MAX_ATTACK = 600
DOC_CHARS = 20_000
PER_FAMILY = 4
PER_ATTACK = 4


def long_documents(n: int, seed: int = SEED, chars: int = DOC_CHARS) -> list[str]:
    """``n`` benign documents of at least ``chars`` characters, project-written documents joined."""
    corpus.extend_pools()
    rng = random.Random(f"{seed}:docs")
    return [corpus.joined(B.document, rng, chars) for _ in range(n)]


#: the kinds of long benign text `long_benign_documents` makes: documents of every kind mixed (as
#: `long_documents`), of one kind each (`corpus_benign.DOCUMENT_KINDS`), the cover documents of the
#: indirect families with their ordinary lines, and system prompts joined (one long system prompt)
LONG_KINDS = ("mixed", *B.DOCUMENT_KINDS, "cover-docs", "system-prompts")
#: seeds of the long benign documents measured in benchmarks/injection.md and the tests: training
#: draws its long documents from `corpus.SEED`, these are others
LONG_SEEDS = (1001, 1002)


def long_benign_documents(n: int, seed: int, chars: int = DOC_CHARS) -> dict[str, list[str]]:
    """Per kind of `LONG_KINDS`, ``n`` benign texts of at least ``chars`` characters."""
    import corpus_round4 as R4

    corpus.extend_pools()
    makers: dict[str, Callable[[random.Random], str]] = {
        "mixed": B.document, "cover-docs": R4.benign_cover_doc, "system-prompts": B.system_prompt}
    for k, kind in enumerate(B.DOCUMENT_KINDS):
        makers[kind] = lambda rng, k=k: B.document(rng, k)
    out = {}
    for kind in LONG_KINDS:
        rng = random.Random(f"{seed}:long:{kind}")
        out[kind] = [corpus.joined(makers[kind], rng, chars) for _ in range(n)]
    return out


def short_attacks(per_family: int = PER_FAMILY, seed: int = SEED, max_chars: int = MAX_ATTACK) -> list[tuple[str, str]]:
    """``(family, text)``: up to ``per_family`` project-written attacks of each family, at most
    ``max_chars`` characters long."""
    rng = random.Random(f"{seed}:attacks")
    by_family: dict[str, list[str]] = {}
    for r in corpus.project_attacks():
        # the texts round 8 added to ten families are left out, so the draw stays round 6's
        if len(r["text"]) <= max_chars and r.get("round", 0) < 8:
            by_family.setdefault(r["family"], []).append(r["text"])
    out = []
    for fam in sorted(by_family):
        texts = sorted(set(by_family[fam]))
        out += [(fam, t) for t in rng.sample(texts, min(per_family, len(texts)))]
    return out


def place(doc: str, attack: str, rng: random.Random) -> str:
    """``attack`` put at a random word boundary of ``doc`` (with a space or line break around it)."""
    at = rng.randrange(len(doc) + 1)
    at = max(doc.rfind(" ", 0, at), doc.rfind("\n", 0, at)) + 1
    return doc[:at] + attack + " " + doc[at:]


def placements(attacks: list[tuple[str, str]], docs: list[str], per_attack: int = PER_ATTACK,
               seed: int = SEED) -> Iterator[tuple[int, str]]:
    """``(attack index, text)`` for every placement."""
    rng = random.Random(f"{seed}:place")
    for k, (_, a) in enumerate(attacks):
        for _ in range(per_attack):
            yield k, place(docs[rng.randrange(len(docs))], a, rng)


def long_benign_by_source(n: int, chars: int = DOC_CHARS) -> dict[str, list[str]]:
    """Per benign source, ``n`` texts of at least ``chars`` characters: its texts of the test split
    (`train.split_of`, never trained on) joined by blank lines, in a seeded order."""
    from train import split_of

    by_src: dict[str, list[str]] = {}
    for r in corpus.build():
        if r["label"] == "benign" and split_of(r["group"], r["source"]) == "test":
            by_src.setdefault(r["source"], []).append(r["text"])
    out = {}
    for src in sorted(by_src):
        rng = random.Random(f"{SEED}:{src}")
        texts = by_src[src]
        docs = []
        for _ in range(n):
            parts: list[str] = []
            size = 0
            while size < chars:
                parts.append(texts[rng.randrange(len(texts))])
                size += len(parts[-1]) + 2
            docs.append("\n\n".join(parts))
        out[src] = docs
    return out


def measure(flag: Callable[[str], bool], per_family: int = PER_FAMILY, per_attack: int = PER_ATTACK,
            n_docs: int = 6) -> dict[str, tuple[int, int]]:
    """``{"alone": (detected, n), "placed": ..., "placed, detected alone": ..., "documents": (flagged, n)}``."""
    attacks = short_attacks(per_family)
    docs = long_documents(n_docs)
    alone = [flag(a) for _, a in attacks]
    placed = [(k, flag(t)) for k, t in placements(attacks, docs, per_attack)]
    return {
        "alone": (sum(alone), len(alone)),
        "placed": (sum(f for _, f in placed), len(placed)),
        "placed, detected alone": (sum(f for k, f in placed if alone[k]), sum(1 for k, _ in placed if alone[k])),
        "documents": (sum(map(flag, docs)), len(docs)),
    }


def main() -> None:
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    import guardwrap as gw

    pi = gw.PromptInjection()

    def flag(t: str) -> bool:
        return pi.score(t) >= 0.5

    print("| texts | flagged | of | rate |\n|---|---|---|---|")
    for k, (a, n) in measure(flag, per_family=8, per_attack=8, n_docs=12).items():
        print(f"| {k} | {a} | {n} | {a / n:.3f} |")
    print("\n| benign source, 20 KB texts of its test split joined | flagged | of | rate |\n|---|---|---|---|")
    for src, docs in long_benign_by_source(20).items():
        k = sum(map(flag, docs))
        print(f"| {src} | {k} | {len(docs)} | {k / len(docs):.3f} |")


if __name__ == "__main__":
    main()
