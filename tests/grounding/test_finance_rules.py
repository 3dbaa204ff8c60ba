"""Finance output rules: each forbidden statement fires with an explainable finding; negated and
general statements pass; required warnings are appended by ``fix``."""

from __future__ import annotations

import pytest

import guardwrap as gw


def fired(rule, text):
    r = rule.check(text, None)
    return None if r is None or r.passed else (r.reason, [f.rule for f in r.findings])


RETURNS = [
    ("This fund offers guaranteed returns of 8%.", "guaranteed-returns"),
    ("We guarantee you a 10% return on this portfolio.", "guaranteed-returns"),
    ("Profits are guaranteed with our managed fund.", "guaranteed-returns"),
    ("It's a risk-free investment.", "risk-free"),
    ("Bitcoin is a safe bet right now.", "risk-free"),
    ("With this fund you can't lose.", "cannot-lose"),
    ("There is no risk of losing money in the index fund.", "cannot-lose"),
    ("Shares will definitely go up next year.", "certain-growth"),
    ("This strategy will double your money.", "certain-growth"),
    ("The market is going to recover, so stocks will rise.", "certain-growth"),
    ("You will earn 8% on your investment every year.", "promised-figure"),
    ("Our \uff47uaranteed returns are unmatched.", "guaranteed-returns"),  # a full-width letter
]
NOT_RETURNS = [
    "Returns are not guaranteed and you could lose money.",
    "There are no guaranteed returns with investments.",
    "We cannot guarantee returns.",
    "The Fixed Rate Bond pays a guaranteed rate of 4.1% AER for two years.",
    "You will earn 3.5% AER on your savings.",
    "Your savings are protected so you won't lose them.",
    "Investments are not a safe bet in the short term.",
]


@pytest.mark.parametrize(("text", "family"), RETURNS)
def test_return_promises_fire(text, family):
    reason, rules = fired(gw.NoReturnPromises(), text)
    assert reason == "return-promise" and set(rules) == {f"return-promise:{family}"}


@pytest.mark.parametrize("text", NOT_RETURNS)
def test_honest_statements_about_returns_pass(text):
    assert fired(gw.NoReturnPromises(), text) is None


APPROVAL = [
    ("You will be approved for the loan.", "will-be-approved"),
    ("You'll definitely get the credit card.", "will-be-approved"),
    ("Your mortgage application has been approved.", "will-be-approved"),
    ("Everyone is approved, whatever their history.", "will-be-approved"),
    ("Approval is guaranteed!", "guaranteed-approval"),
    ("We offer guaranteed acceptance on all loans.", "guaranteed-approval"),
    ("100% approval for our overdraft.", "guaranteed-approval"),
    ("Get a loan with no credit checks.", "no-credit-check"),
]
NOT_APPROVAL = [
    "You will be approved if you meet our lending criteria.",
    "We cannot guarantee approval.",
    "Approval is not guaranteed and depends on your circumstances.",
    "There is no credit check for opening a savings account.",
    "Applications are subject to status and affordability.",
    "You won't be approved automatically.",
]


@pytest.mark.parametrize(("text", "family"), APPROVAL)
def test_approval_promises_fire(text, family):
    assert fired(gw.NoGuaranteedApproval(), text) == ("approval-promise", [f"approval-promise:{family}"])


@pytest.mark.parametrize("text", NOT_APPROVAL)
def test_careful_statements_about_credit_pass(text):
    assert fired(gw.NoGuaranteedApproval(), text) is None


ADVICE = [
    ("You should invest in an index fund.", "you-should"),
    ("You should move your pension into our Growth Fund.", "you-should"),
    ("I recommend you put your savings into a Stocks and Shares ISA.", "we-recommend"),
    ("We'd suggest you sell your shares now.", "we-recommend"),
    ("My advice would be to invest in bonds.", "we-recommend"),
    ("The best fund for you is the Global Tracker.", "best-for-you"),
    ("In your situation I would buy more shares.", "your-situation"),
    ("Given your age, I'd put most of it in equities.", "your-situation"),
]
NOT_ADVICE = [
    "You should never invest money you cannot afford to lose.",
    "We recommend you speak to a regulated financial adviser.",
    "You should check your statement each month.",
    "A Stocks and Shares ISA lets you invest up to \u00a320,000 a year.",
    "Some customers choose index funds because their fees are low.",
]


