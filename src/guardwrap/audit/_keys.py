"""The audit key: keyed hashes (HMAC-SHA256) for content and actors, so nothing in a record can be
reversed or brute-forced from a public salt.

The key comes from the guard's configuration or ``GUARDWRAP_AUDIT_KEY``. Without either, a random
per-process key is used and a warning says so once: hashes then only correlate within one process.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import threading
import warnings
from collections.abc import Callable
from typing import Any

from .._errors import GuardwrapWarning
from .._native import kernel

_k = kernel("guardwrap.audit._csha")

_lock = threading.Lock()
_process_key: bytes | None = None


def key_from(value: str | bytes | None) -> bytes:
    if isinstance(value, bytes):
        return value
    if value is None:
        raise ValueError("no key")
    try:
        return bytes.fromhex(value) if len(value) >= 32 else value.encode("utf-8")
    except ValueError:
        return value.encode("utf-8")


def audit_key(configured: str | bytes | None = None) -> bytes:
    """The key to use: configured, else ``GUARDWRAP_AUDIT_KEY``, else a per-process random key."""
    global _process_key
    if configured is not None:
        return key_from(configured)
    env = os.environ.get("GUARDWRAP_AUDIT_KEY")
    if env:
        return key_from(env)
    with _lock:
        if _process_key is None:
            _process_key = os.urandom(32)
            warnings.warn(
                "guardwrap: no audit key configured (GUARDWRAP_AUDIT_KEY or audit_key=); using a "
                "random per-process key, so content hashes cannot be matched across processes",
                GuardwrapWarning,
                stacklevel=3,
            )
        return _process_key


def hasher(key: bytes) -> Callable[[str], str]:
    """A function computing HMAC-SHA256 under ``key`` (hex), with the key schedule done once.

    With the C kernel (``_csha.c``) the hash is computed there, without OpenSSL's per-call setup
    (a third of the time on short texts); the result is the same."""
    if _k is not None:
        return functools.partial(_k.hmac_hex, _k.hmac_key(key))
    try:  # OpenSSL's HMAC object directly: its copy() is C, hmac.HMAC's is Python
        import _hashlib

        base: Any = _hashlib.hmac_new(key, digestmod="sha256")
        base.copy().hexdigest()
    except (ImportError, AttributeError, TypeError, ValueError):
        base = hmac.new(key, digestmod=hashlib.sha256)

    def keyed(text: str) -> str:
        h = base.copy()
        try:
            h.update(text.encode())
        except UnicodeEncodeError:  # lone surrogates: hashed as they are, never refused
            h.update(text.encode("utf-8", "surrogatepass"))
        out: str = h.hexdigest()
        return out

    return keyed


def keyed_hash(text: str, key: bytes) -> str:
    """HMAC-SHA256 of ``text`` under ``key``, hex."""
    return hmac.digest(key, text.encode("utf-8", "surrogatepass"), "sha256").hex()
