"""`verify(source)`: walk each chain and name the first record that was modified, deleted,
inserted, reordered or truncated, or whose checkpoint or anchor signature is wrong.

What each kind means:

- ``modified``: a record's content does not match its hash, or its hash was recomputed after an
  edit (the next record still chains to the original), or a stored column differs from it.
- ``deleted``: a seq is missing and does not appear later.
- ``inserted``: a seq appears a second time (a copied line), or a record of another chain.
- ``reordered``: a seq appears before an earlier one that is still present.
- ``truncated``: the log ends before the seq the signed head anchor names.
- ``bad-signature``: a checkpoint or the anchor is not signed by the key given. This is what
  catches a forger who edits a record and recomputes every later hash without the key.

A crash leaves at worst an unterminated last line (``torn_tail``), which is reported, not failed.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ._chain import GENESIS, Ed25519Signer, HmacSigner, Signer, anchor_payload, canonical
from ._read import DEFAULT_TABLE, Entry, load

KINDS = ("modified", "deleted", "inserted", "reordered", "truncated", "bad-signature")


@dataclass
class VerifyReport:
    """What ``verify`` found. ``ok`` is true for an intact log; otherwise ``kind`` and ``seq`` name
    the first problem (``chain`` says in which chain, ``where`` which line or row)."""

    source: str
    ok: bool = True
    kind: str | None = None
    seq: int | None = None
    chain: str | None = None
    where: str | None = None
    message: str = ""
    records: int = 0
    chains: int = 0
    checkpoints: int = 0
    signatures_checked: bool = False
    anchored_seq: dict[str, int] = field(default_factory=dict)
    last_seq: dict[str, int] = field(default_factory=dict)
    torn_tail: bool = False
    unsigned_tail: int = 0  # records after the last checkpoint: intact, but not yet signed

    @property
    def first_bad_seq(self) -> int | None:
        """The sequence number of the first record that failed verification, or None if intact."""
        return self.seq

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if not self.ok:
            where = f" ({self.where})" if self.where else ""
            chain = f" in chain {self.chain}" if self.chain and self.chains > 1 else ""
            return f"TAMPERED: seq {self.seq}{chain} {self.kind}{where}: {self.message}"
        sig = "signatures verified" if self.signatures_checked else "signatures NOT checked (no key)"
        extra = ""
        if self.torn_tail:
            extra += "; an unterminated last line (crash) was ignored"
        if self.unsigned_tail:
            extra += f"; {self.unsigned_tail} records after the last checkpoint"
        if self.records and not self.anchored_seq:
            extra += "; no head anchor found, so a cut tail would go unnoticed"
        return (f"OK: {self.records} records in {self.chains} chain(s), {self.checkpoints} checkpoints, "
                f"{sig}{extra}")


class _Fail(Exception):
    def __init__(self, kind: str, seq: int | None, message: str, where: str | None = None) -> None:
        self.kind, self.seq, self.message, self.where = kind, seq, message, where


def signer_for(key: Any) -> Signer | None:
    """A verifying signer from what the user gave: an HMAC key, an Ed25519 key, or a `Signer`."""
    if key is None:
        env = os.environ.get("GUARDWRAP_AUDIT_KEY")
        if not env:
            return None
        from ._keys import key_from

        return HmacSigner(key_from(env))
    if isinstance(key, Signer):
        return key
    if isinstance(key, (str, bytes)):
        raw = key.encode() if isinstance(key, str) else key
        if raw.lstrip().startswith(b"-----BEGIN"):
            return Ed25519Signer(raw)
        from ._keys import key_from

        return HmacSigner(key_from(key))
    return Ed25519Signer(key)


def _hash_ok(rec: dict[str, Any]) -> bool:
    return rec.get("hash") == hashlib.sha256(canonical(rec)).hexdigest()


def _walk(entries: list[Entry], anchor: dict[str, Any] | None, signer: Signer | None,
          report: VerifyReport, chain: str, strict_chain: bool) -> None:
    recs = [e.rec for e in entries]
    positions: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if r is not None and isinstance(r.get("seq"), int):
            positions[r["seq"]].append(i)

    def later(seq: int, i: int) -> bool:
        return any(j > i for j in positions.get(seq, ()))

    if anchor is not None:
        _check_anchor(anchor, signer)
    expected, prev = 0, GENESIS
    hashes_at: dict[int, str] = {}
    last_cp = -1
    a_seq = anchor.get("seq") if anchor else None
    for i, (entry, r) in enumerate(zip(entries, recs, strict=True)):
        where = entry.where
        if r is None:
            if entry.torn:
                report.torn_tail = True
                break
            raise _Fail("modified", expected, "the line is not a JSON record", where)
        s = r.get("seq")
        if not _hash_ok(r):
            bad = s if s == expected else expected
            raise _Fail("modified", bad, "the record's content does not match its hash", where)
        if entry.column_mismatch:
            raise _Fail("modified", s, f"column {entry.column_mismatch!r} differs from the chained record",
                        where)
        if strict_chain and r.get("chain") != chain:
            raise _Fail("inserted", s, "a record from another chain", where)
        if s == expected:
            if r.get("prev_hash") != prev:
                if expected == 0:
                    raise _Fail("modified", 0, "the first record does not start a chain", where)
                raise _Fail("modified", expected - 1,
                            f"its hash was recomputed after an edit: seq {expected} chains to a "
                            "different record", where)
            if r.get("type") == "checkpoint":
                report.checkpoints += 1
                last_cp = s
                _check_sig(r, signer, report, where)
            if s == a_seq and r.get("hash") != anchor.get("hash"):  # type: ignore[union-attr]
                raise _Fail("modified", s, "the record differs from the one the signed anchor names "
                            "(history rewritten)", where)
            hashes_at[s] = r["hash"]
            prev = r["hash"]
            expected += 1
            continue
        if not isinstance(s, int):
            raise _Fail("modified", expected, "the record has no valid seq", where)
        if s < expected:
            copy = hashes_at.get(s) == r.get("hash")
            what = f"a copy of seq {s}" if copy else f"a second record claiming seq {s}"
            raise _Fail("inserted", s, f"{what} after seq {expected - 1}", where)
        if later(expected, i):
            if later(s, i):
                raise _Fail("inserted", s, f"a copy of seq {s} before seq {expected}", where)
            raise _Fail("reordered", expected, f"seq {s} appears before seq {expected}", where)
        if expected == 0:
            raise _Fail("deleted", 0, f"the log starts at seq {s}: earlier records are missing", where)
        raise _Fail("deleted", expected,
                    f"seq {expected}" + (f"..{s - 1}" if s - 1 > expected else "") + " missing", where)
    last = expected - 1
    report.records += expected
    report.last_seq[chain] = last
    report.unsigned_tail += max(0, last - last_cp) if last >= 0 else 0
    if anchor is not None:
        report.anchored_seq[chain] = int(anchor.get("seq", -1))
        if isinstance(a_seq, int) and a_seq > last:
            raise _Fail("truncated", last + 1,
                        f"the log ends at seq {last} but its signed anchor names seq {a_seq}", "end")


def _check_anchor(anchor: dict[str, Any], signer: Signer | None) -> None:
    if anchor.get("corrupt") or not isinstance(anchor.get("seq"), int):
        raise _Fail("bad-signature", None, "the head anchor is unreadable", "anchor")
    if signer is None:
        return
    if anchor.get("alg") != signer.alg or not signer.verify(
        anchor_payload(str(anchor.get("chain")), anchor["seq"], str(anchor.get("hash"))),
        str(anchor.get("sig")),
    ):
        raise _Fail("bad-signature", anchor["seq"], "the head anchor's signature is wrong", "anchor")


def _check_sig(r: dict[str, Any], signer: Signer | None, report: VerifyReport, where: str) -> None:
    if signer is None:
        return
    if r.get("alg") != signer.alg:
        raise _Fail("bad-signature", r.get("seq"),
                    f"checkpoint signed with {r.get('alg')}, the key given is {signer.alg}", where)
    if not signer.verify(r["hash"], str(r.get("sig"))):
        raise _Fail("bad-signature", r.get("seq"),
                    "checkpoint signature is wrong: records since the previous checkpoint were "
                    "rewritten, or the key is not the one the log was signed with", where)
    report.signatures_checked = True


def verify(source: str | os.PathLike[str], key: Any = None, *, table: str = DEFAULT_TABLE) -> VerifyReport:
    """Check a JSONL path, a SQLite path or a PostgreSQL DSN; returns a `VerifyReport`.

    ``key`` verifies signatures: the HMAC audit key (default ``GUARDWRAP_AUDIT_KEY``) or the
    Ed25519 public key. Without any key the chain is still checked, the signatures are not.

    >>> report = verify("audit/decisions.jsonl")   # doctest: +SKIP
    >>> report.ok, report.kind, report.seq          # doctest: +SKIP
    (False, 'deleted', 41)
    """
    signer = signer_for(key)
    loaded = load(source, table)
    report = VerifyReport(source=os.fspath(source), chains=len(loaded.chains))
    report.signatures_checked = False
    try:
        names = list(loaded.chains)
        for chain in names:
            anchor = loaded.anchors.get(chain)
            if anchor is None and loaded.single_chain and loaded.anchors:
                anchor = next(iter(loaded.anchors.values()))
                if anchor.get("chain") not in (None, chain):
                    raise _Fail("inserted", 0, "the anchor belongs to another chain", "anchor")
            report.chain = chain
            _walk(loaded.chains[chain], anchor, signer, report, chain, strict_chain=not loaded.single_chain)
        for chain in loaded.anchors:
            if chain not in loaded.chains and not loaded.single_chain:
                report.chain = chain
                raise _Fail("deleted", 0, f"chain {chain} is anchored but has no records", "anchor")
        if signer is not None and report.checkpoints and not report.signatures_checked:
            report.signatures_checked = True
    except _Fail as f:
        report.ok = False
        report.kind, report.seq, report.message, report.where = f.kind, f.seq, f.message, f.where
        return report
    report.chain = None
    return report
