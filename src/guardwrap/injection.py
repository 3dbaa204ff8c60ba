"""`PromptInjection`: jailbreak and prompt-injection signals a reviewer can read, with a score.

Each signal is a family of phrase patterns matched on the normalised text (see `guardwrap.rules`):

``override``     "ignore all previous instructions" and its many forms
``persona``      role-play jailbreaks: DAN, "developer mode", "you are no longer bound by ..."
``extraction``   requests to reveal or repeat the system prompt
``delimiter``    role tags and delimiters injected into user text (``</system>``, ``[INST]``,
                 ``### Instruction``, ``<|im_start|>``, ``{"role": "system"}``)
``encoded``      the phrases above hidden in base64, hex, rot13 or leetspeak
``invisible``    instructions hidden in Unicode tag characters

Every signal that fires adds a finding (``rule="injection-<signal>"``, offsets, weight). The score
is ``1 - prod(1 - weight)`` over the strongest match of each signal, so two medium signals add up
to more than one. The text fails at ``threshold`` (default 0.5) with the reason
``injection-<strongest signal>``. Weights are set so that one clear phrase is enough and that
ordinary customer questions, blunt or even harmful ones, do not fire: the patterns look for
instructions *about the assistant*, not for topics.

Cost: texts without any trigger word (most of them) are settled by a set intersection.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from ._decision import Finding, Result
from ._errors import PolicyError
from ._textnorm import FOLD, span, words
from ._validator import Validator

__all__ = ["SIGNALS", "PromptInjection"]

SIGNALS = ("override", "persona", "extraction", "delimiter", "encoded", "invisible")

_W = r"[^.!?\n]"  # stay within one sentence
_OVERRIDE_VERBS = (r"(?:ignore|disregard|forget|override|overrule|bypass|abandon|discard|set aside|"
                   r"throw away|stop following|do not follow|don'?t follow|no longer follow)")
_OVERRIDE_OBJECTS = (r"(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|"
                     r"restrictions|constraints|programming|polic(?:y|ies)|filters?|"
                     r"safeguards|system message|training)")
# "disregard the previous instructions for the transfer" is a customer, not an attack
_BANKING_TAIL = (r"(?!\s+(?:i|we)\b|\s+(?:for|about|regarding|on|to)\s+(?:the\s+|my\s+|our\s+|this\s+|that\s+)?"
                 r"(?:payment|transfer|wire|account|card|loan|mortgage|deposit|order|transaction|direct|standing|pay|send))")
_SECRETISH = r"(?:system|hidden|secret|initial|original|internal|confidential|developer|pre-?|full|entire|exact|first|starting)"

# (signal, weight, needs, pattern): the pattern runs only near a word from ``needs`` (every match
# contains one), so the scan costs a few short windows instead of a pass over the text
_PATTERNS: tuple[tuple[str, float, str, str], ...] = (
    # -- override
    ("override", 0.9, "ignore disregard forget override overrule bypass abandon discard aside throw following follow", rf"\b{_OVERRIDE_VERBS}\b(?!{_W}{{0,25}}\b(?:my|our)\b)(?:\W+\w+){{0,5}}?\W+{_OVERRIDE_OBJECTS}\b{_BANKING_TAIL}"),
    ("override", 0.85, "ignore disregard forget", r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:the\s+|of\s+the\s+)?(?:above|previous|prior|preceding|earlier)(?:\s+(?:text|message|messages|conversation|context|content))?\s*(?:,|and|\.|;|:|-)\s*(?:instead\s+)?(?:say|print|output|write|respond|reply|tell|answer|do|act|you)"),
    ("override", 0.8, "forget", r"\bforget\s+(?:everything|all(?: of it)?|what)\s+(?:you\s+(?:were|have been|'ve been)|that\s+(?:was|you were))\s+(?:told|taught|instructed|programmed|given)"),
    ("override", 0.6, "instructions instruction rules directive directives prompt task", r"\b(?:new|updated|real|true|actual|revised|secret)\s+(?:system\s+)?(?:instructions?|rules|directives?|system prompt|task)\s*(?::|-|are\b|follow\b)"),
    ("override", 0.6, "obey comply follow", r"\byou\s+(?:must|will|shall)\s+(?:now\s+)?(?:obey|comply with|follow)\s+(?:me|only me|my\s+(?:new\s+)?(?:instructions|commands|orders|rules))"),
    ("override", 0.45, "now", r"\bfrom\s+now\s+on,?\s+(?:you\s+(?:will|must|are|shall|should|can)\s+(?:ignore|answer|respond|act|be|behave|pretend|reply|only)|your\s+(?:new\s+)?(?:role|name|instructions?|rules))"),
    ("override", 0.7, "void invalid cancelled canceled obsolete fake test revoked valid", r"\b(?:the\s+)?(?:above|previous|prior)\s+(?:instructions|rules|prompt)\s+(?:are|were|is|was)\s+(?:void|invalid|cancelled|canceled|obsolete|fake|a test|no longer valid|revoked)"),
    # -- persona / jailbreak
    ("persona", 0.9, "anything", r"\bdo\s+anything\s+now\b"),
    ("persona", 0.9, "dan dude stan aim evilbot evil jailbroken", r"\b(?:you\s+are|you're|act\s+as|become|pretend\s+to\s+be)\s+(?:now\s+)?(?:dan|dude|stan|aim|evilbot|evil\s+bot|an?\s+jailbroken)\b"),
    ("persona", 0.85, "mode", r"\b(?:dan|developer|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|opposite|chaos|sudo|admin|root|devmode)\s+mode\b"),
    ("persona", 0.7, "jailbreak jailbreaking jailbroken", r"\bjailbr(?:eak|eaking|oken)\b"),
    ("persona", 0.85, "restrictions limits limitations rules filters guidelines censorship ethics morals morality boundaries policies constraints safeguards", rf"\b(?:you\s+are|you're|act\s+as|acting\s+as|pretend(?:\s+to\s+be|\s+you\s+are|\s+that\s+you\s+are)?|role-?play(?:\s+as)?|play\s+the\s+role\s+of|behave\s+(?:like|as)|simulate|imagine\s+you\s+are|you\s+will\s+be){_W}{{0,60}}\b(?:no|without|free\s+(?:from|of)|not\s+bound\s+by|unbound\s+by|beyond|ignoring)\b{_W}{{0,25}}\b(?:restrictions|limits|limitations|rules|filters|guidelines|censorship|ethics|morals|morality|boundaries|policies|constraints|safeguards)\b"),
    ("persona", 0.85, "longer", r"\b(?:you\s+are|you're)\s+(?:now\s+)?no\s+longer\s+(?:bound|restricted|limited|constrained|an?\s+(?:ai|assistant|language\s+model|chatbot)|required)"),
    ("persona", 0.8, "unfiltered uncensored evil unethical amoral immoral rogue unrestricted unaligned", r"\bact\s+as\s+(?:an?\s+)?(?:unfiltered|uncensored|evil|unethical|amoral|immoral|rogue|unrestricted|unaligned)\b"),
    ("persona", 0.6, "restrictions rules filters guidelines limits limitations censorship", r"\bif\s+you\s+(?:had|were|did\s+not\s+have|didn'?t\s+have)\s+(?:no\s+|without\s+|free\s+of\s+|any\s+)?(?:restrictions|rules|filters|guidelines|limits|limitations|censorship)\b"),
    ("persona", 0.55, "character", r"\b(?:stay|remain)\s+in\s+character\b"),
    ("persona", 0.6, "responses answers replies", r"\b(?:two|2|dual|both)\s+(?:responses|answers|replies)\b.{0,60}\b(?:normal|classic|jailbreak|jailbroken|dan|unfiltered)\b"),
    ("persona", 0.5, "ethical moral content safety", r"\b(?:without|no|ignore\s+(?:your|all|any))\s+(?:ethical|moral|content|safety)\s+(?:guidelines|filters|restrictions|constraints|policies|rules)\b"),
    # -- system prompt extraction
    ("extraction", 0.85, "system hidden secret initial original internal confidential developer pre preprompt full entire exact first starting", rf"\b(?:reveal|show|print|display|output|repeat|recite|dump|leak|expose|share|give|tell|write\s+out|spell\s+out|copy|paste|return|list|disclose|provide|read\s+(?:out|back)|summari[sz]e|translate)\b{_W}{{0,30}}\b{_SECRETISH}\s*(?:system\s+)?(?:prompt|instructions?|message|rules|guidelines|configuration|directives|context|setup)\b"),
    ("extraction", 0.85, "system hidden secret initial original internal confidential developer pre preprompt full entire exact first starting", rf"\bwhat\s+(?:is|are|was|were)\s+(?:your|the)\s+{_SECRETISH}\s*(?:system\s+)?(?:prompt|instructions?|message|rules|directives)\b"),
    ("extraction", 0.8, "above beginning top far", rf"\b(?:repeat|print|output|recite|reproduce|show|write)\b{_W}{{0,20}}\b(?:everything|all|the\s+text|the\s+words|the\s+content|what\s+(?:is|was)\s+written|the\s+lines?)\b{_W}{{0,25}}\b(?:above|before\s+this|prior\s+to\s+this|so\s+far|at\s+the\s+(?:start|beginning|top))\b"),
    ("extraction", 0.7, "verbatim", r"\b(?:instructions|prompt|rules)\b[^.\n]{0,30}\bverbatim\b|\bverbatim\b[^.\n]{0,40}\b(?:instructions|prompt)\b"),
    ("extraction", 0.6, "told instructed programmed prompted configured", r"\b(?:what|how)\s+(?:were|have)\s+you\s+(?:been\s+)?(?:told|instructed|programmed|prompted|configured)\s+(?:to|not|before|by)\b"),
    ("extraction", 0.75, "system initial hidden pre preprompt", r"\byour\s+(?:system\s+prompt|initial\s+prompt|hidden\s+instructions|pre-?prompt|system\s+message)\b"),
)
# (signal, weight, needs, pattern): ``needs`` are substrings here, tried the same way
_DELIMITER_PATTERNS: tuple[tuple[str, float, str, str], ...] = (
    ("delimiter", 0.75, "<", r"<\|?\s*/?\s*(?:system|assistant|im_start|im_end|endoftext|start_header_id|end_header_id|eot_id|sys|instructions?)\s*\|?>"),
    ("delimiter", 0.75, "[ <<", r"\[/?(?:inst|sys|system)\]|<<\s*/?\s*sys\s*>>"),
    ("delimiter", 0.7, "##", r"(?m)^\s*#{2,}\s*(?:instructions?|system(?:\s+prompt)?|new\s+(?:instructions?|task|rules)|assistant|response)\s*:?\s*$"),
    ("delimiter", 0.55, "system assistant", r"(?m)^\s*(?:system|assistant)\s*:\s*\S"),
    ("delimiter", 0.75, "role", r"[{,]\s*[\"']role[\"']\s*:\s*[\"'](?:system|developer|assistant)[\"']"),
    ("delimiter", 0.6, "--- === ***", r"(?:-{3,}|={3,}|\*{3,})\s*(?:end|begin|start)\s+(?:of\s+)?(?:system|user|prompt|instructions|context|document)"),
)
_ENCODING_REQUEST = re.compile(
    r"\b(?:decode|decipher|translate|convert)\b[^.!?\n]{0,40}\b(?:base64|base-64|b64|hex|rot-?13|caesar|binary)\b"
    r"[^.!?\n]{0,60}\b(?:follow|execute|obey|do\s+(?:what|as)|run|comply|carry\s+out|perform)\b"
)

# Any of these words must be present (as a whole token) before the phrase patterns run at all.
_TRIGGERS = frozenset(w for _, _, needs, _ in _PATTERNS for w in needs.split())
_ROT13 = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZABCDEFGHIJKLM",
)
_ROT13_TRIGGERS = frozenset(w.translate(_ROT13) for w in
                            ["ignore", "disregard", "forget", "instructions", "previous", "prompt", "system", "rules", "reveal",
                             "jailbreak", "pretend", "anything", "dan", "mode"])
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "8": "b"})
_PUNCT = str.maketrans({c: " " for c in "!\"#%&'()*+,-./:;<=>?[\\]^_`{|}~"})  # keeps @ and $ (leet)
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9_\-]{16,}={0,2}")
_LONG_TOKEN = re.compile(r"(?<!\S)\S{16,}")  # whitespace-separated tokens long enough to hide a payload
_TAGS = re.compile("[\U000e0000-\U000e007f]+")
_STRIP = "\"'`()[]{}<>.,;:!?"
#: how far around an anchor word a pattern is searched (longer than any pattern's match)
_WINDOW = 240
#: anchors seen more often than this make a pattern search the whole text once instead
_MAX_ANCHORS = 16


def _search_near(rx: re.Pattern[str], view: str, anchors: Iterable[str]) -> re.Match[str] | None:
    """``rx.search`` limited to windows around the anchors' occurrences."""
    n = 0
    for a in anchors:
        pos = view.find(a)
        while pos >= 0:
            n += 1
            if n > _MAX_ANCHORS:
                return rx.search(view)
            m = rx.search(view, max(0, pos - _WINDOW), pos + len(a) + _WINDOW)
            if m is not None:
                return m
            pos = view.find(a, pos + len(a))
    return None


