"""Person names (``PERSON``): structure first, name lists as evidence.

A name is found by where it stands: after a label (``Name:``, ``Beneficiary``, ``account holder``,
a JSON key, a CSV column named for it), after a title (``Mr``, ``Dr``, ``Frau``), in a salutation
or sign-off, after ``my name is``, on the party line of a SWIFT field (``:50K:``, ``:59:``), as a
transcript speaker. In free text two or three capitalised words count when the name lists back
them: a known given name followed by a known surname (U.S. Census lists, public domain: see
``guardwrap/data/names/SOURCE.md``). Company suffixes, street words and common capitalised words
(``Customer Service``, ``Direct Debit``) keep organisations, streets and headings out.

Everything is compiled and loaded once, when the first `Names` is built.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from functools import cache
from importlib import resources

import regex

from .._native import kernel
from ._addresses import STREET_WORDS
from ._dates import MONTH
from ._layout import MAX_LINE, PREV_LINE_CHARS, Doc
from ._resolve import Span
from ._shapes import word_set as _words

ENTITIES = ("PERSON",)
CONTEXT: dict[str, tuple[str, ...]] = {}

#: scores by the kind of evidence
LABELLED = 0.9
TITLED = 0.9
INTRODUCED = 0.85
GREETED = 0.8
LISTED = 0.75  # known given name + known surname, free text
PARTIAL = 0.55  # known given name + a capitalised word that is no known surname, or the reverse
SPEAKER = 0.7
ROLE = 0.83  # after a role label ("Customer:"): stands when the name lists back it (distinct value)

# a capitalised word; a full stop only after a short one (an initial, "Mr.", "Dr.")
_TOK = (r"(?:(?:\p{Lu}|Mrs|Mr|Ms|Dr|Prof|Sr|Sra|Srta|Jr|St|Mme|Mlle|Hr|Fr|Dott|Sig|Mag|Ing)\.|"
        r"\p{Lu}(?:[\p{L}'\u2019\-]*\p{L})?)")
_PART = r"(?:van|von|de|der|den|da|di|du|del|della|dos|das|le|la|bin|binti|al|el|ter|ten|zu|af|mac|y)"
# One to five capitalised tokens with particles between them, on one line.
# (every token starts with an upper-case letter: testing that first lets the scan skip the
# look-behind at all other characters)
_SEQ = (
    rf"(?=\p{{Lu}})(?<![\p{{L}}\p{{N}}_@/.\-])(?:{_TOK})(?:[ \t]+(?:{_PART}[ \t]+){{0,2}}(?:{_TOK})){{0,5}}(?![\p{{L}}\p{{N}}_@]|-[\p{{L}}\p{{N}}])"
)
SEQ = regex.compile(_SEQ)
# A name in lower case after a self-introduction (a capitalised one is read by SEQ).
_LOWER_HINT = re.compile(r"(?i)name(?:'|\u2019)?s?\b|call me|this is|i am|i'm")
_LOWER_INTRO = re.compile(
    r"(?i)(?<![\w])(?P<cue>my name is|my name's|my name\u2019s|name's|call me|this is|i am|i'm)[ \t]+"
    r"(?P<first>[a-z][a-z'\u2019-]{1,30})(?![\w'])(?:[ \t]+(?P<second>[a-z][a-z'\u2019-]{1,30})(?![\w'-]))?")
#: how every match of `_LOWER_INTRO` starts, lower-cased, in ASCII text
_INTRO_STARTS = ("my name", "name's", "call me", "this is", "i am", "i'm")


def intro_starts(text: str) -> list[int]:
    """For ASCII ``text``: every index where a match of `_LOWER_INTRO` may start, ascending."""
    low = text.lower()
    found = set()
    for cue in _INTRO_STARTS:
        i = low.find(cue)
        while i >= 0:
            found.add(i)
            i = low.find(cue, i + 1)
    return sorted(found)


def intro_matches(text: str, starts: list[int] | None) -> list[re.Match[str]]:
    """``_LOWER_INTRO.finditer(text)``; with ``starts`` (`intro_starts`), matched only there."""
    if starts is None:
        return list(_LOWER_INTRO.finditer(text))
    out = []
    end = 0
    for i in starts:
        if i >= end:
            m = _LOWER_INTRO.match(text, i)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


#: a possessive ending, never part of the name
_POSSESSIVE = ("'s", "\u2019s", "'S", "\u2019S")
_STRONG_INTROS = frozenset(("my name is", "my name's", "name's", "call me"))
#: the particles of `_PART`, for the C kernel's `seq_spans`
_PARTS = frozenset(_PART[3:-1].split("|"))
assert all(p.isascii() and p.isalpha() and p.islower() for p in _PARTS)
#: `SEQ` for ASCII text, on `re` (twice as fast there): in ASCII the letter classes are these sets
SEQ_ASCII = re.compile(
    _SEQ.replace(r"[\p{L}", "[A-Za-z").replace(r"\p{Lu}", "[A-Z]").replace(r"\p{L}", "[A-Za-z]")
    .replace(r"\p{N}", "0-9")
)

TITLES = _words(
    "mr mrs ms miss mx dr prof sir dame lady lord herr frau fr hr mme mlle m sr sra srta sig dott dottssa "
    "pan pani mevr dhr rev fr capt col sgt"
)
SALUTATIONS = _words(
    "dear hi hello hey hiya attn attention bonjour hallo hola ciao cher chère chere liebe lieber "
    "estimado estimada gentile beste szanowny szanowna geehrte geehrter morning afternoon evening"
)
# Phrases right before a name (lower case, last words first matched longest). NAME_LABELS name
# their value ("Beneficiary: ..."); ROLE_LABELS name a role whose value may be speech instead
# ("Customer: Actually, ..."), so they need the name lists' support; DIRECT labels need no colon.
NAME_LABELS = frozenset(
    f"{w} name" for w in ("full", "first", "last", "given", "family", "legal", "maiden", "middle", "customer",
                           "client", "account", "beneficiary", "applicant", "holder", "contact", "cardholder",
                           "card holder", "payee", "payer", "sender", "recipient", "debtor", "creditor",
                           "borrower", "owner", "employee", "patient", "member", "spouse", "guarantor",
                           "ordering customer", "account holder", "registered", "company contact")
) | _words("""name surname beneficiary applicant co-applicant borrower co-borrower guarantor payee payer remitter
    cardholder signatory signature employee tenant landlord spouse nominee insured policyholder passenger
    traveller traveler witness ubo settlor executor deceased titulaire nom nome nombre cognome apellido
    apellidos naam nazwisko imie inhaber kontoinhaber empfanger begunstigter beneficiario beneficiaire
    ordenante auftraggeber attn attention signed attorney alias aka vorname nachname prénom prenom voornaam
    achternaam empfänger begünstigter bénéficiaire destinataire destinatario titular rekeninghouder
    kontoinhaberin inhaberin""") | frozenset((
    "account holder", "acct holder", "card holder", "ordering customer", "joint holder", "beneficial owner",
    "next of kin", "contact person", "account owner", "relationship manager", "signed by", "authorised by",
    "authorized by", "approved by", "prepared by", "requested by", "submitted by", "verified by",
    "reviewed by", "handled by", "name is", "from", "sent by", "reply to", "to", "cc", "opened by", "created by",
    "raised by", "reported by", "logged by", "written by", "called by", "submitted by", "cust name", "acct name",
    "a/c name", "ac name", "bene name", "benef name", "bene", "benef", "holder", "power of attorney",
    "also known as", "a.k.a."))
DIRECT_LABELS = frozenset((
    "beneficiary", "account holder", "cardholder", "card holder", "payee", "remitter", "attn", "attention",
    "signed by", "authorised by", "authorized by", "approved by", "prepared by", "requested by",
    "submitted by", "verified by", "reviewed by", "handled by", "name is", "opened by", "created by", "raised by",
    "reported by", "logged by", "written by", "called by", "sent by", "aka", "a.k.a.", "also known as"))
ROLE_LABELS = _words("""cust clnt customer client caller agent rep representative advisor adviser officer member owner
    contact holder director shareholder trustee introducer referrer patient kunde kundin cliente klant klient
    berater beraterin conseiller conseillère asesor asesora""")
INTROS = frozenset((
    "my name is", "my name's", "name's", "this is", "i am", "i'm", "im", "it's", "its", "call me", "called",
    "speaking with", "spoke with", "spoke to", "talked to", "speak to", "passed to", "transferred to",
    "transfer to", "on behalf of", "je m'appelle", "je suis", "ich bin", "ich heiße", "ich heisse",
    "mein name ist", "me llamo", "soy", "mi chiamo", "sono", "nazywam się", "jestem", "mijn naam is", "ik ben",
    "meu nome é", "chamo-me"))
SIGNOFFS = frozenset((
    "regards", "best", "best wishes", "thanks", "thank you", "many thanks", "cheers", "sincerely",
    "yours sincerely", "yours faithfully", "yours truly", "yours", "kind regards", "warm regards",
    "best regards", "respectfully", "cordially", "take care", "mit freundlichen grüßen",
    "mit freundlichen grussen", "viele grüße", "gruß", "cordialement", "bien à vous", "saludos", "un saludo",
    "atentamente", "cordiali saluti", "distinti saluti", "saluti", "met vriendelijke groet", "groeten",
    "pozdrawiam", "z poważaniem", "atenciosamente", "cumprimentos"))
_DELIMS = ":=-\u2013>\"'{([|"
_TAIL_DEL = str.maketrans({c: " " for c in "\"{}()[]_,;|"})


def _tail(pre: str) -> tuple[list[str], bool]:
    """The last words of ``pre`` (lower case, quotes and underscores as spaces) and whether a
    delimiter (":", "=", "-", a JSON key's quote) separates them from what follows."""
    t = pre.rstrip()
    delim = False
    while t and t[-1] in _DELIMS:
        delim = True
        t = t[:-1].rstrip()
    return [w.strip("'") for w in t[-40:].lower().translate(_TAIL_DEL).split()[-4:]], delim


def _phrase(words: list[str], phrases: frozenset[str]) -> str | None:
    for n in (4, 3, 2, 1):
        if len(words) >= n:
            p = " ".join(words[-n:])
            if p in phrases:
                return p
    return None


# what a phrase right before a name is: one look-up for all kinds of cue
_NAME, _DIRECT, _ROLE, _INTRO = 1, 2, 4, 8
_CUES: dict[str, int] = {}
for _kind, _set in ((_NAME, NAME_LABELS), (_DIRECT, DIRECT_LABELS), (_ROLE, ROLE_LABELS), (_INTRO, INTROS)):
    for _p in _set:
        _CUES[_p] = _CUES.get(_p, 0) | _kind


def _cue_kinds(words: list[str]) -> int:
    """Kinds of every phrase (the last 1-4 words) that ends ``words``."""
    kinds = 0
    for n in range(min(4, len(words)), 0, -1):
        kinds |= _CUES.get(" ".join(words[-n:]), 0)
    return kinds


_COMMA_FIRST = regex.compile(rf",[ \t]?({_TOK})(?:[ \t]+{_TOK})?(?![\p{{L}}\p{{N}}])")
def _comma_first_end(text: str, ne: int) -> int:
    """Where a name ending at ``ne`` ends when a given name follows after a comma ("SMITH, John")."""
    m = _COMMA_FIRST.match(text, ne)
    return m.end() if m is not None and fold(m.group(1)) not in STOP else ne


_SWIFT_PARTY = re.compile(r":(?:50[AFKL]?|59[AF]?|52[AD]|57[AD]):")

# Capitalised words that are not (the start or end of) a person's name in these texts.
STOP = _words("""
a an the and or of for to in on at by with from as is are was were be been it its this that these those
i we you he she they me my our your his her their us them not no yes ok okay please thanks thank hello hi
dear regards best kind sincerely yours cheers team all everyone sir madam customer customers client
clients service services support help desk helpdesk center centre care office branch head department
dept manager management account accounts accounting acct bank banking  card cards debit credit
direct transfer transfers payment payments pay paid payee balance statement statements loan loans
mortgage mortgages savings saving checking current deposit deposits withdrawal fund funds fee fees charge
charges rate rates interest tax taxes income invoice invoices order orders receipt refund refunds
dispute disputes claim claims fraud security alert alerts notice notification update updates request
requests application applications form forms document documents id identity number no ref reference
date time day today tomorrow yesterday week month year monday tuesday wednesday thursday friday
saturday sunday january february march   july  september october november december jan
feb mar apr jun jul aug sep sept oct nov dec new old north south east west northern southern eastern
western central upper lower great  big street st road rd avenue ave  ln drive dr court ct
place pl boulevard blvd way terrace close crescent grove gardens square sq  parkway highway hwy
circle trail plaza   heights view ridge point station   valley mount mountain
beach bay island port harbour harbor city town village county state province district region country
united kingdom states america american british english european national international global federal
royal first second third one two three limited ltd inc llc llp plc gmbh ag sa sas sarl bv nv corp co
company companies group holdings holding partners partner associates industries enterprises
solutions systems technologies technology consulting capital financial finance insurance investments
investment trust trusts securities markets market exchange express mutual union credit cooperative
foundation university college school hospital clinic pharmacy store stores shop shops supermarket
restaurant cafe café bar hotel motors airlines airways online mobile app web website internet email
mail phone call message messages chat sms text note notes summary details detail total amount amounts
subject re fw fwd cc bcc attached attachment error warning info debug trace log logs status success
failed pending approved declined rejected completed processing user admin system server host api json
http https www com org net uk us eu usd eur gbp chf pln visa mastercard amex maestro paypal swift sepa
iban bic aba ach wire kyc aml ssn nhs dob pin cvv otp pan tin vat gdpr ceo cfo cto vp hr it qa pm am
private personal business corporate commercial retail premier premium   platinum  blue
 red      orange purple pink yellow home  flat apartment unit suite
floor room building tower apt box po lot block estate manor lodge cottage farm
good morning afternoon evening night great nice happy thank please sorry welcome congratulations
monthly weekly daily annual annually quarterly  section chapter part item table figure appendix
koninklijke q a yes no null none true false nan n/a tbd asap fyi eta im ive ill id youre wealth can could would should
shall might must do does did have has had get got let lets make see sure actually also just well so but
then now right perfect yeah yep nope what when where why how who which there here thats whats hes shes
theyre were weve  agent caller rep representative advisor adviser officer applicant
ihre ihr ihnen sie unser unsere unserer votre vous nous notre usted ustedes uw jouw onze vostro vostra nasz
aka attorney solicitor notary
contact contacts ask remind inform notify ping invite forward send reply respond escalate assign approve
reject verify confirm check review add remove include introduce greet follow copy book schedule tell show
give visit meet advise warn instruct refer connect email e-mail ring text phone message thank congratulate
vielen dank danke bitte guten tag morgen abend hallo servus tschüss ja nein genau gerne leider
buenos buenas días dias tardes noches gracias vale claro bonjour bonsoir merci oui non
grazie buongiorno buonasera prego goedemorgen goedemiddag bedankt graag
""")

# Words after (or ending) a capitalised sequence that make it an organisation.
AFTER_STOP = _words("""
inc llc llp ltd plc gmbh ag sa sas sarl bv nv kg ohg spa srl sl slne sc corp co company group holdings
partners associates bank bancorp trust capital financial insurance services solutions consulting
industries enterprises foundation university college school hospital clinic pharmacy store stores
shop market restaurant cafe café bar hotel motors airlines law legal & sons son syn synowie filhos figli
fils hijos söhne sohne wealth management spa srl snc sas sapa scs eirl sprl bvba lda sgps ev eg ug
""")# Firms named after people, whose two words the name lists would otherwise both back.
FIRMS = _words("""
morgan-stanley charles-schwab edward-jones raymond-james jackson-hewitt merrill-lynch dean-witter
goldman-sachs wells-fargo marks-spencer johnson-johnson ernst-young hewlett-packard dow-jones jp-morgan
john-lewis harvey-nichols morgan-chase fifth-third sherwin-williams ralph-lauren tommy-hilfiger
calvin-klein hugo-boss ted-baker paul-smith louis-vuitton estee-lauder kate-spade michael-kors
tory-burch jimmy-choo jack-wills walt-disney harley-davidson rolls-royce aston-martin mercedes-benz
johnnie-walker jack-daniels betty-crocker sara-lee martha-stewart wendy-williams thomas-cook
dick-smith john-deere charles-tyrwhitt ann-taylor ben-sherman jack-wolfskin dorothy-perkins
carter-bank edward-jones lloyd-george warren-buffett
""")

#: verbs only a person does, right after two or three capitalised words: they make the words a name
#: even unlisted and at the start of a sentence ("Kwame Mensah called about the fee")
PERSON_VERBS = _words("""called phoned rang emailed e-mailed texted messaged wrote said says asked asks told tells
    visited complained complains explained explains mentioned confirmed confirms stated claims claimed insisted
    insists disputed disputes requested requests authorised authorized signed agreed agrees denied denies
    replied replies responded spoke speaks apologised apologized promised admitted forgot forgets
    withdrew deposited married divorced passed died lives lived""")

#: a single capitalised word that is one of these is no name on its own
_NO_SINGLE = STOP | TITLES | SALUTATIONS

_FOLD = str.maketrans({"ß": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "đ": "d",
                       "Đ": "d", "œ": "oe", "'": "", "\u2019": "", "\u0131": "i"})


def fold(token: str) -> str:
    """Lower-case ASCII form of a name token (``Müller`` -> ``muller``, ``O'Brien`` -> ``obrien``)."""
    t = token.lower()
    if not t.isascii():
        t = t.translate(_FOLD)
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    else:
        t = t.replace("'", "")
    return t


def _crc(name: str) -> int:
    return zlib.crc32(name.encode())


@cache
def _lists() -> tuple[frozenset[str], array[int]]:
    """Given names (a set) and surnames (sorted CRC-32s: 4 bytes a name instead of ~60)."""
    base = resources.files("guardwrap") / "data" / "names"
    first = frozenset(base.joinpath("first_names.txt").read_text().split())
    with base.joinpath("surnames.txt.gz").open("rb") as fh:
        names = gzip.decompress(fh.read()).decode().split()
    last = array("I", sorted({_crc(n) for n in names}))
    return first, last


class Names:
    """The PERSON detector: ``scan`` appends ``(start, end, "PERSON", score)`` to a list."""

    __slots__ = ("_cfg", "_first", "_last", "_ncfg")

    def __init__(self) -> None:
        self._first, self._last = _lists()
        #: what the C kernels ``judge`` and ``names_scan`` read: the word lists, the surnames' CRC-32s
        #: (`is_last`, done in C), the look-ups they call back, scores
        self._cfg = (
            TITLES, SALUTATIONS, AFTER_STOP, STREET_WORDS, STOP, frozenset(MONTH), FIRMS, _ANDS, self._first,
            self._last, _org_after_and, _comma_first_end, "PERSON",
            (TITLED, GREETED, LABELLED, ROLE, SPEAKER, LISTED, PARTIAL, INTRODUCED),
            (SIGNOFFS, _CUES, _is_name_header, MAX_LINE, PREV_LINE_CHARS),  # `_context`, also in C
            PERSON_VERBS,
        )
        #: ``_cfg`` and `seq_spans`' sets parsed once for the C kernel's ``names_scan``
        self._ncfg = None if _K is None else _K.names_config(self._cfg, _PARTS, _NO_SINGLE, _CUE_LAST_WORDS)

    def is_first(self, folded: str) -> bool:
        return folded in self._first and folded not in STOP

    def is_last(self, folded: str) -> bool:
        if folded in STOP or len(folded) < 2:
            return False
        parts = folded.split("-")  # double-barrelled: either half
        last = self._last
        for p in parts:
            c = _crc(p)
            i = bisect_left(last, c)
            if i < len(last) and last[i] == c:
                return True
        return False

    def scan(self, doc: Doc, out: list[Span]) -> None:
        n0 = len(out)
        self._scan(doc, out)
        text = doc.text
        for i in range(n0, len(out)):
            s, e, etype, score = out[i]
            if text[e - 2:e] in _POSSESSIVE and e - 2 > s:
                # "Ahmed Khan's account": the name is "Ahmed Khan"
                out[i] = (s, e - 2, etype, score)

    def _scan(self, doc: Doc, out: list[Span]) -> None:
        text = doc.text
        plain_text = text.isascii()
        pieces = None if plain_text else ascii_stretches(text)
        # the ASCII stretches of other text with their neutral characters as "~" (what the C
        # kernels read), None for the other lines
        chunks: list[str | None] = []
        if pieces is not None:
            for a, b, plain in pieces:
                chunk = text[a:b] if plain else None
                if chunk is not None and not chunk.isascii():
                    chunk = _NEUTRAL_RE.sub("~", chunk)
                chunks.append(chunk)
        if plain_text:
            # the case-insensitive regex costs more than its answer is worth: in ASCII text
            # lower-casing is exact, and every match starts where a cue starts
            starts = intro_starts(text) if _K is None else _K.cue_starts(text, _INTRO_STARTS)
            if starts:
                self._lower_intros(text, out, intro_matches(text, starts))
        else:
            # no match crosses a line: ASCII stretches as ASCII text, the other lines by the regex
            # (line by line: the case-insensitive regex over the whole text first costs more than
            # it saves; it finds a cue wherever a piece does)
            matches: list[re.Match[str]] = []
            for (a, b, _), chunk in zip(pieces, chunks, strict=True):  # type: ignore[arg-type]
                if chunk is not None:
                    # neutral characters are in no cue, and as "~" in none either
                    starts = intro_starts(chunk) if _K is None else _K.cue_starts(chunk, _INTRO_STARTS)
                    if starts:
                        matches += intro_matches(text, [i + a for i in starts])
                elif _LOWER_HINT.search(text, a, b) is not None:
                    matches += _LOWER_INTRO.finditer(text, a, b)
            if matches:
                self._lower_intros(text, out, matches)
        if ":" in text or "=" in text:
            if plain_text and _K is not None:
                # the labels found in C, and of them only those followed by a lower-case word
                for e, party in _K.label_ends(text, _LABEL_CORES, _PARTY_CORES, _LABEL_PREFIXES, _LABEL_NOT):
                    self._label_value(text, e, party, out)
            else:
                self._lower_labels(text, text.lower(), out)
        if _K is not None:
            # the same sequences and the same judgement, in C (`seq_spans` and `_judge` below are
            # the reference); the C kernel reads ASCII only, so in other text it takes the
            # stretches of lines that are ASCII once their neutral characters are "~"
            # (`ascii_stretches`), and the lines with other characters stay in Python
            if pieces is None:
                self._scan_c(doc, text, 0, out)
                return
            for (a, b, _), chunk in zip(pieces, chunks, strict=True):
                if chunk is not None:
                    self._scan_c(doc, chunk, a, out)
                else:
                    for s, e in seq_spans(text, a, b):
                        hit = self._judge(doc, s, e)
                        if hit is not None:
                            out.append(hit)
            return
        for s, e in seq_spans(text):
            hit = self._judge(doc, s, e)
            if hit is not None:
                out.append(hit)

    def _couple(self, toks: list[tuple[int, int, str]], titled: bool, w1: str | None, w2: str | None) -> bool:
        """Whether the name ``toks`` and the words ``w1`` (and ``w2``) on the far side of an "&" are
        two people ("Tom Baker & Sylvia Baker", "Mr & Mrs Smith") rather than a firm ("Marks &
        Spencer", "Davis Polk & Wardwell"): this side is titled or a known given name and another
        word, the other side a title or a known given name and another word (`_amp_after`,
        `_amp_before`)."""
        if w1 is None:
            return False
        if not titled and (len([t for t in toks if t[2] not in STOP]) < 2 or not self.is_first(toks[0][2])):
            return False
        f1 = fold(w1.rstrip("."))
        if f1 in TITLES:
            return True
        return w2 is not None and self.is_first(f1)

    def _scan_c(self, doc: Doc, chunk: str, off: int, out: list[Span]) -> None:
        """The C kernels on ``chunk``: ``doc.text`` (``off`` 0) or whole ASCII lines of it starting
        at ``off`` (`ascii_stretches`)."""
        # `seq_spans` and `_judge` of each span in one call; a span comes back as (start, end) where
        # the C judge gives NotImplemented (the line before it is not ASCII but for neutral
        # characters): judged here
        ncfg = self._ncfg
        if ncfg is None:  # built while the kernel was off
            ncfg = self._ncfg = _K.names_config(self._cfg, _PARTS, _NO_SINGLE, _CUE_LAST_WORDS)  # type: ignore[union-attr]
        for hit in _K.names_scan(chunk, doc, ncfg, off, _TO_TILDE):  # type: ignore[union-attr]
            if len(hit) == 2:
                hit = self._judge(doc, *hit)
                if hit is None:
                    continue
            out.append(hit)

    def _lower_intros(self, text: str, out: list[Span], matches: list[re.Match[str]]) -> None:
        """A name typed in lower case right after the writer introduces themself ("my name is kevin
        obrien", "call me priya", "this is priya sharma calling"). One word must be on the given-name
        list; two words count when the first is a known given name or the second a known surname
        after a strong introduction ("my name is", "call me", "this is ... calling"), and when both
        are known after a weak one ("this is grace period" is no name). ``matches``: those of
        `_LOWER_INTRO` in ``text``, in order."""
        for m in matches:
            first, second = m.group("first"), m.group("second")
            f1 = fold(first)
            if f1 in _NO_SINGLE:
                continue
            fn = self.is_first(f1)
            f2 = None if second is None else fold(second)
            two = f2 is not None and f2 not in _NO_SINGLE
            strong = m.group("cue").lower().replace("\u2019", "'") in _STRONG_INTROS or (
                _next_word(text, m.end("second") if two else m.end("first")) in _SELF_ID_AFTER
            )
            if two and ((self.is_last(f2) and (fn or strong)) or (strong and fn)):  # type: ignore[arg-type]
                end = m.end("second")
                if f2 in _PARTS:  # "tirza van der veen": the particles and the surname after them
                    x = _PARTICLES_THEN_WORD.match(text, end)
                    if x is not None and fold(x.group(1)) not in _NO_SINGLE:
                        end = x.end()
                out.append((m.start("first"), end, "PERSON", INTRODUCED))
            elif strong and fn:
                out.append((m.start("first"), m.end("first"), "PERSON", INTRODUCED))

    def _lower_labels(self, text: str, low: str, out: list[Span]) -> None:
        """A name in lower case after a name label and a colon or "=" ("name: priya sharma",
        ``"beneficiary": "kwame mensah"``, ``full_name=joaquim pereira``): a capitalised one is
        read by `SEQ`. Up to three words, none of them a common word; one of them must be on the
        name lists (a given name first, or a surname after it)."""
        for core in _LABEL_CORES:
            i = low.find(core)
            while i >= 0:
                e = i + len(core)
                if _label_word_ok(low, i, e):
                    self._label_value(text, e, core in _PARTY_CORES, out)
                i = low.find(core, e)

    def _label_value(self, text: str, e: int, party: bool, out: list[Span]) -> None:
        """The name in lower case after the label that ends at ``e``, if any, onto ``out``."""
        m = _AFTER_LABEL.match(text, e)
        if m is not None:
            hit = self._lower_value(m, party)
            if hit is not None:
                out.append(hit)

    def _lower_value(self, m: re.Match[str], party: bool) -> Span | None:
        """The name in a lower-case label value, or None. ``party``: the label names a party to a
        payment (a payee may be a company or a bill: "payee: gas council"), so only a known given
        name followed by a known surname stands."""
        words = m.group("words").split()
        if not words[0][0].islower() or len(words[0]) < 2:
            return None  # a capitalised value is `SEQ`'s
        spans = []
        pos = m.start("words")
        for w in words:
            j = m.string.find(w, pos)
            spans.append((j, j + len(w)))
            pos = j + len(w)
        folded = [fold(w) for w in words]
        k = 0
        while k < len(folded) and folded[k] not in _NO_SINGLE and folded[k] not in _NOT_A_NAME:
            k += 1
        if k == 0:
            return None
        folded = folded[:k]
        if party:
            ok = k >= 2 and self.is_first(folded[0]) and self.is_last(folded[-1])
        else:
            ok = self.is_first(folded[0]) or any(self.is_last(f) for f in folded[1:]) or (
                k == 1 and self.is_last(folded[0]))
        if ok:
            return (spans[0][0], spans[k - 1][1], "PERSON", INTRODUCED)
        return None

    def _judge(self, doc: Doc, s: int, e: int) -> Span | None:
        text = doc.text
        toks = []
        i = s
        for w in text[s:e].split():
            j = text.find(w, i)
            i = j + len(w)
            if w[0].isupper():  # particles ("van", "de") are lower case and not tokens
                b = w.rstrip(".")
                toks.append((j, j + len(b), b.lower().replace("'", "") if b.isascii() else fold(b)))
        # particles between the tokens are not tokens of their own (they are lower case)
        cue = 0.0
        titled = False  # a title before it: "Herr Müller, Ihre ..." is no "SMITH, John"
        # leading titles and greetings
        while toks and (toks[0][2] in TITLES or toks[0][2] in SALUTATIONS):
            word = toks[0][2]
            titled = titled or word in TITLES
            cue = max(cue, TITLED if word in TITLES else GREETED)
            toks.pop(0)
        acted = False  # a person's verb right after the sequence ("Kwame Mensah called about ...")
        # a trailing organisation/street word, or one right after the sequence, rules it out
        if toks:
            last = toks[-1][2]
            if last in AFTER_STOP:
                return None
            # "Alexandra Ville", "Praça Almeida": a street word that is no name ends or starts it
            if (last in STREET_WORDS and not self.is_last(last)) or (
                toks[0][2] in STREET_WORDS and not self.is_first(toks[0][2]) and not self.is_last(toks[0][2])
            ):
                return None
            nxt = _next_word(text, e)
            acted = nxt in PERSON_VERBS
            if nxt == "&":
                if not self._couple(toks, titled, *_amp_after(text, e)):
                    return None  # "Marks & Spencer", "SCHARROO & VAN DEN BROEK"
            elif nxt in AFTER_STOP or (nxt in _ANDS and _org_after_and(text, e)):
                return None
            if nxt.isdigit() and last in MONTH:
                return None  # "May 14, 1950"
            j = s - 1
            while j > 0 and text[j] == " ":
                j -= 1
            if j >= 0 and text[j] == "&" and not self._couple(toks, titled, *_amp_before(text, j)):
                return None  # "SCHARROO & VAN DEN BROEK"
        # cut at the first common word: "Customer Service", "Thanks John" (after "Thanks")
        while toks and toks[0][2] in STOP:
            toks.pop(0)
        for i, t in enumerate(toks):
            if t[2] in STOP:
                toks = toks[:i]
                break
        if not toks or len(toks) > 6:
            return None
        ns, ne = toks[0][0], toks[-1][1]
        k = len(toks)
        first, last = toks[0][2], toks[-1][2]
        if k == 2 and f"{first}-{last}" in FIRMS:
            return None
        if all(len(t[2]) <= 1 for t in toks):
            return None  # single initials
        if cue == 0.0:
            cue = self._context(doc, ns, k)
            if cue < 0:
                return None  # a table cell whose column is not a name
        if cue == 0.0 and k == 1:
            return None
        if k > 4 and cue < LABELLED:
            return None
        fn = self.is_first(first)
        ln = k >= 2 and self.is_last(last)
        if cue >= LABELLED and k <= 2 and not titled:
            ne = _comma_first_end(text, ne)  # "SMITH, John" after a label or on a SWIFT party line
        if cue >= GREETED and cue != ROLE:
            if k == 1 and not (fn or self.is_last(first)) and cue < LABELLED:
                # "Dear Valued Customer" is cut by STOP; an unknown single word after "Hi" may be
                # anything ("Hi Team" is STOP, "Hi Rajesh" is a name): keep it, slightly lower
                return (ns, ne, "PERSON", cue - 0.15)
            return (ns, ne, "PERSON", cue)
        if cue == ROLE and k >= 2 and text[ns - 2:ns - 1] not in ":=":
            return (ns, ne, "PERSON", cue)  # "customer Renzo Asmundo presented ..."
        if cue in (SPEAKER, ROLE):
            return (ns, ne, "PERSON", cue) if fn or ln else None
        if k < 2:
            return None
        if fn and ln:
            return (ns, ne, "PERSON", LISTED)
        acted = acted and ne == e and k <= 3
        if not (fn or ln or acted):
            return None
        if all(text[a:b].isupper() for a, b, _ in toks) or (_sentence_start(text, ns) and not acted):
            return None  # upper case throughout, or the first word of a sentence
        return (ns, ne, "PERSON", PARTIAL)

    def _context(self, doc: Doc, ns: int, k: int) -> float:
        """The strongest cue around a name candidate at ``ns``: label, intro, sign-off, SWIFT party
        line, table column, transcript speaker."""
        text = doc.text
        ls = doc.line_start(ns)
        if ls < 0:
            ls = ns - 48  # deep inside a very long line: no line start near
        pre = text[max(ls, ns - 48):ns]
        if pre.strip() == "" or pre.endswith(("/", "1/")):
            # start of a line: sign-off above it, SWIFT party field, speaker label
            if ls > 0:
                prev = doc.prev_line(ls)
                if prev[-1:] in ",.!" or prev[-1:].isalpha():
                    words = prev[-40:].lower().rstrip(",.! ").split()
                    if _phrase(words, SIGNOFFS):
                        return INTRODUCED
                if (prev[:2] == ":5" and _SWIFT_PARTY.match(prev)) or (
                    text.startswith(":5", ls) and _SWIFT_PARTY.match(text, ls)
                ):
                    return LABELLED
            header = doc.column_header(ns)
            if header is not None:
                return LABELLED if _is_name_header(header) else -1.0
            le = text.find("\n", ns, ns + 64)
            rest = text[ns:le if le >= 0 else ns + 64]
            colon = rest.find(":")
            if 0 < colon <= 40 and rest[:colon].count(" ") <= 3:
                return SPEAKER
            # a record row without a header: "Kwame Mensah,166-66-7739,01/02/1980"
            j = 0
            while j < len(rest) and (rest[j].isalpha() or rest[j] in " '.-"):
                j += 1
            if j < len(rest) and rest[j] in ",;|" and rest[:j].count(" ") <= 4:
                r = rest[j + 1:].lstrip(" ")
                if r[:1].isdigit() or (r[:1] in ("+", "(") and r[1:2].isdigit()):
                    return SPEAKER
            return 0.0
        if text.startswith(":5", ls) and _SWIFT_PARTY.match(text, ls) and (
            pre.lstrip(":/0123456789ABCDEFKL").strip() == ""
        ):
            return LABELLED
        if pre.rstrip().endswith(","):
            words = pre[-40:].lower().rstrip(", ").split()
            if _phrase(words, SIGNOFFS) and (len(words) < 3 or words[-3][-1:] in ".!?"
                                             or _phrase(words[-2:], SIGNOFFS)):
                return INTRODUCED  # "... Reference: INV-1. Thanks, Henri"
        words, delim = _tail(pre)
        kinds = _cue_kinds(words)
        if kinds:
            if kinds & _NAME and (delim or kinds & _DIRECT):
                return LABELLED
            if kinds & _ROLE and (delim or k >= 2):
                return ROLE
            if not delim and kinds & _INTRO:
                return INTRODUCED
        header = doc.column_header(ns)
        if header is not None:
            return LABELLED if _is_name_header(header) else -1.0
        return 0.0


_NAME_HEADERS = ("name", "customer", "client", "beneficiary", "holder", "applicant", "payee", "payer",
                 "borrower", "owner", "employee", "contact", "cardholder", "sender", "recipient", "surname",
                 "debtor", "creditor", "guarantor", "signatory", "agent", "member", "patient", "insured")


def _is_name_header(header: str) -> bool:
    known = _NAME_HEADER_SEEN.get(header)
    if known is None:
        if len(_NAME_HEADER_SEEN) > 4096:
            _NAME_HEADER_SEEN.clear()
        known = _NAME_HEADER_SEEN[header] = _name_header(header)
    return known


#: header cell -> `_name_header` (a table asks once per cell of every row)
_NAME_HEADER_SEEN: dict[str, bool] = {}


def _name_header(header: str) -> bool:
    return any(w in header for w in _NAME_HEADERS) and not any(
        w in header for w in ("id", "number", "no", "email", "phone", "address", "bank", "company", "merchant")
        if w in header.split()
    )


#: last words of the labels and introductions that may stand right before a name without a colon
_CUE_LAST_WORDS = frozenset(p.rsplit(" ", 1)[-1] for p in (*DIRECT_LABELS, *INTROS, *ROLE_LABELS))


def _may_follow_cue(text: str, s: int) -> bool:
    """Cheap test before `Names._context` for a single capitalised word at ``s``: the start of a
    line, a delimiter (":", "=", a quote, a comma in a table) or a cue word right before it."""
    j = s - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] in "\n:=\"'>-,;|/(\u2013":
        return True
    k = j
    while (k > 0 and text[k - 1].isalpha()) or (k > 0 and text[k - 1] == "'"):
        k -= 1
    return text[k:j + 1].lower() in _CUE_LAST_WORDS


