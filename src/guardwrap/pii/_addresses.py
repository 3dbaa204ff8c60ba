"""Street addresses (``STREET_ADDRESS``): the street line and what belongs to it.

Shapes, not gazetteers: a house number and a street name ending in a street word (``221B Baker
Street``, ``1200 N Main St Apt 4``), a street word and a number as continental Europe writes them
(``Hauptstraße 12``, ``12 rue de la Paix``, ``Calle Mayor 5``, ``Via Roma 10``, ``ul. Długa 5``,
``Kerkstraat 12``), a ``PO Box``; then, on the same line or the next, the unit, the city with a
US state and ZIP code, or a postcode (UK, NL, PL, and the five/four-digit kinds). A UK postcode
or a ``City, ST 12345`` line stands alone too. The entity is Presidio's LOCATION's street-level
cousin: `PII(engine="presidio")` maps it to Presidio's LOCATION.

Detection is anchored on the digit runs the engine already visits, so text without digits costs
nothing here.
"""

from __future__ import annotations

import regex

ENTITIES = ("STREET_ADDRESS",)
CONTEXT = {
    "STREET_ADDRESS": ("address", "addr", "street", "residing at", "resides at", "lives at", "living at",
                       "domicile", "residence", "mailing", "correspondence", "billing", "shipping",
                       "anschrift", "adresse", "direccion", "dirección", "indirizzo", "adres", "morada",
                       "domicilio", "wohnort", "postcode", "zip"),
}

#: base scores: a street line, a city/state/ZIP or postcode line on its own
STREET = 0.8
ZIP_LINE = 0.7
POSTCODE = 0.6

