"""E-mail addresses, URLs and IP addresses (IPv4 as a dotted quad, IPv6 by ``ipaddress``)."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import regex

from .._native import kernel
from ._resolve import Span

#: the C kernel (None: not built, or GUARDWRAP_PURE_PYTHON)
_K: Any = kernel("guardwrap.pii._cscan")

ENTITIES = ("EMAIL_ADDRESS", "IP_ADDRESS", "URL")
CONTEXT = {
    "IP_ADDRESS": ("ip", "ipv4", "ipv6", "host", "server", "address"),
    "URL": ("url", "link", "website", "site"),
    "EMAIL_ADDRESS": ("email", "e-mail", "mail"),
}

_A = regex.ASCII
# RFC 5322 allows "&", "=", "?" and "/" in a local part, but in real text they are a query string's
# delimiters ("...&ssn=123&email=ann@example.org"): the address starts after them
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%'*+^_`{|}~.-")
#: the domain after "@", on `re` (a quarter of `regex`'s cost per call; the pattern is plain ASCII
#: classes, so both engines match it alike: tests/pii/test_pii_runs_native.py holds them to it)
DOMAIN_PATTERN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9\-])"
_DOMAIN = re.compile(DOMAIN_PATTERN, re.ASCII)
_SCHEME = regex.compile(r"(?:https?|ftps?|sftp|wss?)$", _A | regex.IGNORECASE)
_URL_REST = regex.compile(r"[^\s<>\"'`{}|\\^]+", _A)
_HEXCOLON = frozenset("0123456789abcdefABCDEF:.")
_TRAIL_PUNCT = ".,;:!?'\")]}>"


def emails(text: str, out: list[Span]) -> None:
    """E-mail addresses: a domain after an ``@`` that has local-part characters before it."""
    for s, at in _local_starts_py(text) if _K is None else _K.email_locals(text):
        d = _DOMAIN.match(text, at + 1, at + 256)
        if d:
            while s < at and text[s] == ".":
                s += 1
            if s < at and text[at - 1] != ".":
                out.append((s, d.end(), "EMAIL_ADDRESS", 1.0))


def _local_starts_py(text: str) -> list[tuple[int, int]]:
    """``(start, at)`` for every ``@`` of ``text`` with local-part characters just before it (at
    most 64 looked at): the reference of the C kernel's ``email_locals``. (The domain after an
    address holds no ``@``, so every ``@`` is a candidate in turn.)"""
    out = []
    local = _LOCAL_CHARS
    at = text.find("@")
    while at != -1:
        s = at
        lo = max(0, at - 64)
        while s > lo and text[s - 1] in local:
            s -= 1
        if s < at:
            out.append((s, at))
        at = text.find("@", at + 1)
    return out


def urls(text: str, out: list[Span]) -> None:
    for marker in ("://", "www."):
        i = text.find(marker)
        while i != -1:
            if marker == "://":
                sm = _SCHEME.search(text, max(0, i - 5), i)
                start = sm.start() if sm else -1
                body = i + 3
            else:
                start = i if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "/.")) else -1
                body = i
            if start >= 0 and (start == 0 or not text[start - 1].isalnum()):
                m = _URL_REST.match(text, body, body + 4096)
                if m:
                    end = m.end()
                    while end > body and text[end - 1] in _TRAIL_PUNCT:
                        if text[end - 1] == ")" and text.count("(", body, end) > text.count(")", body, end) - 1:
                            break
                        end -= 1
                    host = text[body:end].split("/", 1)[0]
                    if ("." in host and any(c.isalpha() for c in host)) or is_ip(host):
                        out.append((start, end, "URL", 0.6))
                        i = text.find(marker, end)
                        continue
            i = text.find(marker, i + 1)


def ipv6(text: str, out: list[Span]) -> None:
    n = len(text)
    i = text.find(":")
    while i != -1:
        a = i
        while a > 0 and text[a - 1] in _HEXCOLON and i - a < 45:
            a -= 1
        b = i
        while b < n and text[b] in _HEXCOLON and b - a < 45:
            b += 1
        while b > i and text[b - 1] == ".":
            b -= 1
        if (a == 0 or not text[a - 1].isalnum()) and (b == n or not text[b].isalnum()):
            cand = text[a:b]
            if cand.count(":") >= 2:
                try:
                    ipaddress.IPv6Address(cand)
                except ValueError:
                    pass
                else:
                    out.append((a, b, "IP_ADDRESS", 0.6))
        i = text.find(":", max(b, i + 1))


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split(":")[0] if host.count(":") == 1 else host.strip("[]"))
    except ValueError:
        return False
    return True


def dotted_quad(parts: list[str], text: str, ws: int) -> bool:
    """Four dot-separated groups that make an IPv4 address (not a ``v1.2.3.4`` version)."""
    return (
        len(parts) == 4
        and all(int(p) <= 255 and (p == "0" or p[0] != "0") for p in parts)
        and (ws == 0 or text[ws - 1] not in "vV")
    )
