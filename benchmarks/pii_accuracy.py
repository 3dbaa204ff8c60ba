"""PII accuracy: precision and recall per entity, guardwrap's fast engine vs Presidio's pattern recognizers.

    PYTHONPATH=src python benchmarks/pii_accuracy.py [--docs 400] [--seed 7]

Cases are realistic sentences generated with Faker in several locales (seeded, so every run sees the
same text), each entity at a known offset, mixed with decoys (order numbers, dates, amounts,
version strings, 16-digit numbers failing Luhn, times, ticket ids). The gold values are valid by
the entity's own rules (phone numbers by ``phonenumbers.is_valid_number``, IBANs by ISO 13616
length and mod-97, SSNs by SSA rules, ...).

Presidio runs ``AnalyzerEngine`` with its default recognizers plus the country recognizers its
default registry leaves out (ABA, AU TFN, IN PAN, SG NRIC/FIN, UK NINO), its default threshold, an
NLP engine that loads no model (so context words in the text cannot raise its scores), and
``tldextract`` pinned to its bundled suffix list (no network). A
prediction counts as correct when it overlaps a gold span of the same entity type; recall counts
gold spans overlapped by a prediction of their type.
"""

from __future__ import annotations

import hashlib
import random
import string
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "en_IN", "en_AU")
PHONE_REGION = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "en_IN": "IN", "en_AU": "AU"}

#: Entities the data set holds; both guardwrap and Presidio support each of them.
ENTITIES = (
    "CREDIT_CARD", "IBAN_CODE", "US_SSN", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS", "URL",
    "CRYPTO", "US_ITIN", "ABA_ROUTING_NUMBER", "UK_NHS", "UK_NINO", "IN_PAN", "SG_NRIC_FIN", "AU_TFN",
    "US_BANK_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE",
)


@dataclass
class Doc:
    text: str = ""
    gold: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, before: str, value: str | None = None, entity: str | None = None, after: str = "") -> None:
        self.text += before
        if value is not None and entity is not None:
            self.gold.append((len(self.text), len(self.text) + len(value), entity))
            self.text += value
        self.text += after + " "


# -- value generators (valid by the entity's own rules) ----------------------------------------


def _luhn_ok(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        v = int(ch) * (2 if i % 2 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def _grouped(d: str, rnd: random.Random) -> str:
    if len(d) == 16 and rnd.random() < 0.5:
        sep = rnd.choice(" -")
        return sep.join(d[i:i + 4] for i in range(0, 16, 4))
    return d


def _nhs(rnd: random.Random) -> str:
    while True:
        body = "".join(rnd.choice(string.digits) for _ in range(9))
        check = 11 - sum((10 - i) * int(c) for i, c in enumerate(body)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            d = body + str(check)
            return f"{d[:3]} {d[3:6]} {d[6:]}" if rnd.random() < 0.7 else d


def _tfn(rnd: random.Random) -> str:
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10)
    while True:
        d = "".join(rnd.choice(string.digits) for _ in range(9))
        if sum(w * int(c) for w, c in zip(weights, d, strict=True)) % 11 == 0:
            return f"{d[:3]} {d[3:6]} {d[6:]}"


def _nino(rnd: random.Random) -> str:
    first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rnd.choice(first) + rnd.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    d = "".join(rnd.choice(string.digits) for _ in range(6))
    suffix = rnd.choice("ABCD")
    if rnd.random() < 0.5:
        return f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}"
    return f"{prefix}{d}{suffix}"


def _pan(rnd: random.Random) -> str:
    up = string.ascii_uppercase
    return ("".join(rnd.choice(up) for _ in range(3)) + rnd.choice("ABCFGHLJPT") + rnd.choice(up)
            + "".join(rnd.choice(string.digits) for _ in range(4)) + rnd.choice(up))


def _nric(rnd: random.Random) -> str:
    prefix = rnd.choice("ST")
    d = "".join(rnd.choice(string.digits) for _ in range(7))
    total = sum(w * int(c) for w, c in zip((2, 7, 6, 5, 4, 3, 2), d, strict=True)) + (4 if prefix == "T" else 0)
    return prefix + d + "JZIHGFEDCBA"[total % 11]


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _btc(rnd: random.Random) -> str:
    payload = bytes([rnd.choice((0, 5))]) + bytes(rnd.randrange(256) for _ in range(20))
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def _ssn_ok(d: str) -> bool:
    return d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


class Values:
    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rnd = random.Random(seed)
        self.fakers = {}
        for i, loc in enumerate(LOCALES):
            f = Faker(loc)
            f.seed_instance(seed * 100 + i)
            self.fakers[loc] = f

    def faker(self, loc: str | None = None) -> Any:
        return self.fakers[loc or self.rnd.choice(LOCALES)]

    def phone(self) -> str:
        import phonenumbers

        while True:
            loc = self.rnd.choice(LOCALES)
            num = self.fakers[loc].phone_number().split("x")[0].strip()
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(num, PHONE_REGION[loc])):
                    return num
            except phonenumbers.NumberParseException:
                pass

    def card(self) -> str:
        while True:
            d = self.faker("en_US").credit_card_number()
            if _luhn_ok(d):
                return _grouped(d, self.rnd)

    def iban(self) -> str:
        from guardwrap.pii._banking import IBAN_LENGTHS, iban_mod97

        while True:
            v = self.faker().iban()
            if IBAN_LENGTHS.get(v[:2]) == len(v) and iban_mod97(v):
                return " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if self.rnd.random() < 0.5 else v

    def ssn(self) -> str:
        while True:
            v = self.faker("en_US").ssn()
            if _ssn_ok(v.replace("-", "")):
                return v

    def generators(self) -> dict[str, Callable[[], str]]:
        r = self.rnd
        us = self.faker("en_US")
        return {
            "CREDIT_CARD": self.card,
            "IBAN_CODE": self.iban,
            "US_SSN": self.ssn,
            "PHONE_NUMBER": self.phone,
            "EMAIL_ADDRESS": lambda: self.faker().email(),
            "IP_ADDRESS": lambda: us.ipv4_public() if r.random() < 0.7 else us.ipv6(),
            "URL": lambda: us.url() + r.choice(["", "account/settings", "help?id=42"]),
            "CRYPTO": lambda: _btc(r),
            "US_ITIN": lambda: us.itin(),
            "ABA_ROUTING_NUMBER": lambda: us.aba(),
            "UK_NHS": lambda: _nhs(r),
            "UK_NINO": lambda: _nino(r),
            "IN_PAN": lambda: _pan(r),
            "SG_NRIC_FIN": lambda: _nric(r),
            "AU_TFN": lambda: _tfn(r),
            "US_BANK_NUMBER": lambda: "".join(r.choice(string.digits) for _ in range(r.randint(10, 12))),
            "US_PASSPORT": lambda: str(r.randint(100000000, 999999999)),
            "US_DRIVER_LICENSE": lambda: r.choice(string.ascii_uppercase) + str(r.randint(1000000, 9999999)),
        }


