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
``s:family``     the signal families that fired in the chunk, valued by the pattern's weight

The n-gram part of a window's logit is divided by the square root of the number of distinct n-grams
in it (the binary vector's length, as cosine scoring does), so there is no length feature and
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

from ._canon import canonical, word_set
from ._signals import SignalScanner

__all__ = [
    "CHUNK", "NGRAMS", "SPLIT", "chunk_bounds", "chunk_features", "featurize", "original_bounds", "signal_chunks",
    "windows",
]

#: the key under which `chunk_features` reports its number of distinct n-grams
NGRAMS = "#ngrams"
#: characters of view per chunk; a window is two chunks
CHUNK = 512
#: a chunk without whitespace is cut at this length
_HARD = CHUNK + CHUNK // 2
#: view characters that separate words (all ASCII punctuation, as `guardwrap._textnorm.words`)
SPLIT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})


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
    bounds: list[tuple[int, int]], origin: list[int] | None
) -> list[tuple[int, int]]:
    """Chunk bounds in view offsets mapped to offsets into the original text."""
    if origin is None:
        return bounds
    return [(origin[a], origin[b]) for a, b in bounds]  # origin has one entry past the end


def signal_chunks(
    bounds: Sequence[tuple[int, int]], hits: Iterable[tuple[str, float, int, int]]
) -> list[dict[str, float]]:
    """Per chunk, ``{family: weight}`` of the strongest hit of each family starting in it.

    ``bounds`` and ``hits`` (``(family, weight, start, end)``) in original-text offsets."""
    out: list[dict[str, float]] = [{} for _ in bounds]
    starts = [a for a, _ in bounds]
    for fam, w, pos, _ in hits:
        k = max(0, bisect_right(starts, pos) - 1)
        d = out[k]
        if w > d.get(fam, 0.0):
            d[fam] = w
    return out


def chunk_features(chunk: str, signals: dict[str, float] | None = None) -> dict[str, float]:
    """The features of one chunk of view, by name, with their values (plus `NGRAMS`)."""
    toks = chunk.translate(SPLIT).split()
    t1, t2 = islice(toks, 1, None), islice(toks, 2, None)
    names = {"u:" + t for t in toks}
    names.update("b:" + a + " " + b for a, b in zip(toks, islice(toks, 1, None), strict=False))
    names.update("t:" + a + " " + b + " " + c for a, b, c in zip(toks, t1, t2, strict=False))
    feats = dict.fromkeys(names, 1.0)
    feats[NGRAMS] = float(len(names))  # distinct n-grams: the window's norm (not a feature)
    for fam, w in (signals or {}).items():
        feats["s:" + fam] = feats.get("s:" + fam, 0.0) + w
    return feats


def featurize(text: str, scanner: SignalScanner) -> list[dict[str, float]]:
    """The features of every chunk of ``text``: what training sees of it."""
    view, origin = canonical(text)
    hits = scanner.scan_view(text, view, origin, word_set(view))
    vb = chunk_bounds(view)
    sigs = signal_chunks(original_bounds(vb, origin), hits)
    return [chunk_features(view[a:b], sigs[k]) for k, (a, b) in enumerate(vb)]
