"""guardwrap: fast, auditable guardrails around LLM calls.

>>> import guardwrap as gw
>>> guard = gw.Guard("demo")
>>> guard.check("hello").outcome
'pass'
"""

from __future__ import annotations

from typing import Any

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
    ValidatorError,
)
from ._guard import Guard
from ._io import OutputAdapter
from ._validator import Validator, validator
from .audit import MemorySink, Sink
from .resilience import Retry, Static

__version__ = "0.1.0"

# Modules named like the SDKs they wrap are loaded on first use, so that `import guardwrap`
# never imports an HTTP stack: `gw.openai.guard_client(...)`.
_LAZY_MODULES = ("openai", "anthropic", "testing", "policy", "pii", "rules", "schema", "review", "redteam")


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'guardwrap' has no attribute {name!r}")


__all__ = [
    "ACTIONS",
    "OUTCOMES",
    "AuditError",
    "Blocked",
    "CallContext",
    "Context",
    "Decision",
    "Escalated",
    "Finding",
    "Guard",
    "GuardrailError",
    "GuardwrapWarning",
    "MemorySink",
    "OutputAdapter",
    "PolicyError",
    "Result",
    "Retry",
    "Sink",
    "Static",
    "Step",
    "Validator",
    "ValidatorError",
    "__version__",
    "audit",
    "context",
    "validator",
]
