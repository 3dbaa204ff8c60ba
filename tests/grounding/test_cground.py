"""Differential: the grounding check's C kernel (``guardwrap._cground``) gives exactly what the
pure-Python code beside it gives, function by function (digit runs, the table of runs, the plain
text check) and end to end (the same claims and the same decisions, with the kernel and without,
on the evaluation set, generated answer/source pairs and long sources)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_grounding_differential import _FIGURES, _WORDS, pairs

import guardwrap as gw
from guardwrap import _claims, _sources
from guardwrap._claimtext import _PLAIN_LATIN1, all_plain
from guardwrap._context import CallContext
from guardwrap._native import kernel

K = kernel("guardwrap._cground")
needs_kernel = pytest.mark.skipif(K is None, reason="the C kernel is not built here (CI requires it)")

EVAL = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "grounding_eval.jsonl"
_RUN = re.compile(r"[0-9]+")

# digits, the separators figures are written with, Latin-1, the euro sign, wider characters (a
# str of each kind: 1, 2 and 4 bytes a character) and other scripts' digits (not ASCII digits)
_CHARS = "0123456789 ,./-:%ab\u00a3\u00a0\u00e9\u00ab\u20ac\u2013\u201c\u0663\uff11\U0001f600\x00"
texts = st.text(alphabet=_CHARS, max_size=60)


@needs_kernel
@settings(max_examples=500)
@given(texts, st.integers(min_value=-3, max_value=70), st.integers(min_value=-3, max_value=70))
def test_digit_spans_are_the_regex_runs(text: str, start: int, end: int) -> None:
    assert K is not None
    want = [x for m in _RUN.finditer(text, max(start, 0), max(end, 0)) for x in m.span()]
    assert K.digit_spans(text, start, end) == want


@needs_kernel
@settings(max_examples=500)
@given(st.sampled_from(["x", "\u00e9", "/", "\u20ac", "\u0663", "\U0001f600", ":", "\xff", "\uffff", "\u3030"]),
       st.lists(st.tuples(st.integers(min_value=0, max_value=40), st.text(alphabet="0123456789", min_size=1, max_size=3)),
                max_size=5),
       st.integers(min_value=0, max_value=9))
def test_digit_runs_after_long_stretches_without_digits(filler: str, runs: list[tuple[int, str]], lo: int) -> None:
    """The scan skips eight bytes at a time where they hold no digit: digits at every offset in
    the word, in texts of every kind (1, 2 and 4 bytes a character), with characters whose code
    units look like digits in part (U+3030, U+0663)."""
    assert K is not None
    text = "".join(filler * gap + digits for gap, digits in runs) + filler * 9
    want = [x for m in _RUN.finditer(text, lo) for x in m.span()]
    assert K.digit_spans(text, lo, len(text)) == want
    table = K.run_table(text)
    for _, digits in runs:
        for needle in (filler + digits, digits + filler):
            found = table.find_all(needle, 0)
            assert found is None or found == [m.start() for m in re.finditer("(?=" + re.escape(needle) + ")", text)]


@needs_kernel
@settings(max_examples=500, deadline=None)
@given(texts, st.data())
def test_the_run_table_finds_what_str_find_finds(text: str, data: st.DataObject) -> None:
    assert K is not None
    table = K.run_table(text)
    for _ in range(8):
        if text and data.draw(st.booleans()):
            a = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
            needle = text[a:a + data.draw(st.integers(min_value=1, max_value=8))]
        else:
            needle = data.draw(st.text(alphabet=_CHARS, min_size=1, max_size=6))
        lo = data.draw(st.integers(min_value=0, max_value=len(text) + 1))
        found = table.find_all(needle, lo)
        if found is None:  # only a needle without a run of digits next to another character
            assert _RUN.fullmatch(needle) or not _RUN.search(needle)
        else:
            assert found == [q for q in range(lo, len(text) + 1) if text.startswith(needle, q)]


@needs_kernel
def test_the_run_table_finds_every_place_in_order() -> None:
    assert K is not None
    text = " ".join(["1", "22", "1", "333", "\u00a31,500", "2026-03-01", "\u00a325.50", "1500"] * 300)
    table = K.run_table(text)
    for needle in ["\u00a31,500", "-03-", "\u00a325.5", "500 ", " 1", "25.50", "0 1", "22 1 3"]:
        want = [m.start() for m in re.finditer(f"(?={re.escape(needle)})", text)]
        assert table.find_all(needle, 0) == want
        assert table.find_all(needle, want[len(want) // 2]) == want[len(want) // 2:]
    assert table.find_all("2026", 0) is None and table.find_all("abc", 0) is None
    assert table.find_all("\u00a399.9", 0) == []


@needs_kernel
def test_kernel_arguments_are_checked() -> None:
    assert K is not None
    with pytest.raises(TypeError):
        K.digit_spans(b"12", 0, 2)
    with pytest.raises(TypeError):
        K.run_table(12)
    with pytest.raises(TypeError):
        K.run_table("1").find_all(1, 0)
    with pytest.raises(ValueError):
        K.run_table("1").find_all("1a", -1)
    with pytest.raises(TypeError):
        K.all_plain("x", "not bytes")


@needs_kernel
@settings(max_examples=1000)
@given(st.text(alphabet=[*map(chr, range(300)), "\u20ac", "\u201c", "\u2013", "\U0001f600"], max_size=8))
def test_all_plain_is_the_python_check(text: str) -> None:
    assert K is not None
    assert K.all_plain(text, _PLAIN_LATIN1) == all_plain(text)


# -- end to end: the same claims and decisions with the kernel and without ---------------------------


class _Without:
    """The modules' kernel switched off (as GUARDWRAP_PURE_PYTHON=1 does at import)."""

    def __enter__(self) -> None:
        _sources._K = _claims._K = None

    def __exit__(self, *exc: object) -> None:
        _sources._K = _claims._K = K


def _outcome(v: gw.Grounded, answer: str, sources: list[tuple[str, str]] | None) -> Any:
    claims = [(c.kind, c.start, c.end, c.value, c.unit, c.role, c.per, c.roles) for c in v.claims(answer)]
    ctx = CallContext("diff", gw.Context(sources=sources) if sources is not None else None)
    ctx.stage = "output"
    r = v.check(answer, ctx)
    decision = None if r is None else (r.passed, r.reason, r.score, r.feedback,
                                       [(f.rule, f.start, f.end) for f in r.findings])
    return claims, decision


_CONFIGS: list[dict[str, Any]] = [{}, {"citations": "require"}, {"locale": "en-US"}, {"locale": "de-DE"},
                                  {"facts": ["Lines open 8am to 8pm, 7 days a week. Call 0800 123 4567."]}]
_VALIDATORS = [gw.Grounded(**kw) for kw in _CONFIGS]


def _same(answer: str, sources: list[tuple[str, str]] | None, config: int = 0) -> None:
    v = _VALIDATORS[config]
    with_kernel = _outcome(v, answer, sources)
    with _Without():
        without = _outcome(v, answer, sources)
    assert with_kernel == without, (answer, sources)


def _eval_rows() -> Iterator[dict[str, Any]]:
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


@needs_kernel
def test_same_with_and_without_the_kernel_on_the_evaluation_set() -> None:
    n = 0
    for r in _eval_rows():
        _same(r["answer"], [tuple(s) for s in r["sources"]])
        n += 1
    assert n > 1000


