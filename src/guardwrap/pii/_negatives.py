"""Numbers that look like personal data and are not: ISBNs, amounts, parts of reference codes.

The engine asks these before it lets an unvalidated proposal (a phone number, a bank account, a
bare 9-digit id) stand; validated ones (a card that passes Luhn, an IBAN that passes mod-97) are
not second-guessed.
"""

from __future__ import annotations

import re

#: words close before a number that make it a reference, not personal data
WORDS = ("order", "invoice", "version", "ticket", "tracking", "sku", "receipt", "ref", "reference", "case",
         "model", "part", "serial", "build", "release", "page", "isbn", "issn", "doi", "rrn", "retrieval",
         "auth code", "authorization code", "approval code", "trace", "stan", "txn", "transaction id",
         "trans id", "batch", "terminal", "tid", "mid", "merchant id", "confirmation", "booking", "po",
         "inv", "ord", "awb", "shipment", "parcel", "claim", "policy", "loan id", "request id", "session",
         "msg id", "message id", "uetr", "end to end", "e2e", "mandate", "cheque no", "check no", "qty",
         "quantity", "amount", "total", "usd", "eur", "gbp")

# what may follow a number that makes it an amount or a measure ("100 dollars", "1 250 000 EUR")
_UNIT = re.compile(
    r"[ \u00a0]?(?:%|€|\$|£|¥|(?:eur|usd|gbp|chf|pln|sek|nok|dkk|czk|huf|inr|aud|cad|jpy|euros?|dollars?|"
    r"pounds?|zl|złotych|kg|km|mb|gb|ms|pcs|units?|shares?|points?|bps)(?![a-z]))",
    re.IGNORECASE,
)


#: the ASCII characters (lower case) a unit may start with: the C kernel asks `unit_after` only when
#: one of them (or a non-ASCII character) follows the number
UNIT_FIRSTS = "%$" + "".join(sorted({alt[0] for alt in _UNIT.pattern.split("|(?:", 1)[1].split("|")}))


def unit_after(text: str, end: int) -> bool:
    """A currency, percent sign or unit right after ``text[:end]``."""
    return _UNIT.match(text, end, end + 12) is not None


def currency_before(text: str, start: int) -> bool:
    """A currency sign or code right before ``start`` ("$ 1 250 000", "EUR 612 345 678")."""
    pre = text[max(0, start - 5):start].rstrip().lower()
    return pre.endswith(("$", "€", "£", "eur", "usd", "gbp", "chf", "pln"))


def isbn(digits: str, seg: str) -> bool:
    """``seg`` (``digits`` with its separators) is an ISBN-13 (978/979 and its check digit) or an
    ISBN-10 in its printed form: four hyphenated groups, the last one the check digit."""
    if len(digits) == 13 and digits[:3] in ("978", "979"):
        total = sum((3 if i % 2 else 1) * (ord(c) - 48) for i, c in enumerate(digits))
        return total % 10 == 0
    if len(digits) == 10 and seg.count("-") == 3 and seg[-2] == "-" and seg.replace("-", "") == digits:
        return sum((10 - i) * (ord(c) - 48) for i, c in enumerate(digits)) % 11 == 0
    return False


def glued_code(text: str, s: int) -> bool:
    """The run at ``s`` continues a code: ``ORD-2021-717443``, ``/INV/612-270-6921``, ``REF_123``."""
    return s >= 2 and text[s - 1] in "-/_" and text[s - 2].isalnum()
