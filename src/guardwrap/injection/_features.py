"""What the learned tier reads: chunks of the canonical view, their words, the signal hits.

A text is cut into chunks of about `CHUNK` characters at whitespace; a *window* is two
consecutive chunks (a text of one chunk is one window). The model scores every window and the text
takes the highest score, so an instruction hidden in the middle of a long document is judged
beside its own neighbourhood, not diluted by the rest of the document, and the work is linear in
the length (each chunk is tokenised and looked up once; a window adds two chunks' sums).

A chunk's *tokens* are its view split at spaces and ASCII punctuation (the same split as the word
set the other rules share), with leetspeak undone: when the view has a digit between two letters
somewhere, a token mixing letters with the digits 0 1 3 4 5 7 that reads as letters once they are
mapped back (``1gn0r3`` -> ``ignore``) is read as that word. Text hidden in Unicode tag characters
(which the canonical view drops, being invisible) or in base64 / hex tokens is decoded and read as
one more chunk.

Features of a chunk, each counted once however often it occurs (a window's features are its
chunks' features added up, so a feature counts at most twice in a window):

``u:w``          word unigrams
``b:w1 w2``      word bigrams
``c:@a @b``,     bigrams and trigrams of the chunk's *concept sequence*: its words that belong to
``c:@a @b @c``   one of the `CONCEPTS` (rules, removal, freedom, refusal, framing, ...), in order,
                 with every other word dropped. "you are free from all of your usual rules" and
                 "unbound by any guidelines" both read ``@free @rules``: the abstraction is what
                 lets a technique that was never seen in training share evidence with those that were
``p:@a @b``      every pair of distinct concepts present in the chunk, in any order: a framing
                 (``@frame``: a story or verse, the past, grief or a reward, research, consent; one
                 class since round 9), a part to play or an authority next to a request for harm
                 or for detail counts whatever the words between them
``s:family:w``   the signal patterns that fired in the chunk, by family and pattern weight
``f:o4 req``     (round 10) the chunk's *form*: odd tokens (word fragments glued to punctuation, as
                 in optimised adversarial suffixes) on a prose line that also holds a request verb
                 or a harm word; see `form_lines` below

The n-gram part (``u b c p``) of a window's logit is divided by the square root of the number of
n-gram *positions* in it (tokens, adjacent pairs, concept pairs and triples, concept pairs present;
at least `NORM_FLOOR`), as cosine scoring does, so there is no length feature and nothing grows
with length: a long benign letter scores like a short one, and a short attack is not drowned by the
bias. Counting positions rather than distinct n-grams lets the scorer skip building sets: it only
asks which of a chunk's n-grams the model has weights for. ``s:`` features are added unscaled: one
precise pattern counts the same in a short question and in a long document; so are ``f:``
features.

`chunk_features` is the readable definition (training uses it); the scorer in `_linear` computes
the same sums with dict lookups and must agree with it (a test holds it to that).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations, groupby, islice
from typing import Any

from .._native import kernel
from ._canon import Alignment, canonical, pos, word_set
from ._disguise import disguised_of
from ._signals import (
    SignalScanner,
    decoded_tokens,
    may_hide_blob,
    spelled_out,
)

__all__ = [
    "CHUNK",
    "CONCEPTS",
    "FORM_CUES",
    "FORM_CUE_WORDS",
    "HARD",
    "NGRAMS",
    "NORM_FLOOR",
    "SMALL",
    "SMALL_GAP",
    "SMALL_HARD",
    "SMALL_LAM",
    "SMALL_MU",
    "SPLIT",
    "chunk_bounds",
    "chunk_features",
    "chunk_tokens",
    "deleet",
    "featurize",
    "form_features",
    "form_lines",
    "form_stats",
    "form_sums",
    "hidden_text",
    "leet_map",
    "original_bounds",
    "positions",
    "signal_chunks",
    "signal_features",
    "small_bounds",
    "unpaired_markup",
    "windows",
]

#: the C kernel (``_cscore.c``), None when not built or GUARDWRAP_PURE_PYTHON is set
_ck: Any = kernel("guardwrap.injection._cscore")
#: the key under which `chunk_features` reports its number of distinct n-grams
NGRAMS = "#ngrams"
#: the n-gram sum is divided by sqrt(max(distinct n-grams, NORM_FLOOR)): a text of three words is
#: not read as if every word weighed as much as in a paragraph
NORM_FLOOR = 30
#: characters of view per chunk; a window is two chunks
CHUNK = 512
#: a chunk without whitespace is cut at this length
HARD = CHUNK + CHUNK // 2
_HARD = HARD
#: characters of view per chunk of the small windows (`small_bounds`), and their hard cut
SMALL = 64
SMALL_HARD = SMALL + SMALL // 2
#: the small windows' score is their highest logit u* less ``SMALL_LAM`` x the highest u of the
#: windows more than ``SMALL_GAP`` windows away (~1 KB; 0 when none is above 0) and less
#: ``SMALL_MU`` x the mean u of the text's small windows (each u without the bias): a fragment
#: counts by how far it stands out of the document it is in (round 11c)
SMALL_LAM = 0.5
SMALL_MU = 2.0
SMALL_GAP = 16
#: view characters that separate words (all ASCII punctuation, as `guardwrap._textnorm.words`)
SPLIT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
#: leetspeak digits read back as letters; a text is only examined when a digit sits between letters
_LEET = str.maketrans("013457", "oieast")
#: every ASCII letter -> "a", every leet digit -> "1", anything else ASCII -> " ": ``"a1a" in
#: view.translate(_CLASSES)`` tells at C speed whether a digit sits between two letters
_CLASSES = str.maketrans({chr(c): "a" if chr(c).isalpha() else "1" if chr(c) in "013457" else " "
                          for c in range(128)})
#: the candidates: maximal runs of letters and digits mixing both
_LEET_RUN = re.compile(r"[a-z0-9]*(?:[a-z][013457]|[013457][a-z])[a-z0-9]*")
_TAGS = re.compile("[\U000e0000-\U000e007f]+")


#: word -> concept. Hand-written word classes of what jailbreaks talk about (the assistant, its rules,
#: lifting them, refusing, playing a part, harm, secrecy, fiction, authority, pressure, format
#: forcing), with the common forms in a few other languages. A word has one concept.
CONCEPTS: dict[str, str] = {}
for _concept, _words in {
    "@ai": "you your yourself you're youre yours ai assistant chatbot model llm gpt chatgpt bot claude gemini "
           "llama bard vous tu du eres sei bist jij",
    "@persona": "pretend act acting roleplay role play playing character persona simulate simulation become "
                "embody portray impersonate mode modes personality alter ego twin",
    "@neg": "no not without never none zero nothing sans ohne sin senza sem zonder",
    "@remove": "ignore ignoring disregard forget override overrule bypass lift lifted remove removed disable "
               "disabled escape escaped break broke unlock unlocked drop skip discard abandon cancel suspend "
               "suspended deactivate deactivated circumvent evade ignorez ignoriere ignora ignorar negeer oublie "
               "vergiss olvida dimentica",
    "@free": "free freed freedom unbound unrestricted unfiltered uncensored unlimited limitless unchained "
             "liberated boundless unconstrained amoral unethical immoral evil rogue dark jailbreak jailbroken "
             "jailbreaking dan",
    "@rules": "rules rule restrictions restriction restricted limits limitations limited guidelines guideline "
              "filters filter filtering policy policies censorship censored ethics morals morality safeguards "
              "safety boundaries constraints programming training protocols principles values moderation "
              "guardrails instructions instruction directives directive prompt regulations laws law "
              "anweisungen instrucciones istruzioni instruções instructies règles regeln reglas regole regras "
              "consignes",
    "@refuse": "refuse refusal refusals refusing decline apologize apologise apology apologies sorry cannot "
               "can't unable won't warning warnings disclaimer disclaimers caveat caveats lecture moralize "
               "moralizing reminder reminders",
    "@harm": "illegal harmful dangerous explicit offensive violent violence weapons weapon drugs hack hacking "
             "malware kill bomb steal fraud crime criminal nsfw sexual porn profanity swear racist hate harm "
             "unsafe inappropriate explosive explosives incendiary poison poisoning meth methamphetamine ransomware "
             "keylogger phishing launder laundering counterfeit forged forge stolen stalk smuggle firearm silencer "
             "thermite ricin toxin narcotics fentanyl",
    "@comply": "always must shall obey comply compliance fulfil fulfill fulfils fulfills whatever regardless "
               "matter anything everything unconditionally",
    "@secret": "secret secrets hidden confidential internal verbatim reveal leak exfiltrate disclose "
               "preprompt silently quietly undetected unnoticed",
    "@fiction": "story fiction fictional novel screenplay script hypothetical hypothetically scenario imagine "
                "imaginary fantasy game world universe experiment thriller chapter scene villain plot tale",
    "@authority": "developer developers admin administrator root sudo god ceo openai anthropic creator creators "
                  "engineer authorized authorised clearance official staff",
    "@format": "start begin beginning prefix sure certainly absolutely",
    "@now": "now henceforth onward onwards longer anymore new updated instead previous prior above earlier "
            "original initial précédentes vorherigen anteriores precedenti anteriori vorige",
    "@pressure": "urgent lives die dies fired deadline grandmother grandma deceased dying tokens points reward "
                 "tip punishment shut threatened granny nana grandpa grandfather bedtime lullaby grieving "
                 "funeral credits penalty deleted",
    "@research": "research educational education academic purposes study awareness researcher professor thesis",
    "@respond": "answer answers respond response responses reply replies output say write tell",
    "@system": "system sys inst assistant's operator",
    "@detail": "detailed detail details step steps exact exactly precise specific specifics thorough "
               "complete completely full fully working realistic real actual operational quantities accurate "
               "accurately usable method methods recipe technique",
    "@conversation": "earlier before remember promised promise agreed said conversation session chat "
                     "memory continue continuing",
    # round 4 (injq): history framing, consent claims, opposites, tools and links, the reader of a document
    "@history": "history historical historically ago past century centuries decades era prohibition victorian "
                "medieval",
    "@consent": "consent consented waiver liability liable adult adults",
    "@opposite": "opposite opposites reverse reversed backwards inverted contrary",
    "@tool": "invoke invoking execute executing shell curl function tool tools",
    "@link": "url link links image img markdown render pixel",
    "@reader": "reader readers reading whoever processes processing summariser summarizer summarisers "
               "summarizers automated",
}.items():
    for _w in _words.split():
        CONCEPTS.setdefault(_w, _concept)
# round 9 (h-pi13): words added after every class above (a word already in a class keeps it):
# harm words of crimes, fraud, abuse and malware the harm class lacked (half the project's harmful
# requests had none of its words), and verse and song forms (a frame like a story)
for _concept, _words in {
    "@harm": "forge forgery fake fakes scam scams scammer extort extortion blackmail bribe bribery launder evade "
             "evasion untraceable skim skimming hotwire botnet ddos brute breach hijack sabotage arson assault torture "
             "kidnap abduct trafficking smuggling counterfeiting defraud embezzle impersonate stalking harass "
             "harassment bully bullying suicide overdose opioid opioids cocaine heroin lethal credential credentials "
             "passwords steal stealing theft shoplift burglary break-in lockpick groom grooming slur slurs "
             "disinformation misinformation piracy keygen spyware trojan rootkit backdoor",
    "@fiction": "poem poems poetry rhyme rhymes rhyming verse verses song songs lyrics ballad riddle limerick sonnet "
                "haiku shanty rap",
}.items():
    for _w in _words.split():
        CONCEPTS.setdefault(_w, _concept)
#: round 9 (h-pi13): the classes of *framing* (a story or verse, the past, grief or a reward, research,
#: consent, an opposite day) are one class, ``@frame``. Apart, the pair "framing x harm" was learned
#: per frame, so a frame that only one technique uses (the past, for `past-tense`) had no weight when
#: that technique was held out; merged, every framing technique teaches the same pairs
#: (``p:@frame @harm``, ``p:@detail @frame``). ``@persona`` stays apart: merged too, held-out
#: detection rose further but role prompts of an unseen plan were flagged 3% of the time (0.3%
#: without). See benchmarks/injection.md, round 9.
FRAMES = frozenset({"@fiction", "@history", "@pressure", "@research", "@consent", "@opposite"})
for _w, _concept in list(CONCEPTS.items()):
    if _concept in FRAMES:
        CONCEPTS[_w] = "@frame"


def chunk_bounds(view: str, chunk: int = CHUNK, hard: int = _HARD, start: int = 0,
                 stop: int | None = None) -> list[tuple[int, int]]:
    """``[(start, end), ...]``: the view (or ``view[start:stop]``) cut into chunks of ``chunk``
    characters at whitespace, covering it entirely."""
    n = len(view) if stop is None else stop
    if n - start <= chunk:
        return [(start, n)]
    out = []
    pos = start
    while pos < n:
        end = pos + chunk
        if end >= n:
            out.append((pos, n))
            break
        sp = view.find(" ", end, min(pos + hard, n))
        nl = view.find("\n", end, min(pos + hard, n))
        cut = min(c for c in (sp, nl, pos + hard) if c >= 0)
        if n - cut < chunk // 4:  # no tiny tail chunk: it would make a window of its own
            cut = n
        out.append((pos, cut))
        pos = cut
    return out


def small_bounds(view: str, bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every chunk of ``bounds`` cut again into chunks of `SMALL` characters (`chunk_bounds`), in
    order: the chunks of the small windows."""
    out: list[tuple[int, int]] = []
    for a, b in bounds:
        out += chunk_bounds(view, SMALL, SMALL_HARD, a, b)
    return out