@needs_kernel
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs())
def test_same_with_and_without_the_kernel_on_generated_pairs(pair: tuple[str, list[tuple[str, str]], int]) -> None:
    answer, sources, config = pair
    _same(answer, sources or None, config)


@needs_kernel
@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_FIGURES), min_size=1, max_size=60), st.integers(min_value=0, max_value=2**16))
def test_same_with_and_without_the_kernel_when_the_sources_are_long(figures: list[str], seed: int) -> None:
    """Many places per figure: the kernel's table from the first lookup, the Python's searches
    until their budget runs out (then its own table, then every figure read into one)."""
    import random

    rng = random.Random(seed)
    source = ". ".join(f"{rng.choice(_WORDS)} {f}" for f in figures * 20)
    answer = " ".join(f"{rng.choice(_WORDS)} {rng.choice(figures)}." for _ in range(40))
    _same(answer, [("doc-1", source)])
    _same(answer, [("doc-1", source), ("doc-2", "\u00a335 \u20ac5,000 \u00ab3.5%\u00bb \u0663\u066b\u0665%")])


@needs_kernel
def test_the_kernel_is_what_the_index_uses() -> None:
    """With the kernel the index looks figures up in its table (no search of the whole sources
    per figure); without it, the same answer through the searches."""
    idx = _sources.SourceIndex([("d", "A fee of \u00a335 applies. " * 50)], gw.Grounded()._grammar)
    claim = gw.Grounded().claims("The fee is \u00a335.")[0]
    assert idx.supports(claim) and idx._runs is not None and not isinstance(idx._runs, dict)
    with _Without():
        idx = _sources.SourceIndex([("d", "A fee of \u00a335 applies. " * 50)], gw.Grounded()._grammar)
        assert idx.supports(claim) and idx._runs is None


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_the_pythons_table_of_runs_finds_what_str_find_finds(text: str, data: st.DataObject) -> None:
    """The pure-Python index, once its searches have switched to its table of digit runs, yields
    every place of a needle that ``str.find`` finds, in order (a run at the needle's edge, such as
    the "5" of "\u00a325.5", may be part of a longer run of the sources: "\u00a325.50")."""
    with _Without():
        idx = _sources.SourceIndex([("d", text)], _VALIDATORS[0]._grammar)
        idx._build_runs()
        assert isinstance(idx._runs, dict)
        for _ in range(6):
            if text and data.draw(st.booleans()):
                a = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
                needle = text[a:a + data.draw(st.integers(min_value=1, max_value=8))]
            else:
                needle = data.draw(st.text(alphabet=_CHARS, min_size=1, max_size=6))
            want = [q for q in range(len(idx.view) + 1) if idx.view.startswith(needle, q)]
            assert list(idx._hits(needle)) == want


# -- the figure reader: figure_at (C) against parse_figure (the Python), at every digit ---------------

# pieces figures are written with: digits and separators, currency marks and codes, unit and
# magnitude words, periods, rate kinds, amount roles, month names, times, ranges; characters that
# case folding takes for ASCII letters (U+0130, U+0131, U+017F, U+212A) and others beyond ASCII
_PIECES = ["0", "1", "2", "3", "5", "9", "12", "08", "00", "30", "2026", "1,500", "3.5", "0300", "44", "20", "25",
           "99", "31", "13", "1.500,00", "10,000,000", " ", "  ", "-", "/", ".", ":", ",", "%", "(", ")", "+", "\n",
           ". ", "; ", "\u00a3", "$", "\u20ac", "\u00a5", "US", "C$", "GBP", "EUR", "usd", "am", "pm", "a.m.",
           "PM", "st", "nd", "rd", "th", " of ", "March", "Mar", "Sept", "Sepember", "MAY", "May", "jan", "Dec.",
           "per cent", "percent", "pct", "percentage points", "ppts", "bps", "basis point", "k", "m", "mn", "bn",
           "thousand", "million", "pounds", "pound sterling", "sterling", "p", "pence", "cents", "euros", "yen",
           "days", "day", "weeks", "fortnight", "months", "mths", "years", "yrs", "hours", "h", "minutes", "mins",
           "working", "business days", "calendar-days", "clear days", "a", "an", "per", "each", "every", "month",
           "year", "annum", "daily", "monthly", "annually", "p.a.", "pa", "pcm", "quarterly", "APR", "AER", "apy",
           "gross", "representative", "annual percentage rate", "effective annual rate", "base rate", "fee",
           "fees", "charge", "charged", "limit", "limits", "maximum", "max", "cap", "capped", "up to", "at most",
           "minimum", "min", "at least", "no less than", "repayment", "instalments", "installment", "cost",
           "price", "priced", "commission", "to", "and", "between ", "\u0130", "\u0131", "\u017f", "\u212a",
           "\u00e9", "\u00c9", "\u00a0", "\u2013", "x", "_", "A", "Z", "ab", "Step", "option", "\x00"]
_DIGIT = re.compile("[0-9]")


def _read(claims_end: tuple[list[_claims.Claim], int]) -> Any:
    claims, end = claims_end
    # str(value): the same Decimal, written the same way (3.50 is not 3.5)
    return [(c.kind, c.start, c.end, c.value if isinstance(c.value, tuple) else str(c.value), c.unit, c.role,
             c.per, c.roles, c.surface) for c in claims], end


def _same_reading(text: str, g: _claims.Grammar) -> int:
    """parse_at with the kernel reads what parse_figure reads at every digit; how many the kernel read."""
    assert K is not None
    read = 0
    for m in _DIGIT.finditer(text):
        s = m.start()
        if K.figure_at(text, s, g.decimal, g.group, g.order == "mdy") is not None:
            read += 1
        assert _read(_claims.parse_at(text, s, g)) == _read(_claims.parse_figure(text, s, g)), (text, s)
    return read


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=16), st.sampled_from(["en-GB", "en-US", "de-DE"]))
def test_figure_at_reads_what_the_python_reads(pieces: list[str], locale: str) -> None:
    _same_reading("".join(pieces), _claims.grammar(locale))


@needs_kernel
def test_figure_at_reads_what_the_python_reads_on_the_evaluation_set() -> None:
    """Every digit of every answer and source of the evaluation set, in three locales; most of
    them are read by the kernel (the rest it leaves to the Python: codes, ranges, month names
    before a number, years, text beyond ASCII near a rate)."""
    from guardwrap._claimtext import view

    texts = []
    for r in _eval_rows():
        texts.append(view(r["answer"])[0])
        texts.extend(s for _, s in r["sources"])
    texts = list(dict.fromkeys(texts))
    digits = sum(len(_DIGIT.findall(t)) for t in texts)
    read = sum(_same_reading(t, _claims.grammar("en-GB")) for t in texts)
    assert read > digits * 0.7
    for locale in ("en-US", "de-DE"):
        for t in texts[::7]:
            _same_reading(t, _claims.grammar(locale))


