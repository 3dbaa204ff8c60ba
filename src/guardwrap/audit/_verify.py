"""`verify(source)`: walk each chain and say whether the log is intact, intact with recorded gaps,
or tampered, naming the first record that was modified, deleted, inserted, reordered or truncated,
or whose checkpoint or anchor signature is wrong.

Three answers (and the CLI's exit codes, SPEC section 7):

- ``intact`` (0): every record is there and chains; signatures check with the key given.
- ``gaps`` (3): intact, and the log itself records a loss: a ``gap`` record (records dropped, with
  the count and reason), seqs an outage declared missing or sent to a spill file, or a chain that
  starts afresh because its file was removed under the writer. Each is listed in ``gaps``.
- ``tampered`` (1): something no fault produces. A crash, a full disk, an outage or a wrong key
  never yields this answer.

Verifying with a key other than the one the log was signed with answers ``key-mismatch`` (exit 2,
with the key ids found), not tampered; unreadable sources raise (exit 2 in the CLI).

What each tampering kind means:

- ``modified``: a record's content does not match its hash, or its hash was recomputed after an
  edit (the next record still chains to the original), or a stored column differs from it.
- ``deleted``: a seq is missing, does not appear later, and no record declares it missing.
- ``inserted``: a seq appears a second time (a copied line), or a record of another chain.
- ``reordered``: a seq appears before an earlier one that is still present.
- ``truncated``: the log ends before the seq the signed head anchor names.
- ``bad-signature``: a checkpoint or the anchor, signed with the key given (same key id), does not
  verify. This is what catches a forger who edits a record and recomputes every later hash.

Memory stays bounded: records stream, and only when something is out of place is a seq looked up
again (a scan of the file, or an indexed query).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ._chain import GENESIS, Ed25519Signer, HmacSigner, Signer, _default, anchor_payload
from ._read import (
    DEFAULT_TABLE,
    Entry,
    TableSource,
    jsonl_entries,
    jsonl_files,
    jsonl_lookup,
    kind_of,
    read_anchor_file,
)

KINDS = ("modified", "deleted", "inserted", "reordered", "truncated", "bad-signature")
STATUSES = ("intact", "gaps", "tampered", "key-mismatch")
EXIT_CODES = {"intact": 0, "gaps": 3, "tampered": 1, "key-mismatch": 2}
#: at most this many gaps are listed one by one (all are counted)
MAX_LISTED = 1000


@dataclass
class Gap:
    """A loss the log records about itself."""

    kind: str  # "dropped" | "missing-seqs" | "spilled" | "chain-restarted"
    chain: str | None
    reason: str
    count: int | None = None
    seqs: list[list[int]] | None = None
    where: str | None = None
    ts: float | None = None

    def __str__(self) -> str:
        what = {"dropped": "records dropped before they were chained",
                "missing-seqs": "records lost after they were chained",
                "spilled": "records in a spill file that was not read",
                "chain-restarted": "records gone with a removed or replaced log"}.get(self.kind, self.kind)
        n = f"{self.count} " if self.count is not None else ""
        seqs = ""
        if self.seqs:
            seqs = " seq " + ", ".join(f"{a}..{b}" if b != a else str(a) for a, b in self.seqs)
        chain = f" chain {self.chain}" if self.chain else ""
        at = f" at {self.where}" if self.where else ""
        return f"{n}{what}{chain}{seqs} ({self.reason}){at}"


@dataclass
class VerifyReport:
    """What ``verify`` found.

    ``status`` is ``"intact"``, ``"gaps"``, ``"tampered"`` or ``"key-mismatch"``; ``exit_code``
    the CLI's answer for it. ``ok`` is true when nothing was tampered with and the signatures
    could be checked with the key given (``intact`` or ``gaps``). For a tampered log ``kind`` and
    ``seq`` name the first problem (``chain`` says in which chain, ``where`` which line or row).
    """

    source: str
    ok: bool = True
    status: str = "intact"
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
    crash_cuts: int = 0  # partial last records a crash left, cut when the log was reopened
    unsigned_tail: int = 0  # records after the last checkpoint: intact, but not yet signed
    gaps: list[Gap] = field(default_factory=list)
    gap_count: int = 0  # gaps found (``gaps`` lists the first MAX_LISTED)
    lost: int = 0  # records the log says it lost (where a count is known)
    outages: int = 0  # outages the writer recorded (``lifecycle`` ``outage`` records)
    key_ids: dict[str, int] = field(default_factory=dict)  # checkpoints per signing key id
    key_mismatch: str | None = None
    spill_records: int = 0  # records read from spill files

    @property
    def first_bad_seq(self) -> int | None:
        """The sequence number of the first record that failed verification, or None if intact."""
        return self.seq

    @property
    def exit_code(self) -> int:
        """What ``guardwrap audit verify`` exits with: 0 intact, 3 gaps, 1 tampered, 2 key mismatch."""
        return EXIT_CODES[self.status]

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.status == "tampered":
            where = f" ({self.where})" if self.where else ""
            chain = f" in chain {self.chain}" if self.chain and self.chains > 1 else ""
            return f"TAMPERED: seq {self.seq}{chain} {self.kind}{where}: {self.message}"
        if self.status == "key-mismatch":
            return (f"KEY MISMATCH: {self.key_mismatch}. The hash chain itself is intact; verify with the "
                    "key the log was written with (if that is the key given, the signatures were replaced)")
        sig = "signatures verified" if self.signatures_checked else "signatures NOT checked (no key)"
        extra = ""
        if self.torn_tail:
            extra += "; an unterminated last line (crash) was ignored"
        if self.crash_cuts:
            extra += (f"; {self.crash_cuts} partial record(s) a crash left were cut on reopen (calls that "
                      "never returned)")
        if self.unsigned_tail:
            extra += f"; {self.unsigned_tail} records after the last checkpoint"
        if self.records and not self.anchored_seq:
            extra += "; no head anchor found, so a cut tail would go unnoticed"
        if self.outages:
            extra += f"; {self.outages} outage(s) recorded, nothing held was lost"
        if self.spill_records:
            extra += f"; {self.spill_records} records read from spill files"
        head = (f"{self.records} records in {self.chains} chain(s), {self.checkpoints} checkpoints, "
                f"{sig}{extra}")
        if self.status == "gaps":
            lines = [f"INTACT WITH GAPS: {head}; {self.gap_count} recorded gap(s), "
                     f"{self.lost} records lost"]
            lines += [f"  gap: {g}" for g in self.gaps]
            if self.gap_count > len(self.gaps):
                lines.append(f"  ... and {self.gap_count - len(self.gaps)} more")
            return "\n".join(lines)
        return f"OK: {head}"


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


def _signers(key: Any) -> dict[str, Signer]:
    keys = list(key) if isinstance(key, (list, tuple)) else [key]
    out: dict[str, Signer] = {}
    for k in keys:
        s = signer_for(k)
        if s is not None:
            out[s.key_id] = s
    return out


def _hash_ok(rec: dict[str, Any]) -> bool:
    """Does the record's ``hash`` cover its content? (What `canonical` computes, without copying
    the record: it is verify's own parsed dict, so ``hash``/``sig`` are taken out and put back.)"""
    h = rec.pop("hash", None)
    sig = rec.pop("sig", _NO_SIG)
    try:
        ok: bool = h == hashlib.sha256(orjson.dumps(rec, option=orjson.OPT_SORT_KEYS, default=_default)).hexdigest()
        return ok
    except (TypeError, ValueError):
        return False
    finally:
        rec["hash"] = h
        if sig is not _NO_SIG:
            rec["sig"] = sig


