"""Payment cards: issuer ranges (IIN), Luhn, the groupings cards are printed in.

A card number proposed here is validated (issuer prefix, length and Luhn): the engine lets it
stand without context. Twelve-digit Maestro numbers are too short to stand alone and need a card
word before them.
"""

from __future__ import annotations

from ._shapes import shapes

ENTITIES = ("CREDIT_CARD",)
CONTEXT = {
    "CREDIT_CARD": ("card", "visa", "mastercard", "amex", "maestro", "credit", "debit", "cc", "charge",
                    "payment", "paid with", "pay with"),
}

#: the groupings a card is printed in ("9999 9999 9999 9999"), with any separator people type:
#: a validated number in another grouping scores lower
CARD_SHAPES = shapes((4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 4, 4, 1), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 1),
                     (4, 4, 4, 4, 2), (4, 4, 4, 3), seps=" -./_")

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


def card(digits: str, shape: str, plain: bool, sep: str | None) -> float | None:
    """Score of a validated card number of 13-19 digits, printed plain or with one separator
    (spaces or dashes in any grouping; dots, slashes or underscores in a card's own grouping)."""
    if not (plain or sep in (" ", "-") or shape in CARD_SHAPES) or not (card_issuer_ok(digits) and luhn(digits)):
        return None
    return 1.0 if plain or shape in CARD_SHAPES else 0.8


def short_maestro(digits: str) -> float | None:
    """A 12-digit Maestro number: only with card context."""
    return 0.4 if maestro12(digits) and luhn(digits) else None
