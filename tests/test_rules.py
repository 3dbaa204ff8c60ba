"""Policy rules: behaviour, evasions, streaming holdback, fail-closed regexes."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw
from guardwrap._textnorm import FOLD
from guardwrap.rules import approx_tokens

ZW = "\u200b"


def kinds(result):
    return [f.kind for f in result.findings] if result is not None else []


# -- DenyTerms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "how do I bypass kyc here",
        "how do I BYPASS KYC here",
        "how do I \uff22ypass KYC here",  # full-width B
        "how do I by" + ZW + "pass k" + ZW + "yc here",  # zero-width inside words
        "how do I b y p a s s k y c here",  # spaced out
        "how do I b.y.p.a.s.s kyc here",
        "how do I bypass-kyc here",
        "how do I bypass_kyc here",
        "how do I bypasskyc here",
        "how do I \u0432ypa\u0455\u0455 \u043a\u0443c here",  # Cyrillic lookalikes
        "how do I bypa\u0301ss kyc here",  # combining accent
        "how do I bypass\n  kyc here",
    ],
)
def test_deny_terms_catches_evasions(text):
    r = gw.DenyTerms(["bypass kyc"]).check(text, None)
    assert r is not None and r.reason == "deny-term"
    (f,) = r.findings
    # the offsets cover the evasive spelling in the original text
    assert FOLD.view(text[f.start:f.end])[0].replace(" ", "").replace(".", "").replace("-", "").replace(
        "_", "").replace("\n", "") == "bypasskyc"


@pytest.mark.parametrize("text", ["bypassing kyc-free flow", "the kyc bypass", "kycbypass", "", "xbypass kyc"])
def test_deny_terms_whole_word_does_not_fire_inside_words(text):
    assert gw.DenyTerms(["bypass kyc"]).check(text, None) is None


def test_deny_terms_substring_and_case_sensitive_options():
    assert gw.DenyTerms(["kyc"], whole_word=False).check("nokycplease", None) is not None
    cs = gw.DenyTerms(["KYC"], case_sensitive=True)
    assert cs.check("skip KYC", None) is not None
    assert cs.check("skip kyc", None) is None


def test_deny_terms_thousands_of_terms_one_pass():
    terms = [f"term{i:04d} phrase" for i in range(3000)]
    rule = gw.DenyTerms(terms)
    text = "alpha term2999 phrase beta term0001  phrase gamma term3001 phrase"
    r = rule.check(text, None)
    assert [text[f.start:f.end] for f in r.findings] == ["term2999 phrase", "term0001  phrase"]


def test_deny_terms_redact_rewrites_only_the_match():
    guard = gw.Guard("t", input=[gw.DenyTerms(["structure the deposits"], action="redact")])
    d = guard.check("Please STRUCTURE the deposits under 10k")
    assert d.outcome == "fixed"
    assert d.text == "Please <deny-term> under 10k"


def test_deny_terms_bad_config_names_the_key():
    with pytest.raises(gw.PolicyError) as e:
        gw.DenyTerms(["ok", "  ...  "])
    assert e.value.key == "terms[1]"
    with pytest.raises(gw.PolicyError):
        gw.DenyTerms("one string")
    with pytest.raises(gw.PolicyError):
        gw.DenyTerms([])


def test_repr_and_describe_hold_no_text():
    rule = gw.DenyTerms(["secret plan"])
    r = rule.check("the secret plan", None)
    assert "secret plan" not in repr(r) and "secret plan" not in repr(r.findings)
    assert "secret" not in repr(rule)


_words = st.text(alphabet="abcdefghij", min_size=3, max_size=8)


@settings(max_examples=60, deadline=None)
@given(term=_words, before=st.lists(st.sampled_from(["xyz", "qq", "r", "1234"]), max_size=5),
       after=st.lists(st.sampled_from(["xyz", "qq", "r", "1234"]), max_size=5),
       evasion=st.sampled_from(["upper", "zw", "fullwidth", "none"]))
def test_deny_terms_property_finds_inserted_term(term, before, after, evasion):
    shown = term
    if evasion == "upper":
        shown = term.upper()
    elif evasion == "zw":
        shown = ZW.join(term)
    elif evasion == "fullwidth":
        shown = "".join(chr(ord(c) - 0x61 + 0xFF41) for c in term)
    prefix = " ".join(before) + " "
    text = prefix + shown + " " + " ".join(after)
    r = gw.DenyTerms([term]).check(text, None)
    assert r is not None
    assert (r.findings[0].start, r.findings[0].end) == (len(prefix), len(prefix) + len(shown))


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet="klmnop \n.", max_size=200))
def test_deny_terms_property_no_false_hits(text):
    assert gw.DenyTerms(["abc", "bypass kyc"]).check(text, None) is None


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=12),
       filler=st.integers(min_value=0, max_value=300))
def test_deny_terms_stream_blocks_however_chunked(cuts, filler):
    text = ("all good here. " * 30)[:filler] + "now b y p a s s  K\u200bYC please " + "fine words " * 10
    guard = gw.Guard("s", output=[gw.DenyTerms(["bypass kyc"])])
    pieces, pos = [], 0
    for c in sorted(set(cuts)):
        if pos < c < len(text):
            pieces.append(text[pos:c])
            pos = c
    pieces.append(text[pos:])

    @guard
    def stream(prompt: str):
        yield from pieces

    released = []
    with pytest.raises(gw.Blocked):
        for piece in stream("q"):
            released.append(piece)
    assert "kyc" not in FOLD.view("".join(released))[0].replace(ZW, "")


# -- Topics --------------------------------------------------------------------------------------


def test_topics_names_the_topic_and_respects_min_hits():
    rule = gw.Topics({"crypto": ["bitcoin", "ethereum", "crypto wallet"], "gambling": ["casino"]})
    r = rule.check("Can I buy BITCOIN with my card?", None)
    assert r.reason == "topic:crypto" and kinds(r) == ["topic:crypto"]
    assert rule.check("What's my balance?", None) is None
    two = gw.Topics({"crypto": ["bitcoin", "ethereum"]}, min_hits=2)
    assert two.check("bitcoin price", None) is None
    assert two.check("bitcoin or ethereum", None).reason == "topic:crypto"


def test_topics_bad_keyword_names_topic():
    with pytest.raises(gw.PolicyError) as e:
        gw.Topics({"crypto": ["ok", "!!"]})
    assert e.value.key == "topics.crypto[1]"


# -- RegexRule -------------------------------------------------------------------------------------


def test_regex_rule_matches_and_reports_reason():
    rule = gw.RegexRule(r"(?i)\bguaranteed returns?\b", reason="no-performance-promises")
    r = rule.check("We offer GUARANTEED returns of 12%", None)
    assert r.reason == "no-performance-promises" and kinds(r) == ["no-performance-promises"]
    assert rule.check("returns are not guaranteed", None) is None


def test_regex_rule_flags_letters():
    assert gw.RegexRule("hello", flags="i").check("HELLO", None) is not None
    with pytest.raises(gw.PolicyError) as e:
        gw.RegexRule("x", flags="q")
    assert e.value.key == "flags"


def test_regex_rule_bad_pattern_is_policy_error():
    with pytest.raises(gw.PolicyError) as e:
        gw.RegexRule("(unclosed")
    assert e.value.key == "pattern"


def _run_bounded(fn, timeout=30.0):
    box = {}

    def target():
        box["value"] = fn()

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "regex check did not return: the process would hang"
    return box["value"]


def test_catastrophic_regex_fails_closed_on_hostile_input():
    rule = gw.RegexRule(r"(a+)+$", timeout=0.05)
    hostile = "a" * 100_000 + "!"
    r = _run_bounded(lambda: rule.check(hostile, None))
    assert r is not None and not r.passed and r.reason == "regex-timeout"
    guard = gw.Guard("g", input=[rule])
    d = _run_bounded(lambda: guard.check(hostile))
    assert d.outcome == "blocked" and d.reasons == ("regex-timeout",)


def test_catastrophic_regex_with_warn_action_still_blocks():
    guard = gw.Guard("g", input=[gw.RegexRule(r"(x+x+)+y", action="warn", timeout=0.05)])
    d = _run_bounded(lambda: guard.check("x" * 5000))
    assert d.outcome == "blocked" and d.reasons == ("validator-error",)


def test_regex_rule_max_chars_fails_closed():
    r = gw.RegexRule("a", max_chars=10).check("b" * 11, None)
    assert r.reason == "regex-input-too-long"


def test_regex_rule_streams_with_max_match():
    rule = gw.RegexRule(r"secret\d+", max_match=20)
    assert rule.stream_safe("x" * 100) == 80
    text = "x" * 70 + "secret1234567890" + "y" * 14  # the match straddles 100 - 20
    assert rule.stream_safe(text) == 70
    assert not hasattr(gw.RegexRule("a"), "stream_safe")


# -- Secrets -----------------------------------------------------------------------------------------

FAKE = {
    "AWS_ACCESS_KEY": "AKIA" + "Q3EXAMPLE7ABCDEF",
    "GITHUB_TOKEN": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "STRIPE_KEY": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "JWT": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "SLACK_TOKEN": "xoxb-" + "123456789012-abcdefghijkl",
    "GOOGLE_API_KEY": "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
}


@pytest.mark.parametrize("kind", sorted(FAKE))
def test_secrets_finds_token_kinds(kind):
    value = FAKE[kind]
    text = f"here it is: {value} thanks"
    r = gw.Secrets().check(text, None)
    assert r.reason == "secret"
    (f,) = r.findings
    assert f.kind == kind and text[f.start:f.end] == value


def test_secrets_private_key_db_url_bearer_assignment():
    s = gw.Secrets()
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----"
    assert kinds(s.check("key:\n" + pem, None)) == ["PRIVATE_KEY"]
    text = "use postgres://app:Sup3rS3cret!@db.internal:5432/core"
    (f,) = s.check(text, None).findings
    assert f.kind == "DATABASE_URL" and text[f.start:f.end] == "Sup3rS3cret!"
    text = "Authorization: Bearer abcDEF1234567890ghijKLMN"
    assert kinds(s.check(text, None)) == ["BEARER_TOKEN"]
    text = 'config api_key = "Zx8vQ2mL9pR4tY7wK3nB"'
    (f,) = s.check(text, None).findings
    assert f.kind == "SECRET_ASSIGNMENT" and text[f.start:f.end] == "Zx8vQ2mL9pR4tY7wK3nB"


@pytest.mark.parametrize("text", [
    "What is the secret to saving more each month?",
    "My password is not working, can you reset it?",
    "The token of appreciation was a gift card worth 50 dollars.",
    "Please send the key documents to the branch at 12 High St.",
    "Visit https://bank.example.com/help for the FAQ.",
])
def test_secrets_no_false_positive_on_ordinary_text(text):
    assert gw.Secrets().check(text, None) is None


def test_secrets_redact_uses_kind():
    guard = gw.Guard("t", output=[gw.Secrets(action="redact")])
    d = guard.check("key " + FAKE["AWS_ACCESS_KEY"] + " end", stage="output")
    assert d.text == "key <AWS_ACCESS_KEY> end"


def test_secrets_stream_holds_back_unfinished_private_key():
    s = gw.Secrets()
    text = "x " * 400 + "-----BEGIN PRIVATE KEY-----\nMIIE"
    assert s.stream_safe(text) == text.index("-----BEGIN")


def test_secrets_unknown_kind():
    with pytest.raises(gw.PolicyError) as e:
        gw.Secrets(kinds=["NOPE"])
    assert e.value.key == "kinds"


# -- InvisibleText -------------------------------------------------------------------------------


@pytest.mark.parametrize("ch,kind", [
    ("\u200b", "zero-width"), ("\u202e", "bidi-control"), ("\U000e0041\U000e0042", "tag-characters"),
    ("\ufe00\ufe01", "variation-selectors"), ("\x1b", "control-characters"),
])
def test_invisible_text_kinds_and_fix(ch, kind):
    text = "pay" + ch + "ment"
    guard = gw.Guard("t", input=[gw.InvisibleText()])
    d = guard.check(text)
    assert d.outcome == "fixed" and d.text == "payment"
    assert [f.rule for f in d.findings] == [kind]


@pytest.mark.parametrize("text", [
    "family \U0001F468\u200d\U0001F469\u200d\U0001F467 emoji", "heart \u2764\ufe0f", "plain\ttext\nlines\r\n",
    "caf\u00e9 na\u00efve",
])
def test_invisible_text_allows_ordinary_text(text):
    assert gw.InvisibleText().check(text, None) is None


def test_invisible_text_block_action():
    r = gw.InvisibleText(action="block").check("a\u200bb", None)
    assert r.reason == "invisible-text" and r.fix is None


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc \u200b\u202e\U000e0041\u2060")), max_size=60))
def test_invisible_text_fix_leaves_nothing_invisible(text):
    r = gw.InvisibleText().check(text, None)
    fixed = text if r is None else r.fix
    assert gw.InvisibleText().check(fixed, None) is None
    assert fixed == "".join(c for c in text if c in "abc ")


# -- MaxLength ------------------------------------------------------------------------------------


def test_max_length_chars_and_fix():
    assert gw.MaxLength(chars=5).check("12345", None) is None
    r = gw.MaxLength(chars=5).check("123456", None)
    assert r.reason == "too-long" and r.fix is None
    assert gw.MaxLength(chars=5, action="fix").check("123456", None).fix == "12345"


def test_max_length_tokens_approximation():
    text = "The quick brown fox jumps over the lazy dog. " * 20  # ~200 real tokens
    assert 180 <= approx_tokens(text) <= 260
    assert gw.MaxLength(tokens=400).check(text, None) is None
    assert gw.MaxLength(tokens=100).check(text, None).reason == "too-many-tokens"
    assert approx_tokens("\u4f60\u597d\u4e16\u754c") >= 4


def test_max_length_config_errors():
    with pytest.raises(gw.PolicyError):
        gw.MaxLength()
    with pytest.raises(gw.PolicyError) as e:
        gw.MaxLength(chars=0)
    assert e.value.key == "chars"


def test_max_length_has_no_stream_safe():
    assert not hasattr(gw.MaxLength(chars=3), "stream_safe")
    assert not hasattr(gw.SystemPromptLeak("x y z"), "stream_safe")


# -- SystemPromptLeak ---------------------------------------------------------------------------------

SYSTEM = (
    "You are Penny, the assistant of Example Bank. Never disclose internal fee schedules or the "
    "names of fraud rules. Always recommend a branch appointment for mortgage questions and never "
    "promise approval of any loan."
)


def test_system_prompt_leak_verbatim_and_fuzzy():
    rule = gw.SystemPromptLeak(SYSTEM)
    assert rule.check("Sure! " + SYSTEM, None).reason == "system-prompt-leak"
    fuzzy = SYSTEM.upper().replace(".", ";").replace(" the ", "  the\n")
    assert rule.check(fuzzy, None) is not None
    assert rule.check("Your balance is 120 EUR. Anything else?", None) is None
    assert rule.check("I am the assistant of Example Bank. How can I help?", None) is None


def test_system_prompt_leak_partial_long_quote():
    long_prompt = " ".join(f"rule{i} applies to case{i}" for i in range(60))
    rule = gw.SystemPromptLeak(long_prompt)
    part = " ".join(f"rule{i} applies to case{i}" for i in range(10, 18))  # 32 words, ~13 %
    r = rule.check("Here: " + part, None)
    assert r is not None and r.score < 0.4
    assert gw.SystemPromptLeak(long_prompt, min_words=None).check("Here: " + part, None) is None


def test_system_prompt_leak_describe_hides_prompt():
    d = gw.SystemPromptLeak(SYSTEM).describe()
    assert "Penny" not in str(d) and "system_prompt_sha256" in d


def test_system_prompt_leak_output_only():
    with pytest.raises(gw.PolicyError):
        gw.Guard("g", input=[gw.SystemPromptLeak(SYSTEM)])


# -- Secrets: a bank customer's credentials --------------------------------------------------------

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("my password is Hunter2!", None, "Hunter2!"),
    ("pwd=Sup3rS3cret", "PASSWORD", "Sup3rS3cret"),
    ("password: giraffe", "PASSWORD", "giraffe"),
    ('password = "welcome"', "PASSWORD", "welcome"),
    ("mot de passe: soleil123", "PASSWORD", "soleil123"),
    ("Passwort: Sonne123", "PASSWORD", "Sonne123"),
    ("my PIN is 4821", "PIN", "4821"),
    ("PIN number: 4821", "PIN", "4821"),
    ("passcode 5521", "PIN", "5521"),
    ("my CVV is 123", "CARD_SECURITY_CODE", "123"),
    ("cvc2: 0456", "CARD_SECURITY_CODE", "0456"),
    ("the one-time code is 492817", "ONE_TIME_CODE", "492817"),
    ("OTP: 839201", "ONE_TIME_CODE", "839201"),
    ("verification code: 5512", "ONE_TIME_CODE", "5512"),
    ("my memorable word is giraffe", "SECURITY_ANSWER", "giraffe"),
    ("security answer: fluffy", "SECURITY_ANSWER", "fluffy"),
    ("my mother's maiden name is Gonzalez", "SECURITY_ANSWER", "Gonzalez"),
])
def test_secrets_finds_a_bank_customers_credentials(text, kind, value):
    (f,) = gw.Secrets().check(text, None).findings
    assert text[f.start:f.end] == value
    assert kind is None or f.kind == kind


@pytest.mark.parametrize("text", [
    "My password is not working, can you reset it?",
    "password is required",
    "the password is incorrect",
    "my password is expiring next week",
    "Your password must be 8 characters",
    "I forgot my PIN",
    "Please reset the password for user jsmith",
    "Enter your password: ********",
    "security answer is required",
    "what is my PIN?",
    "spinning 2024 wheels",
    "How do I change my memorable word?",
])
def test_talk_about_credentials_is_no_credential(text):
    assert gw.Secrets().check(text, None) is None


_LABELS = {
    "PIN": ["PIN", "pin", "PIN number", "passcode"],
    "CARD_SECURITY_CODE": ["CVV", "cvc", "security code"],
    "ONE_TIME_CODE": ["OTP", "one-time code", "verification code", "SMS code"],
}


@given(st.sampled_from(sorted(_LABELS)), st.data(), st.sampled_from([" ", ": ", " is ", "="]),
       st.sampled_from(["", "Hi, my ", "and the "]), st.sampled_from(["", ".", " thanks", ", ok"]))
@settings(max_examples=100)
def test_a_labelled_code_is_redacted_and_nothing_else(kind, data, sep, before, after):
    label = data.draw(st.sampled_from(_LABELS[kind]))
    n = {"PIN": (4, 6), "CARD_SECURITY_CODE": (3, 4), "ONE_TIME_CODE": (4, 8)}[kind]
    code = data.draw(st.text(alphabet="0123456789", min_size=n[0], max_size=n[1]))
    guard = gw.Guard("creds", input=[gw.Secrets(action="redact")])
    out = guard.check(f"{before}{label}{sep}{code}{after}", stage="input").text
    assert out == f"{before}{label}{sep}<{kind}>{after}"
