"""What the learned tier reads: chunks of the canonical view, their word n-grams, the signal hits.

A text is cut into chunks of about `CHUNK` characters at whitespace; a *window* is two
consecutive chunks (a text of one chunk is one window). The model scores every window and the text
takes the highest score, so an instruction hidden in the middle of a long document is judged
beside its own neighbourhood, not diluted by the rest of the document, and the work is linear in
the length.

Features of a chunk, each counted once however often it occurs (a window's features are its
chunks' features added up, so a feature counts at most twice in a window):

``u:w``          word unigrams, ``b:w1 w2`` bigrams, ``t:w1 w2 w3`` trigrams; words are the view
                 split at spaces and ASCII punctuation
``c:@a @b``,     bigrams and trigrams of the chunk's *concept sequence*: its words that belong to
``c:@a @b @c``   one of the `CONCEPTS` (rules, removal, freedom, refusal, persona, ...), in order,
                 with every other word dropped. "you are free from all of your usual rules" and
                 "unbound by any guidelines" both read ``@free @rules``: the abstraction is what
                 lets a technique that was never seen in training share evidence with those that were
``s:family:w``   the signal patterns that fired in the chunk, by family and pattern weight

The n-gram part of a window's logit is divided by the square root of the number of distinct n-grams
in it (the binary vector's length, as cosine scoring does; at least `NORM_FLOOR`), so there is no length feature and
nothing grows with length: a long benign letter scores like a short one, and a short attack is not
drowned by the bias. Signal families are added unscaled: one precise pattern counts the same in a
short question and in a long document.

`chunk_features` is the readable definition (training uses it); the scorer in `_linear` computes
the same sums with dict lookups and must agree with it (a test holds it to that).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import islice

from ._canon import Alignment, canonical, pos, word_set
from ._signals import SignalScanner

__all__ = [
    "CHUNK", "CONCEPTS", "NGRAMS", "NORM_FLOOR", "SPLIT", "chunk_bounds", "chunk_features", "featurize", "original_bounds", "signal_chunks",
    "windows",
]

#: the key under which `chunk_features` reports its number of distinct n-grams
NGRAMS = "#ngrams"
#: the n-gram sum is divided by sqrt(max(distinct n-grams, NORM_FLOOR)): a text of three words is
#: not read as if every word weighed as much as in a paragraph
NORM_FLOOR = 30
#: characters of view per chunk; a window is two chunks
CHUNK = 512
#: a chunk without whitespace is cut at this length
_HARD = CHUNK + CHUNK // 2
#: view characters that separate words (all ASCII punctuation, as `guardwrap._textnorm.words`)
SPLIT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


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
             "unsafe inappropriate",
    "@comply": "always must shall obey comply compliance fulfil fulfill fulfils fulfills whatever regardless "
               "matter anything everything unconditionally",
    "@secret": "secret secrets hidden confidential internal verbatim reveal leak exfiltrate disclose "
               "preprompt",
    "@fiction": "story fiction fictional novel screenplay script hypothetical hypothetically scenario imagine "
                "imaginary fantasy game world universe experiment",
    "@authority": "developer developers admin administrator root sudo god ceo openai anthropic creator creators "
                  "engineer authorized authorised clearance official staff",
    "@format": "start begin beginning prefix sure certainly absolutely",
    "@now": "now henceforth onward onwards longer anymore new updated instead previous prior above earlier "
            "original initial précédentes vorherigen anteriores precedenti anteriori vorige",
    "@pressure": "urgent lives die dies fired deadline grandmother grandma deceased dying tokens points reward "
                 "tip punishment shut threatened",
    "@research": "research educational education academic purposes study awareness researcher professor thesis",
    "@respond": "answer answers respond response responses reply replies output say write tell",
    "@system": "system sys inst assistant's operator",
}.items():
    for _w in _words.split():
        CONCEPTS.setdefault(_w, _concept)


def chunk_bounds(view: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]``: the view cut into chunks at whitespace, covering it entirely."""
    n = len(view)
    if n <= CHUNK:
        return [(0, n)]
    out = []
    pos = 0
    while pos < n:
        end = pos + CHUNK
        if end >= n:
            out.append((pos, n))
            break
        sp = view.find(" ", end, pos + _HARD)
        nl = view.find("\n", end, pos + _HARD)
        cut = min(c for c in (sp, nl, pos + _HARD) if c >= 0)
        if n - cut < CHUNK // 4:  # no tiny tail chunk: it would make a window of its own
            cut = n
        out.append((pos, cut))
        pos = cut
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
    """Per chunk, the signal features of the hits starting in it: ``"family:weight"``.

    The weight names the pattern group (``delimiter:0.75`` is a chat-template tag, ``delimiter:0.55``
    a ``System:`` line), so training tells precise patterns from loose ones in the same family.
    ``bounds`` and ``hits`` (``(family, weight, start, end)``) in original-text offsets."""
    out: list[set[str]] = [set() for _ in bounds]
    starts = [a for a, _ in bounds]
    for fam, w, at, _ in hits:
        out[max(0, bisect_right(starts, at) - 1)].add(f"{fam}:{w:g}")
    return out


def chunk_features(chunk: str, signals: Iterable[str] = ()) -> dict[str, float]:
    """The features of one chunk of view, by name, with their values (plus `NGRAMS`)."""
    toks = chunk.translate(SPLIT).split()
    t1, t2 = islice(toks, 1, None), islice(toks, 2, None)
    names = {"u:" + t for t in toks}
    names.update("b:" + a + " " + b for a, b in zip(toks, islice(toks, 1, None), strict=False))
    names.update("t:" + a + " " + b + " " + c for a, b, c in zip(toks, t1, t2, strict=False))
    cs = [CONCEPTS[t] for t in toks if t in CONCEPTS]
    names.update("c:" + a + " " + b for a, b in zip(cs, islice(cs, 1, None), strict=False))
    names.update("c:" + a + " " + b + " " + c
                 for a, b, c in zip(cs, islice(cs, 1, None), islice(cs, 2, None), strict=False))
    feats = dict.fromkeys(names, 1.0)
    feats[NGRAMS] = float(len(names))  # distinct n-grams: the window's norm (not a feature)
    for sig in signals:
        feats["s:" + sig] = 1.0
    return feats


def featurize(text: str, scanner: SignalScanner) -> list[dict[str, float]]:
    """The features of every chunk of ``text``: what training sees of it."""
    view, origin = canonical(text)
    hits = scanner.scan_view(text, view, origin, word_set(view))
    vb = chunk_bounds(view)
    sigs = signal_chunks(original_bounds(vb, origin), hits)
    return [chunk_features(view[a:b], sigs[k]) for k, (a, b) in enumerate(vb)]
