"""Policies as code: build a `Guard` from a YAML or TOML file.

>>> import guardwrap as gw
>>> guard = gw.Guard.from_policy("examples/policies/retail_banking.yaml")  # doctest: +SKIP

The file format (see ``docs/policies.md``)::

    id: retail-assistant
    version: 3
    mode: enforce                       # or shadow
    input:
      - deny_terms: {terms: ["bypass kyc"], action: block}
      - prompt_injection: {action: escalate}
    output:
      - regex: {pattern: "(?i)guaranteed returns?", action: block, reason: no-performance-promises}
    retry: {attempts: 3, on_errors: [timeout, connection]}
    fallback: [{static: "Sorry, I can't help with that right now."}]
    audit: {sink: jsonl, path: audit/decisions.jsonl, durability: batch}
    review: {path: guardwrap-review.sqlite3}

Each validator item is a one-key mapping ``{key: {options}}``; the options are the validator's
keyword arguments. Built-in keys are resolved by import path when the file is loaded, and
`register_validator` adds your own. A malformed file raises `PolicyError` naming the file, the
key path (``input[2].deny_terms.terms``), the line where the format keeps one (YAML), and what
was expected.

The policy hash is the SHA-256 of the policy in canonical form (keys sorted, JSON, no comments or
layout), so reformatting a file does not change it and changing a rule does.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import inspect
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._errors import PolicyError

__all__ = [
    "BUILTIN_VALIDATORS",
    "Policy",
    "load_guard",
    "load_policy",
    "policy_hash",
    "register_validator",
    "validator_keys",
]

#: policy key -> "module:attribute" of the validator, imported when a policy uses it
BUILTIN_VALIDATORS: dict[str, str] = {
    "pii": "guardwrap.pii:PII",
    "deny_terms": "guardwrap.rules:DenyTerms",
    "regex": "guardwrap.rules:RegexRule",
    "secrets": "guardwrap.rules:Secrets",
    "invisible_text": "guardwrap.rules:InvisibleText",
    "max_length": "guardwrap.rules:MaxLength",
    "topics": "guardwrap.rules:Topics",
    "system_prompt_leak": "guardwrap.rules:SystemPromptLeak",
    "prompt_injection": "guardwrap.injection:PromptInjection",
    "json_schema": "guardwrap.schema:JsonSchema",
    "grounded": "guardwrap.grounding:Grounded",
    "required_disclaimers": "guardwrap.finance:RequiredDisclaimers",
    "no_personal_advice": "guardwrap.finance:NoPersonalAdvice",
    "no_return_promises": "guardwrap.finance:NoReturnPromises",
    "no_guaranteed_approval": "guardwrap.finance:NoGuaranteedApproval",
}
#: audit ``sink`` name -> attribute of ``guardwrap.audit``
SINKS: dict[str, str] = {
    "jsonl": "JsonlSink",
    "sqlite": "SqliteSink",
    "postgres": "PostgresSink",
    "otel": "OtelSink",
    "logging": "LoggingSink",
    "memory": "MemorySink",
}
#: keys whose option is an import path to resolve ("pkg.mod:Name")
_IMPORT_OPTIONS = {"json_schema": ("model",)}
_TOP_KEYS = ("id", "version", "name", "description", "mode", "input", "output", "retry", "fallback",
             "audit", "review", "on_escalate", "owner", "tags")
_CUSTOM: dict[str, Callable[..., Any]] = {}


def register_validator(key: str, factory: Callable[..., Any] | str) -> None:
    """Make ``key`` usable in policy files: ``factory(**options)`` (or an import path
    ``"pkg.mod:Name"``) must return a validator."""
    if not isinstance(key, str) or not key.isidentifier():
        raise PolicyError(f"bad validator key {key!r}", key="key", expected="an identifier like 'no_shouting'")
    if isinstance(factory, str):
        BUILTIN_VALIDATORS[key] = factory
        _CUSTOM.pop(key, None)
    elif callable(factory):
        _CUSTOM[key] = factory
    else:
        raise PolicyError(f"factory for {key!r} is not callable", key=key, expected="a class or function")


def validator_keys() -> list[str]:
    """The validator names a policy file may use: the built-in ones and those registered with
    `register_validator`.
    """
    return sorted(set(BUILTIN_VALIDATORS) | set(_CUSTOM))


# -- reading files, with line numbers ---------------------------------------------------------------


class _Source:
    """The parsed data of a policy file, plus the line of each key path (YAML only)."""

    def __init__(self, path: str, data: Any, lines: dict[str, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def error(self, message: str, key: str | None = None, expected: str | None = None) -> PolicyError:
        line = None
        if key is not None:
            k = key
            while k:
                if k in self.lines:
                    line = self.lines[k]
                    break
                k = k.rpartition(".")[0] if "." in k else (k.rpartition("[")[0] if "[" in k else "")
        return PolicyError(message, file=self.path, key=key, expected=expected, line=line)


def _join(prefix: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    return f"{prefix}.{part}" if prefix else str(part)


def _yaml_data(node: Any, path: str, lines: dict[str, int], src: str, loader: Any) -> Any:
    import yaml

    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            key = _yaml_data(knode, path, {}, src, loader)
            if not isinstance(key, str):
                raise PolicyError(f"mapping key {key!r} is not a string", file=src, key=path or None,
                                  line=knode.start_mark.line + 1,
                                  expected="string keys (quote `on`, `yes`, `no`, numbers)")
            sub = _join(path, key)
            if key in out:
                raise PolicyError("duplicate key", file=src, key=sub, line=knode.start_mark.line + 1)
            lines[sub] = knode.start_mark.line + 1
            out[key] = _yaml_data(vnode, sub, lines, src, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_data(v, _join(path, i), lines, src, loader) for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)  # a scalar: the safe loader resolves its type


def _read(path: str | os.PathLike[str]) -> _Source:
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise PolicyError("policy file not found", file=name, expected="a readable .yaml, .yml or .toml file") from None
    except IsADirectoryError:
        raise PolicyError("is a directory", file=name, expected="a policy file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError("not UTF-8 text", file=name, expected="a UTF-8 encoded policy file") from None
    suffix = p.suffix.lower()
    lines: dict[str, int] = {}
    if suffix == ".toml":
        try:
            import tomllib  # type: ignore[import-not-found,unused-ignore]
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"invalid TOML: {exc}", file=name, expected="a TOML table") from None
    elif suffix in (".yaml", ".yml", ""):
        import yaml

        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "syntax error"
            raise PolicyError(f"invalid YAML: {problem}", file=name,
                              line=mark.line + 1 if mark is not None else None,
                              expected="a YAML mapping") from None
        data = {} if node is None else _yaml_data(node, "", lines, name, yaml.SafeLoader(""))
    else:
        raise PolicyError(f"unknown policy format {suffix!r}", file=name, expected=".yaml, .yml or .toml")
    if not isinstance(data, dict):
        raise PolicyError("the policy must be a mapping", file=name, line=1,
                          expected="keys id, version, input, output, ...")
    return _Source(name, data, lines)


# -- the schema (pydantic) --------------------------------------------------------------------------


def _models() -> Any:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class RetryModel(BaseModel):
        model_config = ConfigDict(extra="forbid")
        attempts: int = Field(3, ge=1, le=20)
        on_errors: list[str] = ["timeout", "connection"]
        backoff: float = Field(0.5, ge=0)
        max_backoff: float = Field(8.0, ge=0)

    class PolicyModel(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: str = Field(min_length=1, max_length=200)
        version: int | str = 1
        name: str | None = None
        description: str | None = None
        owner: str | None = None
        tags: list[str] = []
        mode: Literal["enforce", "shadow"] = "enforce"
        on_escalate: Literal["block", "flag"] = "block"
        input: list[dict[str, Any]] = []
        output: list[dict[str, Any]] = []
        retry: RetryModel | None = None
        fallback: list[dict[str, Any]] = []
        audit: dict[str, Any] | list[dict[str, Any]] | None = None
        review: dict[str, Any] | None = None

    return PolicyModel


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str) and part in ("int", "str", "list[str]", "dict[str,any]"):
            continue  # pydantic's union branch names
        out = _join(out, part)
    return out


def _did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _validate(src: _Source) -> Any:
    data = src.data
    for key in data:
        if key not in _TOP_KEYS:
            raise src.error(f"unknown key {key!r}{_did_you_mean(key, _TOP_KEYS)}", key,
                            expected="one of " + ", ".join(_TOP_KEYS))
    from pydantic import ValidationError

    model = _models()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _loc(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required key is missing"
        return_expected = {
            "literal_error": str(err.get("ctx", {}).get("expected", "")),
        }.get(err["type"])
        raise src.error(msg, key or None, return_expected) from None


# -- canonical form and hash ---------------------------------------------------------------------


def _canonical_value(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _canonical_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_canonical_value(x) for x in v]
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        import unicodedata

        return unicodedata.normalize("NFC", v)
    return v


def canonical(data: Mapping[str, Any]) -> str:
    """The policy as canonical JSON: sorted keys, no whitespace, NFC strings, ``1.0`` as ``1``."""
    return json.dumps(_canonical_value(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def policy_hash(source: str | os.PathLike[str] | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a policy's canonical form; ``source`` is a file path or the parsed data."""
    data = _read(source).data if isinstance(source, (str, os.PathLike)) else source
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


