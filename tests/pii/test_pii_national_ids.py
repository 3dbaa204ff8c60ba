"""National and tax ids of issue 12 (`guardwrap.pii._idnums`): AU ABN/ACN/Medicare, IN Aadhaar and
voter id, ES DNI/NIE, IT codice fiscale, PL PESEL, NL BSN, FI HETU, US EIN, VAT numbers.

Every value here is our own, made by the generators of `_idgen` (check digits computed there from
the issuers' rules, apart from the engine's code). Each id is found after its label (in English and
in the local language), the strong ones by their checksum alone, none with a wrong check digit, and
a checksum-valid id is never read as a phone number."""

from __future__ import annotations

import random

import pytest
from _idgen import (
    aadhaar,
    abn,
    acn,
    bsn,
    dni,
    ein,
    fiscal_code,
    hetu,
    medicare,
    nie,
    own_values,
    pesel,
    vat_gb,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap.pii import SUPPORTED_ENTITIES, _idnums

V = own_values()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def found(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.entity_type, text[f.start:f.end]) for f in gw.detect_pii(text, **kw)]


def g(value: str, *sizes: int, sep: str = " ") -> str:
    out, i = [], 0
    for k in sizes:
        out.append(value[i:i + k])
        i += k
    return sep.join(out)


ABN, ACN, MED, AAD = g(V["abn"], 2, 3, 3, 3), g(V["acn"], 3, 3, 3), g(V["medicare"], 4, 5, 1), g(V["aadhaar"], 4, 4, 4)

WITH_CONTEXT = [
    (f"ABN {ABN}", "AU_ABN", ABN),
    (f"Australian Business Number: {V['abn']}", "AU_ABN", V["abn"]),
    (f"ACN {ACN}", "AU_ACN", ACN),
    (f"company number {V['acn']}", "AU_ACN", V["acn"]),
    (f"Medicare {MED}", "AU_MEDICARE", MED),
    (f"my medicare card no is {V['medicare']}", "AU_MEDICARE", V["medicare"]),
    (f"Aadhaar {AAD}", "IN_AADHAAR", AAD),
    (f"aadhar no. {V['aadhaar']}", "IN_AADHAAR", V["aadhaar"]),
    (f"UID: {g(V['aadhaar'], 4, 4, 4, sep='-')}", "IN_AADHAAR", g(V["aadhaar"], 4, 4, 4, sep="-")),
    (f"voter id {V['voter']}", "IN_VOTER", V["voter"]),
    (f"EPIC no: {V['voter'].lower()}", "IN_VOTER", V["voter"].lower()),
    (f"DNI {V['dni']}", "ES_NIF", V["dni"]),
    (f"documento nacional de identidad {V['dni'][:8]}-{V['dni'][8]}", "ES_NIF", f"{V['dni'][:8]}-{V['dni'][8]}"),
    (f"NIE {V['nie']}", "ES_NIE", V["nie"]),
    (f"codice fiscale {V['cf']}", "IT_FISCAL_CODE", V["cf"]),
    (f"cod. fiscale: {V['cf'].lower()}", "IT_FISCAL_CODE", V["cf"].lower()),
    (f"PESEL {V['pesel']}", "PL_PESEL", V["pesel"]),
    (f"nr PESEL: {V['pesel']}", "PL_PESEL", V["pesel"]),
    (f"BSN {V['bsn']}", "NL_BSN", V["bsn"]),
    (f"burgerservicenummer {g(V['bsn'], 4, 2, 3, sep='.')}", "NL_BSN", g(V["bsn"], 4, 2, 3, sep=".")),
    (f"HETU {V['hetu']}", "FI_PERSONAL_IDENTITY_CODE", V["hetu"]),
    (f"henkilötunnus {hetu(random.Random(3), 'A')}", "FI_PERSONAL_IDENTITY_CODE", hetu(random.Random(3), "A")),
    (f"EIN {V['ein']}", "US_EIN", V["ein"]),
    (f"tax id {V['ein']}", "US_EIN", V["ein"]),
    (f"Employer Identification Number {V['ein'].replace('-', '')}", "US_EIN", V["ein"].replace("-", "")),
    (f"VAT {V['vat']}", "VAT_ID", V["vat"]),
    ("partita IVA IT00000010215", "VAT_ID", "IT00000010215"),
    ("BTW-nummer NL000000024B01", "VAT_ID", "NL000000024B01"),
]