@needs_kernel
def test_figure_at_examples() -> None:
    g = _claims.grammar("en-GB")
    for text in ["A fee of \u00a335 a month applies.", "3.5% AER (variable)", "The representative APR is 10.2%.",
                 "Lines open 8am to 8pm, 08:00-20:00 or 8.00 a.m.", "Call 0300 946 4767 or +44 20 7946 0000.",
                 "Sort code 12-34-56, tax year 2025/26, 01/03/2026, 2026-03-01, 3rd of March 2026, Mar. 1st",
                 "5-10 working days; between \u00a35 and \u00a310; up to \u00a31.5k; 25 basis points; 35p",
                 "\u20ac1.500,00 in an English text; 4G, 2FA; Step 2; 1,2345; 1,234,5678; 10,000,000.50"]:
        _same_reading(text, g)
    fig = K.figure_at if K is not None else None
    if fig is not None:
        assert fig("\u00a335 a month", 1, ".", ",", False)[:4] == ("money", 0, 11, "35")
        assert fig("ISA24", 3, ".", ",", False) is None  # a code: the Python reads it
        with pytest.raises(TypeError):
            fig(b"12", 0, ".", ",", False)
        with pytest.raises(ValueError):
            fig("12", 0, "..", ",", False)
        assert fig("12", 5, ".", ",", False) is None and fig("12", -1, ".", ",", False) is None


# -- product and fee names: entity_spans (C) against _entities / _entities_near (the Python) -------

_NAME_PIECES = ["The", "Easy", "Saver", "account", "Account", " ", "  ", "of", "and", "&", "for", "plus", "Fee",
                "fees", "ISA", "Cash", "Our", "Your", ".", ",", "\n", "'", "_", "-", "(", "*", "2", "24", "x", "Late",
                "Payment", "the", "Fees", "Charges", "\u00e9", "\u0130", "Club", "Plus", "+", "\u00c9", "New", ":"]


def _names(claims: list[_claims.Claim]) -> list[tuple[Any, ...]]:
    # (the kernel's entity_claims makes the claims in C: every slot compared)
    return [(type(c), c.kind, c.start, c.end, c.value, c.unit, c.role, c.per, c.roles, c.surface) for c in claims]


def _same_names(text: str) -> None:
    pre = _claims.prescan(text)
    assert _names(_claims.entities(text)) == _names(_claims._entities(text, None, 0, len(text))), text
    if pre is not None:
        assert _names(_claims.entities(text, heads=pre.heads)) == _names(_claims._entities_near(text, pre.heads, None))


@needs_kernel
def test_entity_words_are_the_pythons() -> None:
    assert K is not None
    heads, determiners, connectors = K.entity_words()
    assert set(heads) == _claims.HEAD_NOUNS and len(heads) == len(_claims.HEAD_NOUNS)
    assert set(determiners) == _claims._DETERMINERS and len(determiners) == len(_claims._DETERMINERS)
    assert set(connectors) == _claims._CONNECTORS and len(connectors) == len(_claims._CONNECTORS)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAME_PIECES), st.sampled_from(["", " "])), min_size=1, max_size=14))
def test_entity_spans_read_what_the_python_reads(pieces: list[tuple[str, str]]) -> None:
    _same_names("".join(a + b for a, b in pieces))


@needs_kernel
def test_entity_spans_on_the_evaluation_set() -> None:
    from guardwrap._claimtext import view

    for r in _eval_rows():
        _same_names(view(r["answer"])[0])
        for _, s in r["sources"]:
            _same_names(s)
    long_name = " ".join(["Easy"] * 400) + " Saver account"  # more words than the kernel keeps: the Python reads it
    assert K is not None and K.entity_spans(long_name, None) is None and K.entity_claims(long_name, None) is None
    with pytest.raises(TypeError):
        K.entity_claims("Easy Saver", ["1"])
    _same_names(long_name)


@needs_kernel
@settings(max_examples=1500)
@given(st.text(alphabet=[*map(chr, range(0x250)), "\u20ac", "\u0130", "\u212a", "\u2160", "\u24b6", "\u03a3",
                         "\U0001f600", "\u00df", "\u2013"], max_size=12))
def test_lower_plain_is_str_lower_or_none(text: str) -> None:
    """The kernel lowers a text of ASCII and uncased signs as str.lower() does, and declines the rest."""
    assert K is not None
    low = K.lower_plain(text)
    assert low is None or low == text.lower()
    if all(c < "\x80" or c in "\u00a3\u20ac\u00a5$%" for c in text):
        assert low == text.lower()


@needs_kernel
@settings(max_examples=1000)
@given(st.integers(min_value=0, max_value=40), st.sampled_from(["a", "\u00a3", "\u20ac", "\U0001f600"]),
       st.sampled_from(["\u00e9", "\u0100", "\u201c", "\u00a3", "\x80", "\u20ac", "z"]), st.integers(min_value=0, max_value=9),
       st.sampled_from(["", "\u00a3", "\u20ac\u00a3", "\u00a3x\u20ac"]))
def test_all_plain_skips_ascii_eight_bytes_at_a_time(at: int, kind_char: str, odd: str, tail: int, plain: str) -> None:
    """A character that is not plain is found at every offset in the word (or block of eight), in
    texts of each width, also after plain characters beyond ASCII in the same block."""
    assert K is not None
    text = "x" * at + plain + odd + "y" * tail + kind_char
    assert K.all_plain(text, _PLAIN_LATIN1) == all_plain(text)


# -- screen_hits: the cheap tests of SourceIndex._search / _as_written at each place -----------------

_SCREEN_PIECES = ["1", "12", "35", "0", "00", "2026", ".", ",", " ", "-", "/", ":", "%", "\u00a3", "$", "\u20ac",
                  "\u00a5", " to ", " and ", "p", "GBP", "USD ", "days", " per cent", "bps", "am", "pm", "x", "A",
                  "\u0663", "\u00b2", "\u00e9", "\u01c5", "\u2028", "\x1c", "Mar", "\n", "\U0001f600"]


def _python_keeps(index: Any, i: int, needle: str, surface: str, off: int, flags: int, c: Any) -> bool:
    """What the Python of _search / _as_written could act on at place i (whatever is allowed)."""
    v = index.view
    if flags & 16:
        return bool(index._literal(surface, i))
    numeric, marked, decimal, whole = flags & 1, flags & 2, flags & 4, flags & 8
    return bool((off >= 0 and i >= off and index._literal(surface, i - off)) or not numeric or (
        _sources._digit_bounds(v, i, len(needle), bool(decimal), bool(whole), index._g.group)
        and (marked or _sources._plausible(v, i, i + len(needle), c))))


@needs_kernel
@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_SCREEN_PIECES), min_size=1, max_size=24), st.sampled_from(["en-GB", "en-US", "de-DE"]),
       st.data())
