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

import re
import unicodedata
from collections.abc import Iterable

import regex

from .._native import kernel
from ._shapes import trie


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


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
    r"quay|wharf|embankment|crescent|mead|croft|garth|gate|marg|nagar|chowk|gali|colony|layout|cross|"
    # Australian and New Zealand road types (AS/NZS 4819) and Indian address words
    r"nook|concourse|quadrant|laneway|dip|ramble|promenade|circuit|boulevarde|glade|grange|retreat|"
    r"outlook|corso|brace|broadway|brow|circus|copse|cutting|deviation|fairway|frontage|lookout|"
    r"meander|pathway|plateau|pocket|reach|reserve|ridgeway|riverway|riviera|roadway|siding|steps|"
    r"strand|thoroughfare|tollway|walkway|ganj|zila|cul-de-sac"
)
_DIR = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_NUM = r"[0-9]{1,6}[A-Za-z]?(?:[\-/][0-9]{1,4}[A-Za-z]?)?"
_WORD = r"(?:\p{Lu}[\p{L}0-9'\u2019.\-]*|[0-9]{1,3}(?:st|nd|rd|th|ST|ND|RD|TH)|of|the|de|la|du|des|del|van|von)"
# (a unit word is a whole word: "m" for the Polish "mieszkanie" is not the start of "Melbourne")
_UNIT = (r"(?:,?[ \t]*(?:(?i:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|Room|Rm|Bldg|Building|Dept|Box|No\.?|"
         r"Piano|Appartamento|Interno|Int|Scala|Puerta|Pta|Piso|Escalera|Esc|Planta|Bajo|Stiege|Top|Etage|"
         r"Tür|Bus|Bte|Andar|Lok|m)(?![\p{L}])|#)"
         r"\.?[ \t]*#?[ \t]*[0-9A-Za-z][0-9A-Za-z\-º°]{0,5}|,?[ \t]*(?i:S/N|s\.n\.))")
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|VI|GU|AS|MP|AA|AE|AP|"
    "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
)
_CITY = (r"\p{Lu}[\p{L}'\u2019.\-]*(?:[ \t]+(?:(?:do|da|dos|das|de|del|di|la|le|les|sur|am|an|der|den|"
         r"van|upon|on|en|im)[ \t]+)?\p{Lu}[\p{L}'\u2019.\-]*){0,3}")
