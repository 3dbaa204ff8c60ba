"""Reading audit logs back: JSONL files (with rotated segments), SQLite files, PostgreSQL DSNs.

``read_records(source)`` yields record dicts in write order for ``stats``, ``tail`` and ``export``;
``load(source)`` returns what ``verify`` needs (entries per chain in storage order plus anchors).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from .._errors import PolicyError

DEFAULT_TABLE = "guardwrap_audit"
_TABLE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,50}")
#: Columns stored beside the chained record, for indexes and queries; verify cross-checks them.
COLUMNS = ("chain", "seq", "ts", "type", "request_id", "outcome", "validator", "policy_hash", "hash")


def check_table(name: str) -> str:
    if not isinstance(name, str) or not _TABLE_RE.fullmatch(name):
        raise PolicyError(f"invalid table name {name!r}", key="audit.table",
                          expected="letters, digits and underscores, at most 51 characters")
    return name


def kind_of(source: str | os.PathLike[str]) -> str:
    """``"postgres"``, ``"sqlite"`` or ``"jsonl"``."""
    s = os.fspath(source)
    if s.startswith(("postgres://", "postgresql://")) or re.search(r"\b(dbname|host)=", s):
        return "postgres"
    if os.path.isfile(s):
        with open(s, "rb") as f:
            if f.read(16) == b"SQLite format 3\x00":
                return "sqlite"
    if s.endswith((".db", ".sqlite", ".sqlite3")):
        return "sqlite"
    return "jsonl"


@dataclass
class Entry:
    """One stored record: parsed (or ``None`` when unreadable), with where it came from."""

    rec: dict[str, Any] | None
    where: str
    torn: bool = False  # an unterminated last line: a write cut short by a crash
    column_mismatch: str | None = None


@dataclass
class Loaded:
    chains: dict[str, list[Entry]] = field(default_factory=dict)
    anchors: dict[str, dict[str, Any]] = field(default_factory=dict)
    single_chain: bool = True  # JSONL: the whole file is one chain, whatever ids records claim


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        rec = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return rec if isinstance(rec, dict) else None


def jsonl_files(path: str | os.PathLike[str]) -> list[str]:
    from ._jsonl import segment_paths

    files = [os.fspath(p) for p in segment_paths(path)]
    if os.path.exists(path) or not files:
        files.append(os.fspath(path))
    return files


def _jsonl_entries(path: str) -> Iterator[Entry]:
    files = jsonl_files(path)
    for fi, fname in enumerate(files):
        with open(fname, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        last = len(lines) - 1
        base = os.path.basename(fname)
        for i, line in enumerate(lines):
            if i == last:
                if line:  # no newline after it: cut short
                    yield Entry(_parse(line), f"{base}:{i + 1}", torn=fi == len(files) - 1)
                break
            yield Entry(_parse(line), f"{base}:{i + 1}")


def _load_jsonl(path: str) -> Loaded:
    from ._jsonl import anchor_path

    out = Loaded(single_chain=True)
    entries = list(_jsonl_entries(path))
    chain = next((e.rec.get("chain") for e in entries if e.rec and e.rec.get("chain")), "") or ""
    out.chains[chain] = entries
    ap = anchor_path(path)
    if os.path.exists(ap):
        with open(ap, "rb") as f:
            anchor = _parse(f.read().strip())
        out.anchors[str(anchor.get("chain") if anchor else chain)] = anchor or {"corrupt": True}
    return out


def _rows_to_loaded(rows: Any, anchors: Any) -> Loaded:
    out = Loaded(single_chain=False)
    for row in rows:
        rec = _parse(row[-1].encode() if isinstance(row[-1], str) else row[-1])
        mismatch = None
        if rec is not None:
            for name, value in zip(COLUMNS, row[:-1], strict=True):
                if rec.get(name) != value and not (name == "ts" and _close(rec.get(name), value)):
                    mismatch = name
                    break
        out.chains.setdefault(str(row[0]), []).append(Entry(rec, f"row chain={row[0]} seq={row[1]}",
                                                            column_mismatch=mismatch))
    for chain, text in anchors:
        out.anchors[str(chain)] = _parse(text.encode() if isinstance(text, str) else text) or {"corrupt": True}
    return out


def _close(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


_SELECT = "SELECT " + ", ".join(COLUMNS) + ", record FROM {t} ORDER BY id"


def _load_sqlite(path: str, table: str) -> Loaded:
    import sqlite3

    if not os.path.exists(path):
        raise FileNotFoundError(2, "No such file or directory", path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(_SELECT.format(t=table)).fetchall()
        anchors = con.execute(f"SELECT chain, anchor FROM {table}_anchor").fetchall()
    finally:
        con.close()
    return _rows_to_loaded(rows, anchors)


def _pg_connect(dsn: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise ImportError("PostgreSQL audit needs psycopg 3: pip install 'guardwrap[postgres]'") from None
    return psycopg.connect(dsn, autocommit=True)


def _load_postgres(dsn: str, table: str) -> Loaded:
    with _pg_connect(dsn) as con:
        rows = con.execute(_SELECT.format(t=table)).fetchall()
        anchors = con.execute(f"SELECT chain, anchor FROM {table}_anchor").fetchall()
    return _rows_to_loaded(rows, anchors)


def load(source: str | os.PathLike[str], table: str = DEFAULT_TABLE) -> Loaded:
    """Everything ``verify`` needs from ``source``."""
    kind = kind_of(source)
    s = os.fspath(source)
    if kind == "postgres":
        return _load_postgres(s, check_table(table))
    if kind == "sqlite":
        return _load_sqlite(s, check_table(table))
    if not os.path.exists(s) and not jsonl_files(s)[:-1]:
        raise FileNotFoundError(2, "No such file or directory", s)
    return _load_jsonl(s)


def read_records(
    source: str | os.PathLike[str],
    *,
    since: float | None = None,
    table: str = DEFAULT_TABLE,
) -> Iterator[dict[str, Any]]:
    """Records of ``source`` in write order (unreadable lines skipped), optionally from ``since``."""
    kind = kind_of(source)
    s = os.fspath(source)
    if kind == "jsonl":
        for e in _jsonl_entries(s):
            if e.rec is not None and (since is None or (e.rec.get("ts") or 0) >= since):
                yield e.rec
        return
    t = check_table(table)
    query = f"SELECT record FROM {t}" + (" WHERE ts >= {p}" if since is not None else "") + " ORDER BY id"
    if kind == "sqlite":
        import sqlite3

        if not os.path.exists(s):
            raise FileNotFoundError(2, "No such file or directory", s)
        con = sqlite3.connect(f"file:{s}?mode=ro", uri=True)
        try:
            cur = con.execute(query.format(p="?"), (since,) if since is not None else ())
            for (text,) in cur:
                rec = _parse(text.encode())
                if rec is not None:
                    yield rec
        finally:
            con.close()
        return
    with _pg_connect(s) as con:
        cur = con.execute(query.format(p="%s"), (since,) if since is not None else ())
        for (text,) in cur:
            rec = _parse(text.encode())
            if rec is not None:
                yield rec
