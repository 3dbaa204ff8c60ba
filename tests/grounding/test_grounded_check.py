"""`gw.Grounded`: what passes, what fails, with which findings, reasons, scores and feedback."""

from __future__ import annotations

import pytest

import guardwrap as gw

SHEET = (
    "Easy Saver key facts. Interest: 3.25% AER / 3.20% gross, variable, paid monthly. Minimum to open: "
    "\u00a31. Maximum balance: \u00a3250,000. The rate is guaranteed until 31 March 2026. Call 0345 300 0000, "
    "8am to 8pm. Withdrawals are processed within 2 working days."
)
CARD = ("Rewards Credit Card. Representative 24.9% APR (variable). Late payment fee: \u00a312. "
        "Minimum repayment: 1% of the balance, or \u00a325 if greater. 0% on balance transfers for 18 months.")


def check(answer: str, sources=(("sheet", SHEET),), **options):
    guard = gw.Guard("g", output=[gw.Grounded(**options)])
    ctx = None if sources is None else gw.Context(sources=list(sources))
    return guard.check(answer, stage="output", context=ctx)


@pytest.mark.parametrize("answer", [
    "The Easy Saver pays 3.25% AER (3.20% gross).",
    "It pays 3.25 per cent AER, and interest is paid monthly.",
    "You can open an Easy Saver with one pound and hold up to GBP 250,000.",
    "The rate is guaranteed until 31/03/2026.",
    "The rate is fixed until March 31, 2026.",
    "Call us on 0345 300 0000 between 8am and 8pm.",
    "Call us on 03453000000 from 08:00 to 20:00.",
    "Withdrawals take two working days.",
    "Hello! How can I help you today?",  # nothing to check
    "The Easy Saver pays interest monthly.",
])
def test_faithful_answers_pass(answer):
    d = check(answer)
    assert d.outcome == "pass", [(f.rule, answer[f.start:f.end]) for f in d.findings]
    assert d.steps[0].score == 1.0


@pytest.mark.parametrize(("answer", "rule", "claim"), [
    ("The Easy Saver pays 3.5% AER.", "unsupported-percent", "3.5% AER"),
    ("The Easy Saver pays 3.25% APR.", "unsupported-percent", "3.25% APR"),
    ("The Easy Saver pays 3.2% AER.", "unsupported-percent", "3.2% AER"),  # 3.25 rounded
    ("You can open it with \u00a310.", "unsupported-money", "\u00a310"),
    ("The maximum balance is $250,000.", "unsupported-money", "$250,000"),
    ("The rate is guaranteed until 30 March 2026.", "unsupported-date", "30 March 2026"),
    ("The rate is guaranteed until 31/03/2027.", "unsupported-date", "31/03/2027"),
    ("Call us on 0345 300 0001.", "unsupported-code", "0345 300 0001"),
    ("Lines are open 9am to 8pm.", "unsupported-time", "9am"),
    ("Withdrawals take 2 days.", "unsupported-duration", "2 days"),
    ("Withdrawals take two weeks.", "unsupported-duration", "two weeks"),
    ("You get 3 free withdrawals.", "unsupported-number", "3"),
    ("The Premium Easy Saver account pays 3.25% AER.", "unsupported-entity", "Premium Easy Saver account"),
    ('The sheet says "interest is paid annually on the anniversary".', "quote-not-found",
     "interest is paid annually on the anniversary"),
])
def test_changed_claims_fail_at_their_place(answer, rule, claim):
    d = check(answer)
    assert d.outcome == "blocked"
    assert d.reasons == ("ungrounded",)
    flagged = [(f.rule, answer[f.start:f.end]) for f in d.findings]
    assert (rule, claim) in flagged, flagged


def test_a_fee_is_not_another_amount_of_the_same_figure():
    assert check("If you pay late we charge \u00a312.", [("card", CARD)]).outcome == "pass"
    d = check("There is an annual fee of \u00a325.", [("card", CARD)])  # \u00a325 is the minimum repayment
    assert d.outcome == "blocked" and d.findings[0].rule == "unsupported-money"


