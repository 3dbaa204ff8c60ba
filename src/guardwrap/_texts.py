"""Checking the several texts of one call as one conversation.

A call can pass many texts (messages, arguments, tool results). Each is checked on its own, with
the end of the text before it as context (``ctx.before``: "And the account number?" / "32680173").
Then the places where two texts meet are checked again, joined by a space: a card number
split over two messages (``"My card 4111 1111"``, ``"1111 1111"``), a deny term split over two
list items. Only windows around the joins are scanned (values and terms are short), so the extra
work is small and linear. A finding that crosses a join is applied to each text it touches: the
first part takes the replacement (``<CREDIT_CARD>``, the pseudonym of the whole value), the
following parts are removed.

One decision comes out per call and stage, with one step per validator (findings say which text
their offsets refer to in ``Finding.part``), so a conversation of many messages writes as many
audit records as a single text.
"""

from __future__ import annotations

from collections.abc import Sequence
from time import perf_counter_ns

import orjson

from ._anonymize import hash_token, mask_value
from ._chain import Chain, Link
from ._context import CallContext
from ._decision import SPAN_ACTIONS, Decision, Finding, Step, worst
from ._walk import TooManyTexts, replace, walk

#: characters of context each side of a join: longer than any value or term a join can split
WINDOW = 256
#: characters of the previous text given to validators as context
BEFORE = 256
_SEP = " "


def check_texts(chain: Chain, texts: Sequence[str], ctx: CallContext, *, stop_on_block: bool
                ) -> tuple[Decision, list[str]]:
    """Run ``chain`` over each text and over the joins between them.

    Returns one decision (text: the last text after fixes) and every text after fixes.
    """
    if len(texts) == 1:  # one text (the common call): no joins, and combine has nothing to merge
        ctx.before = ""
        d = chain.run(texts[0], ctx)
        for f in d.findings:
            if f.part is not None:  # a validator said which part: combine tags the rest alike
                return combine((d,), chain), [d.text]
        return d, [d.text]
    decisions: list[Decision] = []
    fixed: list[str] = []
    before = ""
    for t in texts:
        ctx.before = before
        d = chain.run(t, ctx)
        decisions.append(d)
        fixed.append(d.text)
        if stop_on_block and d.outcome == "blocked":
            ctx.before = ""
            return combine(decisions, chain), fixed
        before = d.text[-BEFORE:]
    ctx.before = ""
    if len(texts) > 1:
        extra = _joins(chain, fixed, ctx)
        if extra is not None:
            decisions.append(extra)
    return combine(decisions, chain), fixed


def _windows(starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """Merged ``[a, b)`` windows of the joined text around every join."""
    total = ends[-1]
    out: list[tuple[int, int]] = []
    for end in ends[:-1]:  # the separator after text i sits at ``end``
        a, b = max(0, end - WINDOW), min(total, end + 1 + WINDOW)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _parts(starts: list[int], ends: list[int], a: int, b: int) -> list[tuple[int, int, int]]:
    """``(text index, start, end)`` fragments of joined span ``[a, b)``, offsets within each text."""
    out = []
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        if s >= b:
            break
        lo, hi = max(a, s), min(b, e)
        if lo < hi:
            out.append((i, lo - s, hi - s))
    return out


def _joins(chain: Chain, texts: list[str], ctx: CallContext) -> Decision | None:
    """The findings that cross a join; texts are rewritten in place for span actions."""
    t0 = perf_counter_ns()
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t)
        ends.append(pos)
        pos += len(_SEP)
    joined = _SEP.join(texts)
    found: dict[tuple[str, int, int], tuple[Link, Finding, str | None]] = {}
    reasons: dict[str, str] = {}
    for a, b in _windows(starts, ends):
        for link, r in chain.scan(joined[a:b], ctx):
            for f in r.findings:
                ja, jb = f.start + a, f.end + a
                if len(_parts(starts, ends, ja, jb)) < 2:
                    continue  # inside one text: its own check saw it
                found.setdefault((link.name, ja, jb), (link, f, r.feedback))
                reasons.setdefault(link.name, r.reason or link.name)
    if not found:
        return None
    edits: dict[int, list[tuple[int, int, str]]] = {}
    steps: dict[str, Step] = {}
    for (name, ja, jb), (link, f, _feedback) in sorted(found.items(), key=lambda kv: kv[0][1]):
        parts = _parts(starts, ends, ja, jb)
        kind = f.kind
        action = link.action
        if action in SPAN_ACTIONS:
            value = joined[ja:jb]
            for n, (i, s, e) in enumerate(parts):
                if action == "mask":
                    rep = mask_value(texts[i][s:e], char=link.mask_char, keep=link.mask_keep)
                elif n:
                    rep = ""
                elif action == "redact":
                    rep = f"<{kind}>"
                elif action == "hash":
                    rep = hash_token(kind, value, link.hash_key or b"")
                else:
                    rep = ctx.vault().placeholder(kind, value)
                edits.setdefault(i, []).append((s, e, rep))
            outcome = "fixed"
        elif action == "warn":
            outcome = "warned"
        elif action == "escalate":
            outcome = "escalated"
        else:  # block, reask, and fixes that cannot be applied to parts of two texts
            outcome = "blocked"
        i0, s0, _ = parts[0]
        finding = Finding(f.entity_type, s0, parts[-1][2] if len(parts) == 1 else len(texts[i0]), f.score,
                          rule=f.rule, validator=link.name, part=i0)
        step = steps.get(name)
        if step is None:
            steps[name] = Step(link.name, link.version, action, outcome, (reasons[name], "crosses-texts"),
                               (finding,), f.score)
        else:
            step.outcome = worst(step.outcome, outcome)
            step.findings = (*step.findings, finding)
    for i, changes in edits.items():
        t = texts[i]
        for s, e, rep in sorted(changes, reverse=True):
            t = t[:s] + rep + t[e:]
        texts[i] = t
    outcome = "pass"
    for st in steps.values():
        outcome = worst(outcome, st.outcome)
    latency = perf_counter_ns() - t0
    return Decision(outcome, texts[-1], stage=chain.stage, findings=tuple(f for st in steps.values() for f in st.findings),
                    reasons=tuple(r for st in steps.values() for r in st.reasons), steps=tuple(steps.values()),
                    policy_hash=chain.policy_hash, latency_ns=latency, enforced=not chain.shadow)


