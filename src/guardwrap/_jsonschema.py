"""A small JSON Schema compiler for `JsonSchema` when it is given a schema dict instead of a model.

The schema is compiled once into nested closures; validating an answer walks them without looking
at the schema again. It covers the keywords LLM answer schemas use (types, properties, required,
additionalProperties, items, enum/const, numeric and length bounds, pattern, anyOf/oneOf/allOf/not,
local ``$ref``); an unknown keyword is a `PolicyError` at construction, never a silent pass.

Errors are ``(path, message)`` pairs. Messages state the constraint from the schema ("must be at
most 120") and never the value found in the answer; object keys that are not declared property
names are rendered as ``<key>`` because they come from the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import regex

from ._errors import PolicyError

Path = tuple[Any, ...]
Errors = list[tuple[Path, str]]
Check = Callable[[Any, Path, Errors, bool], Any]

_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "format",
    "$defs", "definitions", "readOnly", "writeOnly", "deprecated",
})
_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "uniqueItems", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength", "maxLength", "pattern", "anyOf", "oneOf", "allOf", "not", "$ref",
    "minProperties", "maxProperties",
}) | _ANNOTATIONS
_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


def _is_type(value: Any, t: str) -> bool:
    if t == "object":
        return isinstance(value, dict)
    if t == "array":
        return isinstance(value, list)
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if t == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return isinstance(value, (int, float))  # number


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _json_eq(a: Any, b: Any) -> bool:
    """Equality as JSON means it: ``1 == 1.0`` but ``true != 1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _coerce(value: Any, types: tuple[str, ...]) -> Any:
    """Safe coercions only: a string that is exactly a number or boolean, an int where a number is wanted."""
    if isinstance(value, str):
        s = value.strip()
        if "integer" in types:
            try:
                return int(s)
            except ValueError:
                pass
        if "number" in types:
            try:
                f = float(s)
                if math.isfinite(f):
                    return f
            except ValueError:
                pass
        if "boolean" in types and s in ("true", "false"):
            return s == "true"
    return value


class Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.names: set[str] = set()  # declared property names and schema literals: safe to echo

    def fail(self, key: str, message: str) -> PolicyError:
        return PolicyError(message, key=f"json_schema.{key}" if key else "json_schema",
                           expected="a JSON Schema (draft 2020-12 subset: see guardwrap.schema)")

    def ref(self, ref: str, where: str) -> Check:
        if ref in self.refs:
            return lambda v, p, e, c: self.refs[ref](v, p, e, c)
        if not ref.startswith("#/"):
            raise self.fail(where, f"only local $ref ('#/...') is supported, not {ref!r}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise self.fail(where, f"$ref {ref!r} points nowhere")
            node = node[part]
        self.refs[ref] = lambda v, p, e, c: v  # placeholder for recursive schemas
        compiled = self.compile(node, ref)
        self.refs[ref] = compiled
        return compiled

    def compile(self, schema: Any, where: str = "") -> Check:
        if schema is True or schema == {}:
            return lambda v, p, e, c: v
        if schema is False:
            def never(v: Any, p: Path, e: Errors, c: bool) -> Any:
                e.append((p, "must not be present"))
                return v

            return never
        if not isinstance(schema, dict):
            raise self.fail(where, f"a schema must be an object or a boolean, not {type(schema).__name__}")
        unknown = set(schema) - _KEYWORDS
        if unknown:
            raise self.fail(_join(where, f"{sorted(unknown)[0]}"), "unsupported keyword")
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"], where))

        t = schema.get("type")
        types: tuple[str, ...] = ()
        if t is not None:
            types = (t,) if isinstance(t, str) else tuple(t)
            if not types or any(x not in _TYPES for x in types):
                raise self.fail(_join(where, "type"), f"unknown type {t!r}")
            label = " or ".join(types)

            def check_type(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if any(_is_type(v, x) for x in types):
                    return v
                if c:
                    v2 = _coerce(v, types)
                    if v2 is not v and any(_is_type(v2, x) for x in types):
                        return v2
                e.append((p, f"must be of type {label}"))
                return v

            checks.append(check_type)

        if "enum" in schema or "const" in schema:
            allowed = list(schema["enum"]) if "enum" in schema else [schema["const"]]
            for a in allowed:
                if isinstance(a, str):
                    self.names.add(a)
            shown = ", ".join(repr(a) for a in allowed[:10]) + (", ..." if len(allowed) > 10 else "")

            def check_enum(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if not any(_json_eq(v, a) for a in allowed):
                    e.append((p, f"must be one of {shown}"))
                return v

            checks.append(check_enum)

        num: list[tuple[str, Any]] = [(k, schema[k]) for k in
                                      ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
                                      if k in schema]
        if num:
            for k, bound in num:
                if not isinstance(bound, (int, float)) or isinstance(bound, bool):
                    raise self.fail(_join(where, k), "must be a number")

            def check_num(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    return v
                for k, b in num:
                    if (k == "minimum" and v < b) or (k == "maximum" and v > b):
                        e.append((p, f"must be {'at least' if k == 'minimum' else 'at most'} {b}"))
                    elif (k == "exclusiveMinimum" and v <= b) or (k == "exclusiveMaximum" and v >= b):
                        e.append((p, f"must be {'greater' if k == 'exclusiveMinimum' else 'less'} than {b}"))
                    elif k == "multipleOf" and b and not math.isclose(v / b, round(v / b)):
                        e.append((p, f"must be a multiple of {b}"))
                return v

            checks.append(check_num)

        min_len, max_len = schema.get("minLength"), schema.get("maxLength")
        pattern = schema.get("pattern")
        if min_len is not None or max_len is not None or pattern is not None:
            try:
                rx = regex.compile(pattern) if pattern is not None else None
            except (regex.error, TypeError) as exc:
                raise self.fail(_join(where, "pattern"), "invalid regular expression") from exc

            def check_str(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if not isinstance(v, str):
                    return v
                if min_len is not None and len(v) < min_len:
                    e.append((p, f"must be at least {min_len} characters long"))
                if max_len is not None and len(v) > max_len:
                    e.append((p, f"must be at most {max_len} characters long"))
                # a timeout bounds a hostile schema pattern against a long answer
                if rx is not None and rx.search(v, timeout=0.05) is None:
                    e.append((p, f"must match the pattern {pattern}"))
                return v

            checks.append(check_str)

        if any(k in schema for k in ("properties", "required", "additionalProperties", "minProperties",
                                     "maxProperties")):
            props = {k: self.compile(s, _join(where, f"properties.{k}"))
                     for k, s in (schema.get("properties") or {}).items()}
            self.names.update(props)
            required = list(schema.get("required") or ())
            self.names.update(required)
            extra = schema.get("additionalProperties", True)
            extra_check = None if isinstance(extra, bool) else self.compile(extra, _join(where, "additionalProperties"))
            min_p, max_p = schema.get("minProperties"), schema.get("maxProperties")
            names = self.names

            def check_obj(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if not isinstance(v, dict):
                    return v
                out = v
                for k in required:
                    if k not in v:
                        e.append(((*p, k), "is required"))
                for k, item in v.items():
                    sub = props.get(k)
                    if sub is None:
                        if extra is False:
                            e.append((p, "has a property the schema does not allow"))
                            continue
                        if extra_check is None:
                            continue
                        sub = extra_check
                    new = sub(item, (*p, k if k in names else "<key>"), e, c)
                    if new is not item:
                        if out is v:
                            out = dict(v)
                        out[k] = new
                if min_p is not None and len(v) < min_p:
                    e.append((p, f"must have at least {min_p} properties"))
                if max_p is not None and len(v) > max_p:
                    e.append((p, f"must have at most {max_p} properties"))
                return out

            checks.append(check_obj)

        if any(k in schema for k in ("items", "minItems", "maxItems", "uniqueItems")):
            items = schema.get("items")
            item_check = self.compile(items, _join(where, "items")) if items is not None else None
            min_i, max_i, unique = schema.get("minItems"), schema.get("maxItems"), schema.get("uniqueItems", False)

            def check_arr(v: Any, p: Path, e: Errors, c: bool) -> Any:
                if not isinstance(v, list):
                    return v
                out = v
                if item_check is not None:
                    for i, item in enumerate(v):
                        new = item_check(item, (*p, i), e, c)
                        if new is not item:
                            if out is v:
                                out = list(v)
                            out[i] = new
                if min_i is not None and len(v) < min_i:
                    e.append((p, f"must have at least {min_i} items"))
                if max_i is not None and len(v) > max_i:
                    e.append((p, f"must have at most {max_i} items"))
                if unique:
                    seen: list[Any] = []
                    for item in v:
                        if item in seen:
                            e.append((p, "must not contain duplicate items"))
                            break
                        seen.append(item)
                return out

            checks.append(check_arr)

        for combo in ("anyOf", "oneOf", "allOf"):
            if combo not in schema:
                continue
            subs = schema[combo]
            if not isinstance(subs, list) or not subs:
                raise self.fail(_join(where, combo), "must be a non-empty list of schemas")
            compiled = [self.compile(s, _join(where, f"{combo}.{i}")) for i, s in enumerate(subs)]
            checks.append(_combinator(combo, compiled))
        if "not" in schema:
            neg = self.compile(schema["not"], _join(where, "not"))

            def check_not(v: Any, p: Path, e: Errors, c: bool) -> Any:
                sub: Errors = []
                neg(v, p, sub, False)
                if not sub:
                    e.append((p, "matches a schema it must not match"))
                return v

            checks.append(check_not)

        if len(checks) == 1:
            return checks[0]

        def check_all(v: Any, p: Path, e: Errors, c: bool) -> Any:
            for ch in checks:
                v = ch(v, p, e, c)
            return v

        return check_all


def _combinator(kind: str, subs: list[Check]) -> Check:
    def check(v: Any, p: Path, e: Errors, c: bool) -> Any:
        if kind == "allOf":
            for s in subs:
                v = s(v, p, e, c)
            return v
        passed = []
        for s in subs:
            sub: Errors = []
            new = s(v, p, sub, c)
            if not sub:
                passed.append(new)
                if kind == "anyOf":
                    return new
        if kind == "oneOf" and len(passed) == 1:
            return passed[0]
        e.append((p, "must match exactly one of the allowed shapes" if passed else
                  "must match one of the allowed shapes"))
        return v

    return check


def compile_schema(schema: dict[str, Any]) -> tuple[Check, frozenset[str]]:
    """Compile ``schema``; returns the check and the names that may appear in feedback."""
    if not isinstance(schema, dict):
        raise PolicyError("a JSON Schema must be a dict", key="json_schema", expected="dict")
    comp = Compiler(schema)
    check = comp.compile(schema)
    return check, frozenset(comp.names)
