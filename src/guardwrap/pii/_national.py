"""National identifiers: US SSN/ITIN, UK NHS/NINO, AU TFN, SG NRIC/FIN, IN PAN, passports and
driving licences. Checksums and numbering rules where the issuer has them; shapes that have none
(passports, licences, bare 9-digit numbers) score low and need a context word."""

from __future__ import annotations

import regex

from ._shapes import shapes

ENTITIES = ("US_SSN", "US_ITIN", "US_PASSPORT", "US_DRIVER_LICENSE", "UK_NHS", "UK_NINO", "IN_PAN",
            "SG_NRIC_FIN", "AU_TFN")
CONTEXT = {
    "US_SSN": ("ssn", "social security", "social sec"),
    "US_ITIN": ("itin", "taxpayer", "tax id"),
    "US_PASSPORT": ("passport",),
    "US_DRIVER_LICENSE": ("driver", "drivers", "driving", "licence", "license", "dl"),
    "UK_NHS": ("nhs", "health service", "health number"),
    "UK_NINO": ("national insurance", "nino", "ni number"),
    "AU_TFN": ("tfn", "tax file"),
    "SG_NRIC_FIN": ("nric", "fin"),
    "IN_PAN": ("pan", "permanent account", "income tax"),
}

SSN_SHAPES = shapes((3, 2, 4), seps=" -.")
TFN_SHAPES = shapes((3, 3, 3))
NHS_SHAPES = shapes((3, 3, 4))

_A = regex.ASCII
NINO = regex.compile(
    r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])", _A
)
PAN = regex.compile(r"[A-Z]{3}[ABCFGHLJPT][A-Z][0-9]{4}[A-Z](?![A-Za-z0-9])", _A)
NRIC = regex.compile(r"[STFGM][0-9]{7}[A-Z](?![A-Za-z0-9])", _A)
PASSPORT_NG = regex.compile(r"[A-Z][0-9]{8}(?![A-Za-z0-9])", _A)
DL = regex.compile(r"[A-Z]{1,2}[0-9]{4,14}(?![A-Za-z0-9])", _A)

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
