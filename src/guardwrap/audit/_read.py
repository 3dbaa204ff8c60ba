"""Reading audit logs back: JSONL files (with rotated segments), SQLite files, PostgreSQL DSNs.

Everything streams with bounded memory: JSONL line by line, SQLite through its cursor, PostgreSQL
through a server-side cursor fetched in pages. ``read_records(source)`` yields record dicts in write
order for ``stats``, ``tail`` and ``export``; `open_source` gives ``verify`` the entries in storage
order, the anchors, and a way to look a seq up again when something is out of place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import orjson

from .._errors import PolicyError

DEFAULT_TABLE = "guardwrap_audit"
_TABLE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,50}")
#: Columns stored beside the chained record, for indexes and queries; verify cross-checks them.
COLUMNS = ("chain", "seq", "ts", "type", "request_id", "outcome", "validator", "policy_hash", "hash")
#: Rows fetched per round trip from a server-side cursor.
PAGE = 5000


def check_table(name: str) -> str:
    if not isinstance(name, str) or not _TABLE_RE.fullmatch(name):
        raise PolicyError(f"invalid table name {name!r}", key="audit.table",
                          expected="letters, digits and underscores, at most 51 characters")
    return name


def column_value(value: Any) -> Any:
    """What a text column stores for a record field: the string itself (a NUL, which PostgreSQL
    text cannot hold, becomes U+FFFD), JSON for anything else that is not None."""
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, (int, float, bool)):
            return str(value)
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str).decode()
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


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


class Entry:
    """One stored record: parsed (or ``None`` when unreadable), with where it came from.

    ``where`` (a line of a file, a row of a table) is only rendered when someone asks: verify
    reads millions of entries and names one at most.
    """

    __slots__ = ("chain", "column_mismatch", "loc", "pos", "rec", "torn")

    def __init__(self, rec: dict[str, Any] | None, loc: str | tuple[Any, ...], torn: bool = False,
                 column_mismatch: str | None = None, pos: int = 0, chain: str | None = None) -> None:
        self.rec = rec
        self.loc = loc
        self.torn = torn  # an unterminated last line: a write cut short by a crash
        self.column_mismatch = column_mismatch
        self.pos = pos  # storage order (line number across files, or row id)
        self.chain = chain  # the chain column of a table row

    @property
    def where(self) -> str:
        loc = self.loc
        if isinstance(loc, str):
            return loc
        if loc[0] == "row":
            return f"row chain={loc[1]} seq={loc[2]}"
        return f"{loc[1]}:{loc[2]}"


def _parse(line: bytes | str) -> dict[str, Any] | None:
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


def jsonl_entries(path: str | os.PathLike[str], files: list[str] | None = None) -> Iterator[Entry]:
    """The lines of a JSONL log and its rotated segments, one at a time."""
    files = jsonl_files(path) if files is None else files
    pos = 0
    last_file = len(files) - 1
    for fi, fname in enumerate(files):
        base = os.path.basename(fname)
        with open(fname, "rb") as f:
            for i, line in enumerate(f, 1):
                if line.endswith(b"\n"):
                    yield Entry(_parse(line[:-1]), ("line", base, i), pos=pos)
                else:  # no newline after it: cut short
                    yield Entry(_parse(line), ("line", base, i), torn=fi == last_file, pos=pos)
                pos += 1


def jsonl_lookup(files: list[str], seq: int) -> list[tuple[int, dict[str, Any]]]:
    """Every ``(position, record)`` holding ``seq`` in these files (a scan, for the rare case
    where verify must know whether a record appears elsewhere)."""
    needle = b'"seq":%d' % seq
    out = []
    pos = 0
    for fname in files:
        with open(fname, "rb") as f:
            for line in f:
                if needle in line:
                    rec = _parse(line.rstrip(b"\n"))
                    if rec is not None and rec.get("seq") == seq:
                        out.append((pos, rec))
                pos += 1
    return out


def read_anchor_file(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    from ._jsonl import anchor_path

    ap = anchor_path(path)
    if not os.path.exists(ap):
        return None
    with open(ap, "rb") as f:
        anchor = _parse(f.read().strip())
    return anchor if anchor is not None else {"corrupt": True}


def _close(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def row_entry(row: Any) -> Entry:
    """An entry from a ``COLUMNS + (record, id)`` row, its columns cross-checked with the record."""
    rec = _parse(row[9])
    mismatch = None
    if rec is not None:
        g = rec.get
        if (g("chain"), g("seq"), g("ts"), g("type"), g("request_id"), g("outcome"), g("validator"),
                g("policy_hash"), g("hash")) != tuple(row[:9]):
            mismatch = _column_mismatch(rec, row)
    return Entry(rec, ("row", row[0], row[1]), column_mismatch=mismatch, pos=row[10], chain=row[0])


def _column_mismatch(rec: dict[str, Any], row: Any) -> str | None:
    for i, name in enumerate(COLUMNS):
        value = row[i]
        want = rec.get(name)
        if 4 <= i < 8:
            want = column_value(want)
        if want != value and not (name == "ts" and _close(want, value)):
            return name
    return None


_SELECT = "SELECT " + ", ".join(COLUMNS) + ", record, id FROM {t} ORDER BY id"
_LOOKUP = "SELECT " + ", ".join(COLUMNS) + ", record, id FROM {t} WHERE chain = {p} AND seq = {p} ORDER BY id"


class TableSource:
    """A SQLite file or PostgreSQL database, read with bounded memory."""

    def __init__(self, kind: str, source: str, table: str) -> None:
        self.kind = kind
        self.source = source
        self.table = check_table(table)
        self.p = "?" if kind == "sqlite" else "%s"
        if kind == "sqlite":
            import sqlite3

            if not os.path.exists(source):
                raise FileNotFoundError(2, "No such file or directory", source)
            self.con: Any = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        else:
            self.con = pg_connect(source, autocommit=False)
        self._aux: Any = None  # PostgreSQL: a second session for lookups while the cursor streams

    def anchors(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chain, text in self._query(f"SELECT chain, anchor FROM {self.table}_anchor"):
            out[str(chain)] = _parse(text) or {"corrupt": True}
        return out

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        if self.kind == "sqlite":
            return list(self.con.execute(sql, params).fetchall())
        if self._aux is None:
            self._aux = pg_connect(self.source, autocommit=True)
        return list(self._aux.execute(sql, params).fetchall())

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[Any]:
        """Rows of ``sql`` streamed: a server-side cursor on PostgreSQL, SQLite's own cursor."""
        if self.kind == "sqlite":
            yield from self.con.execute(sql, params)
            return
        with self.con.transaction(), self.con.cursor(name="guardwrap_read") as cur:
            cur.itersize = PAGE
            cur.execute(sql, params)
            yield from cur

    def entries(self) -> Iterator[Entry]:
        for row in self.rows(_SELECT.format(t=self.table)):
            yield row_entry(row)

    def lookup(self, chain: str, seq: int) -> list[tuple[int, dict[str, Any]]]:
        out = []
        for row in self._query(_LOOKUP.format(t=self.table, p=self.p), (chain, seq)):
            rec = _parse(row[9])
            if rec is not None:
                out.append((int(row[10]), rec))
        return out

    def close(self) -> None:
        self.con.close()
        if self._aux is not None:
            self._aux.close()


