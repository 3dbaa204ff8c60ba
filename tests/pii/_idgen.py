"""Generators of valid national ids (check digits computed here from the issuers' rules, written
apart from the engine's validators), for the tests of `guardwrap.pii._idnums`."""

from __future__ import annotations

import random

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CF_ODD = {**{str(i): v for i, v in enumerate((1, 0, 5, 7, 9, 13, 15, 17, 19, 21))},
          **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                     (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
                     strict=True))}


def digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def abn(r: random.Random) -> str:
    # choose 9 digits after the two check digits, then the check pair that makes the sum 0 mod 89
    w = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    while True:
        rest = digits(r, 9)
        for cd in range(10, 100):
            d = f"{cd}{rest}"
            total = sum(wi * int(c) for wi, c in zip(w, d, strict=True)) - 10
            if total % 89 == 0:
                return d


def acn(r: random.Random) -> str:
    while True:
        body = digits(r, 8)
        if body != body[0] * 8:
            total = sum((8 - i) * int(c) for i, c in enumerate(body))
            return body + str((10 - total % 10) % 10)


def medicare(r: random.Random) -> str:
    body = r.choice("23456") + digits(r, 7)
    total = sum(w * int(c) for w, c in zip((1, 3, 7, 9, 1, 3, 7, 9), body, strict=True))
    return body + str(total % 10) + r.choice("123456789")


_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def aadhaar(r: random.Random) -> str:
    while True:
        body = r.choice("23456789") + digits(r, 10)
        c = 0
        for i, ch in enumerate(reversed(body)):
            c = _D[c][_P[(i + 1) % 8][int(ch)]]
        d = body + str(_INV[c])
        if d != d[::-1]:
            return d


def dni(r: random.Random) -> str:
    n = r.randint(10_000_000, 99_999_999)
    return f"{n}{DNI_LETTERS[n % 23]}"


def nie(r: random.Random) -> str:
    k = r.randint(0, 2)
    body = digits(r, 7)
    return "XYZ"[k] + body + DNI_LETTERS[int(f"{k}{body}") % 23]


def fiscal_code(r: random.Random, omocodia: int = 0) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    cons, vow = "BCDFGHJKLMNPQRSTVWXYZ", "AEIOU"

    def triple() -> list[str]:  # consonants of the name first, then its vowels, then X
        shape = r.choice(["CCC", "CCC", "CCV", "CVV", "CVX"])
        return [r.choice(cons) if k == "C" else r.choice(vow) if k == "V" else "X" for k in shape]

    day = r.choice([r.randint(1, 28), r.randint(41, 68)])
    chars = [*triple(), *triple(), *digits(r, 2), r.choice("ABCDEHLMPRST"), *f"{day:02d}",
             r.choice(letters), *digits(r, 3)]
    for pos in (14, 13, 12, 10, 9, 7, 6)[:omocodia]:  # the law replaces from the right
        chars[pos] = "LMNPQRSTUV"[int(chars[pos])]
    total = 0
    for i, c in enumerate(chars):
        total += CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65)
    return "".join(chars) + chr(65 + total % 26)


def pesel(r: random.Random) -> str:
    year = r.randint(1900, 2099)
    month = r.randint(1, 12) + (20 if year >= 2000 else 0)
    day = r.randint(1, 28)
    body = f"{year % 100:02d}{month:02d}{day:02d}" + digits(r, 4)
    total = sum(w * int(c) for w, c in zip((1, 3, 7, 9, 1, 3, 7, 9, 1, 3), body, strict=True))
    return body + str((10 - total % 10) % 10)


def bsn(r: random.Random) -> str:
    while True:
        body = digits(r, 8)
        total = sum((9 - i) * int(c) for i, c in enumerate(body))
        last = total % 11
        if last < 10 and body[0] != "0":
            return body + str(last)


def hetu(r: random.Random, sign: str = "-") -> str:
    while True:
        day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(0, 99)
        ind = r.randint(2, 899)
        head = f"{day:02d}{month:02d}{year:02d}"
        d = f"{head}{sign}{ind:03d}" + HETU_CHECK[int(f"{head}{ind:03d}") % 31]
        return d


def ein(r: random.Random) -> str:
    prefix = r.choice(["01", "12", "20", "27", "35", "46", "52", "61", "74", "83", "91", "98"])
    return f"{prefix}-{digits(r, 7)}"


def vat_gb(r: random.Random) -> str:
    while True:
        body = digits(r, 7)
        total = sum((8 - i) * int(c) for i, c in enumerate(body))
        check = (-total) % 97
        return f"GB{body}{check:02d}"


def voter(r: random.Random) -> str:
    return "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)) + digits(r, 7)


def own_values(seed: int = 12) -> dict[str, str]:
    r = random.Random(seed)
    return {"abn": abn(r), "acn": acn(r), "medicare": medicare(r), "aadhaar": aadhaar(r), "dni": dni(r),
            "nie": nie(r), "cf": fiscal_code(r), "pesel": pesel(r), "bsn": bsn(r), "hetu": hetu(r),
            "ein": ein(r), "vat": vat_gb(r), "voter": voter(r)}
