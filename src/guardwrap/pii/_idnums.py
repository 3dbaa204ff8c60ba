"""National and tax identifiers of Australia, India, Spain, Italy, Poland, the Netherlands, Finland,
the US (EIN) and European VAT numbers.

Each id is checked by its issuer's published rule where one exists: ABN (weights, mod 89), ACN
(weights, mod 10 complement), Medicare (weights 1 3 7 9, mod 10), Aadhaar (Verhoeff), DNI/NIE
(number mod 23 to a letter), codice fiscale (odd/even tables, mod 26, with the omocodia letters),
PESEL (weights 1 3 7 9, mod 10, a date with the century in the month), BSN (the "11-proof"),
HETU (date + number mod 31 to a character), and VAT numbers of GB, FR, BE (mod 97), DE (ISO 7064
mod 11,10), IT (Luhn), NL, PL (weighted mod 11). An id that fails its check is not reported.

How strong a shape is decides whether context is needed. Base scores (before context words):
a checksum that one random number in 26 or more fails *and* a shape a phone or an amount seldom
has (``51 824 753 556``, ``2953 11403 1``, ``X1234567L``, a codice fiscale, a HETU) stands alone;
plain digit strings, weak checksums (one in ten) and ids with no checksum (EIN, voter id, most VAT
numbers) need a label word before them, in English or the local language.

The engine (`_engine`) asks `propose` for a run of digit groups, `glued` for digits with a check
letter after them, and `check_lp` for ids that start with letters (`LETTER_PREFIXED`).
"""

from __future__ import annotations

import re

from ._shapes import shapes

ENTITIES = ("AU_ABN", "AU_ACN", "AU_MEDICARE", "IN_AADHAAR", "IN_VOTER", "ES_NIF", "ES_NIE", "IT_FISCAL_CODE",
            "PL_PESEL", "NL_BSN", "FI_PERSONAL_IDENTITY_CODE", "US_EIN", "VAT_ID")

CONTEXT = {
    "AU_ABN": ("abn", "australian business number", "business number"),
    "AU_ACN": ("acn", "australian company number", "company number"),
    "AU_MEDICARE": ("medicare", "medicare card", "medicare no", "medicare number"),
    "IN_AADHAAR": ("aadhaar", "aadhar", "adhaar", "uidai", "uid", "aadhaar no", "aadhaar number"),
    "IN_VOTER": ("voter", "voter id", "voter card", "epic", "epic no", "electoral", "elector",
                 "elector photo identity card"),
    "ES_NIF": ("dni", "nif", "d.n.i", "n.i.f", "documento nacional de identidad", "documento de identidad",
               "numero de identificacion fiscal", "número de identificación fiscal", "spanish id", "identificación",
               "identificacion"),
    "ES_NIE": ("nie", "n.i.e", "numero de identidad de extranjero", "número de identidad de extranjero",
               "número de identificación de extranjero", "numero de identificacion de extranjero",
               "foreigner id", "tarjeta de residencia"),
    "IT_FISCAL_CODE": ("codice fiscale", "cod. fiscale", "cod fiscale", "c.f", "cf", "fiscal code",
                       "tax code", "tessera sanitaria"),
    "PL_PESEL": ("pesel", "nr pesel", "numer pesel"),
    "NL_BSN": ("bsn", "burgerservicenummer", "burger service nummer", "sofinummer", "sofi", "sofi-nummer",
               "citizen service number"),
    "FI_PERSONAL_IDENTITY_CODE": ("hetu", "henkilötunnus", "henkilotunnus", "henkilötunnukseni", "sotu",
                                  "personbeteckning", "personbeteckningen", "personal identity code",
                                  "finnish id"),
    "US_EIN": ("ein", "fein", "employer identification", "employer id", "employer identification number",
               "federal tax id", "federal tax", "tax id", "tax id no", "tax identification", "business tax id"),
    "VAT_ID": ("vat", "vat no", "vat number", "vat reg", "vat registration", "vat id", "ust-idnr", "ust-id",
               "ust id", "ustid", "umsatzsteuer", "umsatzsteuer-identifikationsnummer", "mwst", "tva",
               "n° tva", "numéro de tva", "iva", "partita iva", "p.iva", "p. iva", "nif-iva", "btw",
               "btw-nummer", "btw nummer", "nip", "nip ue", "moms", "momsnummer", "alv", "alv-numero",
               "cif", "vat-nr"),
}