_EIRCODE = r"[A-Z][0-9][0-9W][ \t]?[0-9A-Z]{4}(?![A-Za-z0-9])"
_UK_PC = r"[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][ABD-HJLNP-UW-Z]{2}"
# Word lists as tries in the forward patterns (`trie`: a failing match costs a few steps, not one
# per word). Safe here, as each list is followed by something no word's continuation can supply:
# a state code by "." or a blank, a street suffix by a non-letter, a street word before the name by
# a blank; so at most one word of a list can lead to a match, and the order the words are tried in
# changes nothing (`tests/pii/test_pii_address_tries.py` checks the lists and the matches).
_STATES_TRIE = trie(set(_STATES.split("|")))
_SUFFIX_TRIE = trie(set(_SUFFIX.split("|")))
# the rest of an address after its street line: unit, then city + state + ZIP, or postcode + city,
# on the same line (after a comma) or on the next line
_TAIL = (
    rf"(?:{_UNIT})?"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+(?=[0-9A-Z]))"
    rf"(?:{_CITY},?[ \t]+(?:{_STATES_TRIE})\.?[ \t]+(?:[0-9]{{5}}(?:-[0-9]{{4}})?|[A-Z][0-9][A-Z][ \t]?[0-9][A-Z][0-9]|[0-9]{{4}})"
    # "Little Whinging, Surrey GU1 3XX", "Dublin 2, D02 VF65": a locality, a county or district
    rf"|{_CITY}(?:[ \t]+[0-9]{{1,2}}W?)?(?:,[ \t]*{_CITY})?,?[ \t]+(?:{_UK_PC}|{_EIRCODE})"
    rf"|(?:[A-Z]{{1,2}}-)?[0-9]{{4,5}}(?:[ \t]?[A-Z]{{2}})?[ \t]+{_CITY}"
    rf"|[0-9]{{2}}-[0-9]{{3}}[ \t]+{_CITY}|[0-9]{{4}}-[0-9]{{3}}[ \t]+{_CITY}"
    # Indian PIN codes after the city: "Bengaluru 560001", "Mumbai - 400 001"
    rf"|{_CITY}[ \t]*(?:-[ \t]*)?[1-9][0-9]{{2}}[ \t]?[0-9]{{3}}(?![0-9])"
    # Swedish, Czech, Slovak and Greek postcodes: "111 43 Stockholm", "110 00 Praha 1"
    rf"|[0-9]{{3}}[ \t][0-9]{{2}}[ \t]+{_CITY}(?:[ \t]+[0-9]{{1,2}}(?![0-9]))?"
    rf"|{_UK_PC}"
    rf"|{_CITY}(?=[ \t]*(?:\n|$|,[ \t]*(?:{_UK_PC}|[0-9]{{4,5}}))))"
    rf"(?:,?[ \t]+{_UK_PC})?)?"
)
_EU_STREET_WORDS_TEXT = (
    "Calle C/ Avenida Avda Avda. Plaza Pza. Paseo Pasaje Camino Carretera Ronda Travesía Travesia Glorieta "
    "Callejón Urbanización Rambla Alameda Carrer Passeig Vía Via Viale Piazza Piazzale Corso Largo Vicolo "
    "Strada Contrada Borgo Rotonda Canale Incrocio Stretto Ulica Aleja Plac Osiedle Rua R. Av. Praça Praca "
    "Travessa Estrada Calçada Beco Viela Quinta Avenue Rue Boulevard Chemin Am Im Cuesta Sector Senda Acceso "
    "Av Vial Cañada Canada Bajada Pasadizo"
)
# the canonical view drops accents ("Callejón" reads "Callejon"): both spellings
_EU_STREET_WORDS = sorted({w2 for w in _EU_STREET_WORDS_TEXT.split() for w2 in (w, _plain(w))})
#: lower-case street words (suffixes and continental prefixes): never the end of a person's name
STREET_WORDS = frozenset(_SUFFIX.split("|")) | frozenset(
    w.lower().rstrip(".") for w in _EU_STREET_WORDS if len(w.rstrip(".")) > 2
) | {"av"}
# street words written after the number, in any case (French, Iberian, Italian)
_FR_WORDS = (r"rue|avenue|av\.|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|rua|travessa|"
             r"avenida|calle|via|viale|piazza|praça|praca|largo|paseo|plaza")
# Polish abbreviations and words, German "An der ..."
_EU_EXTRA = ("ul.", "Ul.", "UL.", "al.", "Al.", "AL.", "pl.", "Pl.", "os.", "ulica", "aleja", "plac", "osiedle",
             "An der", "Auf der", "In der")
