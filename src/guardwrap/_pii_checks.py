"""Checksums and numbering rules behind `guardwrap.pii`: pure functions over digit/letter strings.

Each takes the already-normalised value (separators removed) and returns ``True`` when the value
could be a real identifier of that kind. They are small on purpose: the detector calls them only on
candidates, never on every token.
"""

from __future__ import annotations

import hashlib

# -- payment cards -----------------------------------------------------------------------------


# digit -> digit sum of twice the digit, for the Luhn positions that are doubled
_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment cards (ASCII digits only)."""
    # Summing the bytes of the ASCII digits avoids a Python-level loop: each digit adds 48 too.
    kept = digits[-1::-2].encode()
    doubled = digits[-2::-2].translate(_LUHN_DOUBLE).encode()
    return (sum(kept) + sum(doubled) - 48 * len(digits)) % 10 == 0


def card_issuer_ok(digits: str) -> bool:
    """Issuer prefix and length plausible for a major card network (IIN ranges)."""
    n = len(digits)
    d1 = digits[0]
    d2 = int(digits[:2])
    if d1 == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= d2 <= 55 or 2221 <= int(digits[:4]) <= 2720:  # Mastercard
        return n == 16
    if d2 in (34, 37):  # American Express
        return n == 15
    if d2 in (36, 38, 39) or 300 <= int(digits[:3]) <= 305:  # Diners Club
        return 14 <= n <= 19
    if digits.startswith("6011") or d2 == 65 or 644 <= int(digits[:3]) <= 649:  # Discover
        return 16 <= n <= 19
    if d2 == 35:  # JCB
        return 16 <= n <= 19
    if digits[:4] in ("2131", "1800"):  # JCB, 15-digit legacy ranges
        return n == 15
    if d2 == 62:  # UnionPay
        return 16 <= n <= 19
    if d2 in (50, 56, 57, 58, 63, 67):  # Maestro
        return 12 <= n <= 19
    return False


def maestro12(digits: str) -> bool:
    """12-digit Maestro numbers (the short end of Maestro's 12-19 range)."""
    return digits[:2] in ("50", "56", "57", "58", "63", "67") or digits[:4] in ("0604", "6390")


# -- US numbers --------------------------------------------------------------------------------

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


# -- other national ids ------------------------------------------------------------------------


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


# -- IBAN --------------------------------------------------------------------------------------

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


_IBAN_LETTERS = {ord(c): str(ord(c) - 55) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def iban_mod97(iban: str) -> bool:
    """ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10..35)."""
    return int((iban[4:] + iban[:4]).translate(_IBAN_LETTERS)) % 97 == 1


# -- crypto ------------------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def base58check(addr: str) -> bool:
    """A Bitcoin legacy/P2SH address: base58 decodes to 25 bytes whose last 4 are the checksum."""
    n = 0
    for c in addr:
        i = _B58_INDEX.get(c)
        if i is None:
            return False
        n = n * 58 + i
    try:
        raw = n.to_bytes(25, "big")
    except OverflowError:
        return False
    pad = len(addr) - len(addr.lstrip("1"))
    if raw[:pad] != b"\x00" * pad or raw[0] not in (0x00, 0x05):
        return False
    return hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32)}
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GEN[i]
    return chk


def bech32_address(addr: str) -> bool:
    """A segwit address (``bc1...``): bech32 (v0) or bech32m (v1+) checksum (BIP-173/350)."""
    addr = addr.lower()
    hrp, _, data = addr.rpartition("1")
    if hrp != "bc" or len(data) < 7:
        return False
    try:
        values = [_BECH32_INDEX[c] for c in data]
    except KeyError:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    const = _polymod(expanded + values)
    version = values[0]
    return (version == 0 and const == 1) or (version > 0 and const == 0x2BC830A3)


# -- dates -------------------------------------------------------------------------------------

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def plausible_date(y: int, m: int, d: int) -> bool:
    return 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= _DAYS[m - 1]
