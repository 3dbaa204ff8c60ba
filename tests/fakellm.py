"""Pytest fixtures around `guardwrap.fakellm.FakeLLM`, and a test-only email validator.

The PII validators are built in parallel elsewhere, so these tests use a small email detector
with the same contract (findings with offsets, ``stream_safe``) and the chain's generic span
actions (redact, pseudonymize).
"""

from __future__ import annotations

import re

import pytest

import guardwrap as gw

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Email(gw.Validator):
    name = "test-email"
    version = "1"
    stage = "both"

    def __init__(self, action="redact"):
        super().__init__(action=action)

    def check(self, text, ctx):
        found = [gw.Finding("EMAIL_ADDRESS", m.start(), m.end(), 0.9) for m in EMAIL.finditer(text)]
        return gw.Result.fail("email", findings=found) if found else None

    def stream_safe(self, text):
        # an email never holds whitespace: text up to the last whitespace is settled
        cut = max(text.rfind(" "), text.rfind("\n"))
        return cut + 1 if cut >= 0 else 0


@pytest.fixture(scope="session", name="fake_server")
def fake_server_fixture(guardwrap_fake_llm_server):
    """The session's server, from guardwrap's own pytest plugin (``guardwrap.testing``)."""
    return guardwrap_fake_llm_server


@pytest.fixture(name="llm")
def llm_fixture(fake_llm):
    """The plugin's ``fake_llm``: the session's server with an empty script and no recorded requests."""
    return fake_llm