# Sentence templates: (before, after). Weakly identifiable entities always come with the words a
# person would use; strong ones also appear without any.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "CREDIT_CARD": [("My card number is", "."), ("Please charge", " for the renewal."),
                    ("The payment from", " was declined twice.")],
    "IBAN_CODE": [("Send the refund to IBAN", "."), ("My account is", ", please use that one."),
                  ("Transfer it to", " by Friday.")],
    "US_SSN": [("My SSN is", "."), ("social security number", " as requested."),
               ("For verification:", ".")],
    "PHONE_NUMBER": [("Call me on", " after six."), ("My phone number is", "."),
                     ("You can reach", " during office hours.")],
    "EMAIL_ADDRESS": [("Email me at", "."), ("Reply to", " please."), ("{name} <", ">")],
    "IP_ADDRESS": [("The login came from", "."), ("Server IP", " is blocked.")],
    "URL": [("See", " for details."), ("I used the link", " yesterday.")],
    "CRYPTO": [("Send the bitcoin to", "."), ("My wallet is", ".")],
    "US_ITIN": [("My ITIN is", "."), ("Taxpayer id", " for the form.")],
    "ABA_ROUTING_NUMBER": [("The routing number is", "."), ("ABA", " for wires.")],
    "UK_NHS": [("My NHS number is", "."), ("NHS no.", " on the letter.")],
    "UK_NINO": [("My national insurance number is", "."), ("NINO", " for payroll."),
                ("Reference", " was on my payslip.")],
    "IN_PAN": [("My PAN is", "."), ("PAN card", " is attached."), ("The form lists", " as the holder id.")],
    "SG_NRIC_FIN": [("My NRIC is", "."), ("NRIC", " for the booking.")],
    "AU_TFN": [("My TFN is", "."), ("tax file number", " on the form.")],
    "US_BANK_NUMBER": [("My checking account number is", "."), ("Bank account", " at the branch.")],
    "US_PASSPORT": [("My passport number is", "."), ("Passport", " expires next year.")],
    "US_DRIVER_LICENSE": [("My driver's license is", "."), ("Driver license number", " from Ohio.")],
}

DECOYS: list[Callable[[random.Random], str]] = [
    lambda r: f"Order #{r.randint(10**7, 10**8)}-{r.randint(1000, 9999)} shipped on 2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}.",
    lambda r: f"Invoice INV-{r.randint(2019, 2025)}-{r.randint(10000, 99999)} for ${r.randint(1, 99)},{r.randint(100, 999)}.{r.randint(10, 99)} is due.",
    lambda r: f"Please update the app to version {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 99)} first.",
    lambda r: f"The reference {_non_luhn16(r)} is not a card number.",
    lambda r: f"We met at {r.randint(10, 23)}:{r.randint(10, 59)} on {r.randint(10, 28)}/{r.randint(10, 12)}/{r.randint(2020, 2025)}.",
    lambda r: f"Ticket {r.randint(10**5, 10**6)} was closed after {r.randint(2, 9)} days.",
    lambda r: f"The balance was {r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(10, 99)} EUR on {r.randint(10, 28)}.0{r.randint(1, 9)}.2023.",
    lambda r: f"Build {r.randint(2020, 2025)}0{r.randint(1, 9)}1{r.randint(0, 9)}.{r.randint(1, 9)} passed {r.randint(100, 999)} tests.",
    lambda r: f"Room {r.randint(100, 999)}, floor {r.randint(1, 9)}, extension {r.randint(1000, 9999)}.",
]