_A = re.ASCII

#: shapes of digit groups the engine asks `propose` about (plain digits always)
ABN_SHAPES = shapes((2, 3, 3, 3), seps=" -")
ACN_SHAPES = shapes((3, 3, 3), seps=" -")
MEDICARE_SHAPES = shapes((4, 5, 1), seps=" -")
AADHAAR_SHAPES = shapes((4, 4, 4), seps=" -")
EIN_SHAPES = frozenset({"99-9999999"})
BSN_SHAPES = frozenset({"9999.99.999", "9999 99 999"})
HETU_SHAPE = "999999-9999"
#: lengths (in characters) of a digit run that a check letter after it may complete: DNI (7 or 8
#: digits), HETU ("131052" before a century letter, "131052-308" before a check letter)
GLUED_LENS = frozenset({6, 7, 8, 10})

# Ids that start with letters: (entity, letters before the first digit, pattern, any case). The
# patterns run on the upper-cased text when "any case" holds (the check rejects most noise).
_OMO = "[0-9LMNP-V]"  # a digit of a codice fiscale, or the letter that replaces it (omocodia)
FISCAL = re.compile(rf"[A-Z]{{6}}{_OMO}{{2}}[ABCDEHLMPRST]{_OMO}{{2}}[A-Z]{_OMO}{{3}}[A-Z](?![A-Za-z0-9])", _A)
NIE = re.compile(r"[XYZ][0-9]{7}-?[A-Z](?![A-Za-z0-9])", _A)
VOTER = re.compile(r"[A-Z]{3}[0-9]{7}(?![A-Za-z0-9])", _A)
VAT = re.compile(
    r"(?:DE[0-9]{9}|GB[0-9]{9}(?:[0-9]{3})?|FR[0-9]{11}|IT[0-9]{11}|NL[0-9]{9}B[0-9]{2}|BE[01][0-9]{9}"
    r"|PL[0-9]{10}|PT[0-9]{9}|DK[0-9]{8}|FI[0-9]{8}|SE[0-9]{10}01|LU[0-9]{8}|IE[0-9]{7}[A-W][A-I]?"
    r"|ES[A-Z0-9][0-9]{7}[A-Z0-9]|ATU[0-9]{8})(?![A-Za-z0-9])",
    _A,
)
LETTER_PREFIXED = (
    ("ES_NIE", 1, NIE, False),
    ("VAT_ID", 2, VAT, False),
    ("VAT_ID", 3, VAT, False),
    ("IN_VOTER", 3, VOTER, True),
    ("IT_FISCAL_CODE", 6, FISCAL, True),
)
#: most letters before the first digit among the ids the engine reads letters first
MAX_PREFIX = 6

DNI = re.compile(r"[0-9]{7,8}-?[A-Z](?![A-Za-z0-9])", _A)
HETU = re.compile(r"[0-3][0-9][01][0-9]{3}[-+A-FU-Y][0-9]{3}[0-9A-Y](?![A-Za-z0-9])", _A)

# -- checksums ---------------------------------------------------------------------------------

_ABN_W = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)


def au_abn(d: str) -> bool:
    """ABN (11 digits): first digit minus one, weights 10 1 3 ... 19, sum divisible by 89."""
    if len(d) != 11 or d[0] == "0":
        return False
    total = sum(w * (ord(c) - 48) for w, c in zip(_ABN_W, d, strict=True)) - 10
    return total % 89 == 0