@pytest.mark.parametrize(("text", "entity", "value"), WITH_CONTEXT)
def test_found_after_its_label(text, entity, value):
    assert (entity, value) in found(text)


BY_CHECKSUM = [
    (f"see {ABN} attached", "AU_ABN", ABN),
    (f"card {MED} exp", "AU_MEDICARE", MED),
    (f"id {AAD} thanks", "IN_AADHAAR", AAD),
    (f"mi número {V['dni']}", "ES_NIF", V["dni"]),
    (f"id {V['nie']}", "ES_NIE", V["nie"]),
    (f"{V['cf']}", "IT_FISCAL_CODE", V["cf"]),
    (f"id {V['hetu']}.", "FI_PERSONAL_IDENTITY_CODE", V["hetu"]),
    (f"reg {V['vat']}", "VAT_ID", V["vat"]),
]


@pytest.mark.parametrize(("text", "entity", "value"), BY_CHECKSUM)
def test_strong_shapes_found_by_their_checksum_alone(text, entity, value):
    assert (entity, value) in found(text)


def bump(value: str, i: int) -> str:
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1:]


WRONG_CHECK = [
    f"ABN {g(bump(V['abn'], 10), 2, 3, 3, 3)}",
    f"ACN {g(bump(V['acn'], 8), 3, 3, 3)}",
    f"Medicare {g(bump(V['medicare'], 8), 4, 5, 1)}",
    f"Aadhaar {g(bump(V['aadhaar'], 11), 4, 4, 4)}",
    f"DNI {V['dni'][:8]}{'A' if V['dni'][8] != 'A' else 'B'}",
    f"NIE {V['nie'][:8]}{'A' if V['nie'][8] != 'A' else 'B'}",
    f"codice fiscale {V['cf'][:15]}{'A' if V['cf'][15] != 'A' else 'B'}",
    f"PESEL {bump(V['pesel'], 10)}",
    f"BSN {bump(V['bsn'], 8)}",
    f"HETU {bump(V['hetu'], 9)}",
    f"VAT {bump(V['vat'], 10)}",
    "EIN 07-1234567",  # 07 is no IRS prefix
]


@pytest.mark.parametrize("text", WRONG_CHECK)
def test_a_wrong_check_digit_is_rejected_and_not_read_as_a_phone(text):
    assert found(text) == []


NO_CHECKSUM_NO_CONTEXT = [
    f"ref {V['voter']} ok",  # no check digit: needs a label
    f"order {V['ein']} shipped",
    f"ticket {V['bsn']}",
    f"ticket {V['pesel']}",
    f"ticket {V['acn']}",
    "ok 260627D4514,76 NTRF",  # a SWIFT statement line: date, debit mark, amount
]


@pytest.mark.parametrize("text", NO_CHECKSUM_NO_CONTEXT)
def test_weak_ids_need_a_label(text):
    got = {e for e, _ in found(text)}
    assert not got & set(_idnums.ENTITIES), got


@pytest.mark.parametrize(("text", "entity", "value"), WITH_CONTEXT + BY_CHECKSUM)
def test_a_checksum_valid_id_is_never_a_phone(text, entity, value):
    got = found(text)
    assert not [v for e, v in got if e == "PHONE_NUMBER"], got


def test_entities_are_supported_selectable_and_on_by_default():
    for e in _idnums.ENTITIES:
        assert e in SUPPORTED_ENTITIES
        assert e in gw.PII().entities
    text = f"ABN {ABN}, DNI {V['dni']}"
    assert found(text, entities=["ES_NIF"]) == [("ES_NIF", V["dni"])]


def test_redacted_in_a_customer_message():
    text = (f"Hola, soy cliente nuevo. Mi NIE es {V['nie']} y el DNI de mi mujer {V['dni']}. "
            f"Codice fiscale {V['cf']}, PESEL {V['pesel']}, BSN {V['bsn']}.")
    out = gw.Guard(input=[gw.PII(action="redact")]).check(text).text
    for k in ("nie", "dni", "cf", "pesel", "bsn"):
        assert V[k] not in out


