"""`SqliteSink`: the audit trail in one SQLite file (WAL mode, one transaction per batch)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from typing import Any

from ._read import COLUMNS
from ._table import Row, TableSink, ddl

_SYNCHRONOUS = {"none": "OFF", "batch": "FULL", "sync": "FULL"}
#: How long one statement waits for another writer's lock before the batch is retried later. Short:
#: the writer holds its fork lock meanwhile (a fork waits for it), and a retry costs nothing.
BUSY_TIMEOUT = 1.0


class SqliteSink(TableSink):
    """Hash-chained records in a SQLite table, written by a background thread in WAL mode.

    >>> import guardwrap as gw
    >>> sink = gw.SqliteSink("audit/decisions.db", durability="batch")   # doctest: +SKIP

    Each sink instance writes its own chain (``chain`` column); ``guardwrap audit verify FILE.db``
    checks every chain and the anchors in ``<table>_anchor``. A batch that cannot be committed (the
    database locked by another process, the disk full) is rolled back and retried; a file removed
    under the sink is recreated with a new chain that links to the old one.
    """

    # SQLite takes library mutexes inside its calls: a fork in the middle of one would leave the
    # child's copy locked for ever, so forks wait until the writer is between two calls.
    fork_waits_for_io = True

    def __init__(self, path: str | os.PathLike[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = os.fspath(path)
        self._ident: tuple[int, int] | None = None
        self._start()

    def __repr__(self) -> str:
        return f"SqliteSink({self.path!r}, table={self.table!r}, durability={self.durability!r})"

    def _connect(self) -> None:
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(f"PRAGMA synchronous={_SYNCHRONOUS[self.durability]}")
            for stmt in ddl(self.table, "id INTEGER PRIMARY KEY"):
                con.execute(stmt)
        except BaseException:
            con.close()
            raise
        st = os.stat(self.path)
        self._ident = (st.st_dev, st.st_ino)
        self._con = con
        cols = ", ".join(COLUMNS) + ", record"
        self._insert = f"INSERT INTO {self.table} ({cols}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
        self._upsert = (f"INSERT INTO {self.table}_anchor (chain, seq, hash, anchor) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                        "anchor = excluded.anchor")

    def _identity_lost(self) -> str | None:
        if self._ident is None:
            return None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return "file-removed"
        return "file-replaced" if (st.st_dev, st.st_ino) != self._ident else None

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        con = self._con
        if con is None:
            raise sqlite3.OperationalError("not connected")
        if not rows and anchor is None:
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(self._insert, rows)
            if anchor is not None:
                con.execute(self._upsert, anchor)
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (a full disk)
                con.execute("ROLLBACK")
            raise

    def _last_row(self, chain: str) -> tuple[int, str] | None:
        assert self._con is not None
        row = self._con.execute(f"SELECT seq, hash FROM {self.table} WHERE chain = ? ORDER BY seq DESC LIMIT 1",
                                (chain,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def _retryable(self, exc: BaseException) -> bool:
        # Locked, busy, full, read-only, I/O: the database, not the record. Integrity errors mean
        # our view of the chain is off: a reconnect reconciles it.
        return isinstance(exc, (sqlite3.OperationalError, sqlite3.IntegrityError, sqlite3.InterfaceError,
                                OSError)) or not isinstance(exc, sqlite3.Error)

    def _cause(self, exc: BaseException) -> str:
        if isinstance(exc, sqlite3.Error):
            msg = str(exc).lower()
            for needle, cause in (("locked", "locked"), ("busy", "locked"), ("full", "disk-full"),
                                  ("readonly", "read-only"), ("read-only", "read-only"), ("disk i/o", "io-error"),
                                  ("unable to open", "cannot-open")):
                if needle in msg:
                    return cause
            return f"sqlite-{type(exc).__name__}"
        return super()._cause(exc)
