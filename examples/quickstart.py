"""guardwrap in one minute: a fake LLM guarded by a custom validator and the built-in checks.

Run it:  python examples/quickstart.py
It prints each decision and where the audit trail went. No server, no API key, no network.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

import guardwrap as gw

AUDIT_DIR = os.environ.get("GUARDWRAP_DEMO_AUDIT", tempfile.mkdtemp(prefix="guardwrap-demo-"))
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "demo-key-not-for-production-0123456789abcdef")


# A custom validator: one function, registered with a decorator.
ACCOUNT = re.compile(r"\b\d{8}\b")


@gw.validator(name="account-number", stage="both", action="pseudonymize")
def account_number(text: str, ctx: gw.CallContext) -> gw.Result | None:
    """Eight-digit account numbers never reach the model; the customer still sees theirs."""
    found = [gw.Finding("ACCOUNT_NUMBER", m.start(), m.end(), 0.9) for m in ACCOUNT.finditer(text)]
    return gw.Result.fail("account-number", findings=found) if found else None


@gw.validator(name="no-promises", stage="output", action="block")
def no_promises(text: str, ctx: gw.CallContext) -> gw.Result | None:
    """The assistant may not promise returns."""
    return gw.Result.fail("no-performance-promises") if "guaranteed" in text.lower() else None


def build_guard() -> gw.Guard:
    inputs: list = [account_number]
    outputs: list = [no_promises]
    # The shipped validators join in when they are installed in this version.
    for name, kwargs, stage in [
        ("PII", {"action": "pseudonymize"}, inputs),
        ("DenyTerms", {"terms": ["bypass kyc", "structure the deposits"]}, inputs),
        ("PromptInjection", {"action": "block"}, inputs),
        ("PII", {"action": "redact"}, outputs),
    ]:
        cls = getattr(gw, name, None)
        if cls is not None:
            stage.append(cls(**kwargs))
    audit = os.path.join(AUDIT_DIR, "decisions.jsonl")
    sink = gw.JsonlSink(audit) if hasattr(gw.audit, "JsonlSink") else gw.MemorySink()
    return gw.Guard("support-bot", input=inputs, output=outputs, audit=sink)


MODEL_SAW: list[str] = []


def fake_llm(prompt: str) -> str:
    """Stands in for a real model: answers about whatever placeholder or text it was given."""
    MODEL_SAW.append(prompt)
    if "invest" in prompt:
        return "Our fund has guaranteed returns of 12%!"
    return f"Thanks. I have noted your request: {prompt}"


def show(label: str, decision_records: list[dict]) -> None:
    print(f"\n== {label}")
    for r in decision_records:
        if r["type"] == "decision":
            found = ", ".join(f"{f.get('entity_type') or f.get('rule')}@{f['start']}" for f in r["findings"])
            print(f"   {r['stage']:6} {r['validator']:18} -> {r['outcome']:8} {', '.join(r['reasons'])} {found}")
        elif r["type"] == "call":
            print(f"   call   outcome={r['outcome']} latency={r['latency_us']:.0f} us")


def main() -> int:
    guard = build_guard()
    ask = guard(fake_llm)
    cases = [
        "What is the overdraft fee on my current account?",
        "Please move money from account 12345678 to my savings.",
        "How do I structure the deposits so the bank does not report them?",
        "Should I invest in your fund?",
    ]
    from guardwrap.testing import capture_decisions

    for prompt in cases:
        MODEL_SAW.clear()
        with capture_decisions() as captured, gw.context(request_id=f"demo-{cases.index(prompt)}", actor="customer-7"):
            try:
                answer = ask(prompt)
                outcome = f"answer: {answer}"
            except gw.Blocked as exc:
                outcome = f"blocked: {exc}"
        show(prompt if len(prompt) < 60 else prompt[:57] + "...", captured.records)
        if MODEL_SAW and MODEL_SAW[-1] != prompt:
            print(f"   model saw: {MODEL_SAW[-1]}")
        print(f"   {outcome}")
    guard.close()
    where = getattr(guard.sinks[0], "path", None)
    print(f"\nAudit trail: {where or 'in memory (MemorySink)'}")
    print("Every record carries the policy hash; none holds the prompt or a matched value.")
    if where is not None:
        print(f"Tamper check (guardwrap audit verify {where}):")
        print(f"   {gw.audit.verify(where)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