# street words written before the name, capitalised (or all upper case, as in SWIFT) as people write
# them: lower-case "via" is English ("paid via Zelle 50"); Polish abbreviations are lower case
_EU_WORDS = "|".join(
    [regex.escape(w) for w in _EU_STREET_WORDS] + [regex.escape(w.upper()) for w in _EU_STREET_WORDS]
    + [w.replace(".", "\\.") for w in _EU_EXTRA]
)
#: the street words of `_FR_WORDS` and `_EU_WORDS` as literals, for their tries
FR_LITERALS = tuple(w.replace("\\.", ".") for w in _FR_WORDS.split("|"))
EU_LITERALS = (*_EU_STREET_WORDS, *(w.upper() for w in _EU_STREET_WORDS), *_EU_EXTRA)
_FR_TRIE = trie(set(FR_LITERALS))
_EU_TRIE = trie(set(EU_LITERALS))
# "221B Baker Street", "1200 N Main St. Apt 4", "12 rue de la Paix", "12, avenue Foch"
NUMBER_FIRST = regex.compile(
    rf"(?P<street>{_NUM}(?:,?[ \t]+{_NUM}(?=[ \t]+\p{{Lu}}))?,?[ \t]+(?:{_DIR}[ \t]+)?"
    rf"(?:(?:(?i:{_FR_TRIE})|{_EU_TRIE})"
    rf"[ \t]+(?:(?:de la|de l'|du|des|de|d'|da|do|dos|das|di|del|della)[ \t]*)?{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
    rf"|{_WORD}(?:[ \t]+{_WORD}){{0,3}}?[ \t]+(?i:{_SUFFIX_TRIE})\.?(?:[ \t]+{_DIR})?))"
    rf"(?![\p{{L}}0-9])" + _TAIL
)
# street words written before the name, capitalised as people write them (lower-case "via" is
# English: "paid via Zelle 50")
# one-word street names ending in a street word; the stem before it has three letters or more
_COMPOUND_WORDS = (
    r"straße|strasse|str\.|weg|platz|allee|gasse|damm|ufer|chaussee|"
    r"straat|laan|plein|gracht|dijk|singel|steeg|baan|dreef|hof|pad|vej|gatan|vägen|vagen|veien|gata|"
    r"väg|katu|gade|gaden|stræde|straede|plads|torv|tie|kuja|polku|tori|väylä|vayla|kaari"
)
_PLACE_WORDS = ("Straße", "Strasse", "Str.", "Gasse", "Allee", "Platz", "Damm", "Ufer", "Chaussee")
_COMPOUND = (
    rf"\p{{Lu}}[\p{{L}}'\u2019\-]{{2,}}(?i:{_COMPOUND_WORDS})|\p{{Lu}}[\p{{L}}'\u2019\-]{{2,}}(?<![aeiou])(?i:ring)"  # "Kaiserring", not "Offering"
    # "Mariahilfer Straße", "Frankfurter Allee": an adjective of place, then the street word
    r"|\p{Lu}[\p{L}'\u2019\-]{2,}er[ \t]+(?:" + "|".join(map(re.escape, _PLACE_WORDS)) + ")"
)
# "Hauptstraße 12", "Calle Mayor 5", "Via Roma 10", "ul. Długa 5", "Kerkstraat 12": the street
# before the number (matched on the text before a digit run, anchored at its end)
_PARTICLES = "de la|de los|de las|del|de|di|della|dei|degli|do|da|dos|das|du|des|von|van|der|den"
NUMBER_AFTER = regex.compile(
    rf"(?:(?<![\p{{L}}])(?:{_EU_WORDS})[ \t]+(?:(?:{_PARTICLES})[ \t]+)?"
    rf"\p{{Lu}}[\p{{L}}'\u2019.\-]*(?:[ \t]+\p{{L}}[\p{{L}}'\u2019.\-]*){{0,3}}|(?<![\p{{L}}]){_COMPOUND}),?[ \t]+"
    rf"(?:n[º°o]\.?[ \t]*)?$",
    regex.REVERSE
)
_AFTER_NUM = regex.compile(rf"{_NUM}(?![\p{{L}}0-9])" + _TAIL)


def _mirror(words: Iterable[str]) -> str:
    """An alternation of the literal ``words``, each written backwards, in the same order."""
    return "|".join(re.escape(w[::-1]) for w in words)


# `NUMBER_AFTER` for ASCII windows, as the stdlib engine's forward match of the mirrored pattern on
# the window written backwards (see `_after_start`): `regex` matches a REVERSE pattern right to
# left with the same priorities (alternatives in order, greedy repeats longest first), which is
# this, item for item in the other order; a look-behind becomes a look-ahead. On ASCII text the
# letter classes are A-Z / A-Za-z (as in `_ascii_twin`).
_CLS = r"[A-Za-z'\u2019.\-]"
_CLS2 = r"[A-Za-z'\u2019\-]"
_NUMBER_AFTER_MIRROR = re.compile(
    r"(?:[ \t]*\.?[º°o]n)?[ \t]+,?(?:"
    rf"(?:{_CLS}*[A-Za-z][ \t]+){{0,3}}{_CLS}*[A-Z](?:[ \t]+(?:{_mirror(_PARTICLES.split('|'))}))?[ \t]+"
    rf"(?:{_mirror([*_EU_STREET_WORDS, *(w.upper() for w in _EU_STREET_WORDS), *_EU_EXTRA])})(?![A-Za-z])"
    # `_COMPOUND`'s three alternatives stand in `NUMBER_AFTER` without a group of their own: the
    # look-behind before them guards the first only ("xKaiserring 5" matches from "Kaiserring")
    rf"|(?i:{_mirror(w.replace(chr(92), '') for w in _COMPOUND_WORDS.split('|'))}){_CLS2}{{2,}}[A-Z](?![A-Za-z])"
    rf"|(?i:gnir)(?![aeiou]){_CLS2}{{2,}}[A-Z]"
    rf"|(?:{_mirror(_PLACE_WORDS)})[ \t]+re{_CLS2}{{2,}}[A-Z])"
)


