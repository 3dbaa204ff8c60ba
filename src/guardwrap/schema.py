"""`JsonSchema`: the answer must contain JSON that validates; the guarded call returns the object.

>>> import guardwrap as gw
>>> from pydantic import BaseModel
>>> class Answer(BaseModel):
...     intent: str
...     confidence: float
>>> v = gw.JsonSchema(Answer)
>>> r = v.check('Sure! ```json\\n{"intent": "refund", "confidence": 0.9}\\n```', None)
>>> r.value
Answer(intent='refund', confidence=0.9)

Finding the JSON
    The whole answer if it is JSON; else the bodies of fenced code blocks (```json or plain ```)
    that parse; else balanced ``{...}`` / ``[...]`` values found in the prose. Identical candidates
    count once.

Choosing among several (``choose=``)
    ``"only"`` (default) refuses an answer holding more than one distinct JSON value (reason
    ``ambiguous-json``; a re-ask asks for exactly one). This is the injection-resistant choice: a
    model that quotes an attacker's JSON from the prompt next to its own answer is never trusted
    to have put the right one last or first. ``"last"`` and ``"first"`` pick by position (fenced
    blocks outrank prose), for models known to think aloud before answering.

Failing
    Feedback for a re-ask names the failed fields and the constraints ("``age``: must be at least
    0"), never a value from the answer: pydantic's ``input``/``input_value`` are dropped, custom
    validators' messages (which may format the value) are replaced by a generic one, and object
    keys that are not declared field names are shown as ``<key>``.

Actions: ``reask`` (default), ``fix`` (coerce where safe: JSON taken out of prose or fences,
``"42"`` accepted for an integer; the answer text becomes the canonical JSON), ``block``, ``warn``,
``escalate``.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from ._context import CallContext
from ._decision import Finding, Result
from ._errors import PolicyError
from ._validator import Validator

__all__ = ["JsonSchema", "find_json"]

_CHOICES = ("only", "last", "first")
_MAX_SCAN = 64  # candidate start positions tried in prose: bounds the work on hostile answers
_FENCE = "```"
# pydantic error types whose ``msg`` is built by pydantic from the schema, never from the input;
# anything else (custom validators: value_error, assertion_error, ...) gets a generic message.
_SAFE_TYPES_PREFIXES = (
    "missing", "extra_forbidden", "int_", "float_", "bool_", "string_", "list_", "dict_", "tuple_",
    "set_", "literal_error", "enum", "greater_than", "less_than", "multiple_of", "too_short",
    "too_long", "model_type", "model_attributes_type", "date", "time", "datetime",
    "decimal", "url", "uuid", "json_type", "none_required", "frozen", "is_instance_of", "bytes",
    "finite_number", "timedelta", "string_pattern_mismatch", "dataclass",
)


def _fences(text: str) -> list[str]:
    """Bodies of fenced code blocks, in order (an unclosed fence is ignored)."""
    out: list[str] = []
    i = 0
    while True:
        start = text.find(_FENCE, i)
        if start < 0:
            return out
        nl = text.find("\n", start + 3)
        if nl < 0:
            return out
        end = text.find(_FENCE, nl + 1)
        if end < 0:
            return out
        out.append(text[nl + 1:end])
        i = end + 3


def _scan(text: str) -> list[Any]:
    """Top-level JSON objects/arrays inside prose, left to right."""
    dec = json.JSONDecoder()
    found = []
    i, tries, n = 0, 0, len(text)
    while i < n and tries < _MAX_SCAN:
        j = min((k for k in (text.find("{", i), text.find("[", i)) if k >= 0), default=-1)
        if j < 0:
            break
        tries += 1
        try:
            obj, end = dec.raw_decode(text, j)
        except ValueError:
            i = j + 1
            continue
        if isinstance(obj, (dict, list)):
            found.append(obj)
        i = end
    return found


def _loads(s: str) -> tuple[bool, Any]:
    try:
        return True, orjson.loads(s)
    except orjson.JSONDecodeError:
        return False, None


def find_json(text: str) -> tuple[list[Any], bool]:
    """Every distinct JSON candidate in ``text`` (see the module doc) and whether it was the whole text."""
    stripped = text.strip()
    ok, obj = _loads(stripped) if stripped else (False, None)
    if ok:
        return [obj], True
    cands: list[Any] = []
    for body in _fences(text):
        ok, obj = _loads(body.strip())
        if ok:
            cands.append(obj)
    if not cands:
        cands = _scan(text)
    distinct: list[Any] = []
    for c in cands:
        if c not in distinct:
            distinct.append(c)
    return distinct, False


def _safe_loc(loc: tuple[Any, ...], names: frozenset[str]) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            s = str(p)
            parts.append(("." if parts else "") + (s if s in names else "<key>"))
    return "".join(parts) or "(root)"


def _pydantic_names(schema: Any, out: set[str]) -> None:
    if isinstance(schema, dict):
        props = schema.get("properties")
        if isinstance(props, dict):
            out.update(props)
        if isinstance(schema.get("enum"), list):
            out.update(x for x in schema["enum"] if isinstance(x, str))
        if isinstance(schema.get("const"), str):
            out.add(schema["const"])
        for v in schema.values():
            _pydantic_names(v, out)
    elif isinstance(schema, list):
        for v in schema:
            _pydantic_names(v, out)


class JsonSchema(Validator):
    """The answer must hold JSON matching a pydantic model (or any type) or a JSON Schema dict.

    ``gw.JsonSchema(Answer, action="reask", max_reasks=2)``. Everything is compiled once here: a
    pydantic ``TypeAdapter`` for a model or type, a compiled checker for a schema dict. On success
    the result carries the validated object, so the guarded call returns it (a model instance for
    a model, plain ``dict``/``list`` for a schema dict).
    """

    name = "json_schema"
    version = "1"
    action = "reask"
    stage = "output"
    actions = frozenset({"reask", "fix", "block", "warn", "escalate"})
    #: the answer's shape, not a tool call's arguments: skipped for tool-call texts
    tool_calls = False

    def __init__(
        self,
        model_or_schema: Any,
        action: str = "reask",
        max_reasks: int = 2,
        *,
        choose: str = "only",
        strict: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(action=action, name=name)
        if not isinstance(max_reasks, int) or isinstance(max_reasks, bool) or max_reasks < 0:
            raise PolicyError("max_reasks must be an int >= 0", key="json_schema.max_reasks", expected="int >= 0")
        if choose not in _CHOICES:
            raise PolicyError(f"unknown choice {choose!r}", key="json_schema.choose", expected=" | ".join(_CHOICES))
        self.max_reasks = max_reasks
        self.choose = choose
        self.strict = strict
        self._adapter: Any = None
        self._check: Any = None
        if isinstance(model_or_schema, dict):
            from ._jsonschema import compile_schema

            self._check, self._names = compile_schema(model_or_schema)
            self._schema = model_or_schema
            self._label = str(model_or_schema.get("title") or "schema")
        else:
            from pydantic import TypeAdapter

            try:
                self._adapter = TypeAdapter(model_or_schema)
                self._schema = self._adapter.json_schema()
            except Exception as exc:
                raise PolicyError(f"cannot build a validator for {model_or_schema!r}: {type(exc).__name__}",
                                  key="json_schema.model",
                                  expected="a pydantic model, a type pydantic can validate, or a JSON Schema dict") from exc
            names: set[str] = set()
            _pydantic_names(self._schema, names)
            self._names = frozenset(names)
            self._label = getattr(model_or_schema, "__name__", "schema")
        self._schema_hash = orjson.dumps(self._schema, option=orjson.OPT_SORT_KEYS).decode()

    def config(self) -> dict[str, Any]:
        return {"schema": self._schema_hash, "max_reasks": self.max_reasks, "choose": self.choose,
                "strict": self.strict}

    # -- checking ---------------------------------------------------------------------------------

    def _fail(self, reason: str, problems: list[str]) -> Result:
        detail = "; ".join(problems[:12]) + ("; ..." if len(problems) > 12 else "")
        feedback = (
            f"the answer must be exactly one JSON value matching the {self._label} schema, with no "
            f"other JSON in the reply ({reason}{': ' + detail if detail else ''})"
        )
        return Result.fail(reason, findings=(Finding(None, 0, 0, 1.0, rule=reason),), feedback=feedback)

    def _validate(self, obj: Any, coerce: bool) -> tuple[Any, list[str]]:
        if self._adapter is not None:
            from pydantic import ValidationError

            try:
                return self._adapter.validate_python(obj, strict=self.strict and not coerce), []
            except ValidationError as exc:
                return None, [self._describe_error(e) for e in exc.errors(include_url=False, include_input=False,
                                                                           include_context=False)]
        errs: list[tuple[tuple[Any, ...], str]] = []
        value = self._check(obj, (), errs, coerce)
        return value, [f"{_safe_loc(p, self._names)}: {m}" for p, m in errs]

    def _describe_error(self, e: Any) -> str:
        typ = str(e.get("type", "invalid"))
        msg = e.get("msg", "") if typ.startswith(_SAFE_TYPES_PREFIXES) else f"failed a check ({typ})"
        return f"{_safe_loc(tuple(e.get('loc', ())), self._names)}: {msg}"

    def check(self, text: str, ctx: CallContext | None) -> Result:
        if ctx is not None and ctx.streaming and not ctx.final:
            return Result.ok()  # pragma: no cover - streams buffer to the end (no stream_safe)
        cands, whole = find_json(text)
        if not cands:
            return self._fail("no-json", [])
        if len(cands) > 1 and self.choose == "only":
            return self._fail("ambiguous-json", [f"found {len(cands)} different JSON values"])
        obj = cands[-1] if self.choose == "last" else cands[0]
        fixing = self.action == "fix"
        value, problems = self._validate(obj, fixing)
        if problems:
            return self._fail("schema-mismatch", problems)
        if fixing:
            canon = self._dump(value)
            if not whole or canon != text.strip():
                return Result.fail("json-normalized", fix=canon, value=value)
        return Result.ok(value=value)

    def _dump(self, value: Any) -> str:
        if self._adapter is not None:
            return self._adapter.dump_json(value).decode()  # type: ignore[no-any-return]
        return orjson.dumps(value).decode()

    def __repr__(self) -> str:
        return f"JsonSchema({self._label}, action={self.action!r}, max_reasks={self.max_reasks}, choose={self.choose!r})"
