"""National and tax ids (issue 12): guardwrap's fast engine beside Presidio's own recognizers.

    PYTHONPATH=src python benchmarks/pii_national_ids.py [--n 200] [--seed 12]

For each id Presidio has a recognizer for (AU_ABN, AU_ACN, AU_MEDICARE, IN_AADHAAR, IN_VOTER,
ES_NIF, ES_NIE, IT_FISCAL_CODE, PL_PESEL, FI_PERSONAL_IDENTITY_CODE) and the ones it has none for
(NL_BSN, US_EIN, VAT_ID), ``--n`` valid values are generated (``tests/pii/_idgen.py``: check digits
from the issuers' rules) and written the ways customers write them: after an English label, after
a label in the country's language, and with no label at all, each in the spellings Presidio's
patterns take (grouped and plain). Presidio runs with those recognizers registered for English
(they are disabled or registered for other languages in its default registry) beside its default
English recognizers, at score 0.5, as ``pii_eval.py`` runs it.

Recall: a finding of the right entity overlapping the value. Phone: share of values reported as a
phone number instead. Hard negatives: the 2,280 of ``pii_eval.py``'s seed-7 documents (amounts,
ISBNs, timestamps, references, SWIFT statement lines...) and the same documents' phone numbers;
share overlapped by a finding of any of these entities.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pii"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import _idgen  # noqa: E402

Gen = Callable[[random.Random], str]


def grouped(*sizes: int, sep: str = " ") -> Callable[[str], str]:
    def f(v: str) -> str:
        out, i = [], 0
        for k in sizes:
            out.append(v[i:i + k])
            i += k
        return sep.join(out)
    return f


def plain(v: str) -> str:
    return v


# entity -> (generator, spellings, English labels, local labels)
IDS: dict[str, tuple[Gen, list[Callable[[str], str]], list[str], list[str]]] = {
    "AU_ABN": (_idgen.abn, [grouped(2, 3, 3, 3), plain], ["ABN", "Australian Business Number"], []),
    "AU_ACN": (_idgen.acn, [grouped(3, 3, 3), plain], ["ACN", "Australian Company Number"], []),
    "AU_MEDICARE": (_idgen.medicare, [grouped(4, 5, 1), plain], ["Medicare", "Medicare card no."], []),
    "IN_AADHAAR": (_idgen.aadhaar, [grouped(4, 4, 4), grouped(4, 4, 4, sep="-"), plain],
                   ["Aadhaar", "Aadhaar no", "UIDAI"], []),
    "IN_VOTER": (_idgen.voter, [plain], ["voter id", "EPIC no"], []),
    "ES_NIF": (_idgen.dni, [plain, lambda v: v[:8] + "-" + v[8]], ["NIF", "Spanish ID"], ["DNI", "D.N.I."]),
    "ES_NIE": (_idgen.nie, [plain], ["NIE", "foreigner id NIE"], ["número de identidad de extranjero"]),
    "IT_FISCAL_CODE": (_idgen.fiscal_code, [plain, str.lower], ["fiscal code", "tax code"],
                       ["codice fiscale", "C.F."]),
    "PL_PESEL": (_idgen.pesel, [plain], ["PESEL"], ["nr PESEL"]),
    "FI_PERSONAL_IDENTITY_CODE": (_idgen.hetu, [plain], ["personal identity code"], ["HETU", "henkilötunnus"]),
    "NL_BSN": (_idgen.bsn, [plain, grouped(4, 2, 3, sep=".")], ["citizen service number"],
               ["BSN", "burgerservicenummer"]),
    "US_EIN": (_idgen.ein, [plain, lambda v: v.replace("-", "")], ["EIN", "tax id", "FEIN"], []),
    "VAT_ID": (_idgen.vat_gb, [plain], ["VAT no", "VAT reg"], []),
}
PRESIDIO_HAS = ("AU_ABN", "AU_ACN", "AU_MEDICARE", "IN_AADHAAR", "IN_VOTER", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE",
                "PL_PESEL", "FI_PERSONAL_IDENTITY_CODE")
SENTENCES = ["{label} {v}", "My {label} is {v}.", "{label}: {v}", "customer ok, {label} {v}, verified",
             "Please update {label}\n{v}"]
BARE = ["my number is {v} thanks", "{v}", "see {v} attached", "id {v}."]

Pred = tuple[int, int, str]


def cases(n: int, seed: int) -> dict[str, dict[str, list[tuple[str, int, int]]]]:
    """entity -> {"label": [(text, start, end)], "bare": [...]}"""
    r = random.Random(seed)
    out: dict[str, dict[str, list[tuple[str, int, int]]]] = {}
    for ent, (gen, spellings, en, local) in IDS.items():
        got: dict[str, list[tuple[str, int, int]]] = {"label": [], "bare": []}
        for _ in range(n):
            v = r.choice(spellings)(gen(r))
            label = r.choice(en + local)
            for kind, templ in (("label", r.choice(SENTENCES)), ("bare", r.choice(BARE))):
                head, _, tail = templ.partition("{v}")
                head = head.replace("{label}", label)
                got[kind].append((head + v + tail.replace("{label}", label), len(head), len(head) + len(v)))
        out[ent] = got
    return out


def guardwrap_predict() -> Callable[[str], list[Pred]]:
    import guardwrap as gw

    pii = gw.PII()
    return lambda t: [(f.start, f.end, f.entity_type or "") for f in pii.detect(t)]


def presidio_predict() -> Callable[[str], list[Pred]]:
    from guardwrap.pii._presidio import add_country_recognizers, no_model_analyzer

    analyzer = no_model_analyzer()
    add_country_recognizers(analyzer, PRESIDIO_HAS)
    return lambda t: [(r.start, r.end, r.entity_type) for r in
                      analyzer.analyze(text=t, language="en", score_threshold=0.5)]


def evaluate(data: dict[str, dict[str, list[tuple[str, int, int]]]], predict: Callable[[str], list[Pred]],
             negatives: list[tuple[str, int, int]]) -> dict[str, object]:
    res: dict[str, object] = {}
    for ent, kinds in data.items():
        row = {}
        for kind, items in kinds.items():
            hit = phone = 0
            for text, s, e in items:
                preds = predict(text)
                hit += any(t == ent and ps < e and s < pe for ps, pe, t in preds)
                phone += any(t == "PHONE_NUMBER" and ps < e and s < pe for ps, pe, t in preds)
            row[kind] = (hit / len(items), phone / len(items))
        res[ent] = row
    flagged = 0
    cache: dict[str, list[Pred]] = {}
    for text, s, e in negatives:
        preds = cache.setdefault(text, predict(text)) if text in cache or len(cache) < 10_000 else predict(text)
        flagged += any(t in IDS and ps < e and s < pe for ps, pe, t in preds)
    res["_neg"] = flagged / max(1, len(negatives))
    return res


def main(argv: list[str]) -> int:
    import pii_eval

    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 200
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 12
    data = cases(n, seed)
    negatives: list[tuple[str, int, int]] = []
    for d in pii_eval.build(600, 7):
        negatives += [(d.text, s, e) for s, e, _ in d.negatives]
        negatives += [(d.text, s, e) for s, e, c in d.gold if c == "PHONE"]
    systems = {"guardwrap": guardwrap_predict(), "Presidio @0.5": presidio_predict()}
    results = {k: evaluate(data, f, negatives) for k, f in systems.items()}
    print(f"# {n} generated values per id and per kind (seed {seed}); recall (share read as a phone)\n")
    names = list(systems)
    print("| entity | " + " | ".join(f"{s} with label | {s} no label" for s in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for ent in IDS:
        cells = []
        for s in names:
            row = results[s][ent]
            if s != "guardwrap" and ent not in PRESIDIO_HAS:
                cells += ["(no recognizer)", "(no recognizer)"]
                continue
            for kind in ("label", "bare"):
                rec, ph = row[kind]  # type: ignore[index]
                cells.append(f"{rec:.2f} ({ph:.2f})")
        print(f"| {ent} | " + " | ".join(cells) + " |")
    print()
    for s in names:
        print(f"- {s}: pii_eval seed-7 hard negatives and phone numbers flagged as one of these ids: "
              f"{results[s]['_neg']:.4f} (of {len(negatives)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
