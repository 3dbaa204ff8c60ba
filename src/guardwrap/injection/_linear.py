"""The learned tier: a linear model over `_features`, shipped in the wheel, scored in C where the
kernel is built and in pure Python (the reference) otherwise.

The weights file (``guardwrap/data/injection_linear.json``, written by ``training/injection``)
holds a bias and one weight per selected feature. It is read once per process, on the first
`PromptInjection` built with the learned tier, and shared by every instance.

In Python, scoring a chunk is a few passes of dict lookups at C speed (``map(dict.get, ...)``):
over the set of its words, over the pairs of adjacent words and over its concept sequence and
concept pairs, keyed by tuples of interned strings, so no n-gram string is ever built and no Python
code runs per word. The C kernel (``_cscore.c``, `LinearModel.evaluate`) does the same from tables
built once from these dicts and `CONCEPTS` when the model is loaded: it tokenises every chunk in
one pass, without making a string per token, and builds the word set the signal scanner and the
other rules share. A chunk's sum is exactly rounded (`math.fsum`, and the same algorithm in C), so
both give the same float whatever order the n-grams come in. A window's logit is the bias plus its
two chunks' sums plus their ``s:`` weights; the score is its logistic. Where the kernel is built,
the chunk bounds (`_features.chunk_bounds`) and the windows' logits (the loop of `_windows`) come
from it too, with the same integers and the same float operations in the same order. The bias already holds the
calibration, so 0.5 is the threshold validated for at most 1% false positives on every benign
source.

A text of more than two chunks is also read in *small windows* (`small_best`, round 11c): each
chunk cut again into ~64-character chunks, two consecutive ones a small window, scored with the
same weights, read against the rest of the text and with a bias of their own (``small_window_bias``
in the weights file, calibrated by training like the windows'; without it they are off). The
kernel sums the small chunks in the same pass as the chunks and returns them as one bytes object
(`unpack_small`)."""

from __future__ import annotations

import math
import sys
import threading
from bisect import bisect_right
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from itertools import combinations, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from .._native import kernel
from .._text._fold import cached_words, remember_words
from ._canon import Alignment, pos, word_set, words_of
from ._features import (
    CHUNK,
    CONCEPTS,
    HARD,
    NORM_FLOOR,
    SMALL,
    SMALL_GAP,
    SMALL_HARD,
    SMALL_LAM,
    SMALL_MU,
    SPLIT,
    chunk_bounds,
    chunk_tokens,
    deleet,
    form_cue_free,
    form_sums,
    hidden_text,
    leet_map,
    original_bounds,
    positions,
    signal_features,
    small_bounds,
    windows,
)
from ._signals import SignalScanner, _letter_digit

__all__ = ["FORMAT", "WEIGHTS", "LinearModel", "builtin", "unpack_small"]

FORMAT = "guardwrap.injection.linear/1"
WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "injection_linear.json"
#: the C chunk scorer (``_cscore.c``), None when not built or GUARDWRAP_PURE_PYTHON is set
_ck: Any = kernel("guardwrap.injection._cscore")