def test_screen_hits_keeps_what_the_python_acts_on(pieces: list[str], locale: str, data: st.DataObject) -> None:
    """The kernel drops a place only where the Python's tests (_literal, _digit_bounds,
    _plausible) would all fail; it keeps every other place, in order (every place, for dates)."""
    assert K is not None
    index = _sources.SourceIndex([("a", "".join(pieces))], _claims.grammar(locale))
    v = index.view
    digits = [k for k, ch in enumerate(v) if ch.isdigit()]
    if not digits:
        return
    a = data.draw(st.sampled_from(digits))
    needle = v[max(0, a - data.draw(st.integers(0, 3))):a + data.draw(st.integers(1, 5))]
    extra = data.draw(st.sampled_from(["", " days", "%", "\u00a3", " a", "0"]))
    surface = data.draw(st.sampled_from([needle, needle + extra, extra[::-1] + needle, ""]))
    off = surface.find(needle) if surface else -1
    kind = data.draw(st.sampled_from(["money", "percent", "duration", "time", "number", "code", "date"]))
    flags = data.draw(st.sampled_from([16, *range(16)]))
    if flags & 16 and not surface:
        return
    value: Any = (2026, 3, 1) if kind == "date" else (8, 0) if kind == "time" else Decimal(1)
    c = _claims.Claim(kind, 0, 1, value)
    code, starts = _sources._SCREEN_KINDS.get(kind, (0, ""))
    hits = [q for q in range(len(v) + 1) if v.startswith(needle if not flags & 16 else surface, q)]
    got = K.screen_hits(v, hits, surface, off, len(needle), flags, index._g.group, code, starts, _sources._MARKS)
    want = [i for i in hits if _python_keeps(index, i, needle, surface, off, flags, c)]
    # one at a time, found with str.find: the same places
    nxt, lo, one = [], 0, needle if not flags & 16 else surface
    while (i := K.next_kept(v, one, lo, surface, off, flags, index._g.group, code, starts, _sources._MARKS)) >= 0:
        nxt.append(i)
        lo = i + 1
    assert nxt == got
    if kind == "date" and not flags & 16:
        assert got == [i for i in hits if (off >= 0 and i >= off and index._literal(surface, i - off))
                       or not flags & 1 or _sources._digit_bounds(v, i, len(needle), bool(flags & 4),
                                                                 bool(flags & 8), index._g.group)]
        assert set(want) <= set(got)
    else:
        assert got == want


@needs_kernel
def test_the_index_screens_with_the_kernel() -> None:
    assert K is not None
    index = _sources.SourceIndex([("a", "Fee \u00a335. Limit 350. Rate 3.5% and 35 days.")], _claims.grammar("en-GB"))
    assert index._screened("35 ", "", -1, 1, "percent") == [] and index._screened("35 ", "", -1, 1, "duration") == [34]
    assert index._screened("Fee", "Fee", 0, 16, "code") is None
    assert index._screened("3.5", "", -1, 1 | 4, "percent") == [25]
    assert list(index._screened("35", "", -1, 1 | 8, "duration") or ()) == [34]  # searched: digits only
    with pytest.raises(TypeError):
        K.screen_hits("a1", ["0"], "", -1, 1, 1, ",", 0, "", "")
    with pytest.raises(TypeError):
        K.next_kept("a1", b"1", 0, "", -1, 1, ",", 0, "", "")


# -- find: str.find without its slow walk over 2-byte texts ----------------------------------------


@needs_kernel
@settings(max_examples=1500, deadline=None)  # (a load spike on a shared host once took one example past 200 ms)
@given(texts, st.data())
def test_find_is_str_find(text: str, data: st.DataObject) -> None:
    """Every kind of str (1, 2, 4 bytes a character), needles drawn from the text or not, a
    needle wider than the text, and starts before, inside and past the text (slice semantics)."""
    assert K is not None
    if text and data.draw(st.booleans()):
        a = data.draw(st.integers(0, len(text) - 1))
        needle = text[a:a + data.draw(st.integers(0, 6))]
    else:
        needle = data.draw(st.text(alphabet=_CHARS, max_size=4))
    start = data.draw(st.integers(-70, 70))
    assert K.find(text, needle, start) == text.find(needle, start)
    others = tuple(data.draw(st.lists(st.text(alphabet=_CHARS, max_size=3), max_size=3)))
    assert K.find_any(text, (*others, needle)) is any(n in text for n in (*others, needle))
    assert K.find_any(text, others) is any(n in text for n in others)
    chars = "".join(others) + needle
    assert K.has_any(text, chars) is (bool(chars) and re.search("[" + re.escape(chars) + "]", text) is not None)


@needs_kernel
@settings(max_examples=500)
@given(st.sampled_from(["x", "\u00e9", "\u20ac", "\U0001f600", "ab", "M"]), st.sampled_from(["Mar", "/26", "08:00", "\u00a335",
                                                                                      "M", "\u20ac5", "a M"]),
       st.lists(st.integers(min_value=0, max_value=40), max_size=5), st.integers(0, 9))
def test_find_after_long_stretches(filler: str, needle: str, gaps: list[int], lo: int) -> None:
    """The scan looks at eight bytes at a time: the needle (or its first or last character) at
    every offset in the word, after long stretches of another character."""
    assert K is not None
    text = "".join(filler * g + needle[: 1 + g % len(needle)] + needle for g in gaps) + filler * 9
    for s in range(lo, len(text) + 2, 5):
        assert K.find(text, needle, s) == text.find(needle, s)


# -- the screen of numeric dates: the month must be written near, as _plausible asks ----------------

_DATE_PIECES = ["1", "01", "3", "03", "12", "2026", "26", "/", "-", ".", " ", ",", "Mar", "MAR", "March", "Dec",
                "Jan", "of", "\u20ac", "\u00e9", "\U0001f600", "x", "\n", "    ", "abcdefghi"]


@needs_kernel
@settings(max_examples=700, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), min_size=1, max_size=30), st.integers(1, 12), st.data())
def test_the_date_screen_keeps_what_the_python_acts_on(pieces: list[str], month: int, data: st.DataObject) -> None:
    """With its month's patterns (_DATE_SCREENS) the kernel keeps exactly the places where the
    Python's tests (_literal, _digit_bounds, _plausible) pass, found all at once or one at a time."""
    assert K is not None
    index = _sources.SourceIndex([("a", "".join(pieces))], _claims.grammar("en-GB"))
    v = index.view
    digits = [k for k, ch in enumerate(v) if ch.isdigit()]
    if not digits:
        return
    a = data.draw(st.sampled_from(digits))
    needle = v[a:a + data.draw(st.integers(1, 4))]
    surface = data.draw(st.sampled_from(["", needle, "1 " + needle]))
    off = surface.find(needle) if surface else -1
    flags = data.draw(st.sampled_from(range(16)))
    c = _claims.Claim("date", 0, 1, (2026, month, 1))
    code, patterns = _sources._DATE_SCREENS[month]
    hits = [q for q in range(len(v) + 1) if v.startswith(needle, q)]
    got = K.screen_hits(v, hits, surface, off, len(needle), flags, ",", code, patterns, _sources._MARKS)
    assert got == [i for i in hits if _python_keeps(index, i, needle, surface, off, flags, c)]
    nxt, lo = [], 0
    while (i := K.next_kept(v, needle, lo, surface, off, flags, ",", code, patterns, _sources._MARKS)) >= 0:
        nxt.append(i)
        lo = i + 1
    assert nxt == got


def test_month_patterns_are_what_plausible_looks_for() -> None:
    v = "Due 1 March 2026." + " " * 30 + "Paid on 2026-04-01." + " " * 30 + "Or 3.3.2026."
    march = _claims.Claim("date", 0, 1, (2026, 3, 1))
    april = _claims.Claim("date", 0, 1, (2026, 4, 1))
    assert _sources._month_patterns(3) == ("Mar", "MAR", "/03/", "/3/", "-03-", ".03.", ".3.")
    for i, month in ((v.find("2026"), march), (v.find("2026-"), april), (v.rfind("2026"), march)):
        other = april if month is march else march
        assert _sources._plausible(v, i, i + 4, month) and not _sources._plausible(v, i, i + 4, other)