# -- building ---------------------------------------------------------------------------------------


def _import(spec: str, src: _Source, key: str) -> Any:
    if not isinstance(spec, str) or ":" not in spec:
        raise src.error(f"bad import path {spec!r}", key, "'package.module:Name'")
    mod_name, _, attr = spec.partition(":")
    try:
        mod = importlib.import_module(mod_name)
    except ImportError as exc:
        raise src.error(f"cannot import {mod_name!r} ({type(exc).__name__}: {exc})", key,
                        "an importable module (is the package or extra installed?)") from None
    obj: Any = mod
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise src.error(f"{mod_name!r} has no attribute {attr!r}", key, "'package.module:Name'")
        obj = getattr(obj, part)
    return obj


def _factory(name: str, src: _Source, key: str) -> Callable[..., Any]:
    if name in _CUSTOM:
        return _CUSTOM[name]
    spec = BUILTIN_VALIDATORS.get(name)
    if spec is None:
        raise src.error(f"unknown validator {name!r}{_did_you_mean(name, validator_keys())}", key,
                        "one of " + ", ".join(validator_keys()) + " (or register_validator)")
    mod_name = spec.partition(":")[0]
    try:
        importlib.import_module(mod_name)
    except ModuleNotFoundError as exc:
        if exc.name == mod_name:
            raise src.error(f"validator {name!r} needs {mod_name}, which this installation does not have",
                            key, "an installed guardwrap with that module") from None
        raise src.error(f"validator {name!r} needs the {exc.name!r} package", key,
                        f"pip install 'guardwrap[{name}]' or the package named") from None
    return _import(spec, src, key)  # type: ignore[no-any-return]


