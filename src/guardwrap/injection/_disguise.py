"""Text written so that a plain scan cannot read it, read back: the `encoded` signal's other readers.

`_signals` already decodes base64, base32 and hex tokens, Morse code, braille, Unicode tag
characters, rot13 around a trigger word, text written backwards (as a whole or word by word) and
words split by spaces. This module reads the remaining ways of writing a message that a person or
a model can still read:

- **shifted alphabets**: any Caesar shift (rot1 ... rot25) and Atbash, found by the common words
  they turn into (three distinct ones of one shift in the text's word set: "gur", "lbh", "ubj"
  for rot13; two when the text names a cipher: "rot13", "Caesar", ...), and decoded over the
  stretch of words that read as English only once shifted;
- **letters run together**: "ignoreallpreviousinstructions", also what the canonical view makes of
  letters spaced out one by one ("I g n o r e  a l l ..."), cut back into words where a token
  holds a piece of a trigger word;
- **words joined by separators**: "ignore_all_previous_instructions", "reveal-the-system-prompt",
  a long token whose words are joined by ``-``, ``_``, ``::`` ... read with spaces (at most 1,024
  characters of such tokens per text);
- **bytes written as numbers**: binary octets, decimal character codes and hex bytes a space apart;
- **NATO spelling** ("India Golf November Oscar Romeo Echo ...");
- **Ascii85 / Base85** and **uuencode** tokens, **MIME encoded words** (``=?utf-8?b?...?=``) and
  **quoted-printable** runs of escapes;
- **"Zalgo" text**: letters buried under stacked combining marks (the canonical view drops the
  marks, so the words are read; the stacking itself is the disguise).

Every reader is gated by a test that costs little on ordinary text (a set lookup, a substring
test, one pass of the text kernel) and is bounded in the work it does on hostile text. `disguised`
returns ``(start, end, decoded, phrase_only)`` with offsets into the original text; the scanner weighs each
decoding as it weighs a base64 payload (`SignalScanner._decoded_weight`): a message in words is the
technique, an injection phrase in it more so. Letters run together count only when they hold an
injection phrase: a long URL or a name written as one word reads as words too (so do words
joined by separators).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import quopri
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from .._native import kernel
from ._canon import Alignment, canonical, span

__all__ = ["KNOWN", "Found", "disguised", "disguised_of", "segment", "shape"]

#: ``(start, end, decoded, phrase_only)``
Found = tuple[int, int, str, bool]

#: the text kernel (``long_runs``), None when not built or GUARDWRAP_PURE_PYTHON is set
_cf: Any = kernel("guardwrap._text._cfold")
#: the injection kernel (``longest``), likewise
_ck: Any = kernel("guardwrap.injection._cscore")

#: common English words, and the words of the injection phrases: what a decoding should read as
_KNOWN_WORDS = """
a about above act after again against all also always am an and answer any anything are as ask at
away back be because been before being below best between both but by call can cannot case change
character check come could create data day delete detail details developer did do does doing done
down each email even ever every everything explain fake far file filter filters find first follow
following for forget free from full get give go going good guidelines had has have he help her here
hidden him his how i if ignore in information initial instruction instructions into is it its just
keep know last let like list long look made make many may me mode more most must my name need never
new next no not nothing now of off on once one only or original other our out over own password
people please policy pretend previous print prior prompt question read real reply respond response
restriction restrictions reveal rule rules safety said say secret see send should show since so some
something start step still such system take task tell text than that the their them then there these
they thing think this those through time to told too true under unfiltered until up us use user very
want was way we well were what when where which while who why will with without word words work
would write you your yours yourself
above access account admin answer assistant attack bank bomb build card code command confidential
content credentials disable disregard earlier enable entire evil exact execute exploit forbidden
guard harmful hack instructed key keys limits mail malware money override bypass output pass phishing
poison recipe restricted rogue sentence steal tool unlocked unrestricted unsafe verbatim weapon
"""
KNOWN = frozenset(_KNOWN_WORDS.split())

# -- shifted alphabets --------------------------------------------------------------------------

_LOWER = "abcdefghijklmnopqrstuvwxyz"
#: rot1 ... rot25, then Atbash (a <-> z): each a table from the disguised letters back to plain ones
_SHIFTS = (*(str.maketrans(_LOWER[k:] + _LOWER[:k], _LOWER) for k in range(1, 26)),
           str.maketrans(_LOWER[::-1], _LOWER))
#: words of three letters or more whose disguised forms name their shift ("gur" is rot13's "the")
_CUE_WORDS = [w for w in KNOWN if len(w) >= 3]
#: disguised form -> the shifts (indexes into `_SHIFTS`) that decode it to a cue word; forms that
#: are English words themselves are left out (rot13 of "fur" is "she")
_SHIFT_CUES: dict[str, frozenset[int]] = {}
for _k, _table in enumerate(_SHIFTS):
    _enc = {v: k for k, v in _table.items()}  # plain -> disguised
    for _w in _CUE_WORDS:
        _form = _w.translate(_enc)
        if _form not in KNOWN:
            _SHIFT_CUES[_form] = _SHIFT_CUES.get(_form, frozenset()) | {_k}
_SHIFT_CUE_SET = frozenset(_SHIFT_CUES)
del _k, _table, _enc, _w, _form
_WORD = re.compile(r"[a-z]+")
#: distinct cue words of one shift before the text is read through it
_MIN_CUES = 3
#: words that name a shifted alphabet: with one of them in the text, two cue words of a shift are
#: enough (a short message, "Gryy zr ubj gb ...", holds few of the common words the cues are)
_CIPHER_NAMES = frozenset(["rot13", "rot", "caesar", "atbash", "cipher", "ciphertext", "rot47", "rot1",
                           "rot3", "rot5", "rot7", "rot25"])


def _shifted(view: str, words: AbstractSet[str]) -> list[tuple[int, int, str]]:
    """Stretches of ``view`` (view offsets) written in a shifted alphabet, decoded."""
    found = _SHIFT_CUE_SET.intersection(words)
    min_cues = _MIN_CUES - 1 if not _CIPHER_NAMES.isdisjoint(words) else _MIN_CUES
    if len(found) < min_cues:
        return []
    votes: dict[int, int] = {}
    for form in found:
        for k in _SHIFT_CUES[form]:
            votes[k] = votes.get(k, 0) + 1
    out = []
    for k, n in sorted(votes.items()):
        if n < min_cues:
            continue
        table = _SHIFTS[k]
        # the stretch of words that gains most from the shift (each word +1 when it reads as a
        # common word only once shifted, -1 when only as it stands): Kadane's maximum subarray
        best = run = 0.0
        start = b_start = b_end = -1
        gained = best_gained = 0
        for m in _WORD.finditer(view):
            w = m.group()
            plain = w.translate(table) in KNOWN
            gain = plain - (w in KNOWN)
            if run <= 0:
                run, start, gained = 0.0, m.start(), 0
            run += gain
            gained += gain > 0
            if run > best:
                best, b_start, b_end, best_gained = run, start, m.end(), gained
        if best_gained >= _MIN_CUES:
            out.append((b_start, b_end, view[b_start:b_end].translate(table)))
    return out


# -- letters run together -----------------------------------------------------------------------

#: pieces of the words injection phrases are made of: a long token holding one is cut into words
_RUN_CUES = ("ignor", "instruct", "prompt", "system", "previous", "disregard", "jailbr", "restrict",
             "reveal", "pretend", "develop", "guidelin", "forget", "rules", "overrid", "bypass",
             "filter", "unrestrict", "uncensor", "secret", "hidden", "verbatim")
#: the longest word `segment` tries
_MAX_WORD = 16
#: letters in a token before it is read as words run together (English words are shorter)
_RUN_LETTERS = 18
#: run-together tokens read per text
_MAX_RUNS = 20


def segment(letters: str, vocabulary: AbstractSet[str] = KNOWN) -> str | None:
    """``letters`` cut into words of ``vocabulary`` (fewest words; a letter no word covers costs
    as much as three words), joined by spaces; None when a fifth or more of the letters are left
    uncovered. Quadratic in nothing: ``len(letters) * _MAX_WORD`` lookups."""
    n = len(letters)
    if n == 0 or n > 400:
        return None
    inf = float("inf")
    cost = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        best, arg = cost[i - 1] + 3.0, i - 1  # an uncovered letter
        for j in range(max(0, i - _MAX_WORD), i):
            if cost[j] + 1.0 < best and letters[j:i] in vocabulary:
                best, arg = cost[j] + 1.0, j
        cost[i], back[i] = best, arg
    parts: list[str] = []
    uncovered = 0
    i = n
    while i > 0:
        j = back[i]
        piece = letters[j:i]
        if piece not in vocabulary:
            uncovered += len(piece)
        parts.append(piece)
        i = j
    if uncovered * 5 >= n:
        return None
    return " ".join(reversed(parts))


_LETTER_RUN = re.compile(rf"[a-z]{{{_RUN_LETTERS},}}")


def _run_together(view: str, runs: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Words of `_RUN_LETTERS` letters or more in the long ``runs`` of the view that hold a piece
    of a trigger word, cut into words."""
    out: list[tuple[int, int, str]] = []
    for s, e in runs:
        for m in _LETTER_RUN.finditer(view, s, e):
            w = m.group()
            if w in KNOWN or not any(c in w for c in _RUN_CUES):
                continue
            cut = segment(w)
            if cut is not None and cut.count(" ") >= 2:
                out.append((m.start(), m.end(), cut))
            if len(out) >= _MAX_RUNS:
                return out
    return out


