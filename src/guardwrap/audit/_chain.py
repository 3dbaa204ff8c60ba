"""The hash chain: canonical bytes, record hashes, signed checkpoints and the signed head anchor.

Each record carries ``chain`` (an id for one writer's chain), ``seq`` (gapless within the chain),
``prev_hash`` (the previous record's ``hash``; 64 zeros for the first) and ``hash``: SHA-256 over
the record's canonical bytes, that is the record without ``hash`` and ``sig``, serialised with
sorted keys by orjson. A ``checkpoint`` record additionally carries ``sig``: a signature over its own
``hash`` (HMAC-SHA256 with the audit key, or Ed25519), so rewriting history and recomputing every
hash still breaks the next signature. The head anchor (a sidecar file, or a database table) holds
the signed ``(chain, seq, hash)`` of the latest checkpoint: a log that ends before it was truncated.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from .._native import kernel

#: SHA-256, HMAC and the chain in C (``_csha.c``; None: hashlib, the reference, does it all)
_k = kernel("guardwrap.audit._csha")

GENESIS = "0" * 64
#: The ``chain`` value of a record whose keys are already in sorted order, ``seq`` and
#: ``prev_hash`` included (``_record.materialize_call``): `Chainer.seal` skips the sort.
PRESORTED: Any = type("Presorted", (), {"__repr__": lambda self: "PRESORTED"})()
#: where `Chainer.seal_many` leaves the previous hash for the kernel to fill in: random, so no
#: record content can hold it (the kernel takes its first occurrence after a "prev_hash" key)
_PLACEHOLDER = os.urandom(32).hex()
_PLACEHOLDER_JSON = b'"' + _PLACEHOLDER.encode() + b'"'
_dumps = orjson.dumps
_sha256 = hashlib.sha256
_OPTS = orjson.OPT_SORT_KEYS
_EXCLUDED = ("hash", "sig")


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes a record's ``hash`` covers: the record without ``hash``/``sig``, keys sorted."""
    if "hash" in record or "sig" in record:
        record = {k: v for k, v in record.items() if k not in _EXCLUDED}
    return orjson.dumps(record, option=_OPTS, default=_default)


def _default(value: Any) -> Any:
    # Tuples and sets from custom validators; anything else is rendered by type name only, so an
    # unexpected object can never smuggle its repr (which might hold text) into the log.
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    return f"<{type(value).__name__}>"


def _chain_bodies(bodies: list[bytes], prev: str) -> tuple[bytes, str]:
    """What the C kernel's ``seal`` does, in Python: each body's placeholder (its first
    occurrence: no content can hold it) becomes the previous hash; hash; splice the hash in."""
    ph = _PLACEHOLDER.encode()
    out = []
    for body in bodies:
        body = body.replace(ph, prev.encode(), 1)
        prev = _sha256(body).hexdigest()
        out.append(body[:-1] + b',"hash":"' + prev.encode() + b'"}\n')
    return b"".join(out), prev


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def new_chain_id() -> str:
    return os.urandom(8).hex()