def _accepted(factory: Callable[..., Any]) -> tuple[set[str], bool] | None:
    try:
        sig = inspect.signature(factory)
    except (TypeError, ValueError):
        return None
    names = set()
    var_kw = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            var_kw = True
        elif p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            names.add(p.name)
    return names, var_kw


def _build_validator(item: Any, src: _Source, key: str) -> Any:
    if not isinstance(item, Mapping) or len(item) != 1:
        raise src.error("each validator is a one-key mapping", key,
                        "{validator_name: {options}}, e.g. {deny_terms: {terms: [...]}}")
    (name, options), = item.items()
    vkey = _join(key, name)
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise src.error(f"options of {name!r} must be a mapping", vkey, "{option: value, ...}")
    options = dict(options)
    factory = _factory(name, src, vkey)
    args: list[Any] = []
    if name == "json_schema":
        if "model" in options:
            args.append(_import(options.pop("model"), src, _join(vkey, "model")))
        elif "schema" in options:
            args.append(options.pop("schema"))
        else:
            raise src.error("json_schema needs `model` or `schema`", vkey,
                            "model: 'package.module:Model' or schema: {JSON Schema}")
    accepted = _accepted(factory)
    if accepted is not None:
        names, var_kw = accepted
        if not var_kw:
            for opt in options:
                if opt not in names:
                    raise src.error(f"unknown option {opt!r}{_did_you_mean(opt, sorted(names))}",
                                    _join(vkey, opt), "one of " + ", ".join(sorted(n for n in names if n != "self")))
    try:
        return factory(*args, **options)
    except PolicyError as exc:
        sub = exc.key
        full = vkey if not sub else (f"{vkey}{sub}" if sub.startswith("[") else f"{vkey}.{sub}")
        msg = str(exc.args[0]) if exc.args else "invalid"
        # the validator's own message starts with its location; keep only the problem
        if exc.key and msg.startswith(f"{exc.key}: "):
            msg = msg[len(exc.key) + 2:]
        if exc.expected and msg.endswith(f" (expected {exc.expected})"):
            msg = msg[: -len(f" (expected {exc.expected})")]
        raise src.error(msg, full, exc.expected) from None
    except TypeError as exc:
        raise src.error(f"bad options for {name!r}: {exc}", vkey, "the validator's keyword arguments") from None


def _build_sink(cfg: Mapping[str, Any], src: _Source, key: str) -> Any:
    cfg = dict(cfg)
    sink = cfg.pop("sink", "jsonl")
    if sink not in SINKS:
        raise src.error(f"unknown sink {sink!r}{_did_you_mean(str(sink), list(SINKS))}", _join(key, "sink"),
                        " | ".join(SINKS))
    from . import audit

    try:
        cls = getattr(audit, SINKS[sink])
    except AttributeError:
        raise src.error(f"sink {sink!r} is not available in this installation", _join(key, "sink"),
                        "an installed guardwrap with guardwrap.audit." + SINKS[sink]) from None
    args = []
    for positional in ("path", "dsn"):
        if positional in cfg:
            args.append(cfg.pop(positional))
            break
    try:
        return cls(*args, **cfg)
    except PolicyError as exc:
        raise src.error(str(exc.args[0]) if exc.args else "invalid", _join(key, exc.key or "sink"),
                        exc.expected) from None
    except TypeError as exc:
        raise src.error(f"bad options for sink {sink!r}: {exc}", key, "the sink's keyword arguments") from None


