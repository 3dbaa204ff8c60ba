"""Escapes that hide text from a plain scan, found as edits ``(start, end, replacement)``.

- URL encoding (``rebecca.brown%40icloud.com``), decoded as UTF-8 runs;
- JSON / Python escapes (``\\u0034``), as models write non-ASCII text in JSON;
- HTML character references (``&#64;``, ``&#x34;``, ``&commat;``);
- e-mail addresses spelled out (``ann [at] example [dot] org``, ``ann at example dot org``);
- long base64 / hex tokens whose content is text (`blobs`), for validators to scan.

Each finder only runs when a cheap substring test says the text may need it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import html.entities
import re
from typing import Any

from .._native import kernel
from . import _hs

#: the C loops (``_cfold.c``), None when not built or GUARDWRAP_PURE_PYTHON is set
_cf: Any = kernel("guardwrap._text._cfold")

Edit = tuple[int, int, str]

_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
# JSON / Python string escapes, as a model writes them in JSON output: \u0034, a surrogate pair
# (\ud835\udfce), \U0001d7d2, \x34, \n; also escaped once more (\\u0034: JSON inside JSON)
_BACKSLASH = re.compile(
    r"\\{1,2}(?:u([dD][89abAB][0-9A-Fa-f]{2})\\{1,2}u([dD][c-fC-F][0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})"
    r"|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|([nrt]))"
)
_CONTROL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));")
_HTML5 = html.entities.html5


def _printable(s: str) -> bool:
    """No control characters but tab and line breaks (spaces and invisible characters are fine:
    the character table maps them like any other)."""
    return all((c >= " " and not "\x7f" <= c <= "\x9f") or c in "\t\n\r" for c in s)


def percent_edits(text: str) -> list[Edit]:
    out: list[Edit] = []
    for m in _PERCENT.finditer(text):
        raw = m.group()
        try:
            dec = bytes.fromhex(raw.replace("%", "")).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if dec and _printable(dec):
            out.append((m.start(), m.end(), dec))
    return out


def backslash_edits(text: str) -> list[Edit]:
    out: list[Edit] = []
    for m in _BACKSLASH.finditer(text):
        hi, lo, u4, u8, x2, ctl = m.groups()
        if ctl is not None:
            out.append((m.start(), m.end(), _CONTROL_ESCAPES[ctl]))
            continue
        if hi is not None:
            cp = 0x10000 + ((int(hi, 16) - 0xD800) << 10) + (int(lo, 16) - 0xDC00)
        else:
            cp = int(u4 or u8 or x2, 16)
        if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            continue  # a lone surrogate spells nothing
        ch = chr(cp)
        if _printable(ch):
            out.append((m.start(), m.end(), ch))
    return out


def entity_edits(text: str) -> list[Edit]:
    out: list[Edit] = []
    for m in _ENTITY.finditer(text):
        dec, hexa, name = m.groups()
        value: str | None
        if name is not None:
            value = _HTML5.get(name + ";")
        else:
            cp = int(dec) if dec is not None else int(hexa, 16)
            value = chr(cp) if 0 < cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else None
        if value and _printable(value):
            out.append((m.start(), m.end(), value))
    return out


# "ann [at] example [dot] org", "ann(at)example(dot)org", "ann at example dot org", "ann @ example
# . org". A bracketed or spaced "@" needs no spelled-out dot; a bare " at " needs one (so "meet at
# home.com" stays prose).
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+| {1,3}@ {0,3}| {0,3}@ {1,3})"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+| {1,3}\. {1,3}|\.)"
_SPELLED = re.compile(
    rf"(?i)(?<![\w.%+-])([a-z0-9][a-z0-9._%+-]{{0,63}})({_AT})([a-z0-9-]{{1,63}}(?:{_DOT}[a-z0-9-]{{1,63}}){{1,5}})(?![\w-])"
)
_DOT_FORM = re.compile(rf"(?i){_DOT}")
# an "at" that needs no spelled-out dot beside it: bracketed ("[at]") or a real "@" with spaces
_STRONG_AT = re.compile(r"(?i)[\[({<]\s*at\s*[\])}>]|@")


def might_spell_email(low: str) -> bool:
    """Cheap test before `spelled_email_edits`, on the lower-cased text: a spelled-out "dot", a
    bracketed "at", or a spaced "@"."""
    # (each two- or three-character test reads the text at ~1 ns a character; a one-character one,
    # memchr, at a tenth of that: the closing bracket or the "@" is looked for first)
    return ("dot" in low or ("]" in low and "at]" in low) or (")" in low and "at)" in low)
            or ("}" in low and "at}" in low) or (">" in low and "at>" in low)
            or ("@" in low and (" @" in low or "@ " in low)))


def spelled_email_edits(text: str) -> list[Edit]:
    out: list[Edit] = []
    for m in _SPELLED.finditer(text):
        at_s, at_e = m.span(2)
        domain = m.group(3)
        if not any(c.isalpha() for c in _DOT_FORM.split(domain)[-1]):
            continue  # "5 @ 3.50": no top-level domain, no address
        spelled = [d for d in _DOT_FORM.finditer(domain) if d.group() != "."]
        if not spelled and not _STRONG_AT.search(m.group(2)):
            continue
        out.append((at_s, at_e, "@"))
        base = m.start(3)
        for d in spelled:
            out.append((base + d.start(), base + d.end(), "."))
    return out


# -- base64 / hex blobs ------------------------------------------------------------------------

# a token of 16+ characters (padding included) in the base64 or base64url alphabet
_BLOB = re.compile(r"(?<![A-Za-z0-9+/=_-])(?=[A-Za-z0-9+/_=-]{16})(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})(?![A-Za-z0-9+/=_-])")
#: at most this many blobs are decoded per text, each at most this long: bounded work
MAX_BLOBS = 64
MAX_BLOB_CHARS = 8192


def _as_text(data: bytes) -> str | None:
    """``data`` as text when it reads as text: valid UTF-8, at least 90% printable (tab and line
    breaks count), at least 30% letters and digits; else None: what `_as_text_py` (the definition)
    returns, without raising for the random bytes most tokens decode to. ASCII bytes (the common
    case for text) are counted by two deletions in C."""
    if not data.isascii():
        # strict UTF-8 without raising: "surrogateescape" turns each byte it cannot decode into a
        # lone surrogate U+DC80..U+DCFF, which strict decoding never yields (it refuses encoded
        # surrogates); so none of them means the strict decoding succeeded, with this result
        s = data.decode("utf-8", "surrogateescape")
        if _ESCAPED.search(s) is not None:
            return None
        if sum(c.isprintable() or c in "\t\n\r" for c in s) < 0.9 * len(s):
            return None
        return s if sum(c.isalnum() for c in s) >= 0.3 * len(s) else None
    n = len(data)
    # an ASCII character is printable (`str.isprintable`) from " " to "~", alphanumeric (`str.isalnum`)
    # in A-Z, a-z, 0-9: the same counts as `_as_text_py`'s, compared the same way
    if not n or n - len(data.translate(None, _PRINTABLE_ASCII)) < 0.9 * n:
        return None
    return data.decode("ascii") if n - len(data.translate(None, _ALNUM_ASCII)) >= 0.3 * n else None


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_ESCAPED = re.compile("[\udc80-\udcff]")
_ALNUM_ASCII = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _as_text_py(data: bytes) -> str | None:
    """`_as_text` by definition (its reference, and its path for bytes that are not ASCII)."""
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not s or sum(c.isprintable() or c in "\t\n\r" for c in s) < 0.9 * len(s):
        return None
    return s if sum(c.isalnum() for c in s) >= 0.3 * len(s) else None


_HEX_DIGITS = "0123456789abcdefABCDEF"
# what `base64.urlsafe_b64decode` maps before decoding
_URLSAFE = bytes.maketrans(b"-_", b"+/")


def decode_blob(token: str) -> str | None:
    """The text a base64 or hex token stands for, or None when it is not text.

    What `_decode_blob_py` returns, for less: the token is read as hex when it is all hex digits,
    then as base64, then as base64url (``-`` and ``_`` for ``+`` and ``/``; skipped when the token
    has neither, as it would decode the same bytes again), each by one call of ``binascii``'s
    decoder (what `base64.b64decode` and `base64.urlsafe_b64decode` do past their argument
    checks)."""
    if len(token) > MAX_BLOB_CHARS:
        return None
    if len(token) % 2 == 0 and not token.lstrip(_HEX_DIGITS):
        s = _as_text(bytes.fromhex(token))
        if s is not None:
            return s
    try:
        raw = (token + "=" * (-len(token) % 4)).encode("ascii")
    except UnicodeEncodeError:
        return None  # both decoders refuse a str that is not ASCII
    try:
        s = _as_text(binascii.a2b_base64(raw))
    except ValueError:  # binascii.Error
        s = None
    if s is not None:
        return s
    if b"-" not in raw and b"_" not in raw:
        return None
    try:
        return _as_text(binascii.a2b_base64(raw.translate(_URLSAFE)))
    except ValueError:
        return None


def _decode_blob_py(token: str) -> str | None:
    """`decode_blob` by definition, with the `base64` module: its reference."""
    if len(token) > MAX_BLOB_CHARS:
        return None
    if len(token) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in token):
        with contextlib.suppress(ValueError):
            s = _as_text_py(bytes.fromhex(token))
            if s is not None:
                return s
    padded = token + "=" * (-len(token) % 4)
    for dec in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            s = _as_text_py(dec(padded))
        except (binascii.Error, ValueError):
            continue
        if s is not None:
            return s
    return None


def might_hold_blob(text: str) -> bool:
    """Cheap test: some whitespace-separated token is long enough to be a blob."""
    return len(text) >= 16 and max(map(len, text.split()), default=0) >= 16


_ALPHABET = "A-Za-z0-9+/=_-"
# a maximal run of the blob alphabet (from its start), and the two shapes a blob token has
_ALPHA_RUN = re.compile(f"[{_ALPHABET}]*")
_BLOB_SHAPE = re.compile(r"[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}")


@functools.cache
def _run16_db() -> _hs.Database | None:
    """Hyperscan: the first 16 characters of every run of the blob alphabet that has 16 or more
    (one report per run: its end is 16 characters after a non-alphabet character or the start)."""
    return _hs.compile_db([(f"(?:^|[^{_ALPHABET}])[{_ALPHABET}]{{16}}", False, False)])


def blob_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token of ``text`` shaped like a blob, in order: what `_BLOB`
    finds. In an ASCII text only its runs of 16 or more alphabet characters are looked at, found
    by one pass of the C kernel (``blob_runs``) where built, else of Hyperscan where installed;
    otherwise `_BLOB` scans it, when some whitespace-separated token is long enough to be one."""
    if not text.isascii():
        runs = None
    elif _cf is not None:
        runs = _cf.blob_runs(text)
    else:
        runs = _blob_runs_hs(text)
    if runs is None:
        return [m.span() for m in _BLOB.finditer(text)] if might_hold_blob(text) else []
    return [(s, e) for s, e in runs if _BLOB_SHAPE.fullmatch(text, s, e)]