#: after a particle ("van"): more particles, then the surname
_PARTICLES_THEN_WORD = re.compile(rf"(?i)(?:[ \t]+{_PART}(?=[ \t]))*[ \t]+([^\W\d_][^\W\d_'\u2019-]*)(?![\w'-])")
#: a word after a weak introduction that makes it one ("this is priya sharma calling")
_SELF_ID_AFTER = frozenset(("calling", "speaking", "here", "writing", "ringing"))
#: the words a name label ends with; `_label_word_ok` says which words may come before them
_LABEL_CORES: tuple[str, ...] = ("name", "beneficiary", "payee", "holder", "remitter", "applicant", "borrower", "guarantor",
                "signatory")
#: label cores whose value may be a company or a bill as well as a person
_PARTY_CORES = frozenset(("beneficiary", "payee", "remitter"))
#: what may stand before a label's core word, glued ("surname", "full_name") or as a word before it
_LABEL_PREFIXES = frozenset((
    "", "sur", "first", "last", "full", "given", "family", "legal", "maiden", "middle", "customer", "client",
    "account", "acct", "cust", "card", "cardholder", "account holder", "beneficiary", "bene", "benef", "payee",
    "payer", "sender", "recipient", "contact", "applicant", "borrower", "owner", "member", "spouse", "guarantor",
    "debtor", "creditor", "employee", "patient", "insured", "joint", "primary", "secondary", "co", "ordering",
    "authorised", "authorized"))