class Policy:
    """A parsed, validated policy file: ``data`` (as written), ``hash``, ``id``, ``version``."""

    def __init__(self, src: _Source, model: Any) -> None:
        self._src = src
        self.path = src.path
        self.data = src.data
        self.model = model
        self.id = model.id
        self.version = model.version
        self.hash = policy_hash(src.data)

    def rules(self) -> dict[str, Any]:
        """Each validator item by a stable label (``input[0].pii``), for diffs."""
        out: dict[str, Any] = {}
        for stage in ("input", "output"):
            for i, item in enumerate(self.data.get(stage) or []):
                name = next(iter(item)) if isinstance(item, Mapping) and item else "?"
                out[f"{stage}[{i}].{name}"] = item
        for k in ("mode", "retry", "fallback", "audit", "review", "on_escalate"):
            if k in self.data:
                out[k] = self.data[k]
        return out

    def build(self, **overrides: Any) -> Any:
        """The `Guard` this policy describes; ``overrides`` replace Guard arguments."""
        from ._guard import Guard
        from .resilience import Retry, Static

        src, m = self._src, self.model
        kwargs: dict[str, Any] = {
            "name": m.name or m.id,
            "mode": m.mode,
            "on_escalate": m.on_escalate,
            "policy_id": m.id,
            "policy_version": m.version,
            "policy_hash": self.hash,
        }
        if "input" not in overrides:
            kwargs["input"] = [_build_validator(item, src, f"input[{i}]") for i, item in enumerate(m.input)]
        if "output" not in overrides:
            kwargs["output"] = [_build_validator(item, src, f"output[{i}]") for i, item in enumerate(m.output)]
        if m.retry is not None and "retry" not in overrides:
            try:
                kwargs["retry"] = Retry(m.retry.attempts, m.retry.on_errors, backoff=m.retry.backoff,
                                        max_backoff=m.retry.max_backoff)
            except PolicyError as exc:
                raise src.error(str(exc.args[0]), "retry.on_errors", exc.expected) from None
        if "fallback" not in overrides:
            fallbacks = []
            for i, fb in enumerate(m.fallback):
                k = f"fallback[{i}]"
                if len(fb) != 1:
                    raise src.error("each fallback is a one-key mapping", k, "{static: text} or {call: 'pkg.mod:fn'}")
                (kind, value), = fb.items()
                if kind == "static":
                    if not isinstance(value, str):
                        raise src.error("static fallback must be text", _join(k, "static"), "a string")
                    fallbacks.append(Static(value))
                elif kind == "call":
                    fallbacks.append(_import(value, src, _join(k, "call")))
                else:
                    raise src.error(f"unknown fallback {kind!r}{_did_you_mean(kind, ['static', 'call'])}", k,
                                    "static | call")
            kwargs["fallback"] = fallbacks
        if m.audit is not None and "audit" not in overrides:
            cfgs = m.audit if isinstance(m.audit, list) else [m.audit]
            kwargs["audit"] = [_build_sink(c, src, "audit" if not isinstance(m.audit, list) else f"audit[{i}]")
                               for i, c in enumerate(cfgs)]
        if m.review is not None and "review" not in overrides:
            try:
                from .review import ReviewQueue  # type: ignore[attr-defined,unused-ignore]
            except ImportError:
                raise src.error("review needs guardwrap.review, which this installation does not have",
                                "review") from None
            try:
                kwargs["review"] = ReviewQueue(**m.review)
            except TypeError as exc:
                raise src.error(f"bad review options: {exc}", "review", "the ReviewQueue keyword arguments") from None
        kwargs.update(overrides)
        try:
            return Guard(**kwargs)
        except PolicyError as exc:
            if exc.file:
                raise
            raise src.error(str(exc.args[0]), exc.key, exc.expected) from None


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read and validate a policy file (without building validators)."""
    src = _read(path)
    return Policy(src, _validate(src))


def load_guard(path: str | os.PathLike[str], **overrides: Any) -> Any:
    """Build the `Guard` a policy file describes. ``overrides`` replace `Guard` arguments
    (e.g. ``audit=gw.MemorySink()`` in tests)."""
    return load_policy(path).build(**overrides)