def test_omocodia_letters_are_read_as_digits():
    r = random.Random(5)
    for k in range(1, 6):
        cf = fiscal_code(r, k)
        assert ("IT_FISCAL_CODE", cf) in found(f"codice fiscale {cf}")


# -- properties: generated valid ids are found, one-digit corruptions are not -------------------

GENERATORS = {
    "AU_ABN": (abn, (2, 3, 3, 3), "ABN"),
    "AU_ACN": (acn, (3, 3, 3), "ACN"),
    "AU_MEDICARE": (medicare, (4, 5, 1), "Medicare no."),
    "IN_AADHAAR": (aadhaar, (4, 4, 4), "Aadhaar"),
    "ES_NIF": (dni, (), "DNI"),
    "ES_NIE": (nie, (), "NIE"),
    "IT_FISCAL_CODE": (fiscal_code, (), "codice fiscale"),
    "PL_PESEL": (pesel, (), "PESEL"),
    "NL_BSN": (bsn, (), "BSN"),
    "FI_PERSONAL_IDENTITY_CODE": (hetu, (), "HETU"),
    "US_EIN": (ein, (), "EIN"),
    "VAT_ID": (vat_gb, (), "VAT no"),
}
WORDS = ["hello", "the", "and", "please", "my", "thanks", "today", "is", "for", "Dear", "team", "payment"]
prose = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
seeds = st.integers(0, 2**32 - 1)


def make(entity: str, seed: int, grouped: bool) -> str:
    gen, sizes, _ = GENERATORS[entity]
    value = gen(random.Random(seed))
    return g(value, *sizes) if grouped and sizes else value


@SETTINGS
@given(st.sampled_from(sorted(GENERATORS)), seeds, st.booleans(), prose, prose, st.sampled_from([": ", " ", " is "]))
def test_valid_generated_ids_are_found_after_their_label(entity, seed, grouped, pre, post, joint):
    value = make(entity, seed, grouped)
    head = (pre + " " if pre else "") + GENERATORS[entity][2] + joint
    text = head + value + (". " + post if post else "")
    got = [(f.entity_type, f.start, f.end) for f in gw.detect_pii(text)]
    assert (entity, len(head), len(head) + len(value)) in got


def _issuer_accepts(entity: str, v: str) -> bool:
    """The issuer's rule, computed here (not by the engine), for a corrupted value."""
    d = v.replace(" ", "").replace("-", "")
    if entity == "AU_ACN":
        total = sum((8 - i) * int(c) for i, c in enumerate(d[:8]))
        return (10 - total % 10) % 10 == int(d[8])
    if entity == "VAT_ID":  # GB: mod 97, or the "9755" scheme (sum + 55); one digit may move between them
        total = sum((8 - i) * int(c) for i, c in enumerate(d[2:9])) + int(d[9:11])
        return total % 97 == 0 or (total + 55) % 97 == 0
    return False  # the other checks catch every one-digit change (weights prime to the modulus)


@SETTINGS
@given(st.sampled_from(sorted(set(GENERATORS) - {"US_EIN"})), seeds, st.booleans(), st.data())
def test_one_digit_corruptions_are_not_found(entity, seed, grouped, data):
    value = make(entity, seed, grouped)
    places = [i for i, c in enumerate(value) if c.isdigit()]
    if entity == "AU_MEDICARE":
        places = places[:9]  # the tenth digit is the card's issue number, which no check covers
    i = data.draw(st.sampled_from(places))
    new = data.draw(st.sampled_from([c for c in "0123456789" if c != value[i]]))
    bad = value[:i] + new + value[i + 1:]
    assume(not _issuer_accepts(entity, bad))
    text = f"{GENERATORS[entity][2]} {bad} thanks"
    got = [f.entity_type for f in gw.detect_pii(text)]
    assert entity not in got
    assert "PHONE_NUMBER" not in got


def test_presidio_engine_asks_presidio_for_its_country_recognizers():
    pytest.importorskip("presidio_analyzer")
    text = f"ABN {ABN} and Aadhaar {AAD}"
    pii = gw.PII(["AU_ABN", "IN_AADHAAR", "NL_BSN"], engine="presidio")
    got = {(f.entity_type, text[f.start:f.end]) for f in pii.detect(text)}
    assert ("AU_ABN", ABN) in got
    assert ("IN_AADHAAR", AAD) in got