class Chainer:
    """Stamps ``chain``/``seq``/``prev_hash``/``hash`` on records and renders them as one JSON line.

    Not thread-safe: one writer thread owns it.
    """

    __slots__ = ("chain", "prev_hash", "seq")

    def __init__(self, chain: str | None = None, seq: int = 0, prev_hash: str = GENESIS) -> None:
        self.chain = chain or new_chain_id()
        self.seq = seq  # the seq the next record gets
        self.prev_hash = prev_hash

    def seal(self, record: dict[str, Any]) -> bytes:
        """Chain ``record`` (mutating it: pass a copy of anything the caller still holds) and
        return its line, newline-terminated."""
        presorted = record.get("chain") is PRESORTED
        if not presorted and ("hash" in record or "sig" in record):  # chained elsewhere before
            record.pop("hash", None)
            record.pop("sig", None)
        record["chain"] = self.chain
        seq = record["seq"] = self.seq
        record["prev_hash"] = self.prev_hash
        # A record built with its keys in sorted order (``chain``, ``seq`` and ``prev_hash`` in
        # place) serialises to the canonical bytes without sorting.
        body = _dumps(record, default=_default) if presorted else _dumps(record, option=_OPTS, default=_default)
        h = record["hash"] = self.prev_hash = _sha256(body).hexdigest()
        self.seq = seq + 1
        # Splice the hash in as the last key: one serialisation per record instead of two. Readers
        # recompute the canonical bytes anyway, so the line itself need not be sorted.
        return body[:-1] + b',"hash":"' + h.encode() + b'"}\n'

    def seal_many(self, records: Sequence[Any], on_error: Callable[[Any, Exception], dict[str, Any]],
                  build: Callable[[Any, bytes, int, bytes], bytes | dict[str, Any]] | None = None,
                  fast: Callable[[list[Any], int, int, int, bytes, bytes, list[bytes]], int] | None = None) -> bytes:
        """`seal` for several records at once, their lines joined: the same bytes.

        ``records`` holds record dicts, or (with ``build``) items that ``build(item, chain_json,
        seq, prev_json)`` turns into the record's canonical bytes directly, or into its dict. A
        record that cannot be built or serialised is replaced by ``on_error(record, exc)``. Each
        record is serialised with a placeholder for ``prev_hash``; the C kernel (or, without it,
        `_chain_bodies`) fills in the previous hashes, hashes and splices, so record dicts do not
        get their ``hash``. ``fast(records, i, stop, seq, chain_json, prev_json, bodies)``, when
        given (a list of records), appends the bodies ``build`` would give for a run of items from
        ``i`` and returns where it stopped (`_record.CallBodies`): the item there takes the path
        above."""
        chain, seq = self.chain, self.seq
        chain_json = _dumps(chain)
        prev_json = _PLACEHOLDER_JSON
        bodies: list[bytes] = []
        append = bodies.append
        i, n = 0, len(records)
        if fast is not None and type(records) is not list:
            records = list(records)
        while i < n:
            if fast is not None:
                before = len(bodies)
                # (an error: the item it stopped at takes the path below, errors and all)
                with contextlib.suppress(Exception):
                    fast(records, i, n, seq, chain_json, prev_json, bodies)  # type: ignore[arg-type]
                done = len(bodies) - before
                i += done
                seq += done
                if i >= n:
                    break
            rec = records[i]
            i += 1
            try:
                if build is not None and type(rec) is not dict:
                    built = build(rec, chain_json, seq, prev_json)
                    if type(built) is bytes:
                        append(built)
                        seq += 1
                        continue
                    rec = built
                body = self._body(rec, chain, seq)
            except Exception as exc:
                body = self._body(on_error(rec, exc), chain, seq)
            append(body)
            seq += 1
        if _k is not None:
            lines, last = _k.seal(bodies, self.prev_hash, _PLACEHOLDER)
        else:
            lines, last = _chain_bodies(bodies, self.prev_hash)
        self.seq = seq
        self.prev_hash = last
        return lines  # type: ignore[no-any-return]

    def seal_calls(self, records: list[Any], start: int, stop: int, fast: Any, max_bytes: int,
                   gil_free_bytes: int = -1) -> tuple[bytes, int]:
        """`seal_many` of the call items ``records[start:stop]`` in one kernel pass
        (`_record.CallBodies.seal`: no bytes object per record, the hashing of a large run without
        the GIL), up to the first item that is not a plain call record or once the run passes
        ``max_bytes``: ``(lines, the index it stopped at)``. An error raises with the chain as it was."""
        lines, last, i = fast.seal(records, start, stop, self.seq, _dumps(self.chain), self.prev_hash, max_bytes,
                                   gil_free_bytes)
        self.seq += i - start
        self.prev_hash = last
        return lines, i

    @staticmethod
    def _body(rec: dict[str, Any], chain: str, seq: int) -> bytes:
        presorted = rec.get("chain") is PRESORTED
        if not presorted and ("hash" in rec or "sig" in rec):
            rec.pop("hash", None)
            rec.pop("sig", None)
        rec["chain"] = chain
        rec["seq"] = seq
        rec["prev_hash"] = _PLACEHOLDER
        return _dumps(rec, default=_default) if presorted else _dumps(rec, option=_OPTS, default=_default)

    def seal_signed(self, record: dict[str, Any], signer: Signer) -> bytes:
        """Chain a checkpoint record and sign its hash."""
        line = self.seal(record)
        sig = signer.sign(record["hash"])
        record["sig"] = sig
        return line[:-2] + b',"sig":"' + sig.encode() + b'"}\n'