def _non_luhn16(r: random.Random) -> str:
    while True:
        d = str(r.choice((4, 5))) + "".join(r.choice(string.digits) for _ in range(15))
        if not _luhn_ok(d):
            return d


def build(n_docs: int, seed: int = 7, per_doc: int = 8) -> list[Doc]:
    """``n_docs`` documents of ``per_doc`` sentences: entities (one each) and decoys, seeded."""
    values = Values(seed)
    gens = values.generators()
    r = values.rnd
    docs = []
    for i in range(n_docs):
        doc = Doc()
        for k in range(per_doc):
            if r.random() < 0.25:
                doc.add(r.choice(DECOYS)(r))
                continue
            entity = ENTITIES[(i * per_doc + k) % len(ENTITIES)]
            before, after = r.choice(TEMPLATES[entity])
            name = values.faker().name()
            before = before.replace("{name}", name)
            lead = "" if before.endswith("<") else " "
            doc.add(before + lead, gens[entity](), entity, after)
        docs.append(doc)
    return docs


# -- scoring -----------------------------------------------------------------------------------


def score(docs: list[Doc], predict: Callable[[str], list[tuple[int, int, str]]]) -> dict[str, dict[str, float]]:
    tp_pred: dict[str, int] = defaultdict(int)
    n_pred: dict[str, int] = defaultdict(int)
    hit_gold: dict[str, int] = defaultdict(int)
    n_gold: dict[str, int] = defaultdict(int)
    for doc in docs:
        preds = predict(doc.text)
        for s, e, t in preds:
            n_pred[t] += 1
            if any(t == gt and s < ge and gs < e for gs, ge, gt in doc.gold):
                tp_pred[t] += 1
        for gs, ge, gt in doc.gold:
            n_gold[gt] += 1
            if any(t == gt and s < ge and gs < e for s, e, t in preds):
                hit_gold[gt] += 1
    out = {}
    for ent in ENTITIES:
        p = tp_pred[ent] / n_pred[ent] if n_pred[ent] else 1.0
        rec = hit_gold[ent] / n_gold[ent] if n_gold[ent] else 1.0
        out[ent] = {"precision": p, "recall": rec, "predicted": n_pred[ent], "gold": n_gold[ent]}
    return out


def guardwrap_predict() -> Callable[[str], list[tuple[int, int, str]]]:
    import guardwrap as gw

    pii = gw.PII(list(ENTITIES))
    return lambda text: [(f.start, f.end, f.entity_type or "") for f in pii.detect(text)]


def presidio_predict() -> Callable[[str], list[tuple[int, int, str]]]:
    from presidio_analyzer.predefined_recognizers import (
        AbaRoutingRecognizer,
        AuTfnRecognizer,
        InPanRecognizer,
        SgFinRecognizer,
        UkNinoRecognizer,
    )

    from guardwrap.pii._presidio import no_model_analyzer

    analyzer = no_model_analyzer()
    # Presidio's default registry leaves these country recognizers out; add them for a fair match.
    for rec in (AbaRoutingRecognizer, AuTfnRecognizer, InPanRecognizer, SgFinRecognizer, UkNinoRecognizer):
        analyzer.registry.add_recognizer(rec(supported_language="en"))
    ents = list(ENTITIES)
    return lambda text: [(r.start, r.end, r.entity_type) for r in analyzer.analyze(text=text, language="en", entities=ents)]


def main(argv: list[str]) -> int:
    n_docs = int(argv[argv.index("--docs") + 1]) if "--docs" in argv else 400
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    docs = build(n_docs, seed)
    gw_scores = score(docs, guardwrap_predict())
    pr_scores = score(docs, presidio_predict())
    print(f"# PII accuracy: {n_docs} documents, {sum(len(d.gold) for d in docs)} entities, seed {seed}, "
          f"locales {', '.join(LOCALES)}\n")
    print("| entity | gold | guardwrap P | guardwrap R | Presidio P | Presidio R | at least as good |")
    print("|---|---|---|---|---|---|---|")
    worse = []
    for ent in ENTITIES:
        g, p = gw_scores[ent], pr_scores[ent]
        ok = g["precision"] >= p["precision"] and g["recall"] >= p["recall"]
        if not ok:
            worse.append(ent)
        print(f"| {ent} | {g['gold']} | {g['precision']:.3f} | {g['recall']:.3f} | {p['precision']:.3f} | "
              f"{p['recall']:.3f} | {'yes' if ok else 'NO'} |")
    print()
    print("guardwrap at least as good on every entity" if not worse else f"guardwrap worse on: {', '.join(worse)}")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
