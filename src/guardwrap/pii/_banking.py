"""Bank identifiers: IBAN (ISO 13616 length per country and mod-97), ABA routing numbers (Federal
Reserve prefix and 3-7-1 checksum), bank account numbers (no checksum: context decides)."""

from __future__ import annotations

import re

from .._native import kernel
from ._shapes import shapes

#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON): `iban_end` in C
_K = kernel("guardwrap.pii._cscan")

ENTITIES = ("IBAN_CODE", "ABA_ROUTING_NUMBER", "US_BANK_NUMBER")
_ACCOUNT = ("account", "acct", "acc", "acc no", "acct no", "a/c", "a/c no", "ac no", "account no",
            "account number", "accountnumber", "acctno", "checking", "savings", "bank", "kontonummer",
            "konto", "compte", "numero de compte", "cuenta", "conto", "rekening", "rekeningnummer",
            "numer konta", "beneficiary", "debtor", "creditor", "deposit", "dda")
CONTEXT = {
    "IBAN_CODE": ("iban", "account", "bank", "transfer", "wire"),
    "ABA_ROUTING_NUMBER": ("routing", "aba", "transit", "rtn", "routing no", "routing number", "routingnumber",
                           "aba no", "rt", "r/t", "rt#", "fedwire", "ach"),
    "US_BANK_NUMBER": _ACCOUNT,
}

ABA_SHAPES = shapes((4, 4, 1))

#: Total IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

IBAN = re.compile(r"[A-Z]{2}[0-9]{2}(?:[ \-./_]?[A-Z0-9]){8,32}", re.ASCII)
_IBAN_LETTERS = {ord(c): str(ord(c) - 55) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ALNUM_DEL = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# the separators an IBAN is typed with: spaces (printed form), and dashes, dots, slashes, underscores
_SEPS_DEL = str.maketrans("", "", " -./_")


def iban_mod97(iban: str) -> bool:
    """ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10..35)."""
    return int((iban[4:] + iban[:4]).translate(_IBAN_LETTERS)) % 97 == 1


def iban_end(text: str, p: int, e: int) -> int | None:
    """End of a valid IBAN that starts at ``p`` (``text[p:e]`` matched `IBAN`), or None; in C when
    the kernel is built (`iban_end_py` is the reference)."""
    if _K is not None:
        got: int | None = _K.iban_end(text, p, e, IBAN_LENGTHS)
        return got
    return iban_end_py(text, p, e)


def iban_end_py(text: str, p: int, e: int) -> int | None:
    """End of a valid IBAN that starts at ``p`` (``text[p:e]`` matched `IBAN`), or None.

    The match may run on into what follows ("... 00 please"): the country's length says where the
    IBAN ends, counted over the blocks between one kind of separator.
    """
    country = text[p:p + 2]
    length = IBAN_LENGTHS.get(country)
    if length is None:
        return None
    raw = text[p:e]
    seps = raw[4:].translate(_ALNUM_DEL)
    if seps and seps != seps[0] * len(seps):
        # one kind of separator per IBAN: the match ends where another kind starts ("... 0/363")
        other = next(c for c in seps if c != seps[0])
        e = p + 4 + raw[4:].index(other)
        seps = seps[:seps.index(other)]
    i = p + length
    if seps:
        # walk the blocks between separators up to the length-th alphanumeric
        sep = seps[0]
        j, count, i = p, 0, -1
        while j < e:
            k = text.find(sep, j, e)
            if k == -1:
                k = e
            if count + k - j >= length:
                i = j + length - count
                break
            count += k - j
            j = k + 1
        if i < 0:
            return None
    if i > e or (i < len(text) and text[i].isalnum()):
        # the country's length runs past what the pattern matched ("GB82WESTA,SSN"): not an IBAN
        return None
    value = text[p:i].translate(_SEPS_DEL)
    if len(value) != length:
        return None
    return i if iban_mod97(value) else None


def aba_routing(d: str) -> bool:
    """ABA routing number: Federal Reserve prefix and the 3-7-1 weighted checksum."""
    if len(d) != 9:
        return False
    p = int(d[:2])
    if not (p <= 12 or 21 <= p <= 32 or 61 <= p <= 72 or p == 80):
        return False
    v = [ord(c) - 48 for c in d]
    total = 3 * (v[0] + v[3] + v[6]) + 7 * (v[1] + v[4] + v[7]) + (v[2] + v[5] + v[8])
    return total % 10 == 0 and d != "000000000"