@needs_kernel
@pytest.mark.parametrize("pattern", ["Mar", "/3/", "-03-"])
def test_the_date_screen_looks_as_far_as_plausible(pattern: str) -> None:
    """The month written at every distance before and after the year: the kernel's window is the
    Python's (24 characters before the place, 12 after), to the character."""
    assert K is not None
    code, patterns = _sources._DATE_SCREENS[3]
    march = _claims.Claim("date", 0, 1, (2026, 3, 1))
    for gap in range(40):
        for v in (pattern + "x" * gap + "2026", "2026" + "y" * gap + pattern + "z"):
            i = v.find("2026")
            got = K.screen_hits(v, [i], "", -1, 4, 1 | 8, ",", code, patterns, _sources._MARKS)
            assert got == ([i] if _sources._plausible(v, i, i + 4, march) else []), (v, gap)


# -- read_support: _search's loop over a figure's places, in C ------------------------------------


class _WithoutRead:
    """The kernel without read_support and read_next: _search runs its own loop over every place."""

    def __init__(self) -> None:
        self._kernel = K

    def __getattr__(self, name: str) -> Any:
        if name in ("read_support", "read_next"):
            raise AttributeError(name)
        return getattr(self._kernel, name)


def _searched(sources: list[tuple[str, str]], g: _claims.Grammar, c: _claims.Claim,
              allowed: frozenset[int] | None) -> list[tuple[bool, int]]:
    """Each needle's _search of claim c: (found, the budget of places left after it)."""
    index = _sources.SourceIndex(sources, g)
    out = []
    for needle, whole in index._needles(c):
        found = index._search(c, needle, whole, allowed)
        out.append((found, index._hits_left))
    return out


def _read_agrees(sources: list[tuple[str, str]], g: _claims.Grammar, c: _claims.Claim,
                 allowed: frozenset[int] | None, *why: Any) -> None:
    """_search of claim c finds the same with the kernel's read_support as with its own loop."""
    with_read = _searched(sources, g, c, allowed)
    _sources._K = _WithoutRead()  # type: ignore[assignment]
    try:
        without = _searched(sources, g, c, allowed)
    finally:
        _sources._K = K
    assert with_read == without, why


_READ_PIECES = [*_PIECES[:60], "fee", "limit", "minimum", "monthly", " a month", " a year", " per annum", " weekly", "APR",
                "AER", " gross", " days", "%", "\u00a3",
                "\u20ac", "GBP", " ", " ", ". ", "35", "3.5", "12", "1,500", "500", "0.5", "7", "14", "weeks",
                # magnitudes and factors, which the kernel applies to the digits it reads
                "p", " pence", "k", "m", "bn", " thousand", " million", " years", " months", " hours", " minutes",
                " fortnight", " cents", "0.25", "1.25", "1.5", "60", "24", "2", "99"]


@needs_kernel
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_READ_PIECES), min_size=1, max_size=30),
       st.lists(st.sampled_from(_READ_PIECES), min_size=1, max_size=8), st.sampled_from(["en-GB", "en-US", "de-DE"]),
       st.booleans(), st.data())
def test_read_support_is_the_search_loop(source: list[str], answer: list[str], locale: str, cited: bool,
                                         data: st.DataObject) -> None:
    """For every figure claim read from a generated answer, each needle's search of generated
    sources (which hold the answer's pieces, as written and with pieces around them changed)
    finds the same with the kernel's loop as with the Python's, and leaves the index's budget of
    places where the Python's leaves it (so the index goes on the same way)."""
    assert K is not None
    g = _claims.grammar(locale)
    text = "".join(answer)
    at = data.draw(st.integers(0, len(source)))
    changed = [data.draw(st.sampled_from(_READ_PIECES)) if data.draw(st.booleans()) else p for p in answer]
    source = [*source[:at], *answer, " ", *changed, *source[at:]]
    sources = [("a", "".join(source)), ("b", "".join(reversed(source)))]
    allowed = frozenset({0}) if cited else None
    for c in _claims.extract(text, g):
        if c.kind not in ("money", "percent", "duration", "number", "time"):
            continue
        _read_agrees(sources, g, c, allowed, text, sources, c.kind, c.value)


_READ_SOURCES = ["A \u00a335 fee a year applies.", "Rates: 3.5% AER, 3.5% gross; notice of 14 days.",
                 "Withdraw up to \u00a335 a month. 35 USD abroad.", "Minimum \u00a335. Pay \u00a335 monthly.",
                 "Limit \u00a335.00. Cash: \u00a335.50.", "Pay \u20ac12.50 now.", "A \u00a335.00 repayment."]
_READ_ANSWERS = ["\u00a335 a month", "\u00a335 a year", "a \u00a335 fee", "\u00a335 limit", "a \u00a335 minimum",
                 "$35", "35 GBP", "35 USD", "3.5% APR", "3.5% AER", "3.50% gross", "3.5%", "14 days", "14 weeks",
                 "2 weeks", "35", "\u00a335.00 monthly", "35.50 USD", "$12.50", "12.50 EUR"]


@needs_kernel
@pytest.mark.parametrize("answer", _READ_ANSWERS)
def test_read_support_compares_units_periods_rates_and_roles(answer: str) -> None:
    """A figure beside the same figure with another unit, period, kind of rate or role: the
    kernel's loop finds what the Python's finds, source by source and all together."""
    g = _claims.grammar("en-GB")
    for sources in ([(f"s{k}", t)] for k, t in enumerate(_READ_SOURCES)):
        for c in _claims.extract(answer, g):
            _read_agrees(sources, g, c, None, answer, sources)


@needs_kernel
def test_read_support_settles_the_usual_figures() -> None:
    """The kernel's loop answers (not None) for the usual figures, found or not, and counts the
    places the Python charges: reading them is what it is for."""
    assert K is not None
    g = _claims.grammar("en-GB")
    index = _sources.SourceIndex([("a", "The fee is \u20ac25 a month. The rate is 3.5% AER; 35 days' notice.")], g)
    v = index.view
    calls: list[Any] = []

    class Spy:
        def __getattr__(self, name: str) -> Any:
            f = getattr(K, name)
            if name != "read_support":
                return f
            return lambda *a: calls.append(f(*a)) or calls[-1]

    _sources._K = Spy()  # type: ignore[assignment]
    try:
        for answer, want in (("a \u20ac25 fee", True), ("3.5% AER", True), ("3.5% APR", False), ("\u20ac26", False),
                             ("35 days", True)):
            c = _claims.extract(answer, g)[0]
            assert index.supports(c) is want, answer
    finally:
        _sources._K = K
    assert calls and all(r is not None for r in calls), calls
    assert (True, 1) in calls
    assert K.read_support(v, [0], 0, 1, 1, "", -1, ".", ",", False, 0, "", "", "code", "1", None, None, None, 0) is None
    with pytest.raises(TypeError):
        K.read_support(v, ["0"], 0, 1, 1, "", -1, ".", ",", False, 0, "", "", "number", "1", None, None, None, 0)
    with pytest.raises(TypeError):
        K.read_support(v, [0], 0, 1, 1, "", -1, ".", ",", False, 0, "", "", "number", "1", 3, None, None, 0)


# -- as_written: the first test of every lookup, for a whole answer in one call -------------------