def combine(decisions: Sequence[Decision], chain: Chain) -> Decision:
    """One decision for the texts of one call: one step per validator, findings tagged with the
    index of their text."""
    if len(decisions) == 1:
        for f in decisions[0].findings:
            if f.part is not None:
                break
        else:
            return decisions[0]
    outcome = "pass"
    reasons: list[str] = []
    feedback: list[str] = []
    by_name: dict[str, Step] = {}
    latency = 0
    value = None
    for i, d in enumerate(decisions):
        outcome = worst(outcome, d.outcome)
        latency += d.latency_ns
        value = d.value if d.value is not None else value
        reasons.extend(r for r in d.reasons if r not in reasons)
        feedback.extend(x for x in d.feedback if x not in feedback)
        for s in d.steps:
            tagged = tuple(f if f.part is not None else _tag(f, i) for f in s.findings)
            prev = by_name.get(s.validator)
            if prev is None:
                by_name[s.validator] = Step(s.validator, s.version, s.action, s.outcome, s.reasons, tagged,
                                            s.score, s.latency_ns, s.error)
                continue
            prev.outcome = worst(prev.outcome, s.outcome)
            prev.reasons = prev.reasons + tuple(r for r in s.reasons if r not in prev.reasons)
            prev.findings = prev.findings + tagged
            prev.latency_ns += s.latency_ns
            prev.error = prev.error or s.error
            if s.score is not None:
                prev.score = s.score if prev.score is None else max(prev.score, s.score)
    steps = tuple(by_name.values())
    return Decision(outcome, decisions[-1].text, stage=chain.stage,
                    findings=tuple(f for s in steps for f in s.findings), reasons=tuple(reasons),
                    steps=steps, policy_hash=chain.policy_hash, latency_ns=latency,
                    enforced=not chain.shadow, value=value, feedback=tuple(feedback))


def _tag(f: Finding, part: int) -> Finding:
    g = f.shifted(0)
    g.part = part
    return g


def check_tool_args(chain: Chain, args: str, ctx: CallContext, *, stop_on_block: bool) -> tuple[Decision, str]:
    """Check a tool call's JSON arguments value by value (and across values: ``["4111", "1111",
    "1111", "1111"]`` is one card). Returns the decision and the arguments after fixes, as JSON.
    Arguments that are not JSON are checked as one text."""
    try:
        obj = orjson.loads(args)
        leaves = walk(obj, max_leaves=10_000).leaves
    except (orjson.JSONDecodeError, TooManyTexts):
        leaves = []
    if not leaves or (len(leaves) == 1 and leaves[0].path == ()):
        d = chain.run(args, ctx)
        return d, d.text
    d, fixed = check_texts(chain, [leaf.text for leaf in leaves], ctx, stop_on_block=stop_on_block)
    changes = [(leaf.path, new) for leaf, new in zip(leaves, fixed, strict=True) if new is not leaf.text]
    if not changes:
        return d, args
    return d, orjson.dumps(replace(obj, changes)).decode()
