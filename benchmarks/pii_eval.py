"""PII on realistic financial-services text: guardwrap's fast engine beside Presidio, per entity.

    PYTHONPATH=src python benchmarks/pii_eval.py [--docs 600] [--seed 7] [--no-presidio] [--heldout]

``--heldout`` uses eight other document shapes (tickets, wire requests, letters, informal chat,
Markdown tables, URL-encoded forms, lower-case voice notes, agent notes), written after the
detector was tuned on the ten main kinds and not tuned on.

Documents are generated (seeded) in the shapes a bank's LLM traffic has: customer chats, e-mails,
call transcripts (with the agent's question on the line before the answer), loan application
forms, KYC notes, CSV extracts (the header names the columns), JSON tool outputs, SWIFT MT103 and
MT940 messages and application logs. Personal values come from Faker in 14 locales (names,
streets, cities, postcodes, phone numbers, IBANs, e-mail addresses, dates of birth) and from small
generators here for values with a checksum (cards, SSNs, ABA, NINO, DVLA licences, ETH/BTC
addresses). Every document also holds hard negatives: amounts, merchant names (Faker companies),
ISBNs, timestamps, invoice and order references, 12-digit retrieval reference numbers next to an
account label, transaction dates, version strings, tracking numbers.

The name lists guardwrap uses come from the U.S. Census (see ``src/guardwrap/data/names``); the
names here come from Faker's locale lists, so the PERSON numbers do not measure a list against
itself.

Metrics. A finding matches a gold value when it overlaps it and maps to the same class (classes
below join entity names of both systems). Per class: precision, recall, F1. "Left" = share of
gold values of which less than 90% of the letters and digits are covered by any finding (what a
redaction would still show). "Hard negatives flagged" = share of hard negatives overlapped by any
finding. Street lines: the gold ADDRESS span is the street line (house number and street); a
finding overlapping it counts.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import string
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: the range of birth dates (ages 18 to 90 on 2026-06-01)
_OLDEST, _YOUNGEST = date(1936, 6, 2), date(2008, 6, 1)

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_PT", "en_IE", "en_IN",
           "en_AU", "en_CA", "de_AT")

#: evaluation class of each system's entity names
CLASS = {
    "CREDIT_CARD": "CARD", "IBAN_CODE": "IBAN", "US_SSN": "SSN", "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL", "IP_ADDRESS": "IP", "CRYPTO": "CRYPTO", "ABA_ROUTING_NUMBER": "ABA",
    "US_BANK_NUMBER": "ACCOUNT", "DATE_TIME": "DOB", "US_PASSPORT": "PASSPORT", "PASSPORT": "PASSPORT",
    "US_DRIVER_LICENSE": "LICENCE", "UK_DRIVER_LICENSE": "LICENCE", "UK_NINO": "NINO", "PERSON": "PERSON",
    "STREET_ADDRESS": "ADDRESS", "LOCATION": "ADDRESS",
}
PATTERN_CLASSES = ("CARD", "IBAN", "SSN", "PHONE", "EMAIL", "IP", "CRYPTO", "ABA", "ACCOUNT", "DOB", "PASSPORT",
                   "LICENCE", "NINO")
CLASSES = (*PATTERN_CLASSES, "PERSON", "ADDRESS")
#: classes Presidio has a recognizer for without a NER model
PRESIDIO_HAS = {"CARD", "IBAN", "SSN", "PHONE", "EMAIL", "IP", "CRYPTO", "ABA", "ACCOUNT", "DOB", "PASSPORT",
                "LICENCE", "NINO"}


@dataclass
class Doc:
    kind: str
    text: str = ""
    gold: list[tuple[int, int, str]] = field(default_factory=list)
    negatives: list[tuple[int, int, str]] = field(default_factory=list)

    def t(self, s: str) -> Doc:
        self.text += s
        return self

    def v(self, value: str, cls: str) -> Doc:
        self.gold.append((len(self.text), len(self.text) + len(value), cls))
        self.text += value
        return self

    def n(self, value: str, kind: str) -> Doc:
        self.negatives.append((len(self.text), len(self.text) + len(value), kind))
        self.text += value
        return self


# -- values ------------------------------------------------------------------------------------


def _luhn_complete(body: str) -> str:
    from guardwrap.pii._cards import luhn

    return next(body + c for c in "0123456789" if luhn(body + c))


class Values:
    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.r = random.Random(seed)
        self.f: dict[str, Any] = {}
        for i, loc in enumerate(LOCALES):
            fk = Faker(loc)
            fk.seed_instance(seed * 1000 + i)
            self.f[loc] = fk
        self.loc = "en_US"

    def pick(self) -> str:
        self.loc = self.r.choice(LOCALES)
        return self.loc

    @property
    def fk(self) -> Any:
        return self.f[self.loc]

    def name(self) -> str:
        n = self.fk.name()
        for t in ("Dr. ", "Mr. ", "Mrs. ", "Ms. ", "Prof. ", "Herr ", "Frau ", "Dipl.-Ing. ", "Univ.Prof. ",
                  "Mag. ", "Pan ", "Pani ", "Sr. ", "Sra. ", "Dott. ", "Sig. ", "Mme ", "M. "):
            n = n.replace(t, "")
        return " ".join(w for w in n.split() if not w.endswith(".") and w not in ("MBA", "PhD", "MD", "DDS", "DVM",
                                                                                   "Jr", "II", "III", "IV", "B.Sc."))

    def street(self) -> str:
        s = self.fk.street_address().replace("\n", ", ")
        if not any(c.isdigit() for c in s):
            s = f"{self.r.randint(1, 120)} {s}"
        return s

    def city_line(self) -> str:
        f = self.fk
        if self.loc in ("en_US", "en_CA"):
            st = f.state_abbr() if hasattr(f, "state_abbr") else f.province_abbr()
            return f"{f.city()}, {st} {f.postcode()}"
        if self.loc in ("en_GB", "en_IE"):
            return f"{f.city()} {f.postcode()}"
        return f"{f.postcode()} {f.city()}"

    def phone(self) -> str:
        import phonenumbers

        region = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES", "it_IT": "IT",
                  "nl_NL": "NL", "pl_PL": "PL", "pt_PT": "PT", "en_IE": "IE", "en_IN": "IN", "en_AU": "AU",
                  "en_CA": "CA", "de_AT": "AT"}[self.loc]
        for _ in range(20):
            num = self.fk.phone_number().split("x")[0].strip()
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(num, region)):
                    return num
            except phonenumbers.NumberParseException:
                pass
        return "+44 20 7946 0958"

    def iban(self) -> str:
        from guardwrap.pii._banking import IBAN_LENGTHS, iban_mod97

        for _ in range(5):
            v = self.fk.iban()
            if IBAN_LENGTHS.get(v[:2]) == len(v) and iban_mod97(v):
                break
        else:  # this locale's generator gave no valid IBAN: build one for a country near it
            cc = self.r.choice(["DE", "FR", "ES", "IT", "NL", "GB"])
            n = IBAN_LENGTHS[cc] - 4
            bank = "".join(self.r.choice(string.ascii_uppercase) for _ in range(4)) if cc in ("GB", "NL") else ""
            bban = bank + "".join(self.r.choice(string.digits) for _ in range(n - len(bank)))
            num = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
            v = f"{cc}{98 - num % 97:02d}{bban}"
        style = self.r.random()
        if style < 0.35:
            return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        if style < 0.45:
            return v.lower()
        return v

    def card(self) -> str:
        pre = self.r.choice(["4", "51", "55", "2221", "37", "6011"])
        n = 15 if pre == "37" else 16
        d = _luhn_complete(pre + "".join(self.r.choice(string.digits) for _ in range(n - len(pre) - 1)))
        if self.r.random() < 0.6:
            groups = [4, 6, 5] if n == 15 else [4, 4, 4, 4]
            out, i = [], 0
            for g in groups:
                out.append(d[i:i + g])
                i += g
            return self.r.choice(" -").join(out)
        return d

    def ssn(self) -> str:
        while True:
            a, g, s = self.r.randint(1, 899), self.r.randint(1, 99), self.r.randint(1, 9999)
            if a != 666:
                d = f"{a:03d}{g:02d}{s:04d}"
                return self.r.choice([f"{d[:3]}-{d[3:5]}-{d[5:]}", d, f"{d[:3]} {d[3:5]} {d[5:]}"])

    def aba(self) -> str:
        while True:
            d = f"{self.r.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 26, 31, 32, 61, 63, 71]):02d}"
            d += "".join(self.r.choice(string.digits) for _ in range(6))
            v = [int(c) for c in d]
            for c in range(10):
                t = 3 * (v[0] + v[3] + v[6]) + 7 * (v[1] + v[4] + v[7]) + (v[2] + v[5] + c)
                if t % 10 == 0:
                    return d + str(c)

    def account(self) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(self.r.choice([8, 8, 10, 11, 12])))

    def dob(self) -> str:
        # ages 18 to 90 on a fixed day, not today's: the corpus must be the same text every day
        d = self.fk.date_between_dates(_OLDEST, _YOUNGEST)
        return self.r.choice([
            d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%Y-%m-%d"), d.strftime("%d/%m/%Y"),
            d.strftime("%b %d, %Y").replace(" 0", " "), d.strftime("%d-%b-%Y"), d.strftime("%d %B %Y"),
            f"{d.month}/{d.day}/{d.strftime('%y')}",
        ])

    def passport(self) -> str:
        r = self.r
        up, dg = string.ascii_uppercase, string.digits
        kind = r.choice(["US", "IN", "DE", "FR", "ES", "AU", "GB", "IT"])
        if kind in ("US", "GB"):
            return "".join(r.choice(dg) for _ in range(9))
        if kind == "IN":
            return r.choice(up) + "".join(r.choice(dg) for _ in range(7))
        if kind == "DE":
            return "".join(r.choice("CFGHJKLMNPRTVWXYZ" + dg) for _ in range(9))
        if kind == "FR":
            return "".join(r.choice(dg) for _ in range(2)) + r.choice(up) + r.choice(up) + "".join(
                r.choice(dg) for _ in range(5))
        if kind == "ES":
            return "".join(r.choice(up) for _ in range(3)) + "".join(r.choice(dg) for _ in range(6))
        if kind == "AU":
            return r.choice(up) + r.choice(["", r.choice(up)]) + "".join(r.choice(dg) for _ in range(7))
        return r.choice(up) + r.choice(up) + "".join(r.choice(dg) for _ in range(7))

    def licence(self) -> str:
        r = self.r
        if r.random() < 0.4:  # DVLA
            sur = self.fk.last_name().upper().replace(" ", "").replace("-", "")
            sur = "".join(c for c in sur if "A" <= c <= "Z")[:5].ljust(5, "9")
            y = r.randint(40, 99)
            m = r.randint(1, 12) + (50 if r.random() < 0.5 else 0)
            return (f"{sur}{y // 10}{m:02d}{r.randint(1, 28):02d}{y % 10}"
                    f"{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase + '9')}9"
                    f"{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}")
        up, dg = string.ascii_uppercase, string.digits
        return r.choice([
            r.choice(up) + "".join(r.choice(dg) for _ in range(7)),  # CA
            "".join(r.choice(dg) for _ in range(8)),  # TX
            f"{r.choice(up)}{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(0, 9)}",
            f"{r.choice(up)}{r.randint(100, 999)}-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",  # IL
            f"{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(100, 999)}",  # NY
        ])

    def nino(self) -> str:
        r = self.r
        while True:
            p = r.choice("ABCEGHJKLMNOPRSTWXYZ") + r.choice("ABCEGHJKLMNPRSTWXYZ")
            if p not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
                break
        d = "".join(r.choice(string.digits) for _ in range(6))
        v = r.choice([f"{p}{d}{r.choice('ABCD')}", f"{p} {d[:2]} {d[2:4]} {d[4:]} {r.choice('ABCD')}"])
        return v.lower() if r.random() < 0.3 else v

    def eth(self) -> str:
        from guardwrap.pii._crypto import keccak256

        body = "".join(self.r.choice("0123456789abcdef") for _ in range(40))
        if self.r.random() < 0.5:
            h = keccak256(body.encode()).hex()
            body = "".join(c.upper() if int(h[i], 16) >= 8 else c for i, c in enumerate(body))
        return "0x" + body

    def btc(self) -> str:
        b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        payload = bytes([0]) + bytes(self.r.randrange(256) for _ in range(20))
        raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        n = int.from_bytes(raw, "big")
        out = ""
        while n:
            n, rem = divmod(n, 58)
            out = b58[rem] + out
        return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out

    # hard negatives
    def amount(self) -> str:
        r = self.r
        v = r.randint(1, 250000) + r.randint(0, 99) / 100
        return r.choice([f"${v:,.2f}", f"{v:,.2f} EUR", f"£{v:,.2f}", f"{v:.2f} USD", f"EUR {v:,.2f}".replace(",", " ")])

    def isbn(self) -> str:
        return self.fk.isbn13()

    def timestamp(self) -> str:
        return f"2026-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d} {self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:{self.r.randint(0, 59):02d}"

    def invoice(self) -> str:
        r = self.r
        return r.choice([f"INV-{r.randint(2019, 2026)}-{r.randint(10000, 99999)}",
                         f"/INV/{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"])

    def order(self) -> str:
        return f"ORD-{self.r.randint(2019, 2026)}-{self.r.randint(100000, 999999)}"

    def rrn(self) -> str:
        return "".join(self.r.choice(string.digits) for _ in range(12))

    def merchant(self) -> str:
        return self.fk.company()

    def tracking(self) -> str:
        return "1Z" + "".join(self.r.choice(string.ascii_uppercase + string.digits) for _ in range(16))


# -- documents ---------------------------------------------------------------------------------


def chat(v: Values) -> Doc:
    r = v.r
    d = Doc("chat")
    d.t(r.choice(["Hi, ", "Hello, ", "hey there, ", "Good morning. "]))
    d.t("my name is ").v(v.name(), "PERSON").t(". ")
    d.t(r.choice(["My card ", "The card ", "card "])).v(v.card(), "CARD").t(" was charged twice for ").n(v.amount(), "amount")
    d.t(" at ").n(v.merchant(), "merchant").t(" on ").n(v.timestamp()[:10], "txn date").t(". ")
    d.t(r.choice(["You can call me on ", "My number is ", "ring me at "])).v(v.phone(), "PHONE").t(" or mail ")
    d.t("").v(v.fk.email(), "EMAIL").t(". ")
    d.t(r.choice(["Please refund to ", "Send it back to IBAN ", "my account is "])).v(v.iban(), "IBAN").t(". ")
    if r.random() < 0.5:
        d.t("My DOB is ").v(v.dob(), "DOB").t(" if you need it. ")
    d.t("Ref ").n(v.order(), "order ref").t(", thanks!")
    return d


def email(v: Values) -> Doc:
    r = v.r
    d = Doc("email")
    name = v.name()
    d.t(r.choice(["Dear ", "Hello ", "Hi "])).t(r.choice(["Customer Services", "team", "support"])).t(",\n\n")
    d.t("I moved last month. My new address is ").v(v.street(), "ADDRESS").t(", ").t(v.city_line()).t(".\n")
    d.t("Please update it on account ").v(v.account(), "ACCOUNT").t(" (sort code 20-00-00) and on my NI number ")
    d.v(v.nino(), "NINO").t(".\n")
    d.t("The invoice ").n(v.invoice(), "invoice ref").t(" for ").n(v.amount(), "amount").t(" is still open; see ISBN ")
    d.n(v.isbn(), "isbn").t(" for the book I bought.\n\n")
    d.t(r.choice(["Kind regards,\n", "Best,\n", "Thanks,\n", "Sincerely,\n"])).v(name, "PERSON").t("\n")
    return d


def transcript(v: Values) -> Doc:
    r = v.r
    d = Doc("transcript")
    agent = v.fk.first_name()
    d.t(f"Agent: Thank you for calling, this is {agent}. Who am I speaking with?\n")
    d.gold.append((len("Agent: Thank you for calling, this is "), len(f"Agent: Thank you for calling, this is {agent}"),
                   "PERSON"))
    d.t("Caller: It's ").v(v.name(), "PERSON").t(".\n")
    d.t("Agent: And the account number?\n")
    d.t("Caller: ").v(v.account(), "ACCOUNT").t("\n")
    d.t("Agent: Can you confirm your date of birth?\n")
    d.t("Caller: ").v(v.dob(), "DOB").t("\n")
    d.t("Agent: And the routing number on your cheques?\n")
    d.t("Caller: ").v(v.aba(), "ABA").t("\n")
    d.t("Agent: Last four of your social?\nCaller: Actually here's the full one, ").v(v.ssn(), "SSN").t(".\n")
    d.t("Agent: Thanks. The case number is ").n(str(r.randint(10**7, 10**8)), "case ref").t(".\n")
    return d


def loan_form(v: Values) -> Doc:
    d = Doc("loan form")
    d.t("LOAN APPLICATION\nApplicant name: ").v(v.name(), "PERSON").t("\n")
    d.t("Date of birth: ").v(v.dob(), "DOB").t("\n")
    d.t("SSN: ").v(v.ssn(), "SSN").t("\n")
    d.t("Home address: ").v(v.street(), "ADDRESS").t("\n").t(v.city_line()).t("\n")
    d.t("Phone: ").v(v.phone(), "PHONE").t("\n")
    d.t("Driver's licence no: ").v(v.licence(), "LICENCE").t("\n")
    d.t("Requested amount: ").n(v.amount(), "amount").t("\n")
    d.t("Employer: ").n(v.merchant(), "merchant").t("\n")
    d.t("Submitted: ").n(v.timestamp(), "timestamp").t("\n")
    return d


def kyc_note(v: Values) -> Doc:
    r = v.r
    d = Doc("kyc note")
    d.t("KYC review ").n(v.timestamp()[:10], "review date").t(": customer ").v(v.name(), "PERSON")
    d.t(" presented passport ").v(v.passport(), "PASSPORT").t(" and a utility bill for ")
    d.v(v.street(), "ADDRESS").t(", ").t(v.city_line()).t(". ")
    d.t("Source of funds: salary from ").n(v.merchant(), "merchant").t(". ")
    d.t("Wallet on file ").v(v.eth() if r.random() < 0.5 else v.btc(), "CRYPTO").t(". ")
    d.t("Onboarding IP ").v(v.fk.ipv4_public() if r.random() < 0.6 else v.fk.ipv6(), "IP").t(".")
    return d


def csv_extract(v: Values) -> Doc:
    d = Doc("csv")
    d.t("applicant,ssn,dob,routing_number,account,amount,merchant\n")
    for _ in range(3):
        v.pick()
        d.v(v.name(), "PERSON").t(",").v(v.ssn(), "SSN").t(",").v(v.dob().replace(",", ""), "DOB").t(",")
        d.v(v.aba(), "ABA").t(",").v(v.account(), "ACCOUNT").t(",").n(v.amount().replace(",", ""), "amount").t(",")
        d.n(v.merchant().replace(",", ""), "merchant").t("\n")
    return d


def json_tool(v: Values) -> Doc:
    d = Doc("json")
    parts = [('"customer_name": "', v.name(), "PERSON"), ('"email": "', v.fk.email(), "EMAIL"),
             ('"phone": "', v.phone(), "PHONE"), ('"iban": "', v.iban(), "IBAN"),
             ('"address": "', v.street(), "ADDRESS"), ('"dob": "', v.dob(), "DOB")]
    d.t('{"tool": "crm_lookup", "result": {')
    for i, (k, val, cls) in enumerate(parts):
        d.t(("" if i == 0 else ", ") + k).v(val, cls).t('"')
    d.t(', "order_id": "').n(v.order(), "order ref").t('", "rrn": "').n(v.rrn(), "rrn").t('", "balance": "')
    d.n(v.amount(), "amount").t('"}}')
    return d


def mt103(v: Values) -> Doc:
    d = Doc("mt103")
    d.t(":20:").n("REF" + str(v.r.randint(10**8, 10**9)), "swift ref").t("\n:23B:CRED\n:32A:")
    d.n(f"2606{v.r.randint(10, 28)}EUR{v.r.randint(100, 99999)},00", "swift amount").t("\n:50K:/")
    d.v(v.iban().replace(" ", "").upper(), "IBAN").t("\n").v(v.name().upper(), "PERSON").t("\n")
    d.v(v.street().upper(), "ADDRESS").t("\n").t(v.city_line().upper()).t("\n:59:/")
    v.pick()
    d.v(v.iban().replace(" ", "").upper(), "IBAN").t("\n").v(v.name().upper(), "PERSON").t("\n")
    d.t(":70:").n(v.invoice(), "invoice ref").t("\n:71A:SHA")
    return d


def mt940(v: Values) -> Doc:
    d = Doc("mt940")
    d.t(":20:STMT\n:25:").v(v.iban().replace(" ", "").upper(), "IBAN").t("\n:28C:00001/001\n")
    for _ in range(2):
        d.t(":61:2606").t(f"{v.r.randint(10, 28)}").t("D").n(f"{v.r.randint(10, 9999)},{v.r.randint(10, 99)}", "amount")
        d.t("NTRFNONREF\n:86:").n(v.merchant().upper(), "merchant").t(" ").n(v.order(), "order ref").t("\n")
    return d


def log(v: Values) -> Doc:
    r = v.r
    d = Doc("log")
    d.n(v.timestamp(), "timestamp").t(" INFO payment.auth account=").v(v.account(), "ACCOUNT").t(" rrn=")
    d.n(v.rrn(), "rrn").t(" amount=").n(v.amount().replace(" ", ""), "amount").t(" status=APPROVED\n")
    d.n(v.timestamp(), "timestamp").t(" WARN login.failed user=").v(v.fk.email(), "EMAIL").t(" ip=")
    d.v(v.fk.ipv4_public(), "IP").t(" ua=app/").n(f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}", "version")
    d.t("\n").n(v.timestamp(), "timestamp").t(" INFO shipment tracking=").n(v.tracking(), "tracking").t("\n")
    return d


KINDS: list[Callable[[Values], Doc]] = [chat, email, transcript, loan_form, kyc_note, csv_extract, json_tool, mt103,
                                        mt940, log]


# -- held-out shapes: written after the detector was tuned on the kinds above, and run once -----


def ticket(v: Values) -> Doc:
    r = v.r
    d = Doc("ticket")
    d.t(f"Ticket #{r.randint(10000, 99999)} opened by ").v(v.name(), "PERSON").t(" (").v(v.fk.email(), "EMAIL")
    d.t("). Customer says her debit card ").v(v.card(), "CARD").t(" was cloned at ").n(v.merchant(), "merchant")
    d.t(" and wants a new one sent to ").v(v.street(), "ADDRESS").t(", ").t(v.city_line()).t(". Priority P2, SLA ")
    d.n(f"{r.randint(4, 48)}h", "sla").t(".")
    return d


def wire_request(v: Values) -> Doc:
    d = Doc("wire request")
    d.t("Please wire ").n(v.amount(), "amount").t(" to ").v(v.name(), "PERSON").t(", IBAN ").v(v.iban(), "IBAN")
    d.t(". Their phone is ").v(v.phone(), "PHONE").t(". Reference: ").n(v.invoice(), "invoice ref").t(". Thanks, ")
    d.v(v.fk.first_name(), "PERSON")
    return d


def letter(v: Values) -> Doc:
    d = Doc("letter")
    d.t("From: ").v(v.name(), "PERSON").t("\nAddress: ").v(v.street(), "ADDRESS").t(", ").t(v.city_line())
    d.t("\nTel: ").v(v.phone(), "PHONE").t("\n\nTo whom it may concern,\nI dispute the charge of ")
    d.n(v.amount(), "amount").t(" on ").n(v.timestamp()[:10], "txn date").t(". My date of birth is ")
    d.v(v.dob(), "DOB").t(" and my account no. is ").v(v.account(), "ACCOUNT").t(".\n")
    return d


def informal_chat(v: Values) -> Doc:
    d = Doc("informal chat")
    d.t("hey its ").v(v.fk.first_name(), "PERSON").t(" here, new addy is ").v(v.street(), "ADDRESS").t(" ")
    d.t(v.city_line()).t(" and my cell is ").v(v.phone(), "PHONE").t(". also pls send the ").n("ISBN " + v.isbn(), "isbn")
    d.t(" book to my kindle, order ").n(v.order(), "order ref").t(" lol")
    return d


def markdown_table(v: Values) -> Doc:
    d = Doc("markdown")
    d.t("| Name | DOB | Passport | Phone |\n|---|---|---|---|\n")
    for _ in range(2):
        v.pick()
        d.t("| ").v(v.name(), "PERSON").t(" | ").v(v.dob(), "DOB").t(" | ").v(v.passport(), "PASSPORT").t(" | ")
        d.v(v.phone(), "PHONE").t(" |\n")
    return d


def url_form(v: Values) -> Doc:
    from urllib.parse import quote

    d = Doc("url form")
    d.t("POST /apply full_name=").v(quote(v.name()), "PERSON").t("&ssn=").v(v.ssn().replace(" ", ""), "SSN")
    d.t("&email=").v(quote(v.fk.email()), "EMAIL").t("&amount=").n(str(v.r.randint(1000, 90000)), "amount")
    return d


def voice_note(v: Values) -> Doc:
    d = Doc("voice note")
    d.t("customer: yeah my name's ").v(v.name(), "PERSON").t(" and my date of birth is ").v(v.dob(), "DOB")
    d.t("\nagent: thanks, and your social security number?\ncustomer: it's ").v(v.ssn(), "SSN").t("\n")
    d.t("agent: ok, I see a payment of ").n(v.amount(), "amount").t(" to ").n(v.merchant(), "merchant").t("\n")
    return d


def notes(v: Values) -> Doc:
    last = v.fk.last_name()
    d = Doc("notes")
    d.t("Spoke to Mr ").v(last, "PERSON").t(" re overdraft on ").n(v.timestamp()[:10], "date").t("; he lives at ")
    d.v(v.street(), "ADDRESS").t(" and can be reached on ").v(v.phone(), "PHONE").t(". Card blocked: ")
    d.v(v.card(), "CARD").t(". Next review ").n(v.timestamp()[:10], "date").t(".")
    return d


HELDOUT: list[Callable[[Values], Doc]] = [ticket, wire_request, letter, informal_chat, markdown_table, url_form,
                                          voice_note, notes]


def build(n: int, seed: int, kinds: list[Callable[[Values], Doc]] | None = None) -> list[Doc]:
    v = Values(seed)
    kinds = kinds or KINDS
    docs = []
    for i in range(n):
        v.pick()
        docs.append(kinds[i % len(kinds)](v))
    return docs


# -- scoring -----------------------------------------------------------------------------------

Pred = tuple[int, int, str]


def evaluate(docs: list[Doc], predict: Callable[[str], list[Pred]]) -> dict[str, Any]:
    tp: dict[str, int] = defaultdict(int)
    npred: dict[str, int] = defaultdict(int)
    hit: dict[str, int] = defaultdict(int)
    ngold: dict[str, int] = defaultdict(int)
    left: dict[str, int] = defaultdict(int)
    neg_flagged = neg_total = 0
    times = []
    for d in docs:
        t0 = time.perf_counter_ns()
        preds = predict(d.text)
        times.append((time.perf_counter_ns() - t0) / 1000)
        covered = bytearray(len(d.text))
        for s, e, _ in preds:
            covered[s:e] = b"\x01" * (e - s)
        for s, e, t in preds:
            c = CLASS.get(t, "OTHER")
            npred[c] += 1
            if any(c == gc and s < ge and gs < e for gs, ge, gc in d.gold):
                tp[c] += 1
        for gs, ge, gc in d.gold:
            ngold[gc] += 1
            if any(CLASS.get(t) == gc and s < ge and gs < e for s, e, t in preds):
                hit[gc] += 1
            idx = [i for i in range(gs, ge) if d.text[i].isalnum()]
            if sum(covered[i] for i in idx) < 0.9 * len(idx):
                left[gc] += 1
        for ns, ne, _ in d.negatives:
            neg_total += 1
            if any(s < ne and ns < e for s, e, _ in preds):
                neg_flagged += 1
    out: dict[str, Any] = {"per": {}, "neg": neg_flagged / max(1, neg_total), "neg_total": neg_total,
                           "median_us": statistics.median(times),
                           "chars": statistics.median(len(d.text) for d in docs)}
    for c in CLASSES:
        p = tp[c] / npred[c] if npred[c] else 1.0
        rc = hit[c] / ngold[c] if ngold[c] else 1.0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        out["per"][c] = {"p": p, "r": rc, "f1": f1, "left": left[c] / ngold[c] if ngold[c] else 0.0,
                         "gold": ngold[c], "pred": npred[c]}
    g = sum(ngold[c] for c in PATTERN_CLASSES)
    pt = sum(tp[c] for c in PATTERN_CLASSES)
    pp = sum(npred[c] for c in PATTERN_CLASSES) + npred["OTHER"]
    ph = sum(hit[c] for c in PATTERN_CLASSES)
    p, rc = pt / max(1, pp), ph / max(1, g)
    out["pattern"] = {"p": p, "r": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                      "left": sum(left[c] for c in PATTERN_CLASSES) / max(1, g)}
    return out


def guardwrap_predict() -> Callable[[str], list[Pred]]:
    import guardwrap as gw

    pii = gw.PII()
    return lambda text: [(f.start, f.end, f.entity_type or "") for f in pii.detect(text)]


def presidio_predict() -> Callable[[str], list[Pred]]:
    from presidio_analyzer.predefined_recognizers import (
        AbaRoutingRecognizer,
        UkNinoRecognizer,
    )

    from guardwrap.pii._presidio import no_model_analyzer

    analyzer = no_model_analyzer()
    for rec in (AbaRoutingRecognizer, UkNinoRecognizer):
        analyzer.registry.add_recognizer(rec(supported_language="en"))
    return lambda text: [(r.start, r.end, r.entity_type) for r in
                         analyzer.analyze(text=text, language="en", score_threshold=0.5)]


def table(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    lines = ["| class | gold | " + " | ".join(f"{n} P / R / F1 | {n} left" for n in names) + " |",
             "|---|---|" + "---|---|" * len(names)]
    first = results[names[0]]
    for c in CLASSES:
        row = [c, str(first["per"][c]["gold"])]
        for n in names:
            m = results[n]["per"][c]
            if n != names[0] and c not in PRESIDIO_HAS:
                row += ["(no recognizer)", f"{m['left']:.2f}"]
            else:
                row += [f"{m['p']:.2f} / {m['r']:.2f} / {m['f1']:.2f}", f"{m['left']:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    row = ["pattern classes, micro", ""]
    for n in names:
        m = results[n]["pattern"]
        row += [f"{m['p']:.2f} / {m['r']:.2f} / {m['f1']:.2f}", f"{m['left']:.2f}"]
    lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for n in names:
        lines.append(f"- {n}: hard negatives flagged {results[n]['neg']:.3f} (of {results[n]['neg_total']}), "
                     f"median {results[n]['median_us']:.0f} us per text (median {results[n]['chars']:.0f} chars)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    n = int(argv[argv.index("--docs") + 1]) if "--docs" in argv else 600
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    docs = build(n, seed, HELDOUT if "--heldout" in argv else None)
    gw_predict = guardwrap_predict()
    gw_predict("warm up")
    results = {"guardwrap": evaluate(docs, gw_predict)}
    if "--no-presidio" not in argv:
        results["Presidio patterns @0.5"] = evaluate(docs, presidio_predict())
    print(f"# {n} documents, seed {seed}: {', '.join(sorted({d.kind for d in docs}))}\n")
    print(table(results))
    if "--json" in argv:
        print(json.dumps(results, indent=1))
    if "--misses" in argv:
        import guardwrap as gw

        pii = gw.PII()
        shown = 0
        for d in docs:
            preds = [(f.start, f.end, f.entity_type or "") for f in pii.detect(d.text)]
            for gs, ge, gc in d.gold:
                if not any(CLASS.get(t) == gc and s < ge and gs < e for s, e, t in preds) and shown < 60:
                    shown += 1
                    print("MISS", gc, repr(d.text[max(0, gs - 40):ge + 15]))
            for s, e, t in preds:
                if not any(CLASS.get(t) == gc and s < ge and gs < e for gs, ge, gc in d.gold) and shown < 120:
                    shown += 1
                    print("FP", t, repr(d.text[max(0, s - 40):e + 15]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
