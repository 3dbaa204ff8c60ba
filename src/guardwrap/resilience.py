"""Retries, fallbacks and static answers for the wrapped call.

`Retry` is a thin, validated configuration over tenacity (imported when a guard with a retry is
built, not at ``import guardwrap``). ``fallback=[other_model, gw.Static("...")]`` is tried in
order when the wrapped call still fails after its retries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from ._errors import PolicyError

_ERROR_ALIASES: dict[str, tuple[type[BaseException], ...]] = {
    "timeout": (TimeoutError,),
    "connection": (ConnectionError,),
    "os": (OSError,),
    "any": (Exception,),
}


def resolve_errors(on: Any) -> tuple[type[BaseException], ...]:
    """Exception classes from classes or the policy-file aliases (``timeout``, ``connection``)."""
    if isinstance(on, type) and issubclass(on, BaseException):
        return (on,)
    if isinstance(on, str):
        on = [on]
    out: list[type[BaseException]] = []
    for item in on:
        if isinstance(item, type) and issubclass(item, BaseException):
            out.append(item)
        elif isinstance(item, str) and item in _ERROR_ALIASES:
            out.extend(_ERROR_ALIASES[item])
        else:
            raise PolicyError(
                f"cannot retry on {item!r}",
                key="retry.on",
                expected=f"exception classes or one of {', '.join(_ERROR_ALIASES)}",
            )
    return tuple(out)


class Retry:
    """Retry the wrapped call on transient errors: exponential backoff with jitter, capped.

    ``Retry(attempts=3, on=(TimeoutError, ConnectionError))``. ``attempts`` counts the first call.
    """

    def __init__(
        self,
        attempts: int = 3,
        on: Any = (TimeoutError, ConnectionError),
        *,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        jitter: float = 0.25,
    ) -> None:
        if attempts < 1:
            raise PolicyError("attempts must be at least 1", key="retry.attempts", expected="int >= 1")
        self.attempts = attempts
        self.on = resolve_errors(on)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.jitter = jitter
        import tenacity  # at guard construction, never on import guardwrap

        self._tenacity = tenacity
        self._wait = tenacity.wait_exponential(multiplier=backoff, max=max_backoff) + tenacity.wait_random(0, jitter)
        self._stop = tenacity.stop_after_attempt(attempts)
        self._retry = tenacity.retry_if_exception_type(self.on)

    def describe(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "on": sorted(e.__name__ for e in self.on),
            "backoff": self.backoff,
            "max_backoff": self.max_backoff,
        }

    def call(self, fn: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        t = self._tenacity
        r = t.Retrying(stop=self._stop, wait=self._wait, retry=self._retry, reraise=True)
        return r(fn, *args, **kwargs)

    async def acall(self, fn: Callable[..., Awaitable[Any]], args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        t = self._tenacity
        r = t.AsyncRetrying(stop=self._stop, wait=self._wait, retry=self._retry, reraise=True)
        return await r(fn, *args, **kwargs)

    def __repr__(self) -> str:
        return f"Retry(attempts={self.attempts}, on={[e.__name__ for e in self.on]})"


class Static:
    """A fixed answer, used as the last step of a fallback chain: ``gw.Static("Sorry...")``."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise PolicyError("Static needs a str", key="fallback.static", expected="str")
        self.text = text
        self.__name__ = "static"

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return self.text

    def describe(self) -> dict[str, Any]:
        return {"static": self.text}

    def __repr__(self) -> str:
        return f"Static(chars={len(self.text)})"