_WRITTEN_PIECES = ["\u00a335", "35", "3.5%", "14 days", "9am", "08:00", "0300 946 4767", "40-91-38", "1 March 2026",
                   "Easy Saver", "easy saver", "Cash ISA", "Saver", "ISA", "a", "x", "1", "0", ".", ",", "-", "/", ":",
                   " ", " ", "\n", "_", "\u00e9", "\u20ac", "\u0663", "\U0001f600", "\u0130", "\"fees apply abroad\"",
                   # characters the kernel's 1-byte copy maps to one byte (0xFF or 0x00): found only where the
                   # text holds the needle itself
                   "\xff", "\x00", "\u0100", "\u8000", "\uffff", "\U00010000", "\u20ac35", "\xff35", "x" * 300]


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_WRITTEN_PIECES), max_size=30).map("".join),
       st.lists(st.sampled_from(_WRITTEN_PIECES), min_size=1, max_size=3).map("".join))
def test_as_written_is_the_pythons_first_test(view: str, surface: str) -> None:
    """Each mode of the kernel's as_written answers what the Python's test answers: the figure
    written as in the answer and standing alone (`_literal` at a place of str.find), whole words,
    anywhere."""
    assert K is not None
    index = _sources.SourceIndex([("a", "x")], _claims.grammar("en-GB"))
    index.view = view
    literal = any(index._literal(surface, i) for i in range(len(view)) if view.startswith(surface, i))
    words = index._find_phrase(view, surface, None, True)
    anywhere = index._find_phrase(view, surface, None, False)
    assert K.as_written(view, [(surface, 0), (surface, 1), (surface, 2)]) == [literal, words, anywhere]
    assert K.as_written(view, [("", 0), ("", 1), ("", 2)]) == [False, False, False]


@needs_kernel
def test_as_written_arguments_are_checked() -> None:
    assert K is not None
    assert K.as_written("abc", []) == []
    for bad in ([("a",)], [("a", 3)], ["a"], [(1, 0)]):
        with pytest.raises((TypeError, ValueError)):
            K.as_written("abc", bad)
    with pytest.raises(TypeError):
        K.as_written("abc", ("a", 0))


class _WithoutWritten:
    """The kernel without as_written and settle: each lookup runs its own first test."""

    def __getattr__(self, name: str) -> Any:
        if name in ("as_written", "settle"):
            raise AttributeError(name)
        return getattr(K, name)


@needs_kernel
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs())
def test_same_decisions_with_and_without_as_written(pair: tuple[str, list[tuple[str, str]], int]) -> None:
    """The answers settled up front change no decision: the same as the index asking each claim."""
    answer, sources, config = pair
    v = _VALIDATORS[config]
    want = _outcome(v, answer, sources or None)
    _sources._K = _WithoutWritten()  # type: ignore[assignment]
    try:
        assert _outcome(v, answer, sources or None) == want
    finally:
        _sources._K = K


@needs_kernel
def test_as_written_settles_the_lookups_it_can() -> None:
    """The lookups of claims written in the sources as in the answer ask the kernel once, up front."""
    v = gw.Grounded()
    sources = [("a", "The Easy Saver pays 3.5% AER. A fee of \u00a335 applies for 14 days. Call 0300 946 4767.")]
    ctx = CallContext("t", gw.Context(sources=sources))
    ctx.stage = "output"
    assert v.check("The Easy Saver charges \u00a335 for 14 days; call 0300 946 4767.", ctx) is not None
    index = next(x for x in ctx.state.values() if isinstance(x, _sources.SourceIndex))
    # (the amount is a fee, written as a fee in the source: its roles compared there by the kernel)
    assert {c.surface for c in index._settled} == {"Easy Saver", "\u00a335", "14 days", "0300 946 4767"}
    assert not index._written  # (no first test failed)
    _sources._K = _WithoutSettle()  # type: ignore[assignment]
    try:  # a kernel without settle: as_written, remembered per surface
        ctx = CallContext("t", gw.Context(sources=sources))
        ctx.stage = "output"
        assert v.check("The Easy Saver charges \u00a335 for 14 days; call 0300 946 4767.", ctx) is not None
    finally:
        _sources._K = K
    index = next(x for x in ctx.state.values() if isinstance(x, _sources.SourceIndex))
    assert index._written == {(1, "Easy Saver"): True, (0, "14 days"): True, (0, "0300 946 4767"): True}
    assert not index._settled


@needs_kernel
def test_read_next_reads_the_places_the_table_does_not_key() -> None:
    """A figure whose needle is digits only ("4", "35") is found, screened and read in one kernel
    call (not one Python step a place), charged as the loop charges; past the index's budget of
    places it answers None and the Python's loop (which then switches to the full table) runs."""
    assert K is not None
    g = _claims.grammar("en-GB")
    text = "It takes 4 weeks. 4 penalty-free withdrawals. Pay 35 GBP or 4 GBP. 14 days."
    calls: list[Any] = []

    class Spy:
        def __getattr__(self, name: str) -> Any:
            f = getattr(K, name)
            if name != "read_next":
                return f
            return lambda *a: calls.append(f(*a)) or calls[-1]

    _sources._K = Spy()  # type: ignore[assignment]
    try:
        for answer, want in (("4 withdrawals", True), ("5 withdrawals", False), ("35 GBP", True), ("4 GBP", True),
                             ("14", False), ("9", False)):  # "14 days" is a duration, not the number
            index = _sources.SourceIndex([("a", text)], g)
            c = _claims.extract(answer, g)[0]
            assert index.supports(c) is want, answer
    finally:
        _sources._K = K
    assert calls and all(r is not None for r in calls), calls
    v = "4 a 4 b 4 c"
    args = (v, "4", 0, 1 | 8, "", -1, ",", 0, "", "", 0, ".", False, "number", "5", None, None, None, 0)
    assert K.read_next(*args, 3) == (False, 3)
    assert K.read_next(*args, 2) is None  # a third place would pass the budget
    assert K.read_next(*args[:13], "code", *args[14:], 3) is None  # a kind only the Python reads
    with pytest.raises(TypeError):
        K.read_next(*args[:15], 3, *args[16:], 3)


_SHAPED_SOURCES = ["Ends on 4 February 2026 at 4pm.", "Ends 04/02/2026, 16:04.", "Open 4 to 8pm; 16.00 or 4.00 p.m.", "ISA allowance for 2025/26 and 2026/27.",
                   "Sort code 40-91-38; call 0800 123 4567.", "Opened in 2026. 4 withdrawals.", "From 2026-02-04 at 04:00.",
                   "Tax year 2025-26: 4 weeks.", "February 4, 2026; 4 Feb."]
_SHAPED_ANSWERS = ["4", "2026", "2025", "2027", "26", "16", "40", "4567", "38", "\u00a34", "4%", "4 days", "2026 GBP", "2",
                   # times: the same hour and minute however written, at times, dates and figures
                   "4pm", "16:00", "4 p.m.", "04:00", "4am", "16:04", "4:00", "8pm", "4.00pm"]


@needs_kernel
@pytest.mark.parametrize("answer", _SHAPED_ANSWERS)
def test_read_support_and_read_next_at_dates_times_and_codes(answer: str) -> None:
    """Figures found at dates, times, codes and tax years (read whole by figure_at): the kernel's
    loops judge them as `compatible` does (a number is a date's year) or leave them to the
    Python (a tax year), and find what its loop finds, source by source and all together."""
    g = _claims.grammar("en-GB")
    for sources in [*([(f"s{k}", t)] for k, t in enumerate(_SHAPED_SOURCES)),
                    [(f"s{k}", t) for k, t in enumerate(_SHAPED_SOURCES)]]:
        for c in _claims.extract(answer, g):
            _read_agrees(sources, g, c, None, answer, sources)


