"""Per-call context: who is calling, which request, which model, carried through ``contextvars``.

``with gw.context(actor="u-17", request_id="r-1"):`` applies to every guarded call inside the
block, across ``await`` and in tasks created inside it. A guarded call may also take
``gw_context={...}`` (or a `Context`) as a keyword; it is removed before the wrapped function runs.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_FIELDS = (
    "request_id",
    "actor",
    "model",
    "provider",
    "conversation_id",
    "trace_id",
    "app",
    "metadata",
    "sources",
)

#: The documents the model was given, as ``(id, text)`` pairs (see `Context`).
Sources = tuple[tuple[str, str], ...]
_MAX_SOURCE_ID = 200


def check_sources(value: Any) -> Sources:
    """``sources`` as ``(id, text)`` pairs, or a `TypeError`/`ValueError` naming the bad item.

    Accepts a list of strings (ids ``"1"``, ``"2"``, ... in order, as ``[1]`` citations count),
    of ``(id, text)`` pairs, a mix of both, or a mapping ``{id: text}``. Errors never quote a text.
    """
    if isinstance(value, str) or not isinstance(value, (list, tuple, Mapping)):
        raise TypeError(
            f"sources must be a list of texts or (id, text) pairs, not {type(value).__name__}"
            + ("; wrap a single document in a list: sources=[text]" if isinstance(value, str) else "")
        )
    items = list(value.items()) if isinstance(value, Mapping) else list(value)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if isinstance(item, str):
            sid, text = str(i + 1), item
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            sid, text = item
        else:
            raise TypeError(f"sources[{i}] is a {type(item).__name__}; expected a text or an (id, text) pair")
        if not isinstance(sid, str) or not sid or len(sid) > _MAX_SOURCE_ID or not sid.isprintable():
            raise ValueError(f"sources[{i}] has a bad id; expected a non-empty printable string of at most "
                             f"{_MAX_SOURCE_ID} characters (ids are written to the audit log as they are)")
        if not isinstance(text, str):
            raise TypeError(f"sources[{i}] text is a {type(text).__name__}; expected str")
        if sid in seen:
            raise ValueError(f"sources[{i}] repeats the id of an earlier source; ids must be unique")
        seen.add(sid)
        out.append((sid, text))
    return tuple(out)


#: fields written to the audit log (the actor as a keyed pseudonym): checked when set
_RECORDED = frozenset(("request_id", "actor", "model", "provider", "conversation_id", "trace_id", "app"))
MAX_FIELD_CHARS = 1024


def _recordable(name: str, value: Any) -> str | None:
    """``value`` as a string the audit log can hold, or a clear error naming the field.

    Strings pass; integers (customer numbers, say) become their decimal string. Anything else, a
    NUL, a lone surrogate or a value longer than `MAX_FIELD_CHARS` is refused here, at the API
    boundary, rather than breaking the audit writer later.
    """
    if value is None:
        return None
    text: str
    if type(value) is str:
        text = value
    elif isinstance(value, str):
        text = str.__str__(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        raise TypeError(f"context field {name!r} must be a str (or an int), not {type(value).__name__}: "
                        "it is written to the audit log; pass an id such as str(value)")
    if len(text) > MAX_FIELD_CHARS:
        raise ValueError(f"context field {name!r} is {len(text)} characters long; at most {MAX_FIELD_CHARS} "
                         "can be recorded: pass an id, not a document")
    if not text.isascii() or "\x00" in text:
        if "\x00" in text:
            raise ValueError(f"context field {name!r} contains a NUL character, which the audit log "
                             "cannot hold; remove it")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"context field {name!r} contains a lone surrogate (not valid Unicode "
                             "text), which the audit log cannot hold; decode the id properly") from None
    return text


def _metadata(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"context field 'metadata' must be a mapping, not {type(value).__name__}")
    return dict(value)


class Context:
    """Who and what a call is about. All fields are optional.

    The fields the audit log records (``request_id``, ``actor``, ``model``, ``provider``,
    ``conversation_id``, ``trace_id``, ``app``) must be strings (integers are converted); a value
    that cannot be recorded raises `TypeError` / `ValueError` here, never in the audit writer.
    """

    __slots__ = _FIELDS

    def __init__(
        self,
        *,
        request_id: str | None = None,
        actor: str | None = None,
        model: str | None = None,
        provider: str | None = None,
        conversation_id: str | None = None,
        trace_id: str | None = None,
        app: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        sources: Any = None,
    ) -> None:
        self.request_id = _recordable("request_id", request_id)
        self.actor = _recordable("actor", actor)
        self.model = _recordable("model", model)
        self.provider = _recordable("provider", provider)
        self.conversation_id = _recordable("conversation_id", conversation_id)
        self.trace_id = _recordable("trace_id", trace_id)
        self.app = _recordable("app", app)
        self.metadata = _metadata(metadata)
        # the documents the model was given (RAG chunks, product sheets): never written to the
        # audit log, only their ids and keyed hashes
        self.sources: Sources | None = None if sources is None else check_sources(sources)

    def merged(self, **changes: Any) -> Context:
        """A copy with ``changes`` applied (``None`` values leave a field as it is)."""
        new = Context.__new__(Context)
        for name in _FIELDS:
            setattr(new, name, getattr(self, name))
        for name, value in changes.items():
            if name not in _FIELDS:
                raise TypeError(f"unknown context field {name!r}; known: {', '.join(_FIELDS)}")
            if value is None:
                continue
            if name == "metadata":
                value = {**new.metadata, **_metadata(value)}
            elif name in _RECORDED:
                value = _recordable(name, value)
            elif name == "sources":
                value = check_sources(value)
            setattr(new, name, value)
        return new

    def __repr__(self) -> str:
        # The actor may be a customer id: show only whether it is set.
        return (
            f"Context(request_id={self.request_id!r}, actor={'set' if self.actor else None}, "
            f"model={self.model!r}, conversation_id={'set' if self.conversation_id else None}"
            + (f", sources={len(self.sources)}" if self.sources is not None else "") + ")"
        )


EMPTY = Context()
_current: ContextVar[Context] = ContextVar("guardwrap_context", default=EMPTY)


def current() -> Context:
    """The context in force here."""
    return _current.get()


@contextmanager
def context(**fields: Any) -> Iterator[Context]:
    """Set call context for the block: ``with gw.context(actor="u-1", request_id="r-9"): ...``.

    Nested blocks add to (and override) the outer one. Works across threads only where the
    context is copied (``contextvars.copy_context``), as with any ``ContextVar``.
    """
    ctx = _current.get().merged(**fields)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def coerce(value: Context | Mapping[str, Any] | None) -> Context:
    """The current context, overridden by a per-call ``gw_context`` keyword."""
    base = _current.get()
    if value is None:
        return base
    if isinstance(value, Context):
        return base.merged(**{n: getattr(value, n) for n in _FIELDS})
    if not isinstance(value, Mapping):
        raise TypeError(f"gw_context must be a gw.Context or a mapping of context fields, not "
                        f"{type(value).__name__}")
    return base.merged(**value)


class _Ids:
    """Cheap unique ids: a random per-process prefix plus a counter (uuid4 costs ~2 µs)."""

    def __init__(self) -> None:
        self._reset()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        # A new prefix after fork: parent and child must never issue the same id.
        self._prefix = os.urandom(6).hex() + "-"
        self._format = self._prefix + "%x"  # (hex digits and "-": no other "%" in it)
        self._counter = itertools.count(1)  # next() on a count is atomic under the GIL

    def next(self) -> str:
        return self._format % next(self._counter)

    def take(self, n: int) -> list[str]:
        """``n`` ids at once, as ``n`` calls of `next` would give them (one C loop, no frame per id)."""
        return list(map(self._format.__mod__, itertools.islice(self._counter, n)))


ids = _Ids()


class CallContext:
    """What a validator sees as ``ctx``: the call's `Context` plus the guard's per-call state.

    ``stage`` is ``"input"`` or ``"output"``; ``vault()`` holds pseudonyms for this call (or
    conversation); ``attempt`` counts model calls (1 for the first); ``streaming`` is true while a
    stream is validated segment by segment; ``final`` is true on the last segment.
    """

    __slots__ = (
        "_store",
        "_vault",
        "attempt",
        "audit",
        "before",
        "call_id",
        "context",
        "final",
        "guard",
        "hits",
        "model_ns",
        "prompt",
        "recorded",
        "stage",
        "state",
        "streaming",
    )

    def __init__(self, guard: str, context: Context, store: Any = None) -> None:
        self.guard = guard
        self.context = context
        self._store = store
        self._vault: Any = None
        self.stage = "input"
        self.attempt = 1
        self.streaming = False
        self.final = True
        self.call_id = ids.next()
        self.prompt: str | None = None  # the (fixed) prompt, for output validators that need it
        self.state: dict[str, Any] = {}  # per-call scratch space for validators
        #: the end of the text that came before this one in the call (the previous message), for
        #: validators that read context across texts
        self.before = ""
        #: ``(text, hits)`` from the guard's one scan, while a validator that declared
        #: ``scan_patterns`` checks ``text`` (see `guardwrap._text._scan`)
        self.hits: tuple[str, list[tuple[int, int, int]]] | None = None
        self.model_ns: int | None = None  # time spent in the model (and its retries, fallbacks), ns
        self.audit: list[Any] | None = None  # decisions kept for the call record (audit layout "call")
        self.recorded = False  # the call's one ``call`` record has been handed to the sinks

    def vault(self) -> Any:
        """The pseudonym `Vault` of this call (or of its conversation), created on first use."""
        if self._vault is None:
            if self._store is not None:
                self._vault = self._store.get(self.context.conversation_id)
            else:
                from ._anonymize import Vault

                self._vault = Vault()
        return self._vault

    @property
    def has_vault(self) -> bool:
        """Whether this call (or its conversation) holds pseudonyms to restore in the answer."""
        return self._vault is not None and len(self._vault) > 0

    # Convenience passthroughs used by validators.
    @property
    def request_id(self) -> str | None:
        """The request id from `gw.context` or ``gw_context=``, as written to the audit."""
        return self.context.request_id

    @property
    def conversation_id(self) -> str | None:
        """The conversation id: pseudonyms stay the same across the calls that share it."""
        return self.context.conversation_id

    @property
    def metadata(self) -> dict[str, Any]:
        """Free-form metadata given with the context (not written to the audit)."""
        return self.context.metadata

    @property
    def sources(self) -> Sources | None:
        """The call's sources as ``(id, text)`` pairs, or ``None`` when none were given."""
        return self.context.sources

    def __repr__(self) -> str:
        return f"CallContext(guard={self.guard!r}, stage={self.stage!r}, attempt={self.attempt})"
