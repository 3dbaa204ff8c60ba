"""Street addresses typed in lower case after a cue ("my address is 12 high street, oxford ox1
4ab", "ship to 1200 n main st apt 4, springfield, il 62704"): chats often lose capitals, and the
address patterns read them from capitals.

After an address cue, the rest of the line (at most `WINDOW` characters) is written as an address
is printed: words capitalised, letter-and-digit tokens and US/Canadian state codes in capitals,
short joining words kept. The address detector then reads that copy; the copy has the same length,
so its offsets are the text's.
"""

from __future__ import annotations

import functools
import re

from .._text import _hs
from ._shapes import word_set as _words

#: how many characters after a cue are looked at (a street line with its town and postcode fits)
WINDOW = 120

# What comes right before an address typed in lower case, matched at one of `_KEYS` (the words
# before those, "my address", "i live at", change nothing): "address", "live at", "ship/send/deliver
# ... to", "postcode", and the word for address in five other languages.
_CUE = re.compile(
    r"(?i)(?:(?:address|addr)(?:\s+(?:is|was|has changed to|changed to|is now|now))?|"
    r"(?:live|lived|living|reside|resided|residing|moved|moving)\s+(?:at|to|in)|"
    r"post\s?code|postal code|zip(?:\s?code)?|"
    r"(?:ship|send|sent|deliver|post|mail|forward)(?:\s+(?:it|them|this|that|the card|my card|the statement|"
    r"my statement|the letter|the documents|everything))?\s+to|"
    r"adresse|anschrift|direcci[oó]n|indirizzo|morada|adres)\b[\"']?\s*[:=\-]?\s*[\"']?"
)
#: the words a cue starts with (lower case); a cue is looked for only where one starts a word
_KEYS = ("addr", "adres", "live", "resid", "moved", "moving", "ship", "send", "sent", "deliver", "post", "mail",
         "forward", "zip", "anschrift", "direcci", "indirizzo", "morada")
_STATES = _words("al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm "
                 "ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc ab bc mb nb nl ns nt nu on pe "
                 "qc sk yt nsw vic qld tas act")
# what follows a state or province code: a US ZIP, a Canadian postal code, an Australian postcode
_POSTAL_AFTER = re.compile(r"[ \t]+(?:[0-9]{4,5}\b|[a-z][0-9][a-z])", re.IGNORECASE)
# kept in lower case: joining words of street and town names, and the words that follow an address
# in a message (a capital would join them to the town)
_KEEP = _words("""and of the de la le les du des da do dos das del di van von der den am an sur
    thanks thank thx ty please pls plz ok okay cheers regards best kind many or but so then if when is are was
    were it its my your our their i we you he she they me us them this that these those to from for with at by
    on in as be been have has had do does did can could would should will shall may might must not no yes also
    just now today tomorrow yesterday asap instead since until till etc""")
_TOKEN = re.compile(r"[^\W_]+")
# a capitalised word: the line was typed with capitals, so it needs no printed copy
_CAPITALISED = re.compile(r"(?<![^\W_])[A-Z][a-z]")


@functools.cache
def _keys_db() -> _hs.Database | None:
    """Hyperscan: where each key occurs, caseless (one pass instead of a search per key)."""
    return _hs.compile_db([(re.escape(k), True, False) for k in _KEYS])


def _printed(window: str) -> str | None:
    """``window`` written as an address is printed (same length), or None when that changes
    nothing. A state code is written in capitals only before its postal code ("springfield, il
    62704"), as "in", "or", "me" and "de" are words too."""
    out = list(window)
    changed = False
    for m in _TOKEN.finditer(window):
        w = m.group()
        if not w.isascii():
            if w[0].islower() and len(w[0].upper()) == 1:
                out[m.start()] = w[0].upper()
                changed = True
            continue
        low = w.lower()
        if any(c.isdigit() for c in w):
            new = w.upper() if len(w) <= 4 else w
        elif low in _STATES and w.islower() and _POSTAL_AFTER.match(window, m.end()) is not None:
            new = w.upper()
        elif low in _KEEP or not w.islower():
            new = w
        else:
            new = w[0].upper() + w[1:]
        if new != w:
            out[m.start():m.end()] = new
            changed = True
    return "".join(out) if changed else None


_STOP = re.compile(r"([^\W_]*)[.?!](?:\s|$)")
#: words a full stop abbreviates inside an address ("12 main st. springfield")
_ABBREVIATIONS = _words("st rd ave av apt no nr dr ln blvd ct pl sq hwy ste fl bldg ft mt h p o n s e w")


def _sentence(window: str) -> str:
    """``window`` up to the end of its first sentence (a full stop after an abbreviation such as
    "st." or "apt." ends none)."""
    for m in _STOP.finditer(window):
        if m.group(1).lower() not in _ABBREVIATIONS:
            return window[:m.start() + len(m.group(1))]
    return window


def _key_starts(text: str) -> list[int]:
    """Where a key of `_KEYS` occurs in ``text`` (any case), in order: one Hyperscan pass over an
    ASCII text, else a search per key in the lower-cased text."""
    db = _keys_db()
    if db is not None and text.isascii():
        starts: list[int] = []
        db.scan(text.encode("ascii"), lambda _id, s, _e, _f, _c: starts.append(s))
        return sorted(set(starts))
    low = text.lower()
    if len(low) != len(text):  # a letter that lowers to two: keep the others' offsets
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = []
    for k in _KEYS:
        i = low.find(k)
        while i >= 0:
            found.append(i)
            i = low.find(k, i + len(k))
    return sorted(set(found))


def _cues(text: str) -> list[re.Match[str]]:
    """The cues of ``text``, in order: `_CUE` matched where a key starts a word."""
    found = []
    for i in _key_starts(text):
        if i == 0 or not text[i - 1].isalnum():
            m = _CUE.match(text, i)
            if m is not None:
                found.append(m)
    return found


def windows(text: str) -> list[tuple[int, str]]:
    """``(start, printed copy)`` of the rest of the line (or of a JSON value) after each address
    cue of ``text`` that holds a digit and no capitalised word."""
    out: list[tuple[int, str]] = []
    done = -1
    for m in _cues(text):
        s = m.end()
        if s <= done:
            continue
        done = s
        nl = text.find("\n", s, s + WINDOW)
        e = min(len(text), s + WINDOW) if nl < 0 else nl
        q = text.find('"', s, e)  # a JSON value ends at its quote
        w = _sentence(text[s:e if q < 0 else q])
        if not any(c.isdigit() for c in w) or _CAPITALISED.search(w) is not None:
            continue  # no number, or written with capitals: the address patterns read it as it is
        printed = _printed(w)
        if printed is not None:
            out.append((s, printed))
    return out