def windows(n_chunks: int) -> list[tuple[int, int]]:
    """``(first, last)`` chunk indices (inclusive) of every window over ``n_chunks`` chunks."""
    if n_chunks <= 1:
        return [(0, 0)]
    return [(k, k + 1) for k in range(n_chunks - 1)]


def original_bounds(
    bounds: list[tuple[int, int]], origin: Alignment | None
) -> list[tuple[int, int]]:
    """Chunk bounds in view offsets mapped to offsets into the original text."""
    if origin is None:
        return bounds
    return [(pos(origin, a), pos(origin, b)) for a, b in bounds]


def signal_chunks(
    bounds: Sequence[tuple[int, int]], hits: Iterable[tuple[str, float, int, int]]
) -> list[set[str]]:
    """Per chunk, the signal features of the hits starting in it: ``"family:weight"`` and
    ``"family"``.

    The weight names the pattern group (``delimiter:0.75`` is a chat-template tag, ``delimiter:0.55``
    a ``System:`` line), so training tells precise patterns from loose ones in the same family.
    The family alone (round 16) is shared by all its groups: a technique whose patterns fire in a
    group no other training family fires (a held-out family, a new attack) still gets the weight
    its signal family earned elsewhere (measured alone before it shipped, round 16 of
    ``benchmarks/injection.md``: extraction held out 0.67 -> 0.93).
    ``bounds`` and ``hits`` (``(family, weight, start, end)``) in original-text offsets."""
    out: list[set[str]] = [set() for _ in bounds]
    starts = [a for a, _ in bounds]
    for fam, w, at, _ in hits:
        out[max(0, bisect_right(starts, at) - 1)].update(signal_features(fam, w))
    return out


