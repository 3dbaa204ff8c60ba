"""National identifiers: US SSN/ITIN, UK NHS/NINO, AU TFN, SG NRIC/FIN, IN PAN, passports and
driving licences. Checksums and numbering rules where the issuer has them; shapes that have none
(passports, licences, bare 9-digit numbers) score low and need a context word."""

from __future__ import annotations

import re

import regex

from ._shapes import shapes

ENTITIES = ("US_SSN", "US_ITIN", "US_PASSPORT", "US_DRIVER_LICENSE", "UK_NHS", "UK_NINO", "IN_PAN",
            "SG_NRIC_FIN", "AU_TFN", "PASSPORT", "UK_DRIVER_LICENSE")
_PASSPORT_WORDS = ("passport", "passport no", "passport number", "pass no", "travel document", "reisepass",
                   "passeport", "pasaporte", "passaporto", "paszport", "paspoort")
_LICENCE_WORDS = ("driver", "drivers", "driving", "licence", "license", "dl", "dln", "dl no", "dl#",
                  "fuhrerschein", "fuehrerschein", "permis de conduire", "permiso de conducir", "patente",
                  "rijbewijs", "prawo jazdy")
CONTEXT = {
    "US_SSN": ("ssn", "social security", "social sec", "social", "soc sec", "soc. sec", "s.s.n", "ss#", "ss no",
               "ssn#", "social insurance", "tin", "taxpayer id"),
    "US_ITIN": ("itin", "taxpayer", "tax id", "tin"),
    "US_PASSPORT": _PASSPORT_WORDS,
    "PASSPORT": _PASSPORT_WORDS,
    "US_DRIVER_LICENSE": _LICENCE_WORDS,
    "UK_DRIVER_LICENSE": (*_LICENCE_WORDS, "dvla"),
    "UK_NHS": ("nhs", "health service", "health number", "nhs no"),
    "UK_NINO": ("national insurance", "nino", "ni number", "ni no", "nat ins", "n.i."),
    "AU_TFN": ("tfn", "tax file"),
    "SG_NRIC_FIN": ("nric", "fin"),
    "IN_PAN": ("pan", "permanent account", "income tax"),
}

SSN_SHAPES = shapes((3, 2, 4), seps=" -./_")
TFN_SHAPES = shapes((3, 3, 3))
NHS_SHAPES = shapes((3, 3, 4))

_A = re.ASCII  # the id patterns run on `re` (lower cost per call); PASSPORT_HINT stays on regex
NINO = re.compile(
    r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])", _A
)
PAN = re.compile(r"[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z](?![A-Za-z0-9])", _A)
NRIC = re.compile(r"[STFGM][0-9]{7}[A-Z](?![A-Za-z0-9])", _A)
PASSPORT_NG = re.compile(r"[A-Z][0-9]{8}(?![A-Za-z0-9])", _A)
DL = re.compile(r"[A-Z]{1,2}[0-9]{4,14}(?![A-Za-z0-9])", _A)
# US state formats written with separators: FL A123-456-78-901-0, IL A123-4567-8901,
# WI A123-4567-8901-23, MD A-123-456-789-012, NJ A1234 56789 01234, MI A 123 456 789 012
DL_GROUPED = re.compile(r"[A-Z]{1,2}[ \-]?[0-9]{3,5}(?:[ \-][0-9]{1,5}){2,4}(?![A-Za-z0-9])", _A)
#: digits-only licence groupings (NY 123 456 789, PA 12 345 678, CO 12-345-6789)
DL_SHAPES = shapes((3, 3, 3), (2, 3, 3), (2, 3, 4), seps=" -")
# UK (DVLA) driving licence: 5 characters of the surname (9-padded), decade of birth, month of birth
# (+50 for women), day, year digit, two initials (9-padded), an arbitrary digit, two check letters.
UK_DL = re.compile(
    r"[A-Z][A-Z9]{4}[0-9](?:[05][1-9]|[16][0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9][A-Z9]{2}[0-9][A-Z]{2}"
    r"(?:[ ]?[0-9]{2})?(?![A-Za-z0-9])", _A
)
# Passport numbers of many countries, for use after a passport word only: 6-10 letters and digits
# with at least two digits (IN T6113099, DE FZ2X3L7JZ, FR 12AB34567, ES PAA123456, AU PA1234567).
PASSPORT_ANY = re.compile(r"(?<![A-Za-z0-9])(?=(?:[A-Z]*[0-9]){2})[A-Z0-9]{6,10}(?![A-Za-z0-9])", _A)
PASSPORT_HINT = regex.compile(
    r"(?i)pas(?:sport|seport|saporto|aporte|zport|poort)|reisepass|travel doc(?:ument)?"
)

# Numbers published as examples (advertising, documentation) that are never real SSNs.
_SSN_SAMPLES = frozenset({"078051120", "219099999", "457555462", "123456789"})


def us_ssn(d: str) -> bool:
    """SSA rules: no area 000/666/9xx, no group 00, no serial 0000, no published samples."""
    if len(d) != 9 or d in _SSN_SAMPLES or d == d[0] * 9:
        return False
    area = d[:3]
    return area != "000" and area != "666" and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


def us_itin(d: str) -> bool:
    """IRS ITIN: starts with 9, middle digits in the ranges the IRS issues."""
    if len(d) != 9 or d[0] != "9":
        return False
    g = int(d[3:5])
    return 50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99


def uk_nhs(d: str) -> bool:
    """NHS number: mod 11 with weights 10..2; a check value of 10 is never issued."""
    if len(d) != 10 or d == d[0] * 10:
        return False
    total = sum((10 - i) * (ord(d[i]) - 48) for i in range(9))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == ord(d[9]) - 48


_TFN_WEIGHTS = (1, 4, 3, 7, 5, 8, 6, 9, 10)


def au_tfn(d: str) -> bool:
    """Australian Tax File Number (9 digits): weighted sum divisible by 11."""
    if len(d) != 9 or d == d[0] * 9:
        return False
    return sum(w * (ord(c) - 48) for w, c in zip(_TFN_WEIGHTS, d, strict=False)) % 11 == 0


_NRIC_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)
_NRIC_ST = "JZIHGFEDCBA"
_NRIC_FG = "XWUTRQPNMLK"


def sg_nric(value: str) -> bool | None:
    """Singapore NRIC/FIN check letter. ``None`` when the series has no check we know (M)."""
    prefix, body, check = value[0], value[1:8], value[8]
    if prefix == "M":
        return None
    total = sum(w * (ord(c) - 48) for w, c in zip(_NRIC_WEIGHTS, body, strict=False))
    if prefix in "TG":
        total += 4
    table = _NRIC_ST if prefix in "ST" else _NRIC_FG
    return table[total % 11] == check


_NINO_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino_prefix(prefix: str) -> bool:
    return prefix not in _NINO_BAD_PREFIX