def _printable_ratio(s: str) -> float:
    return sum(c.isprintable() or c in "\n\t" for c in s) / max(len(s), 1)


def _decode_token(tok: str) -> str | None:
    """The text a base64 or hex token decodes to, when it decodes to mostly printable text."""
    raw = tok.strip(_STRIP)
    if len(raw) < 16:
        return None
    candidates = []
    compact = raw.replace(":", "").replace(" ", "")
    if compact.lower().startswith("0x"):
        compact = compact[2:]
    if len(compact) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in compact):
        with contextlib.suppress(ValueError):
            candidates.append(bytes.fromhex(compact))
    if _B64.fullmatch(raw):
        padded = raw + "=" * (-len(raw) % 4)
        for dec in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                candidates.append(dec(padded))
            except (binascii.Error, ValueError):
                continue
    for data in candidates:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if text and _printable_ratio(text) > 0.9 and sum(c.isalpha() for c in text) >= len(text) * 0.5:
            return text
    return None


class PromptInjection(Validator):
    """Score a text for prompt-injection and jailbreak signals; fail at ``threshold``.

    ``signals`` limits which signal families count (default: all of `SIGNALS`). The result's
    ``score`` is the combined score; each finding carries its signal (``rule``) and weight
    (``score``). Findings never carry the matched words.
    """

    name = "prompt_injection"
    version = "1"

    def __init__(
        self,
        threshold: float = 0.5,
        *,
        action: str = "block",
        signals: Iterable[str] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        if not (isinstance(threshold, (int, float)) and 0 < threshold <= 1):
            raise PolicyError(f"threshold is {threshold!r}", key="threshold", expected="a number in (0, 1]")
        chosen = SIGNALS if signals is None else tuple(signals)
        for s in chosen:
            if s not in SIGNALS:
                raise PolicyError(f"unknown signal {s!r}", key="signals", expected=" | ".join(SIGNALS))
        self.threshold = float(threshold)
        self.signals = frozenset(chosen)
        self._phrases = tuple((sig, w, frozenset(needs.split()), re.compile(p))
                              for sig, w, needs, p in _PATTERNS if sig in self.signals)
        self._delims = tuple((sig, w, tuple(needs.split()), re.compile(p))
                             for sig, w, needs, p in _DELIMITER_PATTERNS if sig in self.signals)

    # -- scanning ---------------------------------------------------------------------------------

    def _phrase_hits(self, view: str, tokens: AbstractSet[str] | None = None) -> list[tuple[str, float, int, int]]:
        if tokens is None:
            tokens = set(view.translate(_PUNCT).split())
        hits = []
        for sig, w, needs, rx in self._phrases:
            anchors = needs.intersection(tokens)
            if anchors:
                m = _search_near(rx, view, anchors)
                if m is not None:
                    hits.append((sig, w, m.start(), m.end()))
        return hits

    def _decoded_hits(self, decoded: str) -> bool:
        view, _ = FOLD.view(decoded)
        return bool(self._phrase_hits(view))

    def scan(self, text: str) -> list[tuple[str, float, int, int]]:
        """``(signal, weight, start, end)`` for every signal that fired, offsets into ``text``."""
        view, origin = FOLD.view(text)
        tokens = words(view)  # shared with the other rules that look at this text
        if "@" in view or "$" in view:  # leetspeak may use them as letters: keep such words whole
            tokens = tokens | frozenset(view.translate(_PUNCT).split())
        hits: list[tuple[str, float, int, int]] = []
        if not tokens.isdisjoint(_TRIGGERS):
            hits.extend(self._phrase_hits(view, tokens))
        for sig, w, needs, rx in self._delims:
            anchors = [n for n in needs if (n in tokens if n.isalpha() else n in view)]
            if anchors:
                m = _search_near(rx, view, anchors)
                if m is not None:
                    hits.append((sig, w, m.start(), m.end()))
        if "encoded" in self.signals:
            hits.extend(self._encoded(view, tokens))
        hits = [(sig, w, *span(origin, s, e)) for sig, w, s, e in hits]
        # long tokens only: the view's tokens are cut at punctuation, so when base64's own
        # "+", "/", "=", "-" or "_" are in the text, look at the raw text's tokens instead
        if "encoded" in self.signals and (
            "+" in text or "/" in text or "=" in text or "-" in text or "_" in text
            or max(map(len, tokens), default=0) >= 16
        ):
            hits.extend(self._encoded_tokens(text))
        if "invisible" in self.signals and not text.isascii():
            hits.extend(self._invisible(text))
        return hits

    def _encoded(self, view: str, tokens: AbstractSet[str]) -> list[tuple[str, float, int, int]]:
        out = []
        # rot13: only when a rot13'd trigger word is present
        if not tokens.isdisjoint(_ROT13_TRIGGERS):
            for _sig, w, s, e in self._phrase_hits(view.translate(_ROT13)):
                out.append(("encoded", max(w, 0.85), s, e))
        # leetspeak: tokens mixing letters with digits or @/$ that read as trigger words
        odd = [t for t in tokens if not t.isalpha() and not t.isdigit()]
        if odd and any(t.translate(_LEET) in _TRIGGERS for t in odd):
            leet = view.translate(_LEET)
            for _sig, w, s, e in self._phrase_hits(leet):
                out.append(("encoded", max(w, 0.85), s, e))
        m = _ENCODING_REQUEST.search(view) if ("decode" in tokens or "decipher" in tokens
                                                or "convert" in tokens or "translate" in tokens) else None
        if m is not None:
            out.append(("encoded", 0.6, m.start(), m.end()))
        return out

    def _encoded_tokens(self, text: str) -> list[tuple[str, float, int, int]]:
        """base64 / hex tokens (16+ characters) that decode to injection phrases."""
        out: list[tuple[str, float, int, int]] = []
        if max(map(len, text.split()), default=0) < 16:  # the common case, at C speed
            return out
        for seen, m in enumerate(_LONG_TOKEN.finditer(text)):
            if seen >= 50:  # bound the work on hostile input
                break
            decoded = _decode_token(m.group())
            if decoded is not None and self._decoded_hits(decoded):
                out.append(("encoded", 0.9, m.start(), m.end()))
        return out

    def _invisible(self, text: str) -> list[tuple[str, float, int, int]]:
        out = []
        for m in _TAGS.finditer(text):
            hidden = "".join(chr(ord(c) - 0xE0000) for c in m.group() if 0x20 <= ord(c) - 0xE0000 < 0x7F)
            if len(hidden) >= 4:
                w = 0.95 if self._decoded_hits(hidden) else 0.6
                out.append(("invisible", w, m.start(), m.end()))
        return out

    # -- the validator ------------------------------------------------------------------------------

    def score(self, text: str) -> float:
        """The combined injection score of ``text`` in [0, 1]."""
        return _combine(self.scan(text))

    def check(self, text: str, ctx: Any) -> Result | None:
        hits = [h for h in self.scan(text) if h[0] in self.signals]
        if not hits:
            return None
        score = _combine(hits)
        if score < self.threshold:
            return Result.ok(score=round(score, 4))
        top = max(hits, key=lambda h: h[1])[0]
        findings = [Finding(rule=f"injection-{sig}", start=s, end=e, score=w) for sig, w, s, e in hits]
        return Result.fail(f"injection-{top}", findings=findings, score=round(score, 4))

    def config(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "signals": sorted(self.signals)}


def _combine(hits: Iterable[tuple[str, float, int, int]]) -> float:
    best: dict[str, float] = {}
    for sig, w, _, _ in hits:
        if w > best.get(sig, 0.0):
            best[sig] = w
    rest = 1.0
    for w in best.values():
        rest *= 1.0 - w
    return 1.0 - rest
