"""The validator protocol, a convenience base class, and ``@gw.validator`` for plain functions.

A validator is any object with ``name``, ``version``, ``action`` and ``check(text, ctx)``; ``check``
returns ``None``/`Result.ok` when the text is fine and `Result.fail` when not. The configured
``action`` (not the validator) decides what the guard does with a failure.

Optional members the guard uses when present:

``stage``
    ``"input"``, ``"output"`` or ``"both"`` (default): where the validator may be placed.
``stream_safe(text) -> int``
    For streaming output: the index up to which ``text`` may be released. No finding, present or
    still to come as more text arrives, may straddle it (so a match found across the boundary
    moves it back to the match's start). Validators without it make a stream buffer until the end.
``describe() -> dict``
    The validator's configuration, JSON-able, for the policy hash.
``mask_char``, ``mask_keep``, ``hash_key``
    Options for the generic ``mask`` / ``hash`` span actions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Protocol, overload, runtime_checkable

from ._context import CallContext
from ._decision import ACTIONS, Result
from ._errors import PolicyError

STAGES = ("input", "output", "both")


@runtime_checkable
class ValidatorProtocol(Protocol):
    name: str
    version: str
    action: str

    def check(self, text: str, ctx: CallContext) -> Result | None: ...


def check_choice(values: Any, known: Sequence[str], key: str) -> list[str]:
    """``values`` (a list of names from ``known``, or ``None`` for all of them), checked: a
    `PolicyError` naming ``key`` for a bare string or an unknown name."""
    if values is None:
        return list(known)
    if isinstance(values, str):
        raise PolicyError(f"{key} must be a list", key=key, expected="a list of " + ", ".join(known))
    chosen = list(values)
    for v in chosen:
        if v not in known:
            raise PolicyError(f"unknown {key} entry {v!r}", key=key, expected=" | ".join(known))
    return chosen


def check_action(action: str, *, allowed: frozenset[str] = ACTIONS, who: str = "validator") -> str:
    if action not in allowed:
        raise PolicyError(
            f"{who}: unknown action {action!r}", key="action", expected=" | ".join(sorted(allowed))
        )
    return action


class Validator:
    """Base class for validators: sets ``name``/``version``/``action``/``stage`` and ``describe``.

    Subclasses implement ``check``. Everything expensive (compiling patterns, building schemas)
    belongs in ``__init__``, which runs once when the guard is built.
    """

    name: str = "validator"
    version: str = "1"
    action: str = "block"
    stage: str = "both"
    #: actions this validator supports; ``None`` means all of `ACTIONS`
    actions: frozenset[str] | None = None

    def __init__(self, *, action: str | None = None, name: str | None = None) -> None:
        if name is not None:
            self.name = name
        if action is not None:
            self.action = action
        check_action(self.action, allowed=self.actions or ACTIONS, who=self.name)

    def check(self, text: str, ctx: CallContext) -> Result | None:  # pragma: no cover - abstract
        """Look at ``text`` and say whether it is fine: the one method a validator must have.

        Return ``None`` or `Result.ok` when the text passes, and `Result.fail` (a short reason code,
        optionally a corrected text as ``fix=``, findings with offsets, a score) when it does not. The
        configured ``action``, not the validator, decides what the guard then does. ``ctx`` is the
        call's `CallContext` (request id, conversation, what earlier validators left in
        ``ctx.state``). Never put the text, or a value found in it, into the reason or the findings:
        they are written to the audit trail. An exception raised here fails closed (the text is
        blocked with reason ``validator-error``).
        """
        raise NotImplementedError

    def config(self) -> dict[str, Any]:
        """Validator-specific settings for the policy hash; override in subclasses."""
        return {}

    def describe(self) -> dict[str, Any]:
        """The validator's configuration as JSON-able data: name, version, action and `config`.

        The guard's policy hash covers it, so two guards with the same hash enforce the same rules.
        """
        return {
            "name": self.name,
            "version": self.version,
            "action": self.action,
            **self.config(),
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, action={self.action!r})"


class FunctionValidator(Validator):
    """A plain function ``f(text, ctx) -> Result | None`` made into a validator."""

    def __init__(
        self,
        fn: Callable[[str, CallContext], Result | None],
        *,
        name: str,
        version: str = "1",
        stage: str = "both",
        action: str = "block",
    ) -> None:
        if stage not in STAGES:
            raise PolicyError(f"{name}: unknown stage {stage!r}", key="stage", expected="input | output | both")
        self.name = name
        self.version = version
        self.stage = stage
        self._fn = fn
        super().__init__(action=action)
        functools.update_wrapper(self, fn)

    def check(self, text: str, ctx: CallContext) -> Result | None:
        return self._fn(text, ctx)

    def __call__(self, text: str, ctx: CallContext) -> Result | None:
        return self._fn(text, ctx)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "action": self.action,
            "function": f"{self._fn.__module__}.{self._fn.__qualname__}",
        }


CheckFn = Callable[[str, CallContext], "Result | None"]


@overload
def validator(fn: CheckFn, *, name: str | None = None, version: str = "1", stage: str = "both",
              action: str = "block") -> FunctionValidator: ...
@overload
def validator(fn: None = None, *, name: str | None = None, version: str = "1", stage: str = "both",
              action: str = "block") -> Callable[[CheckFn], FunctionValidator]: ...


def validator(
    fn: CheckFn | None = None,
    *,
    name: str | None = None,
    version: str = "1",
    stage: str = "both",
    action: str = "block",
) -> FunctionValidator | Callable[[CheckFn], FunctionValidator]:
    """Make a validator from a function ``f(text, ctx) -> gw.Result | None``.

    >>> @validator(name="no-shouting", action="warn")
    ... def no_shouting(text, ctx):
    ...     return Result.fail("shouting") if text.isupper() else None
    >>> no_shouting.name, no_shouting.action
    ('no-shouting', 'warn')
    """

    def wrap(f: Callable[[str, CallContext], Result | None]) -> FunctionValidator:
        return FunctionValidator(
            f, name=name or f.__name__, version=version, stage=stage, action=action
        )

    return wrap(fn) if fn is not None else wrap


def as_validator(obj: Any, stage: str) -> Any:
    """Check that ``obj`` is a usable validator for ``stage``; raise `PolicyError` if not."""
    if not isinstance(obj, ValidatorProtocol):
        missing = [a for a in ("name", "version", "action", "check") if not hasattr(obj, a)]
        raise PolicyError(
            f"{type(obj).__name__} is not a validator (missing {', '.join(missing)})",
            key=stage,
            expected="an object with name, version, action and check(text, ctx), or @gw.validator",
        )
    check_action(obj.action, who=obj.name)
    allowed_stage = getattr(obj, "stage", "both")
    if allowed_stage not in ("both", stage):
        raise PolicyError(
            f"validator {obj.name!r} runs on {allowed_stage} only, not {stage}", key=stage
        )
    if obj.action == "reask" and stage != "output":
        raise PolicyError(f"validator {obj.name!r}: action 'reask' is for output validators only", key=stage)
    return obj