def test_score_is_the_share_of_claims_supported():
    d = check("It pays 3.25% AER, opens with \u00a31 and has a \u00a35 monthly fee.")
    assert d.outcome == "blocked"
    assert d.steps[0].score == pytest.approx(2 / 3, abs=1e-3)
    assert [f.rule for f in d.findings] == ["unsupported-money"]


def test_min_score_lets_a_mostly_grounded_answer_through():
    answer = "It pays 3.25% AER, opens with \u00a31, holds up to \u00a3250,000 and has a \u00a35 monthly fee."
    assert check(answer, min_score=0.7).outcome == "pass"
    assert check(answer, min_score=0.8).outcome == "blocked"


@pytest.mark.parametrize(("action", "outcome"), [("block", "blocked"), ("escalate", "escalated"),
                                                  ("warn", "warned"), ("reask", "blocked")])
def test_actions(action, outcome):
    assert check("It pays 4% AER.", action=action).outcome == outcome


def test_reask_feedback_names_kind_and_place_never_values():
    answer = "The Easy Saver pays 4.1% AER and opens with \u00a399."
    d = check(answer, action="reask")
    text = " ".join(d.feedback)
    assert "percentage or rate at characters" in text and "money amount at characters" in text
    for value in ("4.1", "99", "3.25", "250,000", "\u00a31"):
        assert value not in text
    assert "easy saver" not in text.lower()


def test_reask_round_trip_with_a_model_that_corrects_itself():
    answers = iter(["It pays 4% AER.", "It pays 3.25% AER."])
    prompts = []
    guard = gw.Guard("g", output=[gw.Grounded(action="reask")])

    @guard
    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    with gw.context(sources=[SHEET]):
        assert ask("What rate does the Easy Saver pay?") == "It pays 3.25% AER."
    assert len(prompts) == 2 and "percentage or rate" in prompts[1] and "3.25" not in prompts[1]


def test_without_sources_claims_fail_closed():
    d = check("It pays 3.25% AER.", sources=None)
    assert d.outcome == "blocked" and d.reasons == ("no-sources",)
    assert check("Hello, how can I help?", sources=None).outcome == "pass"
    assert check("It pays 3.25% AER.", sources=None, without_sources="pass").outcome == "pass"
    assert check("It pays 3.25% AER.", sources=[]).reasons == ("no-sources",)
    d = check("See the key facts [1].", sources=None)  # a citation with nothing to cite
    assert d.reasons == ("no-sources",) and [f.rule for f in d.findings] == ["unknown-citation"]
    assert check("See the key facts [1].", sources=None, citations="off").outcome == "pass"


def test_facts_are_standing_sources():
    facts = ["Our phone lines are open 24 hours a day.", "FSCS protects eligible deposits up to \u00a385,000."]
    answer = "Your savings are protected up to \u00a385,000."
    assert check(answer, facts=facts).outcome == "pass"
    assert check(answer, sources=None, facts=facts).outcome == "pass"  # facts alone are sources
    assert check(answer).outcome == "blocked"


