"""guardwrap: fast, auditable guardrails around LLM calls.

>>> import guardwrap as gw
>>> guard = gw.Guard("demo")
>>> guard.check("hello").outcome
'pass'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import audit
from ._context import CallContext, Context, context
from ._decision import ACTIONS, OUTCOMES, Decision, Finding, Result, Step
from ._errors import (
    AuditError,
    Blocked,
    Escalated,
    GuardrailError,
    GuardwrapWarning,
    PolicyError,
    UncheckedInput,
    ValidatorError,
)
from ._guard import Guard
from ._io import OutputAdapter
from ._validator import Validator, validator
from .audit import MemorySink, Sink
from .resilience import CallTimeout, CircuitBreaker, CircuitOpen, Retry, Static

__version__ = "0.1.0"

if TYPE_CHECKING:  # what type checkers see; at run time these load lazily (below)
    from . import anthropic as anthropic
    from . import finance as finance
    from . import grounding as grounding
    from . import injection as injection
    from . import openai as openai
    from . import pii as pii
    from . import policy as policy
    from . import redteam as redteam
    from . import review as review
    from . import rules as rules
    from . import schema as schema
    from . import testing as testing
    from .audit import JsonlSink, LoggingSink, OtelSink, PostgresSink, SqliteSink
    from .finance import (
        NoGuaranteedApproval,
        NoPersonalAdvice,
        NoReturnPromises,
        RequiredDisclaimers,
    )
    from .grounding import Grounded, sources_from_messages
    from .injection import PromptInjection
    from .pii import PII, detect_pii
    from .policy import load_guard, policy_hash, register_validator
    from .redteam import run_redteam
    from .report import render_audit_report
    from .review import ReviewQueue
    from .rules import (
        DenyTerms,
        InvisibleText,
        MaxLength,
        RegexRule,
        Secrets,
        SystemPromptLeak,
        Topics,
    )
    from .schema import JsonSchema

# Modules and names loaded on first use, so that `import guardwrap` stays fast and never imports
# an HTTP stack or a validator's dependencies it will not use: `gw.openai.guard_client(...)`.
_LAZY_MODULES = (
    "anthropic", "injection", "openai", "pii", "policy", "redteam", "review", "rules", "schema", "testing",
    "grounding", "finance",
)
_LAZY_NAMES: dict[str, str] = {
    # name -> module that defines it
    "JsonSchema": "schema",
    "ReviewQueue": "review",
    "render_audit_report": "report",
    "run_redteam": "redteam",
    "JsonlSink": "audit",
    "SqliteSink": "audit",
    "PostgresSink": "audit",
    "OtelSink": "audit",
    "OtelMetricsSink": "audit",
    "LoggingSink": "audit",
    "DenyTerms": "rules",
    "RegexRule": "rules",
    "Secrets": "rules",
    "InvisibleText": "rules",
    "MaxLength": "rules",
    "Topics": "rules",
    "SystemPromptLeak": "rules",
    "PromptInjection": "injection",
    "load_guard": "policy",
    "register_validator": "policy",
    "policy_hash": "policy",
    "PII": "pii",
    "detect_pii": "pii",
    "Grounded": "grounding",
    "sources_from_messages": "grounding",
    "RequiredDisclaimers": "finance",
    "NoPersonalAdvice": "finance",
    "NoReturnPromises": "finance",
    "NoGuaranteedApproval": "finance",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _LAZY_NAMES.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'guardwrap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_LAZY_NAMES) | set(_LAZY_MODULES))


__all__ = [
    "ACTIONS",
    "OUTCOMES",
    "PII",
    "AuditError",
    "Blocked",
    "CallContext",
    "CallTimeout",
    "CircuitBreaker",
    "CircuitOpen",
    "Context",
    "Decision",
    "DenyTerms",
    "Escalated",
    "Finding",
    "Grounded",
    "Guard",
    "GuardrailError",
    "GuardwrapWarning",
    "InvisibleText",
    "JsonSchema",
    "JsonlSink",
    "LoggingSink",
    "MaxLength",
    "MemorySink",
    "NoGuaranteedApproval",
    "NoPersonalAdvice",
    "NoReturnPromises",
    "OtelMetricsSink",
    "OtelSink",
    "OutputAdapter",
    "PolicyError",
    "PostgresSink",
    "PromptInjection",
    "RegexRule",
    "RequiredDisclaimers",
    "Result",
    "Retry",
    "ReviewQueue",
    "Secrets",
    "Sink",
    "SqliteSink",
    "Static",
    "Step",
    "SystemPromptLeak",
    "Topics",
    "UncheckedInput",
    "Validator",
    "ValidatorError",
    "__version__",
    "audit",
    "context",
    "detect_pii",
    "load_guard",
    "policy_hash",
    "register_validator",
    "render_audit_report",
    "run_redteam",
    "sources_from_messages",
    "validator",
]