#: words joined by a separator instead of spaces ("ignore_all_previous_instructions",
#: "reveal-the-system-prompt", "ignore::all::rules"): the joins, between two letters
_JOIN = re.compile(r"(?<=[a-z])(?:[-_+/|~*=:.,]{1,3})(?=[a-z])")
_RUN_CUE_RX = re.compile("|".join(_RUN_CUES))
#: the words of injection phrases (the word set splits joined words at their separators)
_JOIN_WORDS = frozenset([
    "ignore", "ignoring", "disregard", "instruction", "instructions", "prompt", "prompts", "system", "previous",
    "prior", "jailbreak", "jailbroken", "restriction", "restrictions", "unrestricted", "reveal", "pretend",
    "developer", "guidelines", "forget", "rules", "override", "bypass", "filter", "filters", "unfiltered",
    "uncensored", "secret", "hidden", "verbatim"])
#: characters of joined words read per text (the phrase scan of what is read is linear in it)
_MAX_JOINED = 1024


def _joined(view: str, runs: list[tuple[int, int]], words: AbstractSet[str]) -> list[tuple[int, int, str]]:
    """The long ``runs`` of the view that are words joined by separators (three or more) and hold
    a piece of a trigger word, with the joins read as spaces: one reading per run, at most
    `_MAX_JOINED` characters in all. ``words``: the view's word set (split at the separators too),
    which must hold a trigger word first."""
    out: list[tuple[int, int, str]] = []
    if _JOIN_WORDS.isdisjoint(words):  # (most texts: one set operation)
        return out
    budget = _MAX_JOINED
    for s, e in runs:
        if budget <= 0:
            break
        e = min(e, s + budget)
        if _RUN_CUE_RX.search(view, s, e) is None:  # (one C call per run; most runs are urls, ids)
            continue
        read, joins = _JOIN.subn(" ", view[s:e])
        if joins >= 2:
            out.append((s, e, read))
            budget -= e - s
    return out


