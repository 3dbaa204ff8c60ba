"""`SqliteSink`: the audit trail in one SQLite file (WAL mode, one transaction per batch)."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from ._read import COLUMNS
from ._table import Row, TableSink, ddl

_SYNCHRONOUS = {"none": "OFF", "batch": "FULL", "sync": "FULL"}


class SqliteSink(TableSink):
    """Hash-chained records in a SQLite table, written by a background thread in WAL mode.

    >>> import guardwrap as gw
    >>> sink = gw.SqliteSink("audit/decisions.db", durability="batch")   # doctest: +SKIP

    Each sink instance writes its own chain (``chain`` column); ``guardwrap audit verify FILE.db``
    checks every chain and the anchors in ``<table>_anchor``.
    """

    def __init__(self, path: str | os.PathLike[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = os.fspath(path)
        self._con: sqlite3.Connection | None = None
        self._start()

    def __repr__(self) -> str:
        return f"SqliteSink({self.path!r}, table={self.table!r}, durability={self.durability!r})"

    def _connect(self) -> None:
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA synchronous={_SYNCHRONOUS[self.durability]}")
        for stmt in ddl(self.table, "id INTEGER PRIMARY KEY"):
            con.execute(stmt)
        self._con = con
        cols = ", ".join(COLUMNS) + ", record"
        self._insert = f"INSERT INTO {self.table} ({cols}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
        self._upsert = (f"INSERT INTO {self.table}_anchor (chain, seq, hash, anchor) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                        "anchor = excluded.anchor")

    def _commit(self, rows: list[Row], anchor: tuple[str, int, str, str] | None) -> None:
        con = self._con
        assert con is not None
        if not rows and anchor is None:
            return
        con.execute("BEGIN")
        try:
            con.executemany(self._insert, rows)
            if anchor is not None:
                con.execute(self._upsert, anchor)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _alive(self) -> bool:
        return self._con is not None

    def _disconnect(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
