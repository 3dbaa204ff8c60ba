"""Phone numbers on ``phonenumbers`` metadata: international (``+`` or ``00`` and a country code)
and national formats of configured regions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .._errors import PolicyError

ENTITIES = ("PHONE_NUMBER",)
CONTEXT = {
    "PHONE_NUMBER": ("phone", "call", "tel", "telephone", "mobile", "cell", "fax", "contact",
                     "reach", "ring", "text me", "whatsapp", "dial", "landline", "mob", "ph", "phone no",
                     "callback", "call back", "sms", "telefon", "telefono", "telefoon", "handy", "portable",
                     "movil", "cellulare", "numer telefonu", "tlf", "my number", "mobile number", "cell number", "reached", "reach me", "reachable",
                     "call me", "calling", "contact number", "phone number", "tel no", "telephone number"),
}
#: Regions whose national phone formats are recognised without a ``+`` prefix, by default: the
#: home markets of a European bank with US, Indian and Australian customers.
DEFAULT_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU", "ES", "IT", "NL", "PL", "PT", "BE", "IE", "AT", "CH")


def _trunk_cut(digits: str, formatted: bool, lengths: Any, prefix: str) -> int | None:
    """How many digits a region's trunk prefix takes off the front of ``digits`` before its
    national pattern is tried, or None when the region does not apply (no trunk prefix: only
    formatted numbers of nine digits or more; a trunk prefix of 0: numbers written nationally
    start with it)."""
    if not prefix and (not formatted or len(digits) < 9):
        return None
    if prefix == "0":
        return 1 if digits.startswith("0") else None
    if prefix and digits.startswith(prefix) and len(digits) - len(prefix) in lengths:
        return len(prefix)
    return 0


class Phones:
    """Phone validation on ``phonenumbers`` metadata, loaded lazily, for candidates only.

    Uses each region's numbering-plan pattern (``general_desc``) and possible lengths, the same
    data ``phonenumbers.is_valid_number`` starts from, without its per-call parsing cost.
    """

    def __init__(self, regions: Iterable[str]) -> None:
        try:
            import phonenumbers
            from phonenumbers.phonemetadata import PhoneMetadata
        except ImportError as exc:  # pragma: no cover - core dependency
            raise PolicyError("PHONE_NUMBER needs the phonenumbers package",
                              key="entities", expected="pip install phonenumbers") from exc
        self._meta = PhoneMetadata
        self._cc_regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
        self._plans: dict[str, tuple[Any, frozenset[int], str] | None] = {}
        self.national: list[tuple[str, Any, frozenset[int], str]] = []
        for r in regions:
            plan = self._plan(r)
            if plan is None:
                raise PolicyError(f"unknown phone region {r!r}", key="phone_regions",
                                  expected="ISO 3166 region codes such as 'US', 'GB', 'DE'")
            self.national.append((r, *plan))
        # `national_number` asks one pattern per way of cutting the number (the regions' patterns
        # joined), chosen by what decides which regions apply: formatted or not, the length, and
        # the leading digits that trunk prefixes are compared with (None: a prefix too long to key
        # on, so the loop of `_national_number_py` decides)
        longest = max((len(p) for _r, _rx, _l, p in self.national), default=0)
        self._lead: int | None = longest if longest <= 2 else None
        self._nat_plans: dict[tuple[bool, int, str], tuple[tuple[int, re.Pattern[str]], ...]] = {}

    def _plan(self, region: str) -> tuple[Any, frozenset[int], str] | None:
        if region in self._plans:
            return self._plans[region]
        meta = self._meta.metadata_for_region(region)
        plan = None
        if meta is not None and meta.general_desc is not None and meta.general_desc.national_number_pattern:
            plan = (
                re.compile(meta.general_desc.national_number_pattern, re.ASCII),
                frozenset(meta.general_desc.possible_length or ()),
                meta.national_prefix or "",
            )
        self._plans[region] = plan
        return plan

    def international(self, digits: str) -> bool:
        """``digits`` starts with a country calling code."""
        for width in (1, 2, 3):
            regions = self._cc_regions.get(int(digits[:width]))
            if not regions:
                continue
            nn = digits[width:]
            for region in regions:
                plan = self._plan(region)
                if plan is None:
                    continue
                rx, lengths, prefix = plan
                cand = nn[len(prefix):] if prefix and nn.startswith(prefix) else nn
                if len(cand) in lengths and rx.fullmatch(cand):
                    return True
            return False
        return False

    def national_number(self, digits: str, formatted: bool = True) -> bool:
        """``digits`` is a number in a configured region's national format. Regions without a
        trunk prefix (ES, IT, PL, PT) count only for numbers of 9 digits or more written in groups:
        a bare digit string there could be anything.

        What `_national_number_py` answers, by one pattern per cut of the number (all the regions
        that apply to a number of this length, formatting and leading digits, joined): a join
        matches the whole number exactly when one of its regions' patterns does."""
        lead = self._lead
        if lead is None:
            return self._national_number_py(digits, formatted)
        key = (formatted, len(digits), digits[:lead])
        plan = self._nat_plans.get(key)
        if plan is None:
            plan = self._nat_plans[key] = self._national_plan(digits, formatted)
        return any(rx.fullmatch(digits[cut:] if cut else digits) for cut, rx in plan)

    def _national_plan(self, digits: str, formatted: bool) -> tuple[tuple[int, re.Pattern[str]], ...]:
        """The regions `_national_number_py` would try for ``digits`` (those it skips, or whose
        lengths rule the number out, left out), as ``(digits cut from the front, joined pattern)``:
        depends on ``formatted``, the length and the leading digits only."""
        cuts: dict[int, list[str]] = {}
        for _region, rx, lengths, prefix in self.national:
            cut = _trunk_cut(digits, formatted, lengths, prefix)
            if cut is not None and len(digits) - cut in lengths:
                cuts.setdefault(cut, []).append(rx.pattern)
        return tuple((cut, re.compile("|".join(f"(?:{p})" for p in pats), re.ASCII)) for cut, pats in cuts.items())

    def _national_number_py(self, digits: str, formatted: bool = True) -> bool:
        """`national_number` region by region: its reference (and its path for trunk prefixes of
        three digits or more)."""
        for _region, rx, lengths, prefix in self.national:
            cut = _trunk_cut(digits, formatted, lengths, prefix)
            if cut is None:
                continue
            cand = digits[cut:]
            if len(cand) in lengths and rx.fullmatch(cand):
                return True
        return False