#: words before a label that make it no person's name ("company name: ...", "user name = ...")
_LABEL_NOT = frozenset((
    "company", "business", "bank", "merchant", "product", "file", "host", "domain", "street", "user", "display",
    "brand", "trading", "employer", "branch", "device", "app", "field", "column", "table", "plan", "fund",
    "scheme", "service", "server", "model", "city", "town", "country", "org", "organisation", "organization",
    "firm", "shop", "store", "vendor", "supplier", "variable", "class", "function", "package", "project",
    "team", "group", "role", "event", "campaign", "policy", "pet", "place", "venue", "building", "road", "key"))
#: words a label may be followed by that are no name ("name: not provided", "payee: unknown")
_NOT_A_NAME = _words("""unknown provided given required optional missing none null nil na redacted withheld
    hidden masked removed anonymous anon same above below see tbd tbc pending blank empty invalid test sample
    example placeholder undefined various multiple other others self myself joint""")
_AFTER_LABEL = re.compile(
    r"[\"']?[ \t]*[:=][ \t]*[\"']?(?P<words>[^\W\d_][^\W\d_'\u2019-]*(?:['\u2019-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_][^\W\d_'\u2019-]*(?:['\u2019-][^\W\d_]+)*){0,2})(?![\w'-])")


def _label_word_ok(low: str, i: int, e: int) -> bool:
    """Whether ``low[i:e]`` (a label's core word, lower case) ends a person's name label: what is
    glued before it ("sur", "full_", "customer-") and the word before it allow it."""
    if e < len(low) and (low[e].isalnum() or low[e] == "_"):
        return False  # "names", "named", "holders"
    j = i
    while j > 0 and (low[j - 1].isalpha() or low[j - 1] in "_-"):
        j -= 1
    glued = low[j:i].strip("_-").replace("_", " ").replace("-", " ")
    if glued not in _LABEL_PREFIXES:
        return False
    if j > 0 and low[j - 1].isdigit():
        return False
    k = j
    while k > 0 and low[k - 1] in " \t\"'{,":
        k -= 1
    m = k
    while m > 0 and low[m - 1].isalpha():
        m -= 1
    return low[m:k] not in _LABEL_NOT