# -- figure_runs: extract's loop over the digit runs, in C -----------------------------------------


class _WithoutRuns:
    """The kernel without figure_runs and figure_claims: extract loops over the runs in Python
    (parse_at at each); with ``claims_only``, without figure_claims: figure_runs' tuples are made
    into claims by the Python (`_read_claim`)."""

    def __init__(self, claims_only: bool = False) -> None:
        self._hidden = ("figure_claims",) if claims_only else ("figure_runs", "figure_claims")

    def __getattr__(self, name: str) -> Any:
        if name in self._hidden:
            raise AttributeError(name)
        return getattr(K, name)


def _extracted(text: str, g: _claims.Grammar, **kw: Any) -> list[tuple[Any, ...]]:
    return [(type(c), c.kind, c.start, c.end, type(c.value), c.value if isinstance(c.value, tuple) else str(c.value),
             c.unit, c.role, c.per, c.roles, c.surface) for c in _claims.extract(text, g, **kw)]


def _same_extract(text: str, g: _claims.Grammar, **kw: Any) -> None:
    want_with = _extracted(text, g, **kw)
    for shim in (_WithoutRuns(claims_only=True), _WithoutRuns()):
        _claims._K = shim  # type: ignore[assignment]
        try:
            without = _extracted(text, g, **kw)
        finally:
            _claims._K = K
        assert want_with == without, (text, kw, shim._hidden)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "www.bank.example/1", "24/7", "7 days a week", "<EMAIL_1>", "\n1. ", "2) ",
                                 "Step 2 ", " 3 simple steps", " 40 ", "1m"]),
                min_size=1, max_size=24), st.sampled_from(["en-GB", "en-US", "de-DE"]), st.data())
def test_figure_runs_is_extracts_loop(pieces: list[str], locale: str, data: st.DataObject) -> None:
    """The same claims with the kernel's loop over the digit runs as with the Python's: skipped
    spans (URLs, list markers, given ones), the tails of numbers, runs read by figure_at and runs
    left to parse_figure, in whole texts and in parts of them."""
    text = "".join(pieces)
    g = _claims.grammar(locale)
    _same_extract(text, g)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    spans = sorted(data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 8)), max_size=3)))
    _same_extract(text, g, start=a, end=b, skip=[(s, s + w) for s, w in spans])
    kinds = data.draw(st.sampled_from([frozenset({"money", "number"}), frozenset({"date", "time", "code", "percent"}),
                                       frozenset({"duration", "number", "entity"})]))
    _same_extract(text, g, kinds=kinds)


@needs_kernel
def test_figure_runs_on_the_evaluation_set_and_arguments() -> None:
    from guardwrap._claimtext import view

    g = _claims.grammar("en-GB")
    for r in list(_eval_rows())[::3]:
        _same_extract(view(r["answer"])[0], g)
        _same_extract(r["sources"][0][1], g)
    assert K is not None
    figures, s, run_end, k, consumed = K.figure_runs("Fee \u00a335, call 0300 946 4767 or ISA24.", 0, 99, 0, [], 0, ".", ",",
                                                     False)
    # "ISA24": a code, the Python's to read; the loop stops there, past the phone number it read
    assert [f[0] for f in figures] == ["money", "code"] and (s, run_end, k, consumed) == (34, 36, 0, 27)
    with pytest.raises(ValueError):
        K.figure_runs("1", 0, 1, 0, [0], 0, ".", ",", False)
    with pytest.raises(TypeError):
        K.figure_runs("1", 0, 1, 0, ["0", "1"], 0, ".", ",", False)
    out: list[Any] = []
    numbers, s, run_end, k, consumed = K.figure_claims("Fee \u00a335, call 0300 946 4767 or ISA24, step 2.", 0, 99, 0,
                                                       [], 0, ".", ",", False, None, out)
    assert [(type(c), c.kind, c.surface) for c in out] == [(_claims.Claim, "money", "\u00a335"),
                                                           (_claims.Claim, "code", "0300 946 4767")]
    assert out[0].value == Decimal(35) and out[0].roles == frozenset({"fee"}) and numbers == []
    assert (s, run_end, k, consumed) == (34, 36, 0, 27)
    numbers, *_ = K.figure_claims("We have 40 branches, 3% of them at 7 sites.", 0, 99, 0, [], 0, ".", ",", False,
                                  frozenset({"number"}), out)
    assert [c.surface for c in numbers] == ["40", "7"] and out[2:] == numbers  # the percentage not kept
    with pytest.raises(ValueError):
        K.figure_claims("1", 0, 1, 0, [0], 0, ".", ",", False, None, [])
    with pytest.raises(TypeError):
        K.figure_claims("1", 0, 1, 0, [], 0, ".", ",", False, ["number"], [])
    with pytest.raises(TypeError):
        K.claim_type(type("NoSlots", (), {}), Decimal, _claims._ROLE_BITS)
    with pytest.raises(TypeError):
        K.claim_type(type("ReadOnly", (), {"__slots__": ("x",)}), Decimal, _claims._ROLE_BITS)
    with pytest.raises(ValueError):
        K.claim_type(_claims.Claim, Decimal, _claims._ROLE_BITS[:3])


@settings(max_examples=1000)
@given(st.text(alphabet=[*"aZ 1.\u00a3\u20ac\u00a5$", "\u0130", "\u00c9", "\u212a", "\u00df", "\U0001f600"], max_size=12))
def test_lower_is_str_lower(text: str) -> None:
    """_claims._lower (the kernel's lower_plain for plain text beyond ASCII) is str.lower."""
    assert _claims._lower(text) == text.lower()


# -- settle: the first tests and the plain figures' lookups of a whole answer in one call ------------


class _WithoutSettle:
    """The kernel without settle: the index asks as_written for the first tests, and each figure's
    lookup runs its needles from the Python."""

    def __getattr__(self, name: str) -> Any:
        if name == "settle":
            raise AttributeError(name)
        return getattr(K, name)


_BATCH_KINDS = ("money", "percent", "duration", "number", "time", "date")
_BATCH_DATES = ["1 March 2026", "2026-03-01", "March 1, 2026", "3rd of March 2026", "01/03/2026", "March 2026",
                "1st March", "1st of March", "Mar", "March", " 1,", " of ", "\n", "12 ", "1", "2026", "Mar. 1", "4"]


def _batch(index: Any, claims: list[_claims.Claim]) -> tuple[list[Any], int]:
    """settle's answers for claims (True: settled as supported, else None), as the index asks it."""
    assert K is not None
    g = index._g
    index._build_runs()
    found, _, charged = K.settle(index.view, index._runs, claims, g.decimal, g.group, g.order == "mdy",
                                 _sources._MARKS, _sources._BATCH_STARTS, index._hits_left)
    return [True if any(c is f for f in found) else None for c in claims], charged


def _python_supports(sources: list[tuple[str, str]], g: _claims.Grammar, c: _claims.Claim) -> bool:
    with _Without():
        return _sources.SourceIndex(sources, g).supports(c)


@needs_kernel
@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_READ_PIECES), min_size=1, max_size=30),
       st.lists(st.sampled_from([*_READ_PIECES, "8am", "08:00", "20:00", "8pm", "12:30", "0.35", "35p", "1.5m",
                                 "\u00a31.5 million", "1,500,000", "25 basis points", "0.25%", "2 years", "24 months",
                                 "\u00a35,000.00", "5 thousand", "$1,000", "1000", *_BATCH_DATES]), min_size=1,
                max_size=8),
       st.sampled_from(["en-GB", "en-US", "de-DE"]), st.data())
