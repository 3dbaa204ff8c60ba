"""The learned tier: a linear model over `_features`, shipped in the wheel, scored in pure Python.

The weights file (``guardwrap/data/injection_linear.json``, written by ``training/injection``)
holds a bias and one weight per selected feature. It is read once per process, on the first
`PromptInjection` built with the learned tier, and shared by every instance.

Scoring a chunk is a few passes of dict lookups at C speed (``map(dict.get, ...)``): over the set
of its words, over the pairs of adjacent words and over its concept sequence and concept pairs,
keyed by tuples of interned strings, so no n-gram string is ever built and no Python code runs per
word. The text is tokenised once (the chunks' tokens also make the word set the signal scanner and
the other rules share). A window's logit is the bias plus its two chunks' sums plus their ``s:``
weights; the score is its logistic. The bias already holds the calibration, so 0.5 is the threshold
validated for at most 1% false positives on every benign source.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from itertools import combinations, islice
from pathlib import Path
from typing import Any

import orjson

from ._canon import Alignment
from ._features import (
    CONCEPTS,
    NORM_FLOOR,
    SPLIT,
    deleet,
    hidden_text,
    original_bounds,
    positions,
    signal_chunks,
    windows,
)

__all__ = ["FORMAT", "WEIGHTS", "LinearModel", "builtin"]

FORMAT = "guardwrap.injection.linear/1"
WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "injection_linear.json"



class LinearModel:
    """Weights by feature, split by kind for lookups without building strings."""

    __slots__ = ("bi", "bi_keys", "bias", "cbi", "cbi_keys", "ctri", "ctri_keys", "meta", "pair", "pair_keys",
                 "sig", "uni", "uni_keys")

    def __init__(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} weights file (format={doc.get('format')!r})")
        self.bias = float(doc["bias"])
        self.meta: dict[str, Any] = doc.get("meta", {})
        self.uni: dict[str, float] = {}
        self.bi: dict[tuple[str, ...], float] = {}
        self.pair: dict[tuple[str, ...], float] = {}
        self.sig: dict[str, float] = {}
        self.cbi: dict[tuple[str, ...], float] = {}
        self.ctri: dict[tuple[str, ...], float] = {}
        # words are interned and equal weights share one float: ~70k features in half the memory
        floats: dict[float, float] = {}
        for name, w in doc["weights"].items():
            kind, _, key = name.partition(":")
            wf = floats.setdefault(float(w), float(w))
            if kind == "u":
                self.uni[sys.intern(key)] = wf
            elif kind in "bcp" and len(kind) == 1:
                key_t = tuple(map(sys.intern, key.split(" ")))
                if kind == "b":
                    self.bi[key_t] = wf
                elif kind == "p":
                    self.pair[key_t] = wf
                else:
                    (self.cbi if len(key_t) == 2 else self.ctri)[key_t] = wf
            elif kind == "s":
                self.sig[key] = wf
            else:
                raise ValueError(f"unknown feature kind {kind!r} in the weights file")
        self.uni_keys = frozenset(self.uni)
        self.bi_keys = frozenset(self.bi)
        self.cbi_keys = frozenset(self.cbi)
        self.ctri_keys = frozenset(self.ctri)
        self.pair_keys = frozenset(self.pair)

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls(orjson.loads(Path(path).read_bytes()))

    def chunk_sum(self, toks: list[str]) -> tuple[float, int]:
        """``(sum of the weights, n-gram positions)`` of one chunk's tokens.

        Each kind of n-gram is offered to the set of the model's keys of that kind
        (``keys.intersection(ngrams)``, at C speed): what comes back is the distinct n-grams that
        have a weight, usually a handful, and only those are summed."""
        cs = list(filter(None, map(CONCEPTS.get, toks)))
        uni = self.uni
        total = sum(map(uni.__getitem__, self.uni_keys.intersection(toks)))
        if len(toks) > 1:
            bi = self.bi
            total += sum(map(bi.__getitem__, self.bi_keys.intersection(
                zip(toks, islice(toks, 1, None), strict=False))))
        present: list[str] = []
        if len(cs) > 1:
            cbi = self.cbi
            total += sum(map(cbi.__getitem__, self.cbi_keys.intersection(
                zip(cs, islice(cs, 1, None), strict=False))))
            if len(cs) > 2:
                ctri = self.ctri
                total += sum(map(ctri.__getitem__, self.ctri_keys.intersection(
                    zip(cs, islice(cs, 1, None), islice(cs, 2, None), strict=False))))
            present = sorted(set(cs))
            if len(present) > 1:
                pair = self.pair
                total += sum(map(pair.__getitem__, self.pair_keys.intersection(combinations(present, 2))))
        return total, positions(len(toks), len(cs), len(present) if len(cs) > 1 else min(len(cs), 1))

    def windows(
        self, text: str, view: str, origin: Alignment | None, bounds: list[tuple[int, int]],
        toks: list[list[str]], hits: Iterable[tuple[str, float, int, int]],
        words: AbstractSet[str] | None = None,
    ) -> list[tuple[float, int, int]]:
        """``(logit, start, end)`` of every window, offsets into the original text.

        ``bounds`` are the chunks of ``view`` (`chunk_bounds`), ``toks`` their tokens
        (`chunk_tokens`); ``hits`` are signal hits ``(family, weight, start, end)`` with
        original-text offsets; ``words`` the view's word set (for base64 / hex hidden text)."""
        ob = original_bounds(bounds, origin)
        toks = deleet(view, toks)
        sums = [self.chunk_sum(t) for t in toks]
        sig = self.sig
        extra = [0.0] * len(bounds)
        for k, names in enumerate(signal_chunks(ob, hits)):
            for name in names:
                extra[k] += sig.get(name, 0.0)
        hidden = hidden_text(text, words)
        if hidden is not None:
            h, start, end = hidden
            ht = deleet(h, [h.translate(SPLIT).split()])[0]
            sums.append(self.chunk_sum(ht))
            extra.append(0.0)
            ob = [*ob, (start, end)]
        out = []
        for i, j in windows(len(sums)):
            total = sum(s for s, _ in sums[i:j + 1])
            n = sum(c for _, c in sums[i:j + 1])
            out.append((self.bias + total / math.sqrt(max(n, NORM_FLOOR)) + sum(extra[i:j + 1]),
                        min(ob[i][0], ob[j][0]), max(ob[i][1], ob[j][1])))
        return out

    def score(self, logit: float) -> float:
        return _sigmoid(logit)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


_lock = threading.Lock()
_builtin: LinearModel | None = None


def builtin() -> LinearModel:
    """The shipped model, read on first use and shared."""
    global _builtin
    if _builtin is None:
        with _lock:
            if _builtin is None:
                _builtin = LinearModel.load(WEIGHTS)
    return _builtin