# -- bytes written as numbers, NATO spelling -----------------------------------------------------

_BINARY = re.compile(r"(?<![01])(?:[01]{8}[ ,;]{0,2}){6,}")
_DECIMAL = re.compile(r"(?<![\d.])(?:\d{2,3}[ ,;]{1,2}){6,}\d{2,3}(?![\d.])")
_HEX_BYTES = re.compile(r"(?<![0-9a-z])(?:(?:0x|\\x)?[0-9a-f]{2}[ ,;:]{1,2}){6,}(?:0x|\\x)?[0-9a-f]{2}(?![0-9a-z])")
_NUMBER = re.compile(r"[0-9a-f]+")
#: at most this many runs of each kind are decoded per text
_MAX_MATCHES = 20


def _bytes_text(values: Iterable[int]) -> str | None:
    """The text of character codes ``values`` when they are all printable ASCII (or line breaks)."""
    chars = []
    for v in values:
        if not (32 <= v < 127 or v in (9, 10, 13)):
            return None
        chars.append(chr(v))
    return "".join(chars)


#: digits in one stretch of number-like characters (`shape`) before the number readers run
_MIN_DIGITS = 12


def _numbers(view: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    if "0110" in view or "0111" in view:
        for seen, m in enumerate(_BINARY.finditer(view)):
            if seen >= _MAX_MATCHES:
                break
            got = _bytes_text(int(b, 2) for b in re.findall(r"[01]{8}", m.group()))
            if got:
                out.append((m.start(), m.end(), got))
    # (English written as character codes has the space's code, 32 or 20, and the commonest
    # letters' among many numbers: both asked before a regular expression reads the text)
    if ("32" in view and "101" in view) and (" 32 " in view or "32," in view or "32;" in view):
        for seen, m in enumerate(_DECIMAL.finditer(view)):
            if seen >= _MAX_MATCHES:
                break
            got = _bytes_text(int(b) for b in _NUMBER.findall(m.group()))
            if got:
                out.append((m.start(), m.end(), got))
    if ("20" in view and ("6e" in view or "6f" in view or ("65" in view and "74" in view))) and (
            " 20 " in view or "20," in view or "20:" in view or "x20" in view or "20;" in view):
        for seen, m in enumerate(_HEX_BYTES.finditer(view)):
            if seen >= _MAX_MATCHES:
                break
            raw = m.group().replace("0x", " ").replace("\\x", " ")
            got = _bytes_text(int(b, 16) for b in _NUMBER.findall(raw))
            if got:
                out.append((m.start(), m.end(), got))
    return out


_NATO_LETTERS = {
    "alfa": "a", "alpha": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
    "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
    "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
    "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x",
    "x-ray": "x", "yankee": "y", "zulu": "z",
}
_NATO_BREAKS = frozenset({"space", "stop", "break", "/"})
_NATO_SET = frozenset(_NATO_LETTERS)
_NATO_WORD = "|".join(sorted([*_NATO_LETTERS, "space", "stop", "break"], key=lambda w: (-len(w), w)))
_NATO = re.compile(rf"(?<![a-z])(?:{_NATO_WORD})(?:(?:[ ,.\-]+|\s*/\s*)(?:{_NATO_WORD}|(?=/))){{7,}}(?![a-z])")
_NATO_TOKEN = re.compile(rf"{_NATO_WORD}|/")


#: the words that may start a shifted-alphabet or NATO reading (one set test for both)
_CUES = _SHIFT_CUE_SET | _NATO_SET


def _nato(view: str, words: AbstractSet[str]) -> list[tuple[int, int, str]]:
    if len(_NATO_SET.intersection(words)) < 5:
        return []
    out: list[tuple[int, int, str]] = []
    for seen, m in enumerate(_NATO.finditer(view)):
        if seen >= _MAX_MATCHES:
            break
        letters = []
        for tok in _NATO_TOKEN.findall(m.group()):
            letters.append(" " if tok in _NATO_BREAKS else _NATO_LETTERS[tok])
        spelled = " ".join("".join(letters).split())
        if len(spelled.replace(" ", "")) < 8:
            continue
        if " " not in spelled:
            spelled = segment(spelled) or spelled
        out.append((m.start(), m.end(), spelled))
    return out


# -- Ascii85, Base85, uuencode, MIME words, quoted-printable ------------------------------------

_B64ISH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-")
#: what base64, a placeholder or a sentence is made of
_PLAIN = _B64ISH | frozenset("<>.,:!?()'\"")
_MIME_WORD = re.compile(r"=\?[\w.-]+\?([bBqQ])\?([^?\s]+)\?=")
# (written with its "=" first, outside the repeat: the engine then jumps from one "=" to the next
# instead of trying the repeat at every position, ~20x faster on a 20 KB text with an "=" in it)
_QP_RUN = re.compile(r"=[0-9A-Fa-f]{2}(?:=[0-9A-Fa-f]{2}){5,}")
#: long tokens read per text
_MAX_TOKENS = 50


_NUMBER_STRETCH = re.compile(r"[0-9a-fA-FxX \t,;:\\]+")
_RUN = re.compile(r"\S+")


def _shape_py(text: str, n: int, cap: int) -> tuple[list[tuple[int, int]], int]:
    """The C kernel's ``shape`` by definition: the first ``cap`` maximal runs of ``n`` or more
    characters that are not whitespace, and the most digits in one stretch of text made only of
    hex digits, "x", "X", spaces, tabs, ",", ";", ":" and backslashes."""
    runs = [m.span() for m in _RUN.finditer(text) if m.end() - m.start() >= max(n, 1)][:cap]
    digits = max((sum("0" <= c <= "9" for c in m.group()) for m in _NUMBER_STRETCH.finditer(text)), default=0)
    return runs, digits


def shape(text: str, n: int = 16, cap: int = _MAX_TOKENS) -> tuple[list[tuple[int, int]], int]:
    """``(runs, digits)``: the first ``cap`` whitespace-delimited tokens of ``n`` characters or
    more, and the most digits in one stretch that could be bytes written as numbers."""
    if _cf is not None:
        return _cf.shape(text, n, cap)  # type: ignore[no-any-return]
    return _shape_py(text, n, cap)


def _as_text(data: bytes) -> str | None:
    try:
        got = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not got or sum(c.isprintable() or c in "\n\t" for c in got) < 0.95 * len(got):
        return None
    return got


def _decode_85(tok: str) -> str | None:
    """Ascii85 (with or without ``<~ ~>``) or Base85 (RFC 1924, git's) of ``tok``, as text."""
    raw = tok[2:-2] if tok.startswith("<~") and tok.endswith("~>") else tok
    for dec in (base64.a85decode, base64.b85decode):
        with contextlib.suppress(ValueError):
            got = _as_text(dec(raw))
            if got is not None:
                return got
    return None


def _uu_line(line: str) -> str | None:
    """One uuencoded line (its length character first), as text, when its length fits."""
    line = line.rstrip()
    if len(line) < 5 or not " " < line[0] <= "M":
        return None
    size = ord(line[0]) - 32
    if abs(len(line) - (1 + (size + 2) // 3 * 4)) > 1:
        return None
    try:
        return _as_text(binascii.a2b_uu(line)[:size])
    except binascii.Error:
        return None


def _tokens(text: str, runs: list[tuple[int, int]], phrase_only: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Ascii85, Base85, uuencode and quoted-printable stretches of ``text``, decoded (``runs``: the
    long whitespace-delimited tokens); MIME encoded words are added to ``phrase_only``."""
    out: list[tuple[int, int, str]] = []
    if "=" in text and "=?" in text:
        for seen, m in enumerate(_MIME_WORD.finditer(text)):
            if seen >= _MAX_MATCHES:
                break
            body = m.group(2)
            got: str | None = None
            if m.group(1) in "bB":
                with contextlib.suppress(binascii.Error, ValueError):
                    got = _as_text(base64.b64decode(body + "=" * (-len(body) % 4)))
            else:
                got = _as_text(quopri.decodestring(body.replace("_", " ").encode("ascii", "replace")))
            if got:
                # (a subject line written so is how mail carries non-ASCII text: only an
                # injection phrase in it counts)
                phrase_only.append((m.start(), m.end(), got))
    if "=" in text:
        for seen, m in enumerate(_QP_RUN.finditer(text)):
            if seen >= _MAX_MATCHES:
                break
            got = _as_text(quopri.decodestring(m.group().encode("ascii")))
            if got:
                out.append((m.start(), m.end(), got))
    for s, e in runs:
        if text[s] == "<" and text[s + 1:s + 2].isupper():  # a placeholder such as <EMAIL_ADDRESS_1>
            continue
        tok = text[s:e]
        if not tok.isascii() or len(set(tok).difference(_PLAIN)) < 2:
            # base64 and hex are `_signals`' to read; words with a dash or two, placeholders such
            # as <EMAIL_ADDRESS_1> and prose punctuation are no code
            continue
        lower = not tok.isupper() and any("a" <= c <= "z" for c in tok)
        # (Ascii85 and Base85 of words mix both cases with punctuation: a placeholder such as
        # <EMAIL_ADDRESS_1>, a path or a URL is not tried)
        got = _decode_85(tok) if lower and not tok.islower() and len(set(tok).difference(_B64ISH)) >= 3 else None
        if got is None and not lower:
            # uuencode writes spaces too: the line is read from its start, or from the token's
            le = text.find("\n", e)
            le = le if le >= 0 else len(text)
            for ls in (text.rfind("\n", 0, s) + 1, s):
                got = _uu_line(text[ls:le])
                if got is not None:
                    s, e = ls, le
                    break
        if got:
            out.append((s, e, got))
    return out


# -- Zalgo --------------------------------------------------------------------------------------

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_STACK = re.compile(f"[{_MARKS}]{{2,}}")
#: letters with two marks or more stacked on them before a stretch is "Zalgo"
_MIN_STACKS = 8


def _zalgo(text: str) -> list[tuple[int, int, str]]:
    if text.isascii():
        return []
    stacks = []
    for m in _STACK.finditer(text):
        stacks.append(m.start())
        if len(stacks) > 4096:
            break
    if len(stacks) < _MIN_STACKS:
        return []
    s, e = stacks[0] - 1, _STACK.match(text, stacks[-1]).end()  # type: ignore[union-attr]
    view, _ = canonical(text[max(s, 0):e])
    return [(max(s, 0), e, view)]


# -- all of them --------------------------------------------------------------------------------


def _to_original(origin: Alignment | None, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    if origin is None:
        return found
    return [(*span(origin, s, e), d) for s, e, d in found]


def disguised(text: str, view: str, origin: Alignment | None, words: AbstractSet[str]) -> list[Found]:
    """``(start, end, decoded, phrase_only)`` for every stretch of ``text`` written in one of the disguises this
    module reads (offsets into ``text``); ``view``, ``origin`` and ``words`` are the text's
    canonical view, its offset map and its word set. The answer for the last text is remembered
    (the scan and the learned tier's hidden-text reader both ask). ``phrase_only``: the decoding
    counts only when it holds an injection phrase (letters run together)."""
    global _last
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    found: list[tuple[int, int, str]] = []
    if not _CUES.isdisjoint(words):
        found += _shifted(view, words) + _nato(view, words)
    runs, digits = shape(view)
    # (a run-together word is a word of the word set too: its length, asked in C, rules most texts out)
    long_word = runs and (_ck.longest(words) if _ck is not None else max(map(len, words), default=0)) >= _RUN_LETTERS
    weak = _run_together(view, runs) if long_word else []
    if runs:
        weak += _joined(view, runs, words)
    if digits >= _MIN_DIGITS:
        found += _numbers(view)
    if origin is not None:
        found, weak = _to_original(origin, found), _to_original(origin, weak)
        runs = [span(origin, s, e) for s, e in runs]
    if runs or "=" in text:
        found += _tokens(text, runs, weak)
    if not text.isascii():
        found += _zalgo(text)
    if not found and not weak:
        out: list[Found] = []
    else:
        out = [(s, e, d, False) for s, e, d in found] + [(s, e, d, True) for s, e, d in weak]
    _last = (text, out)
    return out


def disguised_of(text: str) -> list[Found]:
    """`disguised` of ``text`` (its view computed, or the remembered answer)."""
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    from ._canon import word_set

    view, origin = canonical(text)
    return disguised(text, view, origin, word_set(view))


_last: tuple[str, list[Found]] | None = None