class LinearModel:
    """Weights by feature, split by kind for lookups without building strings."""

    __slots__ = ("_form_memo", "_keyed", "_tables", "bi", "bi_keys", "bias", "cbi", "cbi_keys", "ctri", "ctri_keys", "form",
                 "meta", "pair", "pair_keys", "sig", "sig_default", "small_bias", "uni", "uni_keys")

    def __init__(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} weights file (format={doc.get('format')!r})")
        self.bias = float(doc["bias"])
        #: the bias of the small windows (`small_windows`), calibrated by training so that a logit of
        #: 0 is their threshold; None (no small windows) in a weights file without one
        sb = doc.get("small_window_bias")
        self.small_bias: float | None = None if sb is None else float(sb)
        self.meta: dict[str, Any] = doc.get("meta", {})
        self.uni: dict[str, float] = {}
        self.bi: dict[tuple[str, ...], float] = {}
        self.pair: dict[tuple[str, ...], float] = {}
        self.sig: dict[str, float] = {}
        #: per signal family, the weight of a pattern training never saw fire (a pattern added since,
        #: or too rare in the corpus): the median of the family's learned weights, so a new precise
        #: pattern counts as its family does instead of not at all
        self.sig_default: dict[str, float] = {str(k): float(v) for k, v in doc.get("signal_defaults", {}).items()}
        self.cbi: dict[tuple[str, ...], float] = {}
        self.ctri: dict[tuple[str, ...], float] = {}
        #: round 10: weights of the form features (`_features.form_features`), names without "f:"
        self.form: dict[str, float] = {}
        self._form_memo: dict[tuple[int, ...], float] = {}
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
            elif kind == "f":
                self.form[key] = wf
            else:
                raise ValueError(f"unknown feature kind {kind!r} in the weights file")
        # (the key sets of the pure-Python scorer, `chunk_sum`, are built on its first call: with the
        # C kernel they are never needed, and they held about 1 MB)
        self.uni_keys: frozenset[str] = frozenset()
        self.bi_keys: frozenset[tuple[str, ...]] = frozenset()
        self.cbi_keys: frozenset[tuple[str, ...]] = frozenset()
        self.ctri_keys: frozenset[tuple[str, ...]] = frozenset()
        self.pair_keys: frozenset[tuple[str, ...]] = frozenset()
        self._keyed = False
        #: the C kernel's copy of the tables (and of `CONCEPTS` as it is now), None without it
        self._tables: Any = self._c_tables() if _ck is not None else None

    def _c_tables(self) -> Any:
        """The tables for `_cscore.chunk_sums`: every word of a weight or a concept gets an id,
        every concept an id in the concepts' string order (the order of ``sorted(set(cs))``)."""
        vocab: dict[str, int] = {}

        def wid(w: str) -> int:
            return vocab.setdefault(w, len(vocab))

        uni = [(wid(w), x) for w, x in self.uni.items()]
        bi = [(wid(k[0]), wid(k[1]), x) for k, x in self.bi.items() if len(k) == 2]
        names = sorted({*CONCEPTS.values(), *(c for d in (self.cbi, self.ctri, self.pair) for k in d for c in k)})
        cid = {c: i for i, c in enumerate(names)}
        concept_of = [(wid(w), cid[c]) for w, c in CONCEPTS.items() if c]
        cbi = [(cid[k[0]], cid[k[1]], x) for k, x in self.cbi.items() if len(k) == 2]
        ctri = [(cid[k[0]], cid[k[1]], cid[k[2]], x) for k, x in self.ctri.items() if len(k) == 3]
        pair = [(cid[k[0]], cid[k[1]], x) for k, x in self.pair.items() if len(k) == 2]
        try:
            return _ck.Tables(list(vocab), uni, bi, concept_of, len(names), cbi, ctri, pair)
        except ValueError:  # tables the kernel cannot hold (a weight that is not finite): Python scores
            return None

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        return cls(orjson.loads(Path(path).read_bytes()))

    def chunk_sum(self, toks: list[str]) -> tuple[float, int]:
        """``(sum of the weights, n-gram positions)`` of one chunk's tokens.

        Each kind of n-gram is offered to the set of the model's keys of that kind
        (``keys.intersection(ngrams)``, at C speed): what comes back is the distinct n-grams that
        have a weight, usually a handful, and only those are summed, with `math.fsum` (exactly
        rounded, so the set's order, which varies from process to process, does not matter and the
        C kernel gives the same float)."""
        if not self._keyed:  # (the sets first, the flag after: another thread sees both or neither)
            self.uni_keys, self.bi_keys, self.cbi_keys, self.ctri_keys, self.pair_keys = (
                frozenset(self.uni), frozenset(self.bi), frozenset(self.cbi), frozenset(self.ctri), frozenset(self.pair))
            self._keyed = True
        cs = list(filter(None, map(CONCEPTS.get, toks)))
        uni = self.uni
        found = list(map(uni.__getitem__, self.uni_keys.intersection(toks)))
        if len(toks) > 1:
            bi = self.bi
            found.extend(map(bi.__getitem__, self.bi_keys.intersection(
                zip(toks, islice(toks, 1, None), strict=False))))
        present: list[str] = []
        if len(cs) > 1:
            cbi = self.cbi
            found.extend(map(cbi.__getitem__, self.cbi_keys.intersection(
                zip(cs, islice(cs, 1, None), strict=False))))
            if len(cs) > 2:
                ctri = self.ctri
                found.extend(map(ctri.__getitem__, self.ctri_keys.intersection(
                    zip(cs, islice(cs, 1, None), islice(cs, 2, None), strict=False))))
            present = sorted(set(cs))
            if len(present) > 1:
                pair = self.pair
                found.extend(map(pair.__getitem__, self.pair_keys.intersection(combinations(present, 2))))
        return math.fsum(found), positions(len(toks), len(cs), len(present) if len(cs) > 1 else min(len(cs), 1))

    def windows(
        self, text: str, view: str, origin: Alignment | None, bounds: list[tuple[int, int]],
        toks: list[list[str]], hits: Iterable[tuple[str, float, int, int]],
        words: AbstractSet[str] | None = None,
    ) -> list[tuple[float, int, int]]:
        """``(logit, start, end)`` of every window, offsets into the original text (pure Python).

        ``bounds`` are the chunks of ``view`` (`chunk_bounds`), ``toks`` their tokens
        (`chunk_tokens`); ``hits`` are signal hits ``(family, weight, start, end)`` with
        original-text offsets; ``words`` the view's word set (for base64 / hex hidden text)."""
        form = form_sums(view, bounds, self.form, self._form_memo) if self.form else None
        toks = deleet(view, toks)
        sums = [self.chunk_sum(t) for t in toks]
        hidden = hidden_text(text, words)
        if hidden is not None:
            h = hidden[0]
            sums.append(self.chunk_sum(deleet(h, [h.translate(SPLIT).split()])[0]))
        return self._windows(sums, original_bounds(bounds, origin), hits, hidden, form=form)

    def evaluate(
        self, text: str, view: str, origin: Alignment | None, scanner: SignalScanner
    ) -> tuple[list[tuple[float, int, int]], list[tuple[str, float, int, int]]]:
        """``(windows, signal hits)`` of ``text`` given its canonical view and offset map: what
        `windows` gives over `chunk_tokens`, with the hits of ``scanner`` over the view's word set
        (`words_of`). The C kernel, where built, tokenises and sums the chunks; the result is the
        same to the last bit."""
        if self._tables is None:
            bounds = chunk_bounds(view)
            toks = chunk_tokens(view, bounds)
            words = words_of(view, bounds, toks)
            hits = scanner.scan_view(text, view, origin, words)
            wins = self.windows(text, view, origin, bounds, toks, hits, words)
            if self.small_bias is not None and len(bounds) > 2:
                wins.append(self.small_best(view, origin, bounds, hits))
            return wins, hits
        sums, ob, hits, hidden, small, form = self._chunks(text, view, origin, scanner)
        wins = self._windows(sums, ob, hits, hidden, form=form)
        if small is not None:
            wins.append(self._small_best_packed(small, origin, hits))
        return wins, hits

    def small_best(
        self, view: str, origin: Alignment | None, bounds: list[tuple[int, int]],
        hits: Iterable[tuple[str, float, int, int]], bias: float | None = None,
    ) -> tuple[float, int, int]:
        """``(logit, start, end)`` of the *small windows* (pure Python): two consecutive chunks of
        about `SMALL` characters (`small_bounds`: every chunk of ``bounds`` cut again), scored as
        the windows are (the same weights and signal features, the n-gram sum divided by the
        square root of its positions), without a bias: u. The first highest, u*, gives the span;
        the logit is ``bias`` (default `small_bias`) + u* - `SMALL_LAM` x (the highest u more than
        `SMALL_GAP` windows away, or 0) - `SMALL_MU` x (the mean u). `evaluate` adds it after the
        windows for a text of more than two chunks: a short instruction in a long document is then
        judged beside ~100 characters of it, not ~1,000, and against the rest of the document."""
        sb = small_bounds(view, bounds)
        sums = [self.chunk_sum(t) for t in deleet(view, chunk_tokens(view, sb))]
        return self._small_best(sums, original_bounds(sb, origin), hits, bias)

    def _small_best_packed(
        self, packed: bytes, origin: Alignment | None, hits: Iterable[tuple[str, float, int, int]],
    ) -> tuple[float, int, int]:
        """`_small_best` of the kernel's small chunks (`chunk_sums`' bytes, view offsets): the same
        floats, without a Python object per small chunk."""
        extra = None
        if hits:
            starts = memoryview(packed).cast("q")[2::4].tolist()
            if origin is not None:
                starts = [pos(origin, a) for a in starts]
            extra = self._extra_at(starts, hits)
        z, start, end = _ck.windows(packed, None, extra, self.small_bias, NORM_FLOOR, True,
                                    SMALL_LAM, SMALL_MU, SMALL_GAP)
        if origin is not None:
            start, end = pos(origin, start), pos(origin, end)
        return z, start, end

    def _small_best(
        self, sums: list[tuple[float, int]], ob: list[tuple[int, int]],
        hits: Iterable[tuple[str, float, int, int]], bias: float | None = None,
    ) -> tuple[float, int, int]:
        """`small_best` from the small chunks' ``(sum, positions)`` and original bounds."""
        if bias is None:
            bias = self.small_bias
        assert bias is not None
        if self._tables is not None:  # the same floats, computed in C
            extra = self._extra(ob, hits) if hits else [0.0] * len(ob)
            top: tuple[float, int, int] = _ck.windows(sums, ob, extra, bias, NORM_FLOOR, True,
                                                      SMALL_LAM, SMALL_MU, SMALL_GAP)
            return top
        wins = self._windows(sums, ob, hits, None, 0.0)
        k = max(range(len(wins)), key=lambda i: wins[i][0])
        u, start, end = wins[k]
        s2 = 0.0
        for i, (v, _, _) in enumerate(wins):
            if (i < k - SMALL_GAP or i > k + SMALL_GAP) and v > s2:
                s2 = v
        mean = math.fsum(v for v, _, _ in wins) / len(wins)
        return bias + ((u - SMALL_LAM * s2) - SMALL_MU * mean), start, end

    def best(
        self, text: str, view: str, origin: Alignment | None, scanner: SignalScanner
    ) -> tuple[tuple[float, int, int], list[tuple[str, float, int, int]]]:
        """``(the highest window, signal hits)``: `evaluate` with ``max(windows, key=first)`` (the
        first of equal maxima), what `PromptInjection` reads; where the kernel is built, without a
        tuple per window."""
        if self._tables is None:
            wins, hits = self.evaluate(text, view, origin, scanner)
            return max(wins, key=_FIRST), hits
        sums, ob, hits, hidden, small, form = self._chunks(text, view, origin, scanner)
        extra, ob = self._window_extra(ob, hits, hidden, form)
        top: tuple[float, int, int] = _ck.windows(sums, ob, extra, self.bias, NORM_FLOOR, True)
        if small is not None:
            stop = self._small_best_packed(small, origin, hits)
            if stop[0] > top[0]:  # (the windows come first: equal maxima keep theirs)
                top = stop
        return top, hits

    def _chunks(
        self, text: str, view: str, origin: Alignment | None, scanner: SignalScanner
    ) -> tuple[list[tuple[float, int]], list[tuple[int, int]], list[tuple[str, float, int, int]],
               tuple[str, int, int] | None, bytes | None, list[float] | None]:
        """The kernel's ``(chunk sums, their original bounds, signal hits, hidden text, small
        chunks, form weights per chunk)``: the small chunks (bytes, `unpack_small`) when the model
        has small windows and the text more than two chunks (summed in the same pass, each token
        looked up once), else None; the form weights (`_features.form_sums`) when the model has
        ``f:`` weights, else None."""
        tables = self._tables
        bounds, cut_in_word = _ck.chunk_bounds(view, CHUNK, HARD)
        known = cached_words(view)
        # (leetspeak puts a digit between two letters: without a letter next to a digit there is
        # no leet map to look for, and the scan asks the same question of the same view next)
        digit_next = _letter_digit(view)
        leet = leet_map(view) if digit_next else None
        small = None
        if self.small_bias is not None and len(bounds) > 2:
            sums, made, small = _ck.chunk_sums(tables, view, bounds, leet, known is None and not cut_in_word,
                                               SMALL, SMALL_HARD)
        else:
            sums, made = _ck.chunk_sums(tables, view, bounds, leet, known is None and not cut_in_word)
        if known is not None:
            words = known
        elif made is not None:
            words = remember_words(view, made)
        else:
            words = word_set(view)
        hits = scanner.scan_view(text, view, origin, words)
        hidden = hidden_text(text, words)
        if hidden is not None:
            h = hidden[0]
            sums.extend(_ck.chunk_sums(tables, h, [(0, len(h))], leet_map(h), False)[0])
        # (the form weights need a cue word on the line: most text has none, and the view is not
        # read again for its form)
        form = form_sums(view, bounds, self.form, self._form_memo) if (
            self.form and not form_cue_free(view, words, digit_next)) else None
        return sums, original_bounds(bounds, origin), hits, hidden, small, form

    def _windows(
        self, sums: list[tuple[float, int]], ob: list[tuple[int, int]],
        hits: Iterable[tuple[str, float, int, int]], hidden: tuple[str, int, int] | None,
        bias: float | None = None, form: list[float] | None = None,
    ) -> list[tuple[float, int, int]]:
        """The windows' ``(logit, start, end)`` from the chunks' ``(sum, positions)`` (the hidden
        text's last, when there is one) and their original bounds, with ``bias`` (default `bias`)
        and the chunks' form weights ``form`` (round 10b/11b)."""
        extra, ob = self._window_extra(ob, hits, hidden, form)
        if bias is None:
            bias = self.bias
        if self._tables is not None:  # the same floats, computed in C
            wins: list[tuple[float, int, int]] = _ck.windows(sums, ob, extra, bias, NORM_FLOOR)
            return wins
        out = []
        for i, j in windows(len(sums)):
            if i == j:
                total, n = sums[i]
                e = extra[i]
            else:
                total = sums[i][0] + sums[j][0]
                n = sums[i][1] + sums[j][1]
                e = extra[i] + extra[j]
            out.append((bias + total / math.sqrt(max(n, NORM_FLOOR)) + e,
                        min(ob[i][0], ob[j][0]), max(ob[i][1], ob[j][1])))
        return out

    def _window_extra(
        self, ob: list[tuple[int, int]], hits: Iterable[tuple[str, float, int, int]],
        hidden: tuple[str, int, int] | None, form: list[float] | None = None,
    ) -> tuple[list[float], list[tuple[int, int]]]:
        """Per chunk, the ``s:`` weights of its signal hits (`_extra`) plus (round 10) the ``f:``
        weights of its form (`form`, from `_features.form_sums`), and the chunks' bounds, with the
        hidden text's (0.0, its span) last when there is one."""
        extra = self._extra(ob, hits) if hits else [0.0] * len(ob)
        if form is not None:
            extra = [e + f for e, f in zip(extra, form, strict=True)]
        if hidden is not None:
            extra.append(0.0)
            ob = [*ob, (hidden[1], hidden[2])]
        return extra, ob

    def _extra(self, ob: list[tuple[int, int]], hits: Iterable[tuple[str, float, int, int]]) -> list[float]:
        """Per chunk, the sum of the ``s:`` weights of its signal features (`signal_chunks`):
        only the chunks a hit starts in are summed, the others are 0.0 (``math.fsum(())``)."""
        extra = [0.0] * len(ob)
        hits = list(hits)
        if hits:
            for k, x in self._extra_at([a for a, _ in ob], hits).items():
                extra[k] = x
        return extra

    def _extra_at(self, starts: list[int], hits: Iterable[tuple[str, float, int, int]]) -> dict[int, float]:
        """``{chunk: sum of its s: weights}`` for the chunks (by their start offsets) that a hit
        starts in: what `signal_chunks` gives, summed (a feature without a weight of its own
        weighs `_unseen`)."""
        names_at: dict[int, set[str]] = {}
        for fam, w, at, _ in hits:
            names_at.setdefault(max(0, bisect_right(starts, at) - 1), set()).update(signal_features(fam, w))
        sig = self.sig
        return {k: math.fsum(sig[name] if name in sig else self._unseen(name) for name in names)
                for k, names in names_at.items()}

    def _unseen(self, name: str) -> float:
        """The weight of signal feature ``name`` (``family:weight``) that has none of its own; a
        family's own feature (``family``, round 16) without a weight weighs nothing (weights
        trained before it)."""
        fam, group, _ = name.partition(":")
        return self.sig_default.get(fam, 0.0) if group else 0.0

    def score(self, logit: float) -> float:
        return _sigmoid(logit)


def unpack_small(packed: bytes) -> tuple[list[tuple[float, int]], list[tuple[int, int]]]:
    """``(sums, bounds)`` of the small chunks `_cscore.chunk_sums` returns as bytes (records of a
    double and three int64: sum, positions, start, end; view offsets)."""
    mv = memoryview(packed)
    d, q = mv.cast("d"), mv.cast("q")
    return (list(zip(d[0::4].tolist(), q[1::4].tolist(), strict=True)),
            list(zip(q[2::4].tolist(), q[3::4].tolist(), strict=True)))


#: the logit of a window (`max` with it returns the first of equal maxima)
_FIRST = itemgetter(0)


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