def au_acn(d: str) -> bool:
    """ACN (9 digits): weights 8..1 over eight digits; the ninth is the complement to 10."""
    if len(d) != 9 or d == d[0] * 9:
        return False
    total = sum((8 - i) * (ord(d[i]) - 48) for i in range(8))
    return (10 - total % 10) % 10 == ord(d[8]) - 48


_MEDICARE_W = (1, 3, 7, 9, 1, 3, 7, 9)


def au_medicare(d: str) -> bool:
    """Medicare card (10 digits: 8 + check + issue number): first digit 2-6, weights 1 3 7 9."""
    if len(d) != 10 or d[0] not in "23456":
        return False
    total = sum(w * (ord(c) - 48) for w, c in zip(_MEDICARE_W, d, strict=False))
    return total % 10 == ord(d[8]) - 48


# Verhoeff: multiplication in the dihedral group D5 and the position permutation
_D5 = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)


def _perms() -> tuple[tuple[int, ...], ...]:
    p1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)
    out = [tuple(range(10))]
    for _ in range(7):
        out.append(tuple(p1[x] for x in out[-1]))
    return tuple(out)


_PERM = _perms()


def verhoeff(d: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(d)):
        c = _D5[c][_PERM[i % 8][ord(ch) - 48]]
    return c == 0


def in_aadhaar(d: str) -> bool:
    """Aadhaar (12 digits): never starts with 0 or 1; Verhoeff check digit."""
    return len(d) == 12 and d[0] not in "01" and d != d[::-1] and verhoeff(d)


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni(number: str, letter: str) -> bool:
    """DNI/NIF: the number mod 23 picks the letter."""
    return int(number) > 0 and _DNI_LETTERS[int(number) % 23] == letter


def es_nie(value: str) -> bool:
    """NIE ``X1234567L``: X, Y, Z stand for 0, 1, 2 in front of the number, then as the DNI."""
    v = value.replace("-", "")
    return es_dni(str("XYZ".index(v[0])) + v[1:8], v[8])


_CF_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)
_OMOCODIA = "LMNPQRSTUV"  # stand for 0-9
_CF_DIGIT_POS = (6, 7, 9, 10, 12, 13, 14)


def it_fiscal_code(v: str) -> bool:
    """Codice fiscale: the check letter (odd places by a table, even places by value, mod 26), and a
    day of birth 1-31 (41-71 for women) once omocodia letters are read as digits."""
    if len(v) != 16:
        return False
    total = 0
    for i in range(15):
        c = v[i]
        k = ord(c) - 48 if c <= "9" else ord(c) - 65
        total += _CF_ODD[k] if i % 2 == 0 else k
    if chr(65 + total % 26) != v[15]:
        return False
    digits = [v[i] if v[i] <= "9" else str(_OMOCODIA.find(v[i])) for i in _CF_DIGIT_POS]
    if "-1" in digits:
        return False
    day = int(digits[2] + digits[3])
    return 1 <= day <= 31 or 41 <= day <= 71


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PESEL_W = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pl_pesel(d: str) -> bool:
    """PESEL (11 digits): YYMMDD with the century added to the month (+80 1800s, +0 1900s, +20
    2000s, +40, +60), then weights 1 3 7 9 and the complement to 10."""
    if len(d) != 11 or d == d[0] * 11:
        return False
    month = int(d[2:4]) % 20
    day = int(d[4:6])
    if not (1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]):
        return False
    total = sum(w * (ord(c) - 48) for w, c in zip(_PESEL_W, d, strict=False))
    return (10 - total % 10) % 10 == ord(d[10]) - 48


def nl_bsn(d: str) -> bool:
    """BSN (9 digits): the 11-proof, weights 9..2 and -1 for the last digit."""
    if len(d) != 9 or d == d[0] * 9:
        return False
    total = sum((9 - i) * (ord(d[i]) - 48) for i in range(8)) - (ord(d[8]) - 48)
    return total % 11 == 0