def _after_start(window: str) -> int:
    """Where `NUMBER_AFTER` matches in ``window`` (it ends at the window's end), or -1."""
    if not window.isascii():
        b = NUMBER_AFTER.search(window)
        return -1 if b is None else b.start()
    rev = window[::-1]
    m = _NUMBER_AFTER_MIRROR.match(rev)
    if m is None and rev[:1] == "\n":
        m = _NUMBER_AFTER_MIRROR.match(rev, 1)  # ``$`` before a final line break
    return -1 if m is None else len(window) - m.end()


PO_BOX = regex.compile(r"(?i:p\.?[ \t]?o\.?[ \t]?box|post office box|postfach|apartado|casella postale)[ \t]*$", regex.REVERSE)
_PO_TAIL = regex.compile(r"[0-9]{1,6}(?![\p{L}0-9])" + _TAIL)
# "Springfield, IL 62704": city, state, ZIP (anchored at the ZIP's digit run)
_CITY_STATE = regex.compile(rf"(?:{_CITY}),?[ \t]+(?:{_STATES})\.?[ \t]+$", regex.REVERSE)
#: the first run of letters of every street word `NUMBER_FIRST` knows, lower-cased: a house number
#: is followed by one of them (as the start of one of its next few words) or that pattern cannot match
STREET_KEYS = frozenset(
    m.group().lower()
    for w in (*_SUFFIX.split("|"), *_FR_WORDS.split("|"), *_EU_STREET_WORDS, *_EU_EXTRA)
    if (m := re.match(r"[A-Za-z]+", w)) is not None
)
#: the street words `NUMBER_AFTER` needs (lower-cased): one written before the name, or the end of a
#: one-word street; the kernel's `after_maybe` looks for them before the pattern is asked
_AFTER_STREET = frozenset(w.lower() for w in (*_EU_STREET_WORDS, *_EU_EXTRA))
_AFTER_COMPOUND = frozenset((*(w.replace("\\.", ".") for w in _COMPOUND_WORDS.split("|")), "ring"))
UK_POSTCODE = re.compile(rf"{_UK_PC}(?![A-Za-z0-9])", re.ASCII)


def _ascii_twin(rx: regex.Pattern[str]) -> re.Pattern[str]:
    """The forward pattern ``rx`` for ASCII text, on the stdlib engine: the same match (or none)
    at every position of a text for which ``str.isascii()`` holds.

    On ASCII text ``\\p{Lu}`` can only meet ``A-Z`` and ``\\p{L}`` only ``A-Za-z``; everything else
    (alternation order, greedy and lazy repeats, look-arounds, scoped ``(?i:...)``) reads the same
    in both engines, and no non-ASCII letter of these patterns matches an ASCII character in either
    engine's ignore-case (the tests check both, and the matches). Why: `regex` walks these large
    patterns through a graph of nodes that has left the CPU caches by the time an address is asked
    (names, the other families run in between), so each match costs tens of microseconds of cache
    misses; the stdlib engine's compiled code is a compact array, about half the cost.
    """
    src = rx.pattern
    for prop, ascii_class in ((r"[\p{L}", "[A-Za-z"), (r"\p{Lu}", "[A-Z]"), (r"\p{L}", "[A-Za-z]")):
        src = src.replace(prop, ascii_class)  # in a character class first, then standing alone
    if "\\p" in src or "[^\\p" in rx.pattern or rx.flags & ~(regex.VERSION0 | regex.UNICODE):
        raise ValueError("a property or a flag the twin does not translate")
    return re.compile(src)


