"""Sources reach the guard in all the usual ways, are validated clearly, and never show in reprs."""

from __future__ import annotations

import asyncio

import pytest

import guardwrap as gw
from guardwrap._context import check_sources

SHEET = "Easy Saver: 3.25% AER variable. Minimum deposit \u00a31."


def grounded_guard(**kw):
    return gw.Guard("g", output=[gw.Grounded()], **kw)


def test_strings_pairs_and_mappings_become_id_text_pairs():
    assert check_sources(["a", "b"]) == (("1", "a"), ("2", "b"))
    assert check_sources([("doc-1", "a"), "b"]) == (("doc-1", "a"), ("2", "b"))
    assert check_sources({"x": "a"}) == (("x", "a"),)
    assert check_sources([]) == ()
    assert gw.Context(sources=["a"]).sources == (("1", "a"),)


@pytest.mark.parametrize(("value", "error", "says"), [
    ("one text", TypeError, "wrap a single document in a list"),
    (42, TypeError, "not int"),
    ([b"bytes"], TypeError, "sources[0]"),
    ([("id", "text", "extra")], TypeError, "sources[0]"),
    ([("", "text")], ValueError, "bad id"),
    ([(7, "text")], ValueError, "bad id"),
    ([("id", 7)], TypeError, "sources[0] text is a int"),
    ([("a", "x"), ("a", "y")], ValueError, "sources[1] repeats"),
    ([("line\nbreak", "x")], ValueError, "printable"),
])
def test_bad_sources_are_clear_errors_that_never_quote_a_text(value, error, says):
    with pytest.raises(error) as err:
        gw.Context(sources=value)
    assert says in str(err.value)
    assert "text\"" not in str(err.value) and "yyy" not in str(err.value)
    with pytest.raises(error), gw.context(sources=value):
        pass  # pragma: no cover


def test_repr_counts_sources_and_shows_no_text():
    ctx = gw.Context(sources=[("doc", "secret balance \u00a31,234")])
    assert "sources=1" in repr(ctx) and "1,234" not in repr(ctx)


def test_with_context_block():
    guard = grounded_guard()

    @guard
    def ask(q: str) -> str:
        return "It pays 3.25% AER."

    with gw.context(sources=[SHEET]):
        assert ask("rate?") == "It pays 3.25% AER."
    with pytest.raises(gw.Blocked):
        ask("rate?")  # no sources outside the block: fail closed


def test_nested_blocks_replace_sources_and_keep_other_fields():
    with gw.context(actor="u-1", sources=["outer"]):
        with gw.context(sources=["inner"]):
            ctx = gw._context.current()
            assert ctx.sources == (("1", "inner"),) and ctx.actor == "u-1"
        assert gw._context.current().sources == (("1", "outer"),)


def test_gw_context_keyword_on_a_guarded_call():
    guard = grounded_guard()

    @guard
    def ask(q: str) -> str:
        return "It pays 3.25% AER."

    assert ask("rate?", gw_context=gw.Context(sources=[SHEET])) == "It pays 3.25% AER."
    assert ask("rate?", gw_context={"sources": [("sheet", SHEET)]}) == "It pays 3.25% AER."
    with pytest.raises(gw.Blocked):
        ask("rate?", gw_context=gw.Context(sources=["Easy Saver: 3.5% AER."]))


def test_async_calls_and_acheck():
    guard = grounded_guard()

    @guard
    async def ask(q: str) -> str:
        return "It pays 3.25% AER."

    async def main():
        with gw.context(sources=[SHEET]):
            assert await ask("rate?") == "It pays 3.25% AER."
        d = await guard.acheck("It pays 9% AER.", stage="output", context=gw.Context(sources=[SHEET]))
        assert d.outcome == "blocked"

    asyncio.run(main())


def test_validators_reach_sources_through_ctx():
    seen = []

    @gw.validator(name="peek", stage="output", action="warn")
    def peek(text, ctx):
        seen.append(ctx.sources)

    guard = gw.Guard("g", output=[peek])
    guard.check("x", stage="output", context=gw.Context(sources=[("a", "b")]))
    guard.check("x", stage="output")
    assert seen == [(("a", "b"),), None]


def test_sources_are_indexed_once_per_call_and_shared_by_validators():
    guard = gw.Guard("g", output=[gw.Grounded(name="g1"), gw.Grounded(name="g2", action="warn")])
    states = []

    @gw.validator(name="spy", stage="output", action="warn")
    def spy(text, ctx):
        states.append({k: v for k, v in ctx.state.items() if isinstance(k, tuple) and k[0] == "grounded"})

    guard = gw.Guard("g", output=[gw.Grounded(name="g1"), gw.Grounded(name="g2", action="warn"), spy])
    guard.check("It pays 3.25% AER.", stage="output", context=gw.Context(sources=[SHEET]))
    assert len(states[0]) == 1  # one index, built once, for both validators