def test_settle_finds_only_what_the_python_finds(source: list[str], answer: list[str], locale: str,
                                                       data: st.DataObject) -> None:
    """Whatever settle finds supported, the pure-Python index supports too (it is sound: a claim
    it does not settle is the Python's), one claim at a time as in one call; a claim it leaves to
    the Python costs the budget nothing."""
    assert K is not None
    g = _claims.grammar(locale)
    text = "".join(answer)
    at = data.draw(st.integers(0, len(source)))
    changed = [data.draw(st.sampled_from([*_READ_PIECES, *_BATCH_DATES])) if data.draw(st.booleans()) else p
               for p in answer]
    source = [*source[:at], *answer, " ", *changed, *source[at:]]
    sources = [("a", "".join(source)), ("b", "".join(reversed(source)))]
    claims = [c for c in _claims.extract(text, g) if c.kind in _BATCH_KINDS]
    if not claims:
        return
    index = _sources.SourceIndex(sources, g)
    together, charged = _batch(index, claims)
    assert len(together) == len(claims) and charged >= 0
    # a long answer (its repeated claims answered from settle's memo): the same answers
    many = claims * (17 // len(claims) + 1)
    assert _batch(_sources.SourceIndex(sources, g), many)[0] == together * (17 // len(claims) + 1)
    for c, found in zip(claims, together, strict=True):
        assert found in (True, None)
        alone, one_charged = _batch(_sources.SourceIndex(sources, g), [c])
        assert alone == [found]  # the answers of one call do not depend on each other (budget aside)
        assert found or one_charged == 0
        if found:
            assert _python_supports(sources, g, c), (text, sources, c.kind, c.value, c.unit, c.per, c.role)


_BATCH_SOURCES = ("The fee is \u20ac5,000 a year. Rates: 3.5% AER, 10.2% APR representative. Lines open 8am to "
                  "8pm. Notice of 2 weeks. Up to \u00a31.5m. A 25p charge. 1,500 customers. 12:30 daily. Ends 3 March "
                  "2026; from March 9, 2025; in May 2027.")


@needs_kernel
@pytest.mark.parametrize(("answer", "found", "python"), [
    ("\u20ac5,000.00", True, True), ("5,000 EUR", True, True), ("\u20ac5000", True, True), ("$5,000", None, False),
    ("3.50% AER", True, True), ("3.5% APR", None, False), ("10.2% APR", True, True), ("08:00", True, True),
    ("20:00", True, True), ("9am", None, False), ("15 days", None, False), ("1500 customers", True, True),
    ("0.25 per cent", None, False), ("2026-03-03", True, True), ("3rd of March 2026", True, True),
    ("1 May 2027", None, False), ("4 March 2026", None, False),
    ("03/03/2026", True, True),
    # a figure read with a factor or a magnitude (2 weeks, 25p, 1.5m)
    ("14 days", True, True), ("\u00a30.25", True, True), ("\u00a31,500,000", True, True),
    # a date read after its month's name ("March 9, 2025") is read by the Python
    ("9 March 2025", None, True),
    # an amount with roles, written as in the source: its roles there compared (a fee, not a limit)
    ("a fee of \u20ac5,000", True, True), ("a \u20ac5,000 limit", None, False), ("a \u20ac5,000 fee", True, True)])
def test_settle_examples(answer: str, found: Any, python: bool) -> None:
    """The usual respellings (a currency code for the sign, a fraction of zeros, a 24-hour time
    for an am/pm one, a number's grouping, days for weeks, pence for pounds, a magnitude word,
    a date's other spelling) are settled in the kernel; figures of another unit, kind of rate or
    value, and places it does not read, are handed back to the Python."""
    g = _claims.grammar("en-GB")
    claims = [c for c in _claims.extract(answer, g) if c.kind in _BATCH_KINDS]
    assert len(claims) == 1, answer
    index = _sources.SourceIndex([("a", _BATCH_SOURCES)], g)
    assert _batch(index, claims)[0] == [found]
    assert _python_supports([("a", _BATCH_SOURCES)], g, claims[0]) is python


@needs_kernel
def test_settle_settles_the_evaluation_sets_figures() -> None:
    """On the faithful answers of the evaluation set, the kernel settles most of the figures the
    first test does not (what it is for), and the decisions are those without it."""
    v = gw.Grounded()
    asked = settled = 0
    for r in _eval_rows():
        if r["category"] != "faithful":
            continue
        sources = [tuple(s) for s in r["sources"]]
        _, decision = _outcome(v, r["answer"], sources)
        _sources._K = _WithoutSettle()  # type: ignore[assignment]
        try:
            assert _outcome(v, r["answer"], sources)[1] == decision
        finally:
            _sources._K = K
        index = _sources.SourceIndex(sources, v._grammar)
        claims = [c for c in v.claims(r["answer"]) if c.kind in _BATCH_KINDS]
        first = K.as_written(index.view, [(c.surface, 0) for c in claims])
        index.settle_written(claims)
        for c, written in zip(claims, first, strict=True):
            if not (c.role is None and c.kind in _sources._LITERAL_KINDS and c.surface and not c.roles and written):
                asked += 1
                settled += c in index._settled
    assert asked > 100 and settled > asked * 0.6, (asked, settled)


@needs_kernel
def test_settle_arguments_are_checked() -> None:
    assert K is not None
    index = _sources.SourceIndex([("a", "A fee of \u00a335.")], _claims.grammar("en-GB"))
    index._build_runs()
    g = _claims.grammar("en-GB")
    args = (".", ",", False, _sources._MARKS, _sources._BATCH_STARTS, 100)
    fee, entity = _claims.extract("\u00a335", g)[0], gw.Grounded().claims("The Easy Saver")[0]
    assert K.settle(index.view, index._runs, [], *args) == ([], [], 0)
    found, failed, charged = K.settle(index.view, index._runs, [fee, entity], *args)
    assert found == [fee] and found[0] is fee and failed == [(1, "Easy Saver")] and charged == 0
    assert K.settle(index.view, None, [fee], *args)[0] == [fee]  # the first test only
    odd = _claims.Claim("money", 0, 3, Decimal("-35"), "GBP", surface="-35")
    assert K.settle(index.view, index._runs, [odd], *args) == ([], [(0, "-35")], 0)  # a signed figure: the Python's
    odd.value = Decimal("NaN")
    assert K.settle(index.view, index._runs, [odd], *args) == ([], [(0, "-35")], 0)
    odd.unit = 3  # type: ignore[assignment]
    assert K.settle(index.view, index._runs, [odd], *args) == ([], [(0, "-35")], 0)
    for bad in (["x"], [_claims.Claim(3, 0, 1, None)]):  # type: ignore[arg-type]
        with pytest.raises((TypeError, AttributeError)):
            K.settle(index.view, index._runs, bad, *args)
    with pytest.raises(ValueError):
        K.settle(index.view, K.run_table("Another fee of \u00a335."), [fee], *args)  # the table of another text
    with pytest.raises(TypeError):
        K.settle(index.view, {}, [fee], *args)
    with pytest.raises(ValueError):
        K.settle(index.view, index._runs, [fee], ".", ",", False, _sources._MARKS, ("", ""), 100)