def _blob_runs_hs(text: str) -> list[tuple[int, int]] | None:
    """The maximal runs of 16 or more alphabet characters of an ASCII ``text`` by one Hyperscan
    pass (None without Hyperscan)."""
    db = _run16_db()
    if db is None:
        return None
    starts: list[int] = []
    db.scan(text.encode("ascii"), lambda _id, _s, end, _f, _c: starts.append(end - 16))
    return [(s, _ALPHA_RUN.match(text, s).end()) for s in starts]  # type: ignore[union-attr]  # always matches


_RUN16 = re.compile(f"[{_ALPHABET}]{{16,}}")


def _blob_runs_py(text: str) -> list[tuple[int, int]]:
    """What the C kernel's ``blob_runs`` returns, by definition (its reference)."""
    return [m.span() for m in _RUN16.finditer(text)]


def blobs(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, decoded)`` for base64/hex tokens of ``text`` that decode to text."""
    out: list[tuple[int, int, str]] = []
    # a token met again in the same text decodes the same (a hostile text repeats one; the memo
    # lives for this call only: no decoded value outlives the text it came from)
    memo: dict[str, str | None] = {}
    for seen, (s, e) in enumerate(blob_spans(text)):
        if seen >= MAX_BLOBS * 4 or len(out) >= MAX_BLOBS:
            break
        token = text[s:e].rstrip("=")
        if token in memo:
            dec = memo[token]
        else:
            dec = memo[token] = decode_blob(token)
        if dec is not None:
            out.append((s, e, dec))
    return out