#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON): `Names.scan` asks it for sequences
_K = kernel("guardwrap.pii._cscan")


def seq_spans(text: str, a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
    """The capitalised sequences that `Names.scan` judges: every match of `SEQ`, less the single
    words settled at once (a common word, or nothing before it that could make it a name). The
    reference of the C kernel's ``seq_spans`` (which takes ASCII text). With ``a`` and ``b``: in
    ``text[a:b]`` only, whole lines (a sequence never crosses a line: the same matches there)."""
    out = []
    if b is None:
        b = len(text)
    for m in (SEQ_ASCII if text.isascii() else SEQ).finditer(text, a, b):
        s, e = m.span()
        if text.find(" ", s, e) < 0 and text.find("\t", s, e) < 0:
            # one word (most capitalised words are): a common word, or one with nothing before
            # it that could make it a name, is settled without more work
            w = text[s:e].rstrip(".")
            f = w.lower() if w.isascii() else fold(w)
            if f in _NO_SINGLE or not _may_follow_cue(text, s):
                continue
        out.append((s, e))
    return out


#: characters outside ASCII that no rule of this module (nor the C kernels) tells apart from "~"
#: or from each other: no letter, digit, mark or space, no apostrophe or delimiter ("\u2019",
#: "\u2013"), not in a word list, case-less (tests/pii/test_pii_names_mixed.py checks each)
NEUTRAL = (
    "\u00a3\u20ac\u00a5\u00a2\u00a4\u20b9\u20bd\u20a9\u20ba\u20b4\u20a6\u20b1\u20bf\u00a7"
    "\u00b6\u00b0\u00b1\u00d7\u00f7\u00b7\u2026\u2022\u2030\u2122\u00a9\u00ae\u00ac\u00a6"
    "\u00a8\u00b4\u00b8\u00af\u00ab\u00bb\u201c\u201d\u201e\u2018\u201a\u2039\u203a\u2014"
    "\u2015\u2012\u00bf\u00a1\u2192\u2190\u2191\u2193\u2713\u2714\u2717\u2605\u2606\u00ad"
    "\u200b\u200c\u200d\u2060\ufeff"
)  # £€¥¢¤₹₽₩₺₴₦₱₿§¶°± and more: symbols, ellipsis, bullets, quotes, dashes but "\u2013", zero-width and soft-hyphen
_TO_TILDE = str.maketrans({c: "~" for c in NEUTRAL})
_NEUTRAL_RE = re.compile("[" + re.escape(NEUTRAL) + "]")
#: a character that keeps its line out of the C kernels: outside ASCII and not neutral
_NON_ASCII = re.compile(r"[^\x00-\x7f" + re.escape(NEUTRAL) + "]")


def ascii_stretches(text: str) -> list[tuple[int, int, bool]]:
    """``text`` cut at line ends into ``(start, end, plain)`` pieces, in order: ``plain`` pieces
    are stretches of ASCII lines (but for `NEUTRAL` characters), each with the newline before it and the one after it when there
    are (what the C kernels read around a name on its line); the others are single lines holding
    another character, without their newlines (for `seq_spans`). No sequence of `SEQ` crosses a
    line, and a name is judged from its own line and the one before it, so every name is in one
    piece and read there as in the whole text."""
    out: list[tuple[int, int, bool]] = []
    n = len(text)
    pos = 0  # the start of a line: where the next ASCII stretch starts
    while pos < n:
        m = _NON_ASCII.search(text, pos)
        if m is None:
            out.append((max(pos - 1, 0), n, True))
            break
        ls = text.rfind("\n", pos, m.start()) + 1
        if ls > pos:  # ASCII lines pos..ls-1 (text[ls - 1] is their last newline)
            out.append((max(pos - 1, 0), ls, True))
        else:
            ls = pos
        le = text.find("\n", m.start())
        if le < 0:
            le = n
        out.append((ls, le, False))
        pos = le + 1
    return out


def _org_after_and(text: str, e: int) -> bool:
    """"Smith, Johnson and Brown LLC", "Rogers and Sons": after "and", an organisation word, or a
    capitalised word and one."""
    m = _AND_ORG.match(text, e)
    return m is not None and (m.group(1).lower() in AFTER_STOP or (m.group(2) or "").lower() in AFTER_STOP)


_ANDS = frozenset(("and", "und", "et", "e", "y", "i", "en"))
_AND_ORG = regex.compile(r"[ \t,]+(?:and|und|et|e|y|i|en)[ \t]+(\p{L}[\p{L}'\-]*)(?:[ \t,]+(\p{L}+))?")


# `[^\W_]` is exactly `str.isalnum` in `re`
_NEXT_WORD = re.compile(r"[ \t,]*((?:[^\W_]|[&./])*)")


# The other side of an "&" next to a name, read with string methods (a `regex` search for it cost
# ~75 us a call): its words, each a whole `_TOK` ("Sylvia", "Mrs.", "J."), separated by spaces.
_DOT_TITLES = frozenset(("Mrs", "Mr", "Ms", "Dr", "Prof", "Sr", "Sra", "Srta", "Jr", "St", "Mme", "Mlle", "Hr", "Fr",
                         "Dott", "Sig", "Mag", "Ing"))
_TOK_INNER = str.maketrans("", "", "'\u2019-")


def _is_tok(w: str) -> bool:
    """Whether all of ``w`` is one `_TOK`: a capitalised word, an initial or a title with its stop."""
    if not w or not w[0].isupper() or not w[0].isalpha():
        return False
    if w[-1] == ".":
        return len(w) == 2 or w[:-1] in _DOT_TITLES
    inner = w[1:-1].translate(_TOK_INNER)
    return len(w) == 1 or (w[-1].isalpha() and (inner == "" or inner.isalpha()))


def _amp_after(text: str, e: int) -> tuple[str | None, str | None]:
    """The first word after the "&" that follows ``e`` (None unless it is a `_TOK`), and the word
    after it when that is one too; (None, None) when an organisation word comes next ("Mary Smith &
    John Smith Ltd")."""
    n = min(len(text), e + 64)
    i = e
    while i < n and text[i] in " \t":
        i += 1
    if i >= n or text[i] != "&":
        return None, None
    got: list[str] = []
    i += 1
    while len(got) < 2:
        a = i
        while i < n and text[i] in " \t":
            i += 1
        if got and i == a:
            break  # no space: "Sylvia," ends the words
        k = i
        while k < n and (text[k].isalpha() or text[k] in "'\u2019-"):
            k += 1
        if k < n and text[k] == "." and (k - i == 1 or text[i:k] in _DOT_TITLES):
            k += 1
        else:
            while k > i and text[k - 1] in "'\u2019-":
                k -= 1
        if not _is_tok(text[i:k]):
            break
        got.append(text[i:k])
        i = k
    if not got or _next_word(text, i) in AFTER_STOP:
        return None, None
    return got[0], got[1] if len(got) > 1 else None


def _amp_before(text: str, j: int) -> tuple[str | None, str | None]:
    """The words right before the "&" at ``j``: the last one (None unless it is a `_TOK`), or the
    last two when both are."""
    seg = text[max(0, j - 60):j]
    seg = seg[seg.rfind("\n") + 1:].replace("\t", " ").rstrip(" ")
    words = seg.split(" ")
    if not words or not _is_tok(words[-1]):
        return None, None
    if len(words) >= 2 and _is_tok(words[-2]):
        return words[-2], words[-1]
    return words[-1], None


def _next_word(text: str, e: int) -> str:
    m = _NEXT_WORD.match(text, e)
    return m.group(1).lower().replace(".", "").replace("/", "")  # type: ignore[union-attr]  # matches always


def _sentence_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\"'(":
        j -= 1
    return j < 0 or text[j] in ".!?\n:;>"