# -- signing ---------------------------------------------------------------------------------------


class Signer:
    """Signs checkpoint and anchor hashes. `HmacSigner` (default) or `Ed25519Signer`."""

    alg = ""
    key_id = ""

    def sign(self, hex_hash: str) -> str:
        """The signature of a checkpoint or anchor hash (hex), as stored in the log."""
        raise NotImplementedError

    def verify(self, hex_hash: str, sig: str) -> bool:
        """True when ``sig`` is this key's signature of ``hex_hash``."""
        raise NotImplementedError


class HmacSigner(Signer):
    """HMAC-SHA256 with the audit key: whoever verifies needs the same key."""

    alg = "hmac-sha256"

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.key_id = hmac.digest(key, b"guardwrap.audit key-id", "sha256").hex()[:16]

    def sign(self, hex_hash: str) -> str:
        return hmac.digest(self._key, bytes.fromhex(hex_hash), "sha256").hex()

    def verify(self, hex_hash: str, sig: str) -> bool:
        try:
            return hmac.compare_digest(self.sign(hex_hash), sig)
        except (ValueError, TypeError):
            return False

    def __repr__(self) -> str:
        return f"HmacSigner(key_id={self.key_id!r})"


class Ed25519Signer(Signer):
    """Ed25519 (``cryptography``): sign with the private key, verify with the public key only.

    ``key`` is an ``Ed25519PrivateKey`` or ``Ed25519PublicKey``, PEM bytes, or 32 raw bytes of a
    private key. A signer built from a public key can only verify.
    """

    alg = "ed25519"

    def __init__(self, key: Any) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (
            Ed25519PrivateKey,
            Ed25519PublicKey,
        )

        if isinstance(key, str):
            key = key.encode()
        if isinstance(key, bytes):
            if key.lstrip().startswith(b"-----BEGIN"):
                if b"PRIVATE" in key:
                    key = serialization.load_pem_private_key(key, password=None)
                else:
                    key = serialization.load_pem_public_key(key)
            elif len(key) == 32:
                key = Ed25519PrivateKey.from_private_bytes(key)
        self._private: Any = None
        if isinstance(key, Ed25519PrivateKey):
            self._private = key
            self._public = key.public_key()
        elif isinstance(key, Ed25519PublicKey):
            self._public = key
        else:
            from .._errors import PolicyError

            raise PolicyError("not an Ed25519 key", key="signing_key",
                              expected="Ed25519PrivateKey/PublicKey, PEM bytes or 32 raw bytes")
        raw = self._public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    def sign(self, hex_hash: str) -> str:
        if self._private is None:
            raise ValueError("this Ed25519Signer holds only a public key")
        return self._private.sign(bytes.fromhex(hex_hash)).hex()  # type: ignore[no-any-return]

    def verify(self, hex_hash: str, sig: str) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            self._public.verify(bytes.fromhex(sig), bytes.fromhex(hex_hash))
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True

    def __repr__(self) -> str:
        return f"Ed25519Signer(key_id={self.key_id!r}, private={self._private is not None})"


def make_signer(signing_key: Any = None, audit_key: str | bytes | None = None) -> Signer:
    """The signer a sink uses: Ed25519 when given such a key, else HMAC with the audit key."""
    if isinstance(signing_key, Signer):
        return signing_key
    if signing_key is not None:
        return Ed25519Signer(signing_key)
    from ._keys import audit_key as resolve

    return HmacSigner(resolve(audit_key))


# -- the head anchor -------------------------------------------------------------------------------


def anchor_payload(chain: str, seq: int, hash_: str) -> str:
    """What an anchor's signature covers, as a hex hash."""
    return hashlib.sha256(f"guardwrap.anchor|{chain}|{seq}|{hash_}".encode()).hexdigest()


def make_anchor(signer: Signer, chain: str, seq: int, hash_: str, **extra: Any) -> dict[str, Any]:
    return {
        "chain": chain,
        "seq": seq,
        "hash": hash_,
        "alg": signer.alg,
        "key_id": signer.key_id,
        "sig": signer.sign(anchor_payload(chain, seq, hash_)),
        **extra,
    }


def write_anchor_file(path: str, anchor: dict[str, Any]) -> None:
    """Replace the sidecar atomically: write a temp file, fsync it, rename over the old one."""
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, orjson.dumps(anchor) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
