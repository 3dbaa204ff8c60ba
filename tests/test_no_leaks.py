"""No decision, finding, result, error or context ever renders the guarded text or a matched value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guardwrap as gw

# Secrets long and distinctive enough that they cannot appear in a repr by coincidence.
secrets = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=12, max_size=40)
filler = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


class FindSecret(gw.Validator):
    name = "find-secret"

    def __init__(self, secret, action):
        self.secret = secret
        super().__init__(action=action)

    def check(self, text, ctx):
        found, i = [], text.find(self.secret)
        while i >= 0:
            found.append(gw.Finding("SECRET", i, i + len(self.secret)))
            i = text.find(self.secret, i + len(self.secret))
        return gw.Result.fail("secret", findings=found, score=0.9) if found else None


@settings(max_examples=60, deadline=None)
@given(secret=secrets, before=filler, after=filler,
       action=st.sampled_from(["block", "redact", "mask", "hash", "pseudonymize", "warn", "escalate"]))
def test_reprs_and_errors_never_contain_the_text(secret, before, after, action):
    text = f"{before} {secret} {after}"
    sink = gw.MemorySink()
    guard = gw.Guard("g", input=[FindSecret(secret, action)], audit=sink)
    d = guard.check(text)
    rendered = [repr(d), str(d), repr(d.steps), repr(d.findings), repr(guard), str(d.to_dict()),
                repr(gw.Result.fail("x", fix=text, findings=d.findings))]

    @guard
    def llm(prompt):
        return prompt

    with gw.context(actor=secret, request_id="r"):
        rendered.append(repr(gw._context.current()))
        try:
            out = llm(text)
        except gw.GuardrailError as exc:
            rendered += [str(exc), repr(exc), repr(exc.args)]
        else:
            if action not in ("warn", "pseudonymize"):
                assert secret not in out
    for r in rendered:
        assert secret not in r
    for rec in sink.records:
        assert secret not in repr(rec)


def test_vault_repr_shows_counts_only():
    from guardwrap._anonymize import Vault

    v = Vault()
    v.placeholder("EMAIL_ADDRESS", "jane@example.com")
    assert "jane" not in repr(v) and "1" in repr(v)


def test_policy_error_message_names_key_and_expectation():
    err = gw.PolicyError("bad value", file="p.yaml", key="input[2].deny_terms.terms", expected="a list of str", line=7)
    assert str(err) == "p.yaml:7: input[2].deny_terms.terms: bad value (expected a list of str)"
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("cls", [gw.Blocked, gw.Escalated])
def test_blocked_message_lists_validators_and_reasons(cls):
    d = gw.Guard("g", input=[FindSecret("XYZXYZXYZ", "block")]).check("XYZXYZXYZ")
    err = cls(d)
    assert "find-secret" in str(err) and "secret" in str(err) and "XYZ" not in str(err)
    assert err.decision is d