_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fi_hetu(v: str) -> bool:
    """HETU ``DDMMYYCZZZQ``: a date, a century sign, an individual number 002-899 (900-999
    temporary), and Q = DDMMYYZZZ mod 31 in ``0-9A-Y`` without G, I, O, Q, Z."""
    if len(v) != 11:
        return False
    day, month = int(v[0:2]), int(v[2:4])
    if not (1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]):
        return False
    if int(v[7:10]) < 2:
        return False
    return _HETU_CHECK[int(v[0:6] + v[7:10]) % 31] == v[10]


#: IRS campus prefixes of EINs (the first two digits); the others are not assigned
_EIN_PREFIXES = frozenset(
    f"{p:02d}" for p in (*range(1, 7), *range(10, 17), *range(20, 28), *range(30, 49), *range(50, 69),
                         *range(71, 78), *range(80, 89), *range(90, 96), 98, 99)
)


def us_ein(d: str) -> bool:
    return len(d) == 9 and d[:2] in _EIN_PREFIXES and d[2:] != "0000000"


# -- VAT numbers -------------------------------------------------------------------------------


def _luhn(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        k = ord(ch) - 48
        if i % 2:
            k *= 2
            if k > 9:
                k -= 9
        total += k
    return total % 10 == 0


def _vat_gb(d: str) -> bool:
    d = d[:9]
    total = sum((8 - i) * (ord(d[i]) - 48) for i in range(7)) + int(d[7:9])
    return total % 97 == 0 or (total + 55) % 97 == 0


def _vat_de(d: str) -> bool:
    p = 10
    for ch in d[:8]:
        s = (ord(ch) - 48 + p) % 10 or 10
        p = 2 * s % 11
    return (11 - p) % 10 == ord(d[8]) - 48


def _vat_fr(d: str) -> bool:
    return int(d[:2]) == (12 + 3 * (int(d[2:]) % 97)) % 97


def _vat_be(d: str) -> bool:
    return 97 - int(d[:8]) % 97 == int(d[8:])


_PL_W = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _vat_pl(d: str) -> bool:
    return sum(w * (ord(c) - 48) for w, c in zip(_PL_W, d, strict=False)) % 11 == ord(d[9]) - 48


def _vat_nl(d: str) -> bool:
    # the 11-proof of the old numbers, or mod 97 of "NL" + number (sole traders since 2020)
    body = d[:9]
    if sum((9 - i) * (ord(body[i]) - 48) for i in range(8)) % 11 == ord(body[8]) - 48:
        return True
    return int("2321" + body + "11" + d[10:]) % 97 == 1


#: country -> (check, how strong: True for one in 97, False for about one in ten)
_VAT_CHECKS = {"GB": (_vat_gb, True), "FR": (_vat_fr, True), "BE": (_vat_be, True), "DE": (_vat_de, False),
               "IT": (_luhn, False), "PL": (_vat_pl, False), "NL": (_vat_nl, False)}


def vat(v: str) -> float | None:
    """Base score of a VAT number by its country's check: None when it fails."""
    country = v[:2]
    got = _VAT_CHECKS.get(country)
    if got is None:
        return 0.3  # no check we know: a label decides
    fn, strong = got
    body = v[2:].replace("B", "", 1) if country == "NL" else v[2:]
    if not fn(body):
        return None
    return 0.6 if strong else 0.3


# -- what the engine asks ----------------------------------------------------------------------


#: the entities `propose` proposes, in the order of the C kernel's bits (``idnums_propose``)
PROPOSED = ("NL_BSN", "AU_ACN", "US_EIN", "PL_PESEL", "AU_ABN", "AU_MEDICARE", "FI_PERSONAL_IDENTITY_CODE",
            "IN_AADHAAR")


def proposed_mask(want: frozenset[str]) -> int:
    """``want`` as the C kernel's bits of `PROPOSED`."""
    return sum(1 << i for i, e in enumerate(PROPOSED) if e in want)


def propose(digits: str, seg: str, shape: str, plain: bool, want: frozenset[str],
            cands: list[tuple[str, float]]) -> None:
    """Add ``(entity, base)`` proposals for a run of digit groups ``seg`` (``digits``: without its
    separators; ``shape``: with its digits as 9, empty when ``plain``)."""
    n = len(digits)
    if n == 9:
        if plain:
            if "NL_BSN" in want and nl_bsn(digits):
                cands.append(("NL_BSN", 0.3))
            if "AU_ACN" in want and au_acn(digits):
                cands.append(("AU_ACN", 0.3))
            if "US_EIN" in want and us_ein(digits):
                cands.append(("US_EIN", 0.2))
        elif shape in EIN_SHAPES:
            if "US_EIN" in want and us_ein(digits):
                cands.append(("US_EIN", 0.45))
        elif shape in ACN_SHAPES:
            if "AU_ACN" in want and au_acn(digits):
                cands.append(("AU_ACN", 0.3))
        elif shape in BSN_SHAPES and "NL_BSN" in want and nl_bsn(digits):
            cands.append(("NL_BSN", 0.3))
    elif n == 11:
        if plain:
            if "PL_PESEL" in want and pl_pesel(digits):
                cands.append(("PL_PESEL", 0.3))
            if "AU_ABN" in want and au_abn(digits):
                # one 11-digit number in 89 passes (no leading 0: not a national phone number)
                cands.append(("AU_ABN", 0.5))
        elif shape in ABN_SHAPES and "AU_ABN" in want and au_abn(digits):
            cands.append(("AU_ABN", 0.65))
    elif n == 10:
        if plain:
            if "AU_MEDICARE" in want and au_medicare(digits):
                cands.append(("AU_MEDICARE", 0.3))
        elif shape in MEDICARE_SHAPES:
            if "AU_MEDICARE" in want and au_medicare(digits):
                cands.append(("AU_MEDICARE", 0.65))
        elif shape == HETU_SHAPE and "FI_PERSONAL_IDENTITY_CODE" in want and fi_hetu(seg):
            cands.append(("FI_PERSONAL_IDENTITY_CODE", 0.85))  # "131052-3081": a digit for the check
    elif n == 12 and "IN_AADHAAR" in want and (plain or shape in AADHAAR_SHAPES) and in_aadhaar(digits):
        cands.append(("IN_AADHAAR", 0.3 if plain else 0.6))


def glued(text: str, s: int, want: frozenset[str]) -> tuple[int, str, float] | None:
    """An id made of the digits at ``s`` and the letters right after them: a DNI/NIF
    (``12345678Z``) or a HETU with a century letter or a check letter (``010594Y9032``,
    ``131052-308T``). ``(end, entity, base)`` or None."""
    if "FI_PERSONAL_IDENTITY_CODE" in want:
        m = HETU.match(text, s)
        if m is not None and fi_hetu(m.group()):
            # the century signs added in 2023 (B-F, U-Y) are rare, and "260627D4514,76" is the
            # date, debit mark and amount of a SWIFT statement line: those need a label
            return m.end(), "FI_PERSONAL_IDENTITY_CODE", 0.85 if text[s + 6] in "-A" else 0.3
    if "ES_NIF" in want:
        m = DNI.match(text, s)
        if m is not None:
            v = m.group()
            number = v[:-1].rstrip("-")
            if es_dni(number, v[-1]):
                # 8 digits and a letter; a 7-digit number (a leading zero left out) needs a label
                return m.end(), "ES_NIF", 0.6 if len(number) == 8 else 0.3
    return None


def check_lp(etype: str, value: str) -> float | None:
    """Base score of an id that starts with letters (upper case), or None when its check fails."""
    if etype == "IT_FISCAL_CODE":
        return 0.9 if it_fiscal_code(value) else None
    if etype == "ES_NIE":
        return 0.6 if es_nie(value) else None
    if etype == "VAT_ID":
        return vat(value)
    if etype == "IN_VOTER":
        return 0.2  # no check digit: a label decides
    return None