_SUFFIX = (
    r"street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|court|ct|place|pl|boulevard|blvd|way|terrace|"
    r"ter|terr|close|cl|crescent|cres|grove|gr|gardens|gdns|mews|row|walk|square|sq|parkway|pkwy|"
    r"highway|hwy|circle|cir|trail|trl|alley|aly|plaza|plz|point|pt|ridge|rdg|loop|path|pike|run|"
    r"crossing|xing|view|vw|hill|hills|park|heights|hts|green|glen|brook|creek|manor|wharf|quay|"
    r"parade|pde|esplanade|causeway|centre|center|expressway|expy|freeway|fwy|turnpike|tpke|"
    r"junction|jct|meadow|meadows|springs|spring|station|track|landing|ldg|pass|port|shore|shores|"
    r"summit|vista|villas|ville|gate|gateway|hollow|isle|key|knoll|mall|mount|mt|orchard|oval|"
    r"passage|rise|route|rte|spur|stravenue|underpass|wynd|fields|field|yard|yards|chase|drove"
)
_DIR = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_NUM = r"[0-9]{1,6}[A-Za-z]?(?:[\-/][0-9]{1,4}[A-Za-z]?)?"
_WORD = r"(?:[\p{Lu}0-9][\p{L}0-9'\u2019.\-]*|of|the|de|la|du|des|del|van|von)"
_UNIT = (r"(?:,?[ \t]*(?:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Room|Rm|Bldg|Building|Dept|Box|#|No\.?)"
         r"\.?[ \t]*#?[ \t]*[0-9A-Za-z][0-9A-Za-z\-]{0,5})")
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|VI|GU|AS|MP|AA|AE|AP|"
    "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
)
_CITY = r"\p{Lu}[\p{L}'\u2019.\-]*(?:[ \t]+\p{Lu}[\p{L}'\u2019.\-]*){0,3}"
_UK_PC = r"[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}"
# the rest of an address after its street line: unit, then city + state + ZIP, or postcode + city,
# on the same line (after a comma) or on the next line
_TAIL = (
    rf"(?:{_UNIT})?"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*)"
    rf"(?:{_CITY},?[ \t]+(?:{_STATES})\.?[ \t]+[0-9]{{5}}(?:-[0-9]{{4}})?"
    rf"|{_CITY},?[ \t]+{_UK_PC}"
    rf"|(?:[A-Z]{{1,2}}-)?[0-9]{{4,5}}(?:[ \t]?[A-Z]{{2}})?[ \t]+{_CITY}"
    rf"|[0-9]{{2}}-[0-9]{{3}}[ \t]+{_CITY}"
    rf"|{_UK_PC}"
    rf"|{_CITY}(?=[ \t]*(?:\n|$|,[ \t]*(?:{_UK_PC}|[0-9]{{4,5}}))))"
    rf"(?:,?[ \t]+{_UK_PC})?)?"
)
# "221B Baker Street", "1200 N Main St. Apt 4", "12 rue de la Paix", "12, avenue Foch"
NUMBER_FIRST = regex.compile(
    rf"(?P<street>{_NUM},?[ \t]+(?:{_DIR}[ \t]+)?"
    rf"(?:(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|rua|travessa)"
    rf"[ \t]+(?:(?:de la|de l'|du|des|de|d')[ \t]*)?{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
    rf"|{_WORD}(?:[ \t]+{_WORD}){{0,3}}?[ \t]+(?i:{_SUFFIX})\.?(?:[ \t]+{_DIR})?))"
    rf"(?![\p{{L}}0-9])" + _TAIL
)
# street words written before the name, capitalised as people write them (lower-case "via" is
# English: "paid via Zelle 50")
_EU_WORDS = (
    r"Calle|C/|Avenida|Avda\.?|Plaza|Pza\.?|Paseo|Camino|Carretera|Ronda|Travesía|Travesia|Via|Viale|"
    r"Piazza|Piazzale|Corso|Largo|Vicolo|Strada|ul\.|Ul\.|ulica|al\.|Al\.|aleja|pl\.|Pl\.|plac|os\.|"
    r"osiedle|Rua|Avenue|Rue|Boulevard|Chemin|Am|An der|Auf der|Im|In der"
)
# one-word street names ending in a street word; the stem before it has three letters or more
_COMPOUND = (
    r"\p{Lu}[\p{L}'\u2019\-]{2,}(?:straße|strasse|str\.|weg|platz|allee|gasse|damm|ufer|chaussee|"
    r"straat|laan|plein|gracht|dijk|singel|steeg|vej|gatan|vägen|vagen|veien|gata|väg|katu)"
)
# "Hauptstraße 12", "Calle Mayor 5", "Via Roma 10", "ul. Długa 5", "Kerkstraat 12": the street
# before the number (matched on the text before a digit run, anchored at its end)
NUMBER_AFTER = regex.compile(
    rf"(?:(?<![\p{{L}}])(?:{_EU_WORDS})[ \t]+(?:(?:de la|de los|de las|del|de|di|della|dei|degli)[ \t]+)?"
    rf"\p{{Lu}}[\p{{L}}'\u2019.\-]*(?:[ \t]+\p{{L}}[\p{{L}}'\u2019.\-]*){{0,3}}|(?<![\p{{L}}]){_COMPOUND}),?[ \t]+"
    rf"(?:n[º°o]\.?[ \t]*)?$"
)
_AFTER_NUM = regex.compile(rf"{_NUM}(?![\p{{L}}0-9])" + _TAIL)
PO_BOX = regex.compile(r"(?i:p\.?[ \t]?o\.?[ \t]?box|post office box|postfach|apartado|casella postale)[ \t]*$")
_PO_TAIL = regex.compile(r"[0-9]{1,6}(?![\p{L}0-9])" + _TAIL)
# "Springfield, IL 62704": city, state, ZIP (anchored at the ZIP's digit run)
_CITY_STATE = regex.compile(rf"(?:{_CITY}),?[ \t]+(?:{_STATES})\.?[ \t]+$")
UK_POSTCODE = regex.compile(rf"{_UK_PC}(?![A-Za-z0-9])")


def at_number(text: str, s: int, e: int) -> tuple[int, int, float] | None:
    """An address whose digit run ``text[s:e]`` is its house number, its ZIP code or its PO box
    number: ``(start, end, base score)``."""
    m = NUMBER_FIRST.match(text, s)
    if m is not None and (s == 0 or not text[s - 1].isalnum()):
        return s, _trim(text, m.end()), STREET
    lo = max(0, s - 48)
    window = text[lo:s]
    if window and window[-1] in " \t,º°":
        b = NUMBER_AFTER.search(window)
        if b is not None:
            t = _AFTER_NUM.match(text, s)
            end = t.end() if t is not None else e
            return lo + b.start(), _trim(text, end), STREET
        p = PO_BOX.search(window)
        if p is not None:
            t = _PO_TAIL.match(text, s)
            return lo + p.start(), _trim(text, t.end() if t is not None else e), STREET
        if e - s in (5, 10):
            c = _CITY_STATE.search(window)
            if c is not None:
                return lo + c.start(), e, ZIP_LINE
    return None


def _trim(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\n,.;":
        end -= 1
    return end
