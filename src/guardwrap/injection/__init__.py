"""`PromptInjection`: jailbreak and prompt-injection detection, offline and sub-millisecond.

Three tiers share one validator:

learned (default)
    A linear model over word n-grams and concept n-grams of the canonical text and the hand-written
    signal families (`SIGNALS`), shipped in the package and trained by ``training/injection`` (see
    ``benchmarks/injection.md`` for how it fares on technique families it was not trained on).
    Long texts are scored in windows of about 1 KB; the text takes its worst window's score. A text
    of more than two chunks is also read in small windows of ~130 characters, scored against the
    rest of the text with their own calibrated bias (a short attack in a long document).
``model="path/to/dir"``
    A local ONNX sequence classifier (extra ``guardwrap[onnx]``), e.g. an exported Prompt Guard 2
    or ProtectAI deberta v2; never downloaded. Scored in windows of its own tokens.
``learned=False``
    The signal families alone: ``1 - prod(1 - weight)`` over the strongest hit of each family.

Whatever the tier, every signal that fired is a finding (``rule="injection-<family>"``, offsets,
pattern weight) and the learned or ONNX tier adds one ``injection-model`` finding over the window
that scored highest. The reason is ``injection-<strongest family>``, or ``injection-model`` when
no family fired. Neither ever carries the text.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from .._decision import ACTIONS, SPAN_ACTIONS, Finding, Result
from .._errors import PolicyError
from .._validator import Validator
from ._canon import canonical, word_set
from ._linear import WEIGHTS, LinearModel, builtin
from ._signals import SIGNALS, SignalScanner, combine

__all__ = ["SIGNALS", "PromptInjection"]

#: actions that make sense for a whole-text score: nothing to redact, no fix to apply
_ACTIONS = ACTIONS - SPAN_ACTIONS - {"fix"}


class PromptInjection(Validator):
    """Score a text for prompt-injection and jailbreak; fail at ``threshold`` (default 0.5).

    ``signals`` limits which signal families are looked for (default: all of `SIGNALS`).
    ``learned=False`` scores with the signal families alone (the tier before the learned model).
    ``model`` names a local directory with an ONNX sequence classifier (``model.onnx``,
    ``tokenizer.json``, ``config.json``); ``labels`` then names the labels that mean injection
    (default: read from the config, e.g. ``INJECTION``, ``JAILBREAK``, ``MALICIOUS``).

    The result's ``score`` is in [0, 1]; for the shipped model 0.5 is the threshold validated for
    at most 1% false positives on every benign source of its validation.
    """

    name = "prompt_injection"
    version = "2"
    actions = _ACTIONS

    def __init__(
        self,
        threshold: float = 0.5,
        *,
        action: str = "block",
        signals: Iterable[str] | None = None,
        learned: bool = True,
        model: str | os.PathLike[str] | None = None,
        labels: Iterable[str] | None = None,
        name: str | None = None,
    ) -> None:
        if action in SPAN_ACTIONS or action == "fix":
            raise PolicyError(
                f"{name or self.name}: action {action!r} is not supported: a prompt-injection score "
                "covers the whole text, so there is no span to rewrite and no fix to apply",
                key="action", expected=" | ".join(sorted(_ACTIONS)),
            )
        super().__init__(action=action, name=name)
        if isinstance(threshold, bool) or not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
            raise PolicyError(f"threshold is {threshold!r}", key="threshold", expected="a number in (0, 1]")
        chosen = SIGNALS if signals is None else tuple(signals)
        for s in chosen:
            if s not in SIGNALS:
                raise PolicyError(f"unknown signal {s!r}", key="signals", expected=" | ".join(SIGNALS))
        if not isinstance(learned, bool):
            raise PolicyError(f"learned is {learned!r}", key="learned", expected="true | false")
        self.threshold = float(threshold)
        self.signals = frozenset(chosen)
        self._scanner = SignalScanner(self.signals)
        self._linear: LinearModel | None = None
        self._onnx: Any = None
        self._model_id: str | None = None
        if model is not None:
            from ._onnx import OnnxClassifier

            self._onnx = OnnxClassifier(model, labels=labels)
            self._model_id = self._onnx.fingerprint
        elif labels is not None:
            raise PolicyError("labels is only used with model=...", key="labels",
                              expected="a model directory in `model`")
        elif learned:
            self._linear = builtin()
            self._model_id = _weights_id()
        self.tier = "onnx" if self._onnx is not None else "learned" if learned else "signals"

    # -- scoring ----------------------------------------------------------------------------------

    def scan(self, text: str) -> list[tuple[str, float, int, int]]:
        """``(family, weight, start, end)`` for every signal pattern that fired, offsets into ``text``."""
        return self._scanner.scan(text)

    def _evaluate(self, text: str) -> tuple[float, list[tuple[str, float, int, int]], tuple[int, int] | None]:
        """``(score, signal hits, span of the worst window or None)``."""
        view, origin = canonical(text)
        if self._linear is not None:
            (logit, start, end), hits = self._linear.best(text, view, origin, self._scanner)
            return self._linear.score(logit), hits, (start, end)
        hits = self._scanner.scan_view(text, view, origin, word_set(view))
        if self._onnx is not None:
            score, start, end = self._onnx.score(text)
            return score, hits, (start, end)
        return combine(hits), hits, None

    def score(self, text: str) -> float:
        """The injection score of ``text`` in [0, 1] (the configured tier's)."""
        return self._evaluate(text)[0]

    def check(self, text: str, ctx: Any) -> Result | None:
        score, hits, window = self._evaluate(text)
        if score < self.threshold:
            return Result.ok(score=round(score, 4)) if (hits or window is not None) else None
        findings = [Finding(rule=f"injection-{sig}", start=s, end=e, score=w) for sig, w, s, e in hits]
        if window is not None:
            findings.append(Finding(rule="injection-model", start=window[0], end=window[1],
                                    score=round(score, 4)))
        top = f"injection-{max(hits, key=_SECOND)[0]}" if hits else "injection-model"
        return Result.fail(top, findings=findings, score=round(score, 4))

    def config(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "signals": sorted(self.signals), "tier": self.tier,
                "model": self._model_id}


#: a sort key, run in C: `max` still returns the first of equal maxima
_SECOND = itemgetter(1)


_weights_digest: str | None = None


def _weights_id() -> str:
    """``sha256:<hex>`` of the shipped weights, for the policy hash (computed once)."""
    global _weights_digest
    if _weights_digest is None:
        _weights_digest = "sha256:" + hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    return _weights_digest
