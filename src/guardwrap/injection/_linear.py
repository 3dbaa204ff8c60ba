"""The learned tier: a linear model over `_features`, shipped in the wheel, scored in pure Python.

The weights file (``guardwrap/data/injection_linear.json``, written by ``training/injection``)
holds a bias and one weight per selected feature. It is read once per process, on the first
`PromptInjection` built with the learned tier, and shared by every instance.

Scoring a chunk is three passes of dict lookups at C speed (``map(dict.get, ...)``) over the sets
of its unigrams, bigrams and trigrams, keyed by word tuples, so no n-gram string is ever built. A window's logit is
the bias plus its chunks' sums plus the signal families' weights; the score is its logistic. The
bias already holds the calibration, so 0.5 is the threshold validated for at most 1% false positives
on every benign source.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterable
from itertools import islice, repeat
from pathlib import Path
from typing import Any

import orjson

from ._canon import Alignment
from ._features import (
    CONCEPTS,
    NORM_FLOOR,
    SPLIT,
    chunk_bounds,
    original_bounds,
    signal_chunks,
    windows,
)

__all__ = ["FORMAT", "WEIGHTS", "LinearModel", "builtin"]

FORMAT = "guardwrap.injection.linear/1"
WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "injection_linear.json"

_ZERO = 0.0


class LinearModel:
    """Weights by feature, split by kind for lookups without building strings."""

    __slots__ = ("bi", "bias", "cbi", "ctri", "meta", "sig", "tri", "uni")

    def __init__(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} weights file (format={doc.get('format')!r})")
        self.bias = float(doc["bias"])
        self.meta: dict[str, Any] = doc.get("meta", {})
        self.uni: dict[str, float] = {}
        self.bi: dict[tuple[str, ...], float] = {}
        self.tri: dict[tuple[str, ...], float] = {}
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
            elif kind in "btc" and len(kind) == 1:
                key_t = tuple(map(sys.intern, key.split(" ")))
                if kind == "b":
                    self.bi[key_t] = wf
                elif kind == "t":
                    self.tri[key_t] = wf
                else:
                    (self.cbi if len(key_t) == 2 else self.ctri)[key_t] = wf
            elif kind == "s":
                self.sig[key] = wf
            else:
                raise ValueError(f"unknown feature kind {kind!r} in the weights file")

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls(orjson.loads(Path(path).read_bytes()))

    def chunk_sum(self, chunk: str) -> tuple[float, int]:
        """``(sum of the weights, number)`` of the distinct word n-grams of one chunk of view."""
        toks = chunk.translate(SPLIT).split()
        zero = repeat(_ZERO)
        uni = set(toks)
        total = sum(map(self.uni.get, uni, zero))
        n = len(uni)
        if len(toks) > 1:
            bi = set(zip(toks, islice(toks, 1, None), strict=False))
            total += sum(map(self.bi.get, bi, zero))
            n += len(bi)
            if len(toks) > 2:
                tri = set(zip(toks, islice(toks, 1, None), islice(toks, 2, None), strict=False))
                total += sum(map(self.tri.get, tri, zero))
                n += len(tri)
        cs = list(filter(None, map(CONCEPTS.get, toks)))
        if len(cs) > 1:
            cbi = set(zip(cs, islice(cs, 1, None), strict=False))
            total += sum(map(self.cbi.get, cbi, zero))
            n += len(cbi)
            if len(cs) > 2:
                ctri = set(zip(cs, islice(cs, 1, None), islice(cs, 2, None), strict=False))
                total += sum(map(self.ctri.get, ctri, zero))
                n += len(ctri)
        return total, n

    def windows(
        self, view: str, origin: Alignment | None, hits: Iterable[tuple[str, float, int, int]]
    ) -> list[tuple[float, int, int]]:
        """``(logit, start, end)`` of every window, offsets into the original text.

        ``hits`` are signal hits ``(family, weight, start, end)`` with original-text offsets."""
        vb = chunk_bounds(view)
        ob = original_bounds(vb, origin)
        sums = [self.chunk_sum(view[a:b]) for a, b in vb]
        sig = self.sig
        extra = [0.0] * len(vb)
        for k, names in enumerate(signal_chunks(ob, hits)):
            for name in names:
                extra[k] += sig.get(name, 0.0)
        out = []
        for i, j in windows(len(sums)):
            total = sum(s for s, _ in sums[i:j + 1])
            n = sum(c for _, c in sums[i:j + 1])
            out.append((self.bias + total / math.sqrt(max(n, NORM_FLOOR)) + sum(extra[i:j + 1]),
                        ob[i][0], ob[j][1]))
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