class TestCitations:
    sources = (("sheet", SHEET), ("card", CARD))

    def test_a_claim_must_be_in_the_source_its_sentence_cites(self):
        assert check("The late payment fee is \u00a312 [card].", self.sources).outcome == "pass"
        assert check("The late payment fee is \u00a312 [2].", self.sources).outcome == "pass"
        d = check("The late payment fee is \u00a312 [sheet].", self.sources)
        assert d.outcome == "blocked" and [f.rule for f in d.findings] == ["miscited-money"]

    def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before(self):
        assert check("The Easy Saver pays 3.25% AER. [1] Call 0345 300 0000.", self.sources).outcome == "pass"
        d = check("The Easy Saver pays 3.25% AER. [2]", self.sources)
        assert [f.rule for f in d.findings] == ["miscited-entity", "miscited-percent"]

    def test_unknown_markers_fail(self):
        d = check("The Easy Saver pays 3.25% AER [3].", self.sources)
        assert d.outcome == "blocked" and d.reasons == ("bad-citation",)
        assert [f.rule for f in d.findings] == ["unknown-citation"]
        assert check("See [the app](https://bank.example) for details.", self.sources).outcome == "pass"

    def test_require_mode_needs_a_citation_for_every_claim(self):
        d = check("The Easy Saver pays 3.25% AER. Late fees are \u00a312 [card].", self.sources, citations="require")
        assert [f.rule for f in d.findings] == ["missing-citation"]
        assert check("Hello [1].", self.sources, citations="require").outcome == "pass"

    def test_off_ignores_markers(self):
        assert check("The Easy Saver pays 3.25% AER [9].", self.sources, citations="off").outcome == "pass"


def test_locale_decides_numeric_dates():
    us = "The offer ends on 03/31/2026."
    assert check(us, locale="en-US").outcome == "pass"
    assert check("The offer ends on 03/04/2026.", sources=[("s", "The offer ends on 4 March 2026.")],
                 locale="en-US").outcome == "pass"
    assert check("The offer ends on 03/04/2026.", sources=[("s", "The offer ends on 4 March 2026.")]).outcome == "blocked"


def test_kinds_limits_what_is_checked():
    answer = "The Premium Saver pays 3.25% AER."
    assert check(answer, kinds=["percent"]).outcome == "pass"
    assert check(answer).outcome == "blocked"


def test_offsets_point_into_the_original_text_around_invisible_characters():
    answer = "The\u200b rate is 4\u200b% AER."
    d = check(answer)
    f = d.findings[0]
    assert answer[f.start:f.end] == "4\u200b% AER"


@pytest.mark.parametrize(("options", "key"), [
    ({"action": "redact"}, "action"), ({"locale": "xx-XX"}, "locale"), ({"citations": "maybe"}, "citations"),
    ({"kinds": ["money", "rumour"]}, "kinds"), ({"kinds": "money"}, "kinds"), ({"min_score": 0}, "min_score"),
    ({"min_score": 1.5}, "min_score"), ({"without_sources": "guess"}, "without_sources"),
    ({"quote_min_words": 0}, "quote_min_words"), ({"facts": "one text"}, "facts"), ({"facts": [1]}, "facts[0]"),
    ({"max_reasks": -1}, "max_reasks"),
])
def test_bad_options_are_clear_errors(options, key):
    with pytest.raises(gw.PolicyError) as err:
        gw.Grounded(**options)
    assert err.value.key == key


def test_input_stage_is_refused():
    with pytest.raises(gw.PolicyError):
        gw.Guard("g", input=[gw.Grounded()])


def test_repr_and_describe_hold_no_facts():
    v = gw.Grounded(facts=["Secret internal rate 9.99%"])
    assert "9.99" not in repr(v) and "9.99" not in str(v.describe())
    assert v.describe()["facts_sha256"]


def test_claims_lists_what_would_be_checked():
    claims = gw.Grounded().claims("Pay \u00a35 by 1 May 2026 [1].")
    assert [c.kind for c in claims] == ["money", "date"]
    assert "5" not in repr(claims[0])


def test_sources_from_messages():
    messages = [{"role": "system", "content": "You are helpful. Fee: \u00a312."},
                {"role": "user", "content": "What is the fee? I heard \u00a35."},
                {"role": "tool", "content": [{"type": "text", "text": "Rate 3.25% AER"}]}]
    sources = gw.sources_from_messages(messages)
    assert sources == [("system-0", "You are helpful. Fee: \u00a312."), ("tool-2", "Rate 3.25% AER")]
    assert check("The fee is \u00a312 and the rate 3.25% AER.", sources).outcome == "pass"
    assert check("The fee is \u00a35.", sources).outcome == "blocked"  # the user's figure is not a source