def pg_connect(dsn: str, autocommit: bool = True) -> Any:
    try:
        import psycopg
    except ImportError:
        raise ImportError("PostgreSQL audit needs psycopg 3: pip install 'guardwrap[postgres]'") from None
    return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=10)


def read_records(
    source: str | os.PathLike[str],
    *,
    since: float | None = None,
    table: str = DEFAULT_TABLE,
    after_id: int | None = None,
    until_id: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Records of ``source`` in write order (unreadable lines skipped), optionally from ``since``.

    Streams: memory stays bounded however long the log is.
    """
    kind = kind_of(source)
    s = os.fspath(source)
    if kind == "jsonl":
        if not os.path.exists(s) and len(jsonl_files(s)) <= 1:
            raise FileNotFoundError(2, "No such file or directory", s)
        for e in jsonl_entries(s):
            if e.rec is not None and (since is None or (e.rec.get("ts") or 0) >= since):
                yield e.rec
        return
    src = TableSource(kind, s, table)
    try:
        where, params = [], []
        if since is not None:
            where.append(f"ts >= {src.p}")
            params.append(since)
        if after_id is not None:
            where.append(f"id > {src.p}")
            params.append(after_id)
        if until_id is not None:
            where.append(f"id <= {src.p}")
            params.append(until_id)
        sql = f"SELECT record FROM {src.table}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        for (text,) in src.rows(sql, tuple(params)):
            rec = _parse(text)
            if rec is not None:
                yield rec
    finally:
        src.close()


def last_id(source: str | os.PathLike[str], table: str = DEFAULT_TABLE) -> int:
    """The highest row id of a table source (0 when empty): where ``tail -f`` starts following."""
    src = TableSource(kind_of(source), os.fspath(source), table)
    try:
        rows = src._query(f"SELECT max(id) FROM {src.table}")
        return int(rows[0][0] or 0) if rows else 0
    finally:
        src.close()