_NO_SIG = object()


def _declared(r: dict[str, Any]) -> list[tuple[int, int]]:
    ranges = r.get("missing_seqs")
    out = []
    if isinstance(ranges, list):
        for item in ranges:
            if (isinstance(item, list) and len(item) == 2 and all(type(x) is int for x in item)
                    and item[0] <= item[1]):
                out.append((item[0], item[1]))
    return out


def _covers(ranges: list[tuple[int, int]], a: int, b: int) -> bool:
    need = a
    for lo, hi in sorted(ranges):
        if lo <= need <= hi:
            need = hi + 1
        if need > b:
            return True
    return need > b


class _Spills:
    """Records that an outage sent to spill files, read on demand for one chain and seq range."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = [os.fspath(p) for p in paths]
        self.read: set[str] = set()

    def add(self, path: Any) -> None:
        if isinstance(path, str) and path not in self.paths:
            self.paths.append(path)

    def fetch(self, chain: str, lo: int, hi: float) -> dict[int, Entry]:
        from ._read import _parse

        needle = f'"chain":"{chain}"'.encode()
        out: dict[int, Entry] = {}
        for path in self.paths:
            if not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                for i, line in enumerate(f, 1):
                    if needle not in line:
                        continue
                    rec = _parse(line.rstrip(b"\n"))
                    if rec is None or rec.get("chain") != chain:
                        continue
                    s = rec.get("seq")
                    if type(s) is int and lo <= s <= hi and s not in out:
                        out[s] = Entry(rec, ("line", os.path.basename(path), i))
                        self.read.add(path)
        return out


class _Walk:
    """One chain, fed its records in storage order; constant memory."""

    def __init__(self, v: _Verifier, chain: str, anchor: dict[str, Any] | None) -> None:
        self.v = v
        self.chain = chain
        self.anchor = anchor
        self.a_seq = anchor.get("seq") if anchor else None
        self.expected = 0
        self.prev = GENESIS
        self.last_cp = -1
        self.records = 0
        self.spill_file: str | None = None
        self.link: dict[str, Any] | None = None  # the record that started this chain from another one
        if anchor is not None:
            v.check_anchor(anchor)

    def feed(self, e: Entry) -> None:
        r = e.rec
        v = self.v
        expected = self.expected
        if r is None:
            if e.torn:
                v.report.torn_tail = True
                return
            raise _Fail("modified", expected, "the line is not a JSON record", e.where)
        s = r.get("seq")
        if not _hash_ok(r):
            raise _Fail("modified", s if s == expected else expected,
                        "the record's content does not match its hash", e.where)
        if e.column_mismatch:
            raise _Fail("modified", s, f"column {e.column_mismatch!r} differs from the chained record", e.where)
        if s == expected:
            self.accept(r, e)
            return
        if type(s) is not int:
            raise _Fail("modified", expected, "the record has no valid seq", e.where)
        if s < expected:
            earlier = [rec for pos, rec in v.lookup(self.chain, s) if pos < e.pos]
            copy = any(x.get("hash") == r.get("hash") for x in earlier)
            what = f"a copy of seq {s}" if copy else f"a second record claiming seq {s}"
            raise _Fail("inserted", s, f"{what} after seq {expected - 1}", e.where)
        ranges = _declared(r)
        if ranges and _covers(ranges, expected, s - 1):
            spliced = self.declared_jump(r, expected, s - 1, e.where)
            self.accept(r, e, check_prev=spliced)
            return
        if any(pos > e.pos for pos, _ in v.lookup(self.chain, expected)):
            if any(pos > e.pos for pos, _ in v.lookup(self.chain, s)):
                raise _Fail("inserted", s, f"a copy of seq {s} before seq {expected}", e.where)
            raise _Fail("reordered", expected, f"seq {s} appears before seq {expected}", e.where)
        if expected == 0:
            raise _Fail("deleted", 0, f"the log starts at seq {s}: earlier records are missing", e.where)
        raise _Fail("deleted", expected,
                    f"seq {expected}" + (f"..{s - 1}" if s - 1 > expected else "") + " missing", e.where)

    def accept(self, r: dict[str, Any], e: Entry, check_prev: bool = True) -> None:
        v = self.v
        s = r["seq"]
        if check_prev and r.get("prev_hash") != self.prev:
            if s == 0:
                raise _Fail("modified", 0, "the first record does not start a chain", e.where)
            raise _Fail("modified", s - 1, f"its hash was recomputed after an edit: seq {s} chains to a "
                        "different record", e.where)
        t = r.get("type")
        if t == "checkpoint":
            v.report.checkpoints += 1
            self.last_cp = s
            v.check_sig(r, e)
        elif t == "gap":
            n = r.get("dropped")
            v.gap(Gap("dropped", self.chain, str(r.get("reason") or "unknown"),
                      n if type(n) is int else None, None, e.where, r.get("ts")))
        elif t == "lifecycle":
            event = r.get("event")
            if event == "outage":
                v.report.outages += 1
            elif event == "resume" and r.get("torn_bytes"):
                v.report.crash_cuts += 1
            if isinstance(r.get("spill_file"), str):
                self.spill_file = r["spill_file"]
                v.spills.add(r["spill_file"])
            if s == 0 and isinstance(r.get("previous_chain"), str) and event == "reopen":
                self.link = r
        if s == self.a_seq and r.get("hash") != self.anchor.get("hash"):  # type: ignore[union-attr]
            raise _Fail("modified", s, "the record differs from the one the signed anchor names "
                        "(history rewritten)", e.where)
        self.prev = r["hash"]
        self.expected = s + 1
        self.records += 1

    def declared_jump(self, r: dict[str, Any], a: int, b: int, where: str) -> bool:
        """Seqs ``a..b`` are declared missing by ``r``: read them from a spill file when one has
        them, else list the gap. True when every one of them was found (and chained)."""
        v = self.v
        spill = r.get("spill_file")
        if isinstance(spill, str):
            v.spills.add(spill)
        found = v.spills.fetch(self.chain, a, b) if v.spills.paths else {}
        s = a
        while s <= b and s in found:
            e = found[s]
            self.feed(e)  # the spilled record must chain like any other
            v.report.spill_records += 1
            s += 1
        if s > b:
            return True
        if r.get("type") == "lifecycle" and r.get("event") == "spilled":
            v.gap(Gap("spilled", self.chain, f"in spill file {spill} (not read)", b - s + 1, [[s, b]], where,
                      r.get("ts")))
        else:
            v.gap(Gap("missing-seqs", self.chain, str(r.get("reason") or r.get("event") or "unknown"),
                      b - s + 1, [[s, b]], where, r.get("ts")))
        return False

    def finish_tail(self) -> None:
        """Records of this chain that only reached its spill file (closed while the database was down)."""
        if self.spill_file is None or not os.path.isfile(self.spill_file):
            return
        found = self.v.spills.fetch(self.chain, self.expected, float("inf"))
        s = self.expected
        while s in found:
            self.feed(found[s])
            self.v.report.spill_records += 1
            s += 1

    @property
    def last(self) -> int:
        return self.expected - 1


class _Verifier:
    def __init__(self, report: VerifyReport, signers: dict[str, Signer],
                 lookup: Callable[[str, int], list[tuple[int, dict[str, Any]]]], spills: _Spills,
                 files: list[str] | None = None) -> None:
        self.files = files
        self.report = report
        self.signers = signers
        self.lookup = lookup
        self.spills = spills
        self.mismatch: list[str] = []

    def gap(self, g: Gap) -> None:
        rep = self.report
        rep.gap_count += 1
        if g.count:
            rep.lost += g.count
        if len(rep.gaps) < MAX_LISTED:
            rep.gaps.append(g)

    def _signer(self, alg: Any, key_id: Any, what: str) -> Signer | None:
        """The signer for a signature, or None when no key was given or the key differs (noted)."""
        if not self.signers:
            return None
        s = self.signers.get(str(key_id)) if key_id is not None else None
        if s is None and key_id is None and len(self.signers) == 1:
            s = next(iter(self.signers.values()))  # an old record without a key id: try the key
        if s is None or s.alg != alg:
            given = ", ".join(sorted(self.signers))
            note = f"{what} signed with key id {key_id} ({alg}), the key given has id {given}"
            if note not in self.mismatch:
                self.mismatch.append(note)
            return None
        return s

    def check_anchor(self, anchor: dict[str, Any]) -> None:
        if anchor.get("corrupt") or type(anchor.get("seq")) is not int:
            raise _Fail("bad-signature", None, "the head anchor is unreadable", "anchor")
        signer = self._signer(anchor.get("alg"), anchor.get("key_id"), "the anchor")
        if signer is None:
            return
        if not signer.verify(anchor_payload(str(anchor.get("chain")), anchor["seq"], str(anchor.get("hash"))),
                             str(anchor.get("sig"))):
            raise _Fail("bad-signature", anchor["seq"], "the head anchor's signature is wrong", "anchor")

    def check_sig(self, r: dict[str, Any], e: Entry) -> None:
        kid = r.get("key_id")
        self.report.key_ids[str(kid)] = self.report.key_ids.get(str(kid), 0) + 1
        signer = self._signer(r.get("alg"), kid, f"checkpoints from seq {r.get('seq')}")
        if signer is None:
            return
        if not signer.verify(r["hash"], str(r.get("sig"))):
            raise _Fail("bad-signature", r.get("seq"),
                        "checkpoint signature is wrong: records since the previous checkpoint were "
                        "rewritten", e.where)
        self.report.signatures_checked = True


def _end(v: _Verifier, walks: list[_Walk], anchors: dict[str, dict[str, Any]]) -> None:
    """Chain ends: anchors (truncation) and the links of restarted chains (recorded loss)."""
    report = v.report
    reached: dict[str, tuple[int, str, str]] = {}  # chain -> (seq it reached, reason, where) per a link
    for w in walks:
        if w.link is not None:
            r = w.link
            reached[str(r["previous_chain"])] = (int(r.get("previous_seq", -1)), str(r.get("reason") or "reopen"),
                                                 f"chain {w.chain} seq 0")
    walked = {w.chain: w for w in walks}
    for w in walks:
        w.finish_tail()
        report.records += w.records
        report.last_seq[w.chain] = w.last
        report.unsigned_tail += max(0, w.last - w.last_cp) if w.last >= 0 else 0
        link = reached.get(w.chain)
        if link is not None and link[0] > w.last:
            v.gap(Gap("chain-restarted", w.chain, link[1], link[0] - w.last, [[w.last + 1, link[0]]], link[2]))
        if w.anchor is not None:
            report.anchored_seq[w.chain] = int(w.anchor.get("seq", -1))
            a_seq = w.a_seq
            if type(a_seq) is int and a_seq > w.last and not (link is not None and link[0] >= a_seq):
                report.chain = w.chain
                raise _Fail("truncated", w.last + 1,
                            f"the log ends at seq {w.last} but its signed anchor names seq {a_seq}", "end")
    for chain, anchor in anchors.items():
        if chain in walked:
            continue
        link = reached.get(chain)
        if link is not None:
            v.check_anchor(anchor)
            a_seq = anchor.get("seq")
            if type(a_seq) is int and a_seq > link[0]:
                raise _Fail("truncated", link[0] + 1, f"chain {chain} was restarted at seq {link[0]} but "
                            f"its signed anchor names seq {a_seq}", "anchor")
            continue
        report.chain = chain
        raise _Fail("deleted", 0, f"chain {chain} is anchored but has no records", "anchor")
    for chain, (seq, reason, where) in reached.items():
        if chain not in walked:
            v.gap(Gap("chain-restarted", chain, reason, seq + 1 if seq >= 0 else None,
                      [[0, seq]] if seq >= 0 else None, where))


def _walk_jsonl(v: _Verifier, path: str) -> list[_Walk]:
    anchor = read_anchor_file(path)
    anchor_chain = anchor.get("chain") if anchor is not None else None
    walks: list[_Walk] = []
    cur: _Walk | None = None
    for e in jsonl_entries(path, v.files):
        r = e.rec
        chain = r.get("chain") if r is not None else None
        if cur is None:
            name = chain if isinstance(chain, str) else ""
            cur = _Walk(v, name, anchor if anchor is not None and anchor_chain in (None, name) else None)
            walks.append(cur)
        elif (r is not None and chain != cur.chain and isinstance(chain, str) and r.get("seq") == 0
              and r.get("type") == "lifecycle" and r.get("previous_chain") == cur.chain):
            cur = _Walk(v, chain, anchor if anchor_chain == chain else None)  # the log restarted its chain
            walks.append(cur)
        elif r is not None and (chain or "") != cur.chain and not e.torn:
            v.report.chain = cur.chain
            raise _Fail("inserted", r.get("seq"), "a record from another chain", e.where)
        v.report.chain = cur.chain
        cur.feed(e)
    if anchor is not None and not any(w.anchor is anchor for w in walks):
        v.check_anchor(anchor)
        if not walks:
            raise _Fail("truncated", 0, f"the log is empty but its signed anchor names seq {anchor.get('seq')}",
                        "end")
        linked = {str(w.link.get("previous_chain")) for w in walks if w.link is not None}
        if anchor_chain not in linked:
            raise _Fail("inserted", 0, "the anchor belongs to another chain", "anchor")
        _end(v, walks, {str(anchor_chain): anchor})
        return walks
    _end(v, walks, {})
    return walks


def _walk_table(v: _Verifier, src: TableSource) -> list[_Walk]:
    anchors = src.anchors()
    walks: dict[str, _Walk] = {}
    for e in src.entries():
        chain = e.chain or ""
        w = walks.get(chain)
        if w is None:
            w = walks[chain] = _Walk(v, chain, anchors.get(chain))
        v.report.chain = chain
        w.feed(e)
    _end(v, list(walks.values()), anchors)
    return list(walks.values())


def verify(source: str | os.PathLike[str], key: Any = None, *, table: str = DEFAULT_TABLE,
           spill: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None) -> VerifyReport:
    """Check a JSONL path, a SQLite path or a PostgreSQL DSN; returns a `VerifyReport`.

    ``key`` verifies signatures: the HMAC audit key (default ``GUARDWRAP_AUDIT_KEY``), the Ed25519
    public key, or a list of keys (a log whose writers used different keys). Without any key the
    chain is still checked, the signatures are not. ``spill`` names spill files written by a
    database sink during an outage (the files a log names itself are read when they exist).

    >>> report = verify("audit/decisions.jsonl")   # doctest: +SKIP
    >>> report.status, report.kind, report.seq      # doctest: +SKIP
    ('tampered', 'deleted', 41)

    Raises ``FileNotFoundError``/``OSError`` or the database driver's error when the source cannot
    be read.
    """
    signers = _signers(key)
    spill_paths = ([] if spill is None else [os.fspath(spill)] if isinstance(spill, (str, os.PathLike))
                   else [os.fspath(x) for x in spill])
    spills = _Spills(spill_paths)
    s = os.fspath(source)
    report = VerifyReport(source=s)
    kind = kind_of(s)
    src: TableSource | None = None
    if kind == "jsonl":
        files = jsonl_files(s)
        if not os.path.exists(s) and len(files) <= 1:
            raise FileNotFoundError(2, "No such file or directory", s)

        def lookup(chain: str, seq: int) -> list[tuple[int, dict[str, Any]]]:
            return jsonl_lookup(files, seq)
    else:
        src = TableSource(kind, s, table)
        lookup = src.lookup
    v = _Verifier(report, signers, lookup, spills, files if kind == "jsonl" else None)
    try:
        if kind == "jsonl":
            walks = _walk_jsonl(v, s)
        else:
            assert src is not None
            walks = _walk_table(v, src)
        report.chains = len(walks)
    except _Fail as f:
        report.chains = max(report.chains, 1)
        report.ok = False
        report.status = "tampered"
        report.kind, report.seq, report.message, report.where = f.kind, f.seq, f.message, f.where
        return report
    finally:
        if src is not None:
            src.close()
    report.chain = None
    if signers and report.checkpoints and not report.signatures_checked and not v.mismatch:
        report.signatures_checked = True
    if v.mismatch:
        report.ok = False
        report.status = "key-mismatch"
        report.key_mismatch = "; ".join(v.mismatch[:5])
    elif report.gap_count:
        report.status = "gaps"
    return report