#: `NUMBER_FIRST`, `_AFTER_NUM` and `_PO_TAIL` for ASCII text (see `_ascii_twin`)
NUMBER_FIRST_ASCII = _ascii_twin(NUMBER_FIRST)
_AFTER_NUM_ASCII = _ascii_twin(_AFTER_NUM)
_PO_TAIL_ASCII = _ascii_twin(_PO_TAIL)


#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON): `street_maybe` spares `NUMBER_FIRST`
_K = kernel("guardwrap.pii._cscan")


#: `_AFTER_STREET` and `_AFTER_COMPOUND` as the kernel's tries
_AFTER_TRIES = (None, None) if _K is None else (_K.trie(sorted(_AFTER_STREET)), _K.trie(sorted(_AFTER_COMPOUND)))


def at_number(text: str, s: int, e: int) -> tuple[int, int, float] | None:
    """An address whose digit run ``text[s:e]`` is its house number, its ZIP code or its PO box
    number: ``(start, end, base score)``."""
    if _K is not None:
        # the C kernel decides which patterns may match, as the Python below decides it
        plan = _K.at_number_plan(text, s, e, STREET_KEYS, _FR_START, _ORDINALS, _PO_WORDS)
        return _planned(text, s, e, plan) if plan else None
    if _street_may_follow(text, e) and (s == 0 or not text[s - 1].isalnum()):
        m = (NUMBER_FIRST_ASCII if text.isascii() else NUMBER_FIRST).match(text, s)
        if m is not None:
            return _unit_before(text, s), _trim(text, m.end()), STREET
    if s == 0 or text[s - 1] not in " \t,º°":
        return None  # the window below would be empty or end otherwise
    lo = max(0, s - 48)
    window = text[lo:s]
    # the word before the number: a street name is capitalised, a PO box says "box"
    j = len(window) - 1
    while j > 0 and window[j] in " \t,º°.":
        j -= 1
    k = j
    while k > 0 and (window[k - 1].isalpha() or window[k - 1] in ".-'"):
        k -= 1
    word = window[k:j + 1]
    if not word:
        return None
    if word[0].isupper() or word[0] in "ou":  # "ul. długa" is written in lower case too
        b = _after_start(window)
        if b >= 0:
            t = (_AFTER_NUM_ASCII if text.isascii() else _AFTER_NUM).match(text, s)
            end = t.end() if t is not None else e
            return lo + b, _trim(text, end), STREET
    if word.lower() in _PO_WORDS or word.lower() == "box":
        p = PO_BOX.search(window)
        if p is not None:
            t = (_PO_TAIL_ASCII if text.isascii() else _PO_TAIL).match(text, s)
            return lo + p.start(), _trim(text, t.end() if t is not None else e), STREET
    if e - s in (5, 10) and 2 <= len(word) <= 3 and word.isupper() and _state_before(window):
        c = _CITY_STATE.search(window)
        if c is not None:
            return lo + c.start(), e, ZIP_LINE
    return None


def _planned(text: str, s: int, e: int, plan: int) -> tuple[int, int, float] | None:
    """`at_number` after the kernel's ``at_number_plan``: the same patterns, in the same order,
    only those the plan allows (bit 16: the kernel's ``runs`` found `after_maybe` true already)."""
    if plan & 1:
        m = (NUMBER_FIRST_ASCII if text.isascii() else NUMBER_FIRST).match(text, s)
        if m is not None:
            return _unit_before(text, s), _trim(text, m.end()), STREET
    if not plan & 14:
        return None
    lo = max(0, s - 48)
    window = text[lo:s]
    if plan & 2 and (plan & 16 or _K.after_maybe(window, _AFTER_TRIES[0], _AFTER_TRIES[1])):  # type: ignore[union-attr]
        b = _after_start(window)
        if b >= 0:
            t = (_AFTER_NUM_ASCII if text.isascii() else _AFTER_NUM).match(text, s)
            end = t.end() if t is not None else e
            return lo + b, _trim(text, end), STREET
    if plan & 4:
        p = PO_BOX.search(window)
        if p is not None:
            t = (_PO_TAIL_ASCII if text.isascii() else _PO_TAIL).match(text, s)
            return lo + p.start(), _trim(text, t.end() if t is not None else e), STREET
    if plan & 8 and _state_before(window):
        c = _CITY_STATE.search(window)
        if c is not None:
            return lo + c.start(), e, ZIP_LINE
    return None