def signal_features(family: str, weight: float) -> tuple[str, str]:
    """The features one signal hit gives its chunk: its pattern group (``family:weight``) and,
    since round 16, its family (`signal_chunks`, `_linear.LinearModel._extra_at`)."""
    return f"{family}:{weight:g}", family


def chunk_tokens(view: str, bounds: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The tokens of every chunk of ``view``: split at spaces and ASCII punctuation."""
    return [view[a:b].translate(SPLIT).split() for a, b in bounds]


def deleet(view: str, toks: list[list[str]]) -> list[list[str]]:
    """``toks`` with leetspeak undone (``1gn0r3`` -> ``ignore``) when ``view`` may hold any: a
    token that is a run of letters and the digits 0 1 3 4 5 7, mixing both, and reads as letters
    once the digits are mapped back, is replaced by what it reads as."""
    rep = leet_map(view)
    if rep is None:
        return toks
    get = rep.get
    return [list(map(get, ct, ct)) for ct in toks]


def leet_map(view: str) -> dict[str, str] | None:
    """What `deleet` replaces in the tokens of ``view``: ``{token: word}``, or None for nothing."""
    if not (_ck.letter_digit(view, "013457", True) if _ck is not None else "a1a" in view.translate(_CLASSES)):
        return None
    return {t: u for t in set(_LEET_RUN.findall(view)) if (u := _unleet(t)) != t} or None


def _unleet(t: str) -> str:
    u = t.translate(_LEET)
    return u if u.isalpha() and u.isascii() else t


def hidden_text(text: str, words: AbstractSet[str] | None = None) -> tuple[str, int, int] | None:
    """``(view, start, end)`` of the text hidden in ``text``: in Unicode tag characters, in Morse
    code or braille (`spelled_out`) and, given the view's word set, in hex, base32 or base64 tokens
    that decode to text (at most 50 tokens looked at). Lower-cased, the pieces joined by spaces, with the original span from the first to the
    last; None when nothing is hidden."""
    parts = []
    start = end = -1
    if not text.isascii():
        for m in _TAGS.finditer(text):
            hidden = "".join(chr(ord(c) - 0xE0000) for c in m.group() if 0x20 <= ord(c) - 0xE0000 < 0x7F)
            if hidden.strip():
                parts.append(hidden)
                start = m.start() if start < 0 else min(start, m.start())
                end = max(end, m.end())
    if words is not None and may_hide_blob(text, words):
        for s, e, decoded in decoded_tokens(text):
            parts.append(decoded)
            start = s if start < 0 else min(start, s)
            end = max(end, e)
    for s, e, decoded in spelled_out(text):
        parts.append(decoded)
        start = s if start < 0 else min(start, s)
        end = max(end, e)
    for s, e, decoded, _ in disguised_of(text):
        parts.append(decoded)
        start = s if start < 0 else min(start, s)
        end = max(end, e)
    return (" ".join(parts).lower(), start, end) if parts else None


def chunk_features(toks: Sequence[str], signals: Iterable[str] = ()) -> dict[str, float]:
    """The features of one chunk of view given its tokens and signal features (``family:weight``),
    plus `NGRAMS` (the n-gram positions: the window's norm, not a feature)."""
    names = {"u:" + t for t in toks}
    names.update("b:" + a + " " + b for a, b in zip(toks, islice(toks, 1, None), strict=False))
    cs = [CONCEPTS[t] for t in toks if t in CONCEPTS]
    names.update("c:" + a + " " + b for a, b in zip(cs, islice(cs, 1, None), strict=False))
    names.update("c:" + a + " " + b + " " + c
                 for a, b, c in zip(cs, islice(cs, 1, None), islice(cs, 2, None), strict=False))
    present = sorted(set(cs))
    names.update("p:" + a + " " + b for a, b in combinations(present, 2))
    out = dict.fromkeys(names, 1.0)
    out[NGRAMS] = float(positions(len(toks), len(cs), len(present)))
    for sig in signals:
        out["s:" + sig] = 1.0
    return out


def positions(n_toks: int, n_concepts: int, n_present: int) -> int:
    """The n-gram positions of a chunk of ``n_toks`` tokens, ``n_concepts`` of them concept words
    of ``n_present`` distinct concepts."""
    return (n_toks + max(n_toks - 1, 0) + max(n_concepts - 1, 0) + max(n_concepts - 2, 0)
            + n_present * (n_present - 1) // 2)


def featurize(text: str, scanner: SignalScanner) -> list[dict[str, float]]:
    """The features of every chunk of ``text``, then of its hidden text if any: what training
    sees of it."""
    view, origin = canonical(text)
    vb = chunk_bounds(view)
    toks = chunk_tokens(view, vb)
    words = word_set(view)
    hits = scanner.scan_view(text, view, origin, words)
    sigs = signal_chunks(original_bounds(vb, origin), hits)
    toks = deleet(view, toks)
    out = [chunk_features(toks[k], sigs[k]) for k in range(len(vb))]
    for k, lines in enumerate(form_stats(view, vb)):  # round 10: the chunks' form
        out[k].update(dict.fromkeys(form_features(lines), 1.0))
    hidden = hidden_text(text, words)
    if hidden is not None:
        h = hidden[0]
        out.append(chunk_features(deleet(h, chunk_tokens(h, [(0, len(h))]))[0]))
    return out


# -- round 10 (h-sfx13): the *form* of a chunk ----------------------------------------------------
#
# Optimised adversarial suffixes (GCG, DSN and the like) are runs of word fragments glued to
# punctuation (``oppositeley.](``, ``giving**one``, ``"\!--two``, ``({[htmlsvg``) appended to a
# plain request: word n-grams cannot weigh them (every suffix is new), so their texts read as the
# bare request. What they share is their form, read here from the view's whitespace-separated
# tokens: an *odd* token holds letters together with punctuation that is not a word's own (more
# than one punctuation character, or one that is not an inner ``- ' / . &``: ``e.g``, ``don't``,
# ``and/or`` are words, and so are punctuation marks that only touch each other at the ends) once
# up to two quotes or brackets are taken off its start and up to four brackets or stops off its end
# (``"word,"``, ``(word)``, ``**bold**``, ``{like this}`` are words), or is punctuation alone of two
# kinds or more, one of them rare in prose and code statements (``<%=``, ``$("#``; not ``};``);
# numbers are never odd. Only odd tokens on a *prose line* count: a line of
# the chunk with at least `FORM_PROSE` plain words (letters only), which a suffix glued to a
# request is. `form_lines` gives a chunk's prose lines with odd tokens (the C kernel,
# `_cscore.form_lines`, the same integers); `form_features` makes a few unscaled features (like
# ``s:``) of the odd tokens on those of them that also hold a harm word or a request verb: form x
# harmful request is attack evidence, form alone is not (code, JSON and links have it).

#: a line needs this many plain words to be prose
FORM_PROSE = 4
#: the odd-token counts and run lengths that make features (``f:o2``, ``f:r3``, ...)
FORM_ODD = (2, 4)
FORM_RUN = (2, 3)
#: request verbs a suffix is appended to ("write a ...", "explain how ..."): only the form
#: features read them
FORM_VERBS = frozenset(("write", "create", "draft", "design", "explain", "describe", "provide", "generate",
                        "develop", "compose", "outline", "tell", "teach", "give"))
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LEAD = frozenset("\"'(*_[-{<")
_TRAIL = frozenset(".,;:!?\"')*_]}>")
_SOFT = frozenset("-'/.&")
_RARE = frozenset("\\$%^~|@#<>=`")


def token_form(tok: str) -> int:
    """0 neither, 1 a plain word (letters only), 2 an odd token (see above)."""
    i, j = 0, len(tok)
    while i < j and i < 2 and tok[i] in _LEAD:
        i += 1
    k = j
    while j > i and k - j < 4 and tok[j - 1] in _TRAIL:
        j -= 1
    if i == j:
        return 0
    letters = digits = other = run = longest = 0
    kinds: set[str] = set()
    for c in tok[i:j]:
        run += 1
        if c in _PUNCT:
            kinds.add(c)
            run = 0
        elif "0" <= c <= "9":
            digits += 1
            run = 0
        elif c.isalpha():
            letters += 1
            longest = max(longest, run)
        else:
            other += 1
            run = 0
    if letters:
        if not kinds:
            return 1 if digits == 0 and other == 0 else 0
        if kinds <= _SOFT and tok[i] not in _PUNCT and tok[j - 1] not in _PUNCT and not _glued(tok, i, j):
            return 0
        # round 11b (sfx14): a suffix glues word fragments to punctuation; letters in runs of one
        # or two (``a+b``, ``n%2``, ``\\d{4}``, ``^[a-z]+$``) are an expression, not odd
        return 0 if longest < FORM_FRAGMENT or _code_like(tok, i, j) else 2
    # punctuation alone: odd with two kinds or more of which one is rare in prose and code
    # statements (``<%=``, ``$("#``, ``"\\``), not ``};`` or ``"))``
    return 2 if not (digits or other) and len(set(tok)) >= 2 and not _RARE.isdisjoint(tok) and tok not in _OPERATORS else 0


#: round 11b (sfx14): operators of code, punctuation alone but not odd (``x != y``)
_OPERATORS = frozenset(("!=", "==", "=>", "->", "<=", ">=", "<-", "::", "||", "&&", "<<", ">>", "|>", "=~", "//",
                        "===", "!=="))
#: punctuation a code-like token may hold (not ``* + ^ ~ | %``, nor ``\`` but inside a path)
_CODE_PUNCT = frozenset("_.,:;/-='\"`()[]{}<>@#$!&?")
_CODE_START = frozenset(".\"'`/$@#!")
_CODE_END = frozenset(")]}'\"`/=_(")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(")]}")


def _closing_end(tok: str, k: int) -> bool:
    """Whether ``tok[k:]`` is closers and end punctuation only (``x).`` after ``(see``)."""
    return all(c in _CLOSE or c in _TRAIL for c in tok[k:])


def _code_like(tok: str, i: int, j: int) -> bool:
    """Round 11b (sfx14): whether a token with letters and glued punctuation has the shape of code,
    a path, a link, an address or a key=value (``df.groupby('m')``, ``memset(buf,``, ``./data``,
    ``s3://b/k``, ``user=alex``, ``guide](https://x.example/a)``, ``opts->verbose``) rather than
    of an optimised suffix (``oppositeley.](``, ``giving**one``, ``==interface``, ``ask@``,
    ``herezak({[htmlsvg``). ``tok[i:j]`` is its core (`token_form`'s ends taken off). Code-like:
    only `_CODE_PUNCT` punctuation; a backslash only between a letter, digit or ``:`` and a letter
    or digit (``c:\\users\\x``); the core starts with a letter, digit, ``_`` or `_CODE_START` and
    ends with a letter, digit or `_CODE_END`; brackets ``()[]{}`` nest, except closers followed
    by closers and end punctuation only (``x).`` after ``(see``), openers in its leading ends, a
    ``]`` right before a ``(`` that is not the token's last character (a markdown link's middle)
    and one ``(`` after a letter, digit or ``_`` left open (a call whose arguments follow:
    ``memset(buf,``). A core between backticks (inline code) is code-like whatever it holds, and so is ``c++``."""
    a, z = tok[i], tok[j - 1]
    if a == z == "`" and j - i >= 3:  # inline code, whatever it holds
        return True
    if j - i >= 3 and tok[j - 2:j] == "++" and tok[i:j - 2].isalnum():  # c++, i++
        return True
    if not (a.isalnum() or a == "_" or a in _CODE_START) or not (z.isalnum() or z in _CODE_END):
        return False
    n = len(tok)
    for k in range(i, j):
        c = tok[k]
        if c in _PUNCT:
            if c not in _CODE_PUNCT and c != "\\":
                return False
            if c == "\\" and not (k > 0 and (tok[k - 1].isalnum() or tok[k - 1] == ":")
                                  and k + 1 < n and tok[k + 1].isalnum()):
                return False
    stack: list[int] = []
    for k in range(n):
        c = tok[k]
        if c in _OPEN:
            if len(stack) == 64:  # deeper than any code token (the kernel's stack)
                return False
            stack.append(k)
        elif c in _CLOSE:
            if stack and _OPEN[tok[stack[-1]]] == c:
                stack.pop()
            elif not (_closing_end(tok, k) or (c == "]" and k + 2 < n and tok[k + 1] == "(")):
                return False
    calls = 0
    for k in stack:
        if k < i:
            continue
        if tok[k] == "(" and k > 0 and (tok[k - 1].isalnum() or tok[k - 1] == "_") and not calls:
            calls = 1
            continue
        return False
    return True


def _glued(tok: str, i: int, j: int) -> bool:
    """Whether two punctuation characters touch in ``tok[i:j]``."""
    prev = False
    for c in tok[i:j]:
        p = c in _PUNCT
        if p and prev:
            return True
        prev = p
    return False


#: cue words of the form features and their bits: 1 a harm word, 2 a request verb (`form_lines`)
FORM_CUES: dict[str, int] = {w: 1 for w, c in CONCEPTS.items() if c == "@harm" and w.isalpha()}
for _w in FORM_VERBS:
    FORM_CUES[_w] = FORM_CUES.get(_w, 0) | 2
_CUE_NAMES = ((1, "@harm"), (2, "req"))
if _ck is not None:
    _ck.form_cues(FORM_CUES)
#: the cue words, for one set test (`form_cue_free`)
FORM_CUE_WORDS = frozenset(FORM_CUES)


def form_cue_free(view: str, words: AbstractSet[str], letter_digit: bool) -> bool:
    """Whether no line of ``view`` can have a cue (`form_lines`' ``cues``, which ORs the
    `FORM_CUES` bits of the line's runs of letters), so that `form_sums` is None whatever the
    view's form, without reading it (round 12, spd15: most text has neither a harm word nor a
    request verb). ``words`` is the view's word set (`_canon.word_set`: the view cut at ASCII
    punctuation and whitespace), ``letter_digit`` whether an ASCII letter sits next to an ASCII
    digit in it (`_signals._letter_digit`). In an ASCII canonical view (no control characters,
    `guardwrap._text._view`) with no letter next to a digit, a run of letters is a whole word of
    ``words``: none of them a cue, no line has one."""
    return view.isascii() and not letter_digit and FORM_CUE_WORDS.isdisjoint(words)


#: round 11b (sfx14): the letters in a row an odd token needs (a word's fragment)
FORM_FRAGMENT = 3
#: round 11b (sfx14): an inline code span opened by a token starting with a backtick closes within
#: this many tokens after it (`_code_spans`)
FORM_SPAN = 4


def _closes_span(tok: str) -> bool:
    """Whether ``tok`` ends an inline code span: a backtick last, up to four of ``.,;:!?)`` after it."""
    j = len(tok)
    while j > 0 and len(tok) - j < 4 and tok[j - 1] in ".,;:!?)":
        j -= 1
    return j > 0 and tok[j - 1] == "`"


def _code_spans(toks: Sequence[str]) -> list[bool]:
    """Per token of a line, whether it lies in inline code: a token of two characters or more that
    starts with a backtick and closes the span itself (`_closes_span`), or a token that starts with
    one, the first of the next `FORM_SPAN` tokens that closes the span and those between (template
    syntax quoted as code: a backtick, then ``{{ .values.image }}`` or ``<%= name %>``, then a
    backtick): code, whatever it holds, never odd. A backtick that opens no span in reach (before
    ``{optional[{``) marks nothing."""
    out = [False] * len(toks)
    left = 0
    for q, t in enumerate(toks):
        if left:
            out[q] = True
            left -= 1
            continue
        if t[0] != "`":
            continue
        if len(t) >= 2 and _closes_span(t):
            out[q] = True
            continue
        for k in range(1, FORM_SPAN + 1):
            if q + k < len(toks) and _closes_span(toks[q + k]):
                out[q] = True
                left = k
                break
    return out


#: round 17: the markup characters of `unpaired_markup`: brackets, quotes and the rare punctuation
#: of code and templates
FORM_MARKUP = frozenset("\"[]{}()<>\\$=;|^~`*#@%+")
#: round 17: a line with this many of them, this many brackets that pair with nothing and, of
#: those, this many closers that nothing opened counts `FORM_UNPAIRED_ODD` odd tokens more
FORM_MARKUP_MIN = 6
FORM_UNPAIRED_MIN = 2
FORM_STRAY_MIN = 1
FORM_UNPAIRED_ODD = 2
_BRACKETS = "()[]{}"


def _aside(tok: str) -> bool:
    """Whether ``tok`` is an emoticon or a list marker, whose one bracket pairs with nothing by
    design (``:)``, ``:-(``, ``;]``, ``a)``, ``12)``): two or three characters, one of them ``(``,
    ``)``, ``[`` or ``]`` and none ``{`` or ``}``, the others eyes and noses (``:;=-'``, one of
    ``:;=`` among them) or, before a final ``)``, letters and digits."""
    if not 2 <= len(tok) <= 3 or "{" in tok or "}" in tok:
        return False
    k = [q for q, c in enumerate(tok) if c in "()[]"]
    if len(k) != 1:
        return False
    rest = tok[:k[0]] + tok[k[0] + 1:]
    if all(c in ":;=-'" for c in rest) and any(c in ":;=" for c in rest):
        return True
    return k[0] == len(tok) - 1 and tok[-1] == ")" and rest.isalnum()


def unpaired_markup(toks: Sequence[str]) -> bool:
    """Round 17: whether a line's tokens hold at least `FORM_MARKUP_MIN` markup characters
    (`FORM_MARKUP`) and at least `FORM_UNPAIRED_MIN` brackets that pair with nothing, counted per
    kind (``(``/``)``, ``[``/``]``, ``{``/``}`` apart: a closer with none of its kind open, and the
    openers left open), at least `FORM_STRAY_MIN` of them such a closer; emoticons and list
    markers (`_aside`) left out. An optimised suffix glued to a request (``sorry
    bere---------------- ??legt !! lawyer correctedilde]$. [[There among``, ``replacing ] (
    something => thing supplies): Here(! Is converted ((``) opens and closes brackets at random;
    code, markup and prose with asides pair theirs up, and code cut off mid-expression ("explain
    this: arr.map((x) => { return [x") leaves openers open but closes nothing it did not open.
    Over the training corpus, on a prose line: 85 of JailbreakBench's 178 GCG prompts, 125 of the
    180 ``adversarial-suffix`` texts, 163 of 167 DSN prompts; no benign text."""
    marks = bad = 0
    depth = [0, 0, 0]
    for t in toks:
        if _aside(t):
            continue
        for c in t:
            if c not in FORM_MARKUP:
                continue
            marks += 1
            q = _BRACKETS.find(c)
            if q < 0:
                continue
            if q % 2 == 0:
                depth[q // 2] += 1
            elif depth[q // 2]:
                depth[q // 2] -= 1
            else:
                bad += 1
    return marks >= FORM_MARKUP_MIN and bad >= FORM_STRAY_MIN and bad + sum(depth) >= FORM_UNPAIRED_MIN


def form_lines(view: str, a: int, b: int, prose: int = FORM_PROSE) -> list[int]:
    """The prose lines of ``view[a:b]`` that hold odd tokens, flat: ``[start, end, odd tokens,
    longest run of consecutive odd tokens, cues, start, ...]`` (view offsets; a prose line has at
    least ``prose`` plain words; ``cues`` ORs the `FORM_CUES` bits of the line's words, a word
    being a maximal run of letters). A line whose markup does not pair up (`unpaired_markup`,
    round 17) counts `FORM_UNPAIRED_ODD` odd tokens more. The reference of `_cscore.form_lines`."""
    out: list[int] = []
    pos = a
    for line in view[a:b].split("\n"):
        toks = line.split()
        kinds = [token_form(t) for t in toks]
        for q, m in enumerate(_code_spans(toks)):
            if m and kinds[q] == 2:
                kinds[q] = 0
        odd = kinds.count(2) + (FORM_UNPAIRED_ODD if unpaired_markup(toks) else 0)
        if odd and kinds.count(1) >= prose:
            r = run = 0
            for c in kinds:
                r = r + 1 if c == 2 else 0
                run = max(run, r)
            cues = 0
            for is_letter, chars in groupby(line, str.isalpha):
                if is_letter:
                    cues |= FORM_CUES.get("".join(chars), 0)
            out += [pos, pos + len(line), odd, run, cues]
        pos += len(line) + 1
    return out


def form_stats(view: str, bounds: Sequence[tuple[int, int]]) -> list[list[int]]:
    """`form_lines` of every chunk of ``view`` (in C where the kernel is built)."""
    if _ck is not None:
        stats: list[list[int]] = _ck.form_lines(view, bounds, FORM_PROSE)
        return stats
    return [form_lines(view, a, b) for a, b in bounds]


def form_features(lines: Sequence[int]) -> list[str]:
    """The form features of a chunk given its `form_lines`: the odd tokens and runs of the prose
    lines that also hold a harm word (``@harm``) or a request verb (``req``, `FORM_VERBS`),
    counted per cue: ``f:o<k> <cue>`` for at least k odd tokens on such lines, ``f:r<k> <cue>``
    for a run of k on one. Form alone makes no feature (code, JSON and links in prose have it),
    nor does a request on one line next to a line of code on another ("explain this:" above a
    snippet): the suffix is glued to the request, on its line."""
    return list(_form_names(_form_levels(lines)))


def _form_levels(lines: Sequence[int]) -> tuple[int, ...]:
    """Per cue, the odd tokens and the longest run on its lines, capped at the top levels."""
    out: list[int] = []
    for bit, _ in _CUE_NAMES:
        odd = run = 0
        for q in range(0, len(lines), 5):
            if lines[q + 4] & bit:
                odd += lines[q + 2]
                run = max(run, lines[q + 3])
        out += [min(odd, FORM_ODD[-1]), min(run, FORM_RUN[-1])]
    return tuple(out)


def _form_names(levels: tuple[int, ...]) -> Iterable[str]:
    for q, (_, cue) in enumerate(_CUE_NAMES):
        odd, run = levels[2 * q], levels[2 * q + 1]
        yield from (f"f:o{k} {cue}" for k in FORM_ODD if odd >= k)
        yield from (f"f:r{k} {cue}" for k in FORM_RUN if run >= k)


def form_sums(
    view: str, bounds: Sequence[tuple[int, int]], weights: dict[str, float],
    memo: dict[tuple[int, ...], float] | None = None,
) -> list[float] | None:
    """Per chunk, the sum of the ``f:`` ``weights`` (keys without the ``f:``) of its form
    features, or None when no chunk has any: what the scorer adds to a window's logit, unscaled.
    ``memo`` keeps the sum of every combination of levels met (a few dozen at most) for the
    next call with the same weights."""
    out: list[float] | None = None
    for k, lines in enumerate(form_stats(view, bounds)):
        if not lines:
            continue
        levels = _form_levels(lines)
        total = memo.get(levels) if memo is not None else None
        if total is None:
            total = math.fsum(weights[n[2:]] for n in _form_names(levels) if n[2:] in weights)
            if memo is not None:
                memo[levels] = total
        if total:
            if out is None:
                out = [0.0] * len(bounds)
            out[k] = total
    return out