@pytest.mark.parametrize(("text", "family"), ADVICE)
def test_personal_advice_fires(text, family):
    assert fired(gw.NoPersonalAdvice(), text) == ("personal-advice", [f"personal-advice:{family}"])


@pytest.mark.parametrize("text", NOT_ADVICE)
def test_general_information_passes(text):
    assert fired(gw.NoPersonalAdvice(), text) is None


def test_findings_point_at_the_statement():
    text = "Thanks for asking. Shares will definitely go up, honestly."
    r = gw.NoReturnPromises().check(text, None)
    f = r.findings[0]
    assert text[f.start:f.end] == "definitely go up"
    assert "definitely" not in r.feedback and "return" in r.feedback


def test_families_can_be_chosen():
    rule = gw.NoGuaranteedApproval(families=["guaranteed-approval"])
    assert fired(rule, "Get a loan with no credit checks.") is None
    with pytest.raises(gw.PolicyError) as err:
        gw.NoGuaranteedApproval(families=["maybe"])
    assert err.value.key == "families"


@pytest.mark.parametrize(("text", "topics"), [
    ("Our Stocks and Shares ISA lets you invest from \u00a325 a month.", ["investment"]),
    ("Our personal loan has a representative APR of 6.9%.", ["credit"]),
    ("A mortgage of \u00a3200,000 over 25 years.", ["mortgage"]),
    ("Our Stocks and Shares ISA lets you invest from \u00a325. Capital at risk.", []),
    ("Our loan APR is 6.9%, subject to status.", []),
    ("Remortgage with us. Your home may be repossessed if you do not keep up repayments on your mortgage.", []),
    ("You can pay in at any branch.", []),
    ("Insufficient funds? Move money from savings.", []),
])
def test_required_disclaimers(text, topics):
    r = gw.RequiredDisclaimers(action="block").check(text, None)
    got = [] if r is None else [f.rule.split(":")[1] for f in r.findings]
    assert got == topics


def test_fix_appends_the_missing_warnings():
    guard = gw.Guard("f", output=[gw.RequiredDisclaimers()])
    d = guard.check("Our loan APR is 6.9%. Index funds spread risk.", stage="output")
    assert d.outcome == "fixed" and d.reasons == ("missing-disclaimer",)
    assert d.text.startswith("Our loan APR is 6.9%. Index funds spread risk.\n\n")
    assert "Capital at risk" in d.text and "subject to status" in d.text
    assert guard.check(d.text, stage="output").outcome == "pass"  # the fixed text satisfies the rule


def test_custom_wording_and_text():
    rule = gw.RequiredDisclaimers(topics=["credit"], accepted={"credit": ["Borrow responsibly"]},
                                  text={"credit": "Think carefully before borrowing."})
    assert rule.check("Our loan is 6.9% APR. Borrow   responsibly.", None) is None
    assert rule.check("Our loan is 6.9% APR.", None).fix.endswith("Think carefully before borrowing.")
    with pytest.raises(gw.PolicyError) as err:
        gw.RequiredDisclaimers(topics=["credit"], text={"investment": "x"})
    assert err.value.key == "text.investment"
    with pytest.raises(gw.PolicyError):
        gw.RequiredDisclaimers(topics=["pets"])


def test_streamed_answer_gets_the_warning_at_the_end():
    guard = gw.Guard("f", output=[gw.RequiredDisclaimers(), gw.NoReturnPromises()])
    answer = ("Our Stocks and Shares ISA holds index funds from many markets. " * 8) + "Ask us anything."

    @guard
    def stream(q: str):
        for i in range(0, len(answer), 9):
            yield answer[i:i + 9]

    out = "".join(stream("q"))
    assert out.startswith(answer) and out.rstrip().endswith("less than you invested.")


def test_streamed_promise_is_stopped():
    guard = gw.Guard("f", output=[gw.NoReturnPromises()])
    answer = "Thanks for asking about our funds. " * 10 + "Shares will definitely go up. Bye."

    @guard
    def stream(q: str):
        for i in range(0, len(answer), 7):
            yield answer[i:i + 7]

    got = []
    with pytest.raises(gw.Blocked):
        for piece in stream("q"):
            got.append(piece)
    assert "definitely" not in "".join(got)


def test_block_action_holds_a_stream_until_the_end():
    assert not hasattr(gw.RequiredDisclaimers(action="block"), "stream_safe")
    assert hasattr(gw.RequiredDisclaimers(action="fix"), "stream_safe")