# "Flat 3, ", "Unit 23 ", "Suite 167 ", "Level 2 ", "H.No. 88, ", "Studio 16, " before a house number
_UNIT_BEFORE = regex.compile(
    r"(?<![\p{L}])(?i:flat|apt|apartment|unit|suite|ste|studio|level|floor|room|lot|plot|shop|house no|h\.?[ ]?no)\.?"
    r"[ \t]*[0-9]{0,5}[A-Za-z]?,?[ \t]+$",
    regex.REVERSE,
)
#: every word `_UNIT_BEFORE` knows holds one of these, lower-cased ("house no" and "h.no": "no")
_UNIT_KEYS = ("flat", "apt", "apartment", "unit", "suite", "ste", "studio", "level", "floor", "room", "lot", "shop",
              "no")


def _unit_before(text: str, s: int) -> int:
    """Where a unit written before the house number at ``s`` starts ("Flat 3, 12 Baker Street"),
    or ``s``: `_UNIT_BEFORE` in the 24 characters before it, asked only when that can match (a
    blank or a line break before the number, and in an ASCII window one of `_UNIT_KEYS`)."""
    if s == 0 or text[s - 1] not in " \t\n":
        return s  # the pattern ends in blanks (before a final line break, for ``$``)
    lo = max(0, s - 24)
    window = text[lo:s]
    if window.isascii():
        window = window.lower()
        if not any(k in window for k in _UNIT_KEYS):
            return s
    u = _UNIT_BEFORE.search(text, lo, s)
    return u.start() if u is not None else s


_PO_WORDS = frozenset(("box", "postfach", "apartado", "postale"))
# how the street words written after the number start ("12 rue de la Paix", "5 avenida ...")
_ORDINALS = frozenset(("st", "nd", "rd", "th"))
_FR_START = frozenset(("rue", "ave", "av.", "av ", "bou", "bd ", "pla", "che", "all", "imp", "qua", "rou",
                       "cou", "rua", "tra", "cal", "via", "vie", "pia", "pra", "lar", "pas"))


_STATE_SET = frozenset(_STATES.split("|"))


def _state_before(window: str) -> bool:
    """False only when `_CITY_STATE` cannot match ``window``: it ends in blanks, before them an
    optional full stop, before that a state or province code with a blank before it (the end of
    ``, City, ST ``). The codes are upper-case ASCII in the pattern, matched as written."""
    j = len(window)
    if j and window[j - 1] == "\n":
        return True  # ``$`` before a final line break: the pattern decides
    if not j or window[j - 1] not in " \t":
        return False
    while j and window[j - 1] in " \t":
        j -= 1
    if j and window[j - 1] == ".":
        j -= 1
    return any(j - n >= 1 and window[j - n:j] in _STATE_SET and window[j - n - 1] in " \t" for n in (2, 3))


def _street_may_follow(text: str, e: int) -> bool:
    """Cheap test before `NUMBER_FIRST`: after the number (and a letter, a comma), a space and a
    capitalised word, a French/Iberian street word, a direction or an ordinal ("5th")."""
    n = len(text)
    i = e
    if i < n and text[i].isalpha() and (i + 1 >= n or not text[i + 1].isalpha()):
        i += 1  # "221B"
    if i < n and text[i] in ",/-":
        i += 1
        while i < n and text[i].isdigit():
            i += 1
    if i >= n or text[i] not in " \t,":
        return False
    while i < n and text[i] in " \t,":
        i += 1
    if i < n and text[i].isdigit():  # "23 57 Dawn Causeway": a second number
        j = i
        while j < n and text[j].isdigit():
            j += 1
        if j < n and text[j] in " \t" and j + 1 < n and text[j + 1].isupper():
            i = j + 1
    if i >= n:
        return False
    c = text[i]
    if c.isupper():
        return True
    if c.isdigit():  # an ordinal: "5th Avenue"
        j = i
        while j < n and text[j].isdigit():
            j += 1
        return text[j:j + 2].lower() in _ORDINALS
    return text[i:i + 3].lower() in _FR_START


def _trim(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\n,.;":
        end -= 1
    return end
