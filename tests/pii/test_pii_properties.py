"""Property tests: generated valid identifiers in random prose are found exactly, and never leak."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import guardwrap as gw

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = ["hello", "the", "and", "please", "refund", "my", "thanks", "today", "branch", "we", "it",
         "is", "was", "for", "Dear", "team", "this", "that", "payment", "yesterday", "kind", "regards"]
prose = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
after = st.sampled_from([" ", ". ", ", ", "; ", "! ", ")", "\n", ".\n"])
before = st.sampled_from([" ", ": ", "(", "\n", " - "])


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


@st.composite
def cards(draw, valid: bool = True) -> str:
    prefix, length = draw(st.sampled_from([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15),
                                           ("37", 15), ("6011", 16), ("35", 16), ("4", 19)]))
    body = prefix + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=length - len(prefix) - 1,
                                           max_size=length - len(prefix) - 1)))
    check = _luhn_digit(body)
    if not valid:
        check = str((int(check) + draw(st.integers(1, 9))) % 10)
    digits = body + check
    style = draw(st.sampled_from(["plain", "space", "dash"]))
    if style == "plain":
        return digits
    sep = " " if style == "space" else "-"
    sizes = [4, 6, 5] if length == 15 else [4] * (length // 4) + ([length % 4] if length % 4 else [])
    out, i = [], 0
    for k in sizes:
        out.append(digits[i:i + k])
        i += k
    return sep.join(out)


IBAN_BBAN = {  # country -> BBAN shape: 'n' digit, 'a' upper letter
    "DE": "n" * 18, "FR": "n" * 23, "ES": "n" * 20, "NL": "aaaa" + "n" * 10, "GB": "aaaa" + "n" * 14,
    "IT": "a" + "n" * 22, "BE": "n" * 12, "CH": "n" * 17, "PL": "n" * 24, "AT": "n" * 16,
}


@st.composite
def ibans(draw, valid: bool = True) -> str:
    country = draw(st.sampled_from(sorted(IBAN_BBAN)))
    bban = "".join(draw(st.sampled_from("0123456789" if c == "n" else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                   for c in IBAN_BBAN[country])
    num = "".join(c if c.isdigit() else str(ord(c) - 55) for c in bban + country + "00")
    check = 98 - int(num) % 97
    if not valid:
        check = (check + draw(st.integers(1, 96))) % 97 + 2 if check + 1 <= 98 else 2
        num_ok = "".join(c if c.isdigit() else str(ord(c) - 55) for c in bban + country + f"{check:02d}")
        assume(int(num_ok) % 97 != 1)
    iban = f"{country}{check:02d}{bban}"
    if draw(st.booleans()):
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return iban


@st.composite
def ssns(draw) -> str:
    area = draw(st.integers(1, 899).filter(lambda a: a != 666))
    group = draw(st.integers(1, 99))
    serial = draw(st.integers(1, 9999))
    digits = f"{area:03d}{group:02d}{serial:04d}"
    assume(digits != digits[0] * 9 and digits not in {"078051120", "219099999", "457555462", "123456789"})
    sep = draw(st.sampled_from(["-", " "]))
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
emails = st.builds(
    lambda local, dom, tld: f"{local}@{dom}.{tld}",
    st.from_regex(r"[a-z0-9](?:[a-z0-9_+\-]|\.(?=[a-z0-9])){0,15}", fullmatch=True),
    st.lists(label, min_size=1, max_size=3).map(".".join),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6),
)

ENTITY_STRATEGIES = [("CREDIT_CARD", cards()), ("IBAN_CODE", ibans()), ("US_SSN", ssns()),
                     ("EMAIL_ADDRESS", emails)]
any_entity = st.one_of(*(st.tuples(st.just(e), s) for e, s in ENTITY_STRATEGIES))


def embed(pre: str, b: str, value: str, a: str, post: str) -> tuple[str, int]:
    head = (pre + b) if pre else ""
    return head + value + a + post, len(head)


@SETTINGS
@given(any_entity, prose, before, after, prose)
def test_valid_entity_found_with_exact_offsets(ent, pre, b, a, post):
    entity, value = ent
    text, start = embed(pre, b, value, a, post)
    got = [(f.entity_type, f.start, f.end) for f in gw.detect_pii(text)]
    assert (entity, start, start + len(value)) in got


guard_redact = gw.Guard(input=[gw.PII()])


@SETTINGS
@given(st.lists(any_entity, min_size=1, max_size=4), prose)
def test_redaction_never_contains_the_values(ents, filler):
    text = "".join(f"{filler} {v} , " for _, v in ents)
    out = guard_redact.check(text).text
    for _, value in ents:
        assert value not in out
    assert guard_redact.check(text).outcome == "fixed"


guard_pseudo = gw.Guard(input=[gw.PII(action="pseudonymize")])


@guard_pseudo
def echo_llm(prompt: str) -> str:
    assert "<" in prompt  # the model only ever sees placeholders
    return prompt


@SETTINGS
@given(st.lists(any_entity, min_size=1, max_size=4), prose)
def test_pseudonymize_then_restore_round_trips(ents, filler):
    text = "".join(f"{filler} {v} . " for _, v in ents)
    assert echo_llm(text) == text


@SETTINGS
@given(cards(valid=False), prose, prose)
def test_cards_failing_luhn_not_flagged(card, pre, post):
    # "4000 0000 0023 4999 008" fails as 19 digits but is a valid card and a CVV: that is a card
    digits = card.replace(" ", "").replace("-", "")
    assume(not (len(digits) == 19 and card[19:20] in " -" and gw.detect_pii(card[:19])))
    text = f"{pre} card {card} {post}"
    assert "CREDIT_CARD" not in {f.entity_type for f in gw.detect_pii(text)}


@SETTINGS
@given(ibans(valid=False), prose, prose)
def test_ibans_failing_mod97_not_flagged(iban, pre, post):
    text = f"{pre} iban {iban} {post}"
    assert "IBAN_CODE" not in {f.entity_type for f in gw.detect_pii(text)}


@SETTINGS
@given(any_entity, st.integers(1, 6), prose)
def test_streaming_split_anywhere_never_leaks(ent, parts, filler):
    _, value = ent
    text = f"{filler} {value} {filler}."
    cuts = sorted({len(filler) + 1 + (len(value) * k) // (parts + 1) for k in range(1, parts + 1)})
    pieces = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    out = list(_stream_guard_fn(pieces))
    assert value not in "".join(out)
    assert all(value not in p for p in out)


_stream_guard = gw.Guard(output=[gw.PII()])


@_stream_guard
def _stream_guard_fn(pieces):
    yield from pieces


# -- names typed in lower case after a name label ------------------------------------------------

_LABELS = st.sampled_from(["name: ", "Name = ", "full name: ", '"customer_name": "', "surname=", "holder: ",
                           "applicant: ", "NAME: "])
_COMMON = st.sampled_from(["not", "provided", "unknown", "the", "account", "please", "see", "above", "n/a",
                           "pending", "redacted", "none", "same", "card", "payment", "thanks"])
_GIVEN = st.sampled_from(["john", "maria", "sarah", "ahmed", "linda", "james", "fatima", "ingrid"])
_NEW_SURNAMES = st.text(st.sampled_from("aeioubdklmnrstvz"), min_size=3, max_size=9)


@SETTINGS
@given(label=_LABELS, words=st.lists(_COMMON, min_size=1, max_size=3), tail=prose)
def test_a_label_followed_by_common_words_is_no_name(label, words, tail):
    text = f"{label}{' '.join(words)}\n{tail}"
    assert [f for f in gw.PII(["PERSON"]).detect(text) if f.start < len(label) + 40] == []


@SETTINGS
@given(label=_LABELS, given_name=_GIVEN, surname=_NEW_SURNAMES, tail=prose)
def test_a_known_given_name_after_a_label_is_found_in_lower_case(label, given_name, surname, tail):
    name = f"{given_name} {surname}"
    text = f"{label}{name}\n{tail}"
    spans = [(f.start, f.end) for f in gw.PII(["PERSON"]).detect(text)]
    start = len(label)
    # the given name is always covered; the invented surname with it unless it is a common word
    assert any(s <= start < e for s, e in spans), (text, spans)
    assert all(e <= start + len(name) or s > start + len(name) for s, e in spans)


# fragments an IBAN is made of, in any case, run into punctuation and words: "gb82WEST0gb82WESTa,ssn,b"
_iban_bits = st.lists(st.sampled_from(["gb82", "GB82", "WEST", "west", "0", "12345698", "a", ",", " ", "-",
                                       "ssn", "de89", "3704", ".", "/", "NI", "eb878984d"]),
                      min_size=1, max_size=14).map("".join)


@SETTINGS
@given(_iban_bits)
def test_iban_shaped_junk_never_raises(text):
    for f in gw.detect_pii(text):
        assert 0 <= f.start < f.end <= len(text)
        if f.entity_type == "IBAN_CODE":
            assert text[f.start:f.end].replace(" ", "").isalnum()


def test_lower_case_iban_running_into_a_comma():
    # the country's 22 characters would run past the match into ",ssn": no IBAN there, and no crash
    assert "IBAN_CODE" not in {f.entity_type for f in gw.detect_pii("gb82WEST0gb82WESTa,ssn,b")}
    text = "iban gb82west12345698765432, ssn next"
    found = [f for f in gw.detect_pii(text) if f.entity_type == "IBAN_CODE"]
    assert [(text[f.start:f.end]) for f in found] == ["gb82west12345698765432"]
