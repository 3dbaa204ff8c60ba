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

# USPS Publication 28, Appendix C1 (street suffixes and their standard abbreviations; a work of
# the U.S. Postal Service, public domain), plus the British and Indian street words
_SUFFIX = (
    r"allee|alley|ally|aly|anex|annex|anx|arc|arcade|av|ave|aven|avenu|avenue|avn|avnue|bayou|bch|"
    r"beach|bend|bg|bgs|blf|blfs|bluf|bluff|bluffs|blvd|bnd|bot|bottm|bottom|boul|boulevard|boulv|"
    r"br|branch|brdge|brg|bridge|brk|brks|brnch|brook|brooks|btm|burg|burgs|byp|bypa|bypas|bypass|"
    r"byps|byu|canyn|canyon|cape|causeway|causwa|cen|cent|center|centers|centr|centre|cir|"
    r"circ|circl|circle|circles|cirs|clb|clf|clfs|cliff|cliffs|cmn|cmns|cmp|cnter|cntr|cnyn|"
    r"common|commons|cor|corner|corners|cors|course|court|courts|cove|coves|cpe|crcl|crcle|"
    r"creek|cres|crescent|crest|crk|crossing|crossroad|crossroads|crse|crsent|crsnt|crssng|crst|cswy|"
    r"ct|ctr|ctrs|cts|curv|curve|cv|cvs|cyn|dale|dam|div|divide|dr|driv|drive|drives|drs|drv|"
    r"dvd|est|estate|estates|ests|exp|expr|express|expressway|expw|expy|ext|extension|extensions|"
    r"extn|extnsn|exts|fall|falls|ferry|field|fields|flat|flats|fld|flds|fls|flt|flts|ford|fords|"
    r"forest|forests|forg|forge|forges|fork|forks|fort|frd|frds|freeway|freewy|frg|frgs|frk|frks|"
    r"frry|frst|frt|frway|frwy|fry|ft|fwy|garden|gardens|gardn|gateway|gatewy|gatway|gdn|gdns|glen|"
    r"glens|gln|glns|grden|grdn|grdns|green|greens|grn|grns|grov|grove|groves|grv|grvs|gtway|gtwy|"
    r"harb|harbor|harbors|harbr|haven|hbr|hbrs|heights|highway|highwy|hill|hills|hiway|hiwy|hl|hls|"
    r"hllw|hollow|hollows|holw|holws|hrbor|ht|hts|hvn|hway|hwy|inlet|inlt|island|islands|isle|"
    r"isles|islnd|islnds|jct|jction|jctn|jctns|jcts|junction|junctions|junctn|juncton|"
    r"knl|knls|knol|knoll|knolls|kys|lake|lakes|landing|lane|lck|lcks|ldg|ldge|lf|lgt|lgts|"
    r"light|lights|lk|lks|ln|lndg|lndng|loaf|lock|locks|lodg|lodge|loop|loops|mall|manor|manors|mdw|"
    r"mdws|meadow|meadows|medows|mews|mill|mills|mission|missn|mls|mnr|mnrs|mnt|mntain|mntn|mntns|"
    r"motorway|mount|mountain|mountains|mountin|msn|mssn|mt|mtin|mtn|mtns|mtwy|nck|neck|opas|orch|"
    r"orchard|orchrd|oval|overpass|ovl|park|parks|parkway|parkways|parkwy|passage|path|paths|"
    r"pike|pikes|pine|pines|pkway|pkwy|pkwys|pky|pl|place|plain|plains|plaza|pln|plns|plz|plza|pne|"
    r"pnes|point|points|port|ports|prairie|prk|prr|prt|prts|psge|pt|pts|rad|radial|radiel|radl|"
    r"ramp|ranch|ranches|rapid|rapids|rd|rdg|rdge|rdgs|rds|ridge|ridges|riv|river|rivr|rnch|"
    r"rnchs|road|roads|route|row|rpd|rpds|rst|rte|rue|rvr|shl|shls|shoal|shoals|shoar|shoars|"
    r"shore|shores|shr|shrs|skwy|skyway|smt|spg|spgs|spng|spngs|spring|springs|sprng|sprngs|"
    r"sq|sqr|sqre|sqrs|sqs|squ|square|squares|st|sta|station|statn|stn|str|stra|strav|"
    r"straven|stravenue|stravn|stream|streme|street|streets|strm|strt|strvn|strvnue|sumit|"
    r"sumitt|summit|ter|terr|terrace|throughway|tpke|trace|traces|track|tracks|trafficway|trail|"
    r"trailer|trails|trak|trce|trfy|trk|trks|trl|trlr|trlrs|trls|trnpk|trwy|tunel|tunl|tunls|"
    r"tunnel|tunnels|tunnl|turnpike|turnpk|underpass|union|unions|upas|valley|valleys|vally|"
    r"vdct|via|viadct|viaduct|view|views|vill|villag|village|villages|ville|villg|villiage|vis|vist|"
    r"vista|vlg|vlgs|vlly|vly|vlys|vst|vsta|vw|vws|walk|walks|way|ways|wls|"
    r"wy|xing|xrd|xrds|close|cl|grove|gr|wynd|rise|drove|chase|yard|yards|parade|pde|esplanade|"
    r"quay|wharf|embankment|crescent|mead|croft|garth|gate|marg|nagar|chowk|gali|colony|layout|cross"
)
_DIR = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_NUM = r"[0-9]{1,6}[A-Za-z]?(?:[\-/][0-9]{1,4}[A-Za-z]?)?"
_WORD = r"(?:\p{Lu}[\p{L}0-9'\u2019.\-]*|[0-9]{1,3}(?:st|nd|rd|th|ST|ND|RD|TH)|of|the|de|la|du|des|del|van|von)"
_UNIT = (r"(?:,?[ \t]*(?i:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Room|Rm|Bldg|Building|Dept|Box|#|No\.?)"
         r"\.?[ \t]*#?[ \t]*[0-9A-Za-z][0-9A-Za-z\-]{0,5})")
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|VI|GU|AS|MP|AA|AE|AP|"
    "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
)
_CITY = r"\p{Lu}[\p{L}'\u2019.\-]*(?:[ \t]+\p{Lu}[\p{L}'\u2019.\-]*){0,3}"
_EIRCODE = r"[A-Z][0-9][0-9W][ \t]?[0-9A-Z]{4}(?![A-Za-z0-9])"
_UK_PC = r"[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}"
# the rest of an address after its street line: unit, then city + state + ZIP, or postcode + city,
# on the same line (after a comma) or on the next line
_TAIL = (
    rf"(?:{_UNIT})?"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+(?=[0-9A-Z]))"
    rf"(?:{_CITY},?[ \t]+(?:{_STATES})\.?[ \t]+[0-9]{{5}}(?:-[0-9]{{4}})?"
    rf"|{_CITY},?[ \t]+(?:{_UK_PC}|{_EIRCODE})"
    rf"|(?:[A-Z]{{1,2}}-)?[0-9]{{4,5}}(?:[ \t]?[A-Z]{{2}})?[ \t]+{_CITY}"
    rf"|[0-9]{{2}}-[0-9]{{3}}[ \t]+{_CITY}"
    rf"|{_UK_PC}"
    rf"|{_CITY}(?=[ \t]*(?:\n|$|,[ \t]*(?:{_UK_PC}|[0-9]{{4,5}}))))"
    rf"(?:,?[ \t]+{_UK_PC})?)?"
)
# "221B Baker Street", "1200 N Main St. Apt 4", "12 rue de la Paix", "12, avenue Foch"
NUMBER_FIRST = regex.compile(
    rf"(?P<street>{_NUM},?[ \t]+(?:{_DIR}[ \t]+)?"
    rf"(?:(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|rua|travessa|"
    rf"avenida|calle|via|viale|piazza|praça|praca|largo|paseo|plaza)"
    rf"[ \t]+(?:(?:de la|de l'|du|des|de|d')[ \t]*)?{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
    rf"|{_WORD}(?:[ \t]+{_WORD}){{0,3}}?[ \t]+(?i:{_SUFFIX})\.?(?:[ \t]+{_DIR})?))"
    rf"(?![\p{{L}}0-9])" + _TAIL
)
# street words written before the name, capitalised as people write them (lower-case "via" is
# English: "paid via Zelle 50")
_EU_STREET_WORDS_TEXT = (
    "Calle C/ Avenida Avda Avda. Plaza Pza. Paseo Pasaje Camino Carretera Ronda Travesía Travesia Glorieta "
    "Callejón Urbanización Rambla Alameda Carrer Passeig Vía Via Viale Piazza Piazzale Corso Largo Vicolo "
    "Strada Contrada Borgo Rotonda Canale Incrocio Stretto Ulica Aleja Plac Osiedle Rua R. Av. Praça Praca "
    "Travessa Estrada Calçada Beco Viela Quinta Avenue Rue Boulevard Chemin Am Im Cuesta Sector Senda Acceso "
    "Av Vial Cañada Canada Bajada Pasadizo"
)
_EU_STREET_WORDS = _EU_STREET_WORDS_TEXT.split()
#: lower-case street words (suffixes and continental prefixes): never the end of a person's name
STREET_WORDS = frozenset(_SUFFIX.split("|")) | frozenset(
    w.lower().rstrip(".") for w in _EU_STREET_WORDS if len(w.rstrip(".")) > 2
)
# street words written before the name, capitalised (or all upper case, as in SWIFT) as people write
# them: lower-case "via" is English ("paid via Zelle 50"); Polish abbreviations are lower case
_EU_WORDS = "|".join(
    [regex.escape(w) for w in _EU_STREET_WORDS] + [regex.escape(w.upper()) for w in _EU_STREET_WORDS]
    + ["ul\\.", "Ul\\.", "UL\\.", "al\\.", "Al\\.", "AL\\.", "pl\\.", "Pl\\.", "os\\.", "ulica", "aleja", "plac",
       "osiedle", "An der", "Auf der", "In der"]
)
# one-word street names ending in a street word; the stem before it has three letters or more
_COMPOUND = (
    r"\p{Lu}[\p{L}'\u2019\-]{2,}(?i:straße|strasse|str\.|weg|platz|allee|gasse|damm|ufer|chaussee|"
    r"straat|laan|plein|gracht|dijk|singel|steeg|baan|vej|gatan|vägen|vagen|veien|gata|väg|katu)"
)
# "Hauptstraße 12", "Calle Mayor 5", "Via Roma 10", "ul. Długa 5", "Kerkstraat 12": the street
# before the number (matched on the text before a digit run, anchored at its end)
NUMBER_AFTER = regex.compile(
    rf"(?:(?<![\p{{L}}])(?:{_EU_WORDS})[ \t]+(?:(?:de la|de los|de las|del|de|di|della|dei|degli)[ \t]+)?"
    rf"\p{{Lu}}[\p{{L}}'\u2019.\-]*(?:[ \t]+\p{{L}}[\p{{L}}'\u2019.\-]*){{0,3}}|(?<![\p{{L}}]){_COMPOUND}),?[ \t]+"
    rf"(?:n[º°o]\.?[ \t]*)?$",
    regex.REVERSE
)
_AFTER_NUM = regex.compile(rf"{_NUM}(?![\p{{L}}0-9])" + _TAIL)
PO_BOX = regex.compile(r"(?i:p\.?[ \t]?o\.?[ \t]?box|post office box|postfach|apartado|casella postale)[ \t]*$", regex.REVERSE)
_PO_TAIL = regex.compile(r"[0-9]{1,6}(?![\p{L}0-9])" + _TAIL)
# "Springfield, IL 62704": city, state, ZIP (anchored at the ZIP's digit run)
_CITY_STATE = regex.compile(rf"(?:{_CITY}),?[ \t]+(?:{_STATES})\.?[ \t]+$", regex.REVERSE)
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
