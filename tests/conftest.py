import os

import pytest

PG_DSN = os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# A fixed audit key for the suite: keyed hashes are then stable and no "random key" warning fires.
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "test-audit-key-0123456789abcdef0123456789abcdef")


def _memoize_hyperscan_compiles() -> None:
    """Every `Guard` compiles one Hyperscan database for each chain (`_scan.compile_matcher`), ~0.1 s
    each, and the suite builds thousands of guards from a few hundred distinct validator sets. The
    database is a pure function of its pattern list and is safe to share (block mode; `_hs.Database`
    keeps a scratch space per thread), so within this test process the same patterns get the
    database compiled the first time: every distinct pattern set is still compiled, every scan
    still runs. ``GUARDWRAP_TEST_COMPILE_EACH=1`` compiles every time, as an application does."""
    if os.environ.get("GUARDWRAP_TEST_COMPILE_EACH") == "1":
        return
    from guardwrap._text import _hs

    compile_db = _hs.compile_db
    compiled: dict[tuple[tuple[str, bool, bool], ...], object] = {}

    def memoized(patterns):  # type: ignore[no-untyped-def]
        if not _hs.AVAILABLE or not patterns:
            return compile_db(patterns)
        key = tuple(patterns)
        db = compiled.get(key)
        if db is None:
            db = compiled[key] = compile_db(patterns)
        return db

    memoized.__doc__ = compile_db.__doc__
    _hs.compile_db = memoized


_memoize_hyperscan_compiles()


def _memoize_context_word_tries() -> None:
    """Every `PII` builds ~180 context-word regexes (`_engine.LastWord`), each written as a trie by
    `_shapes.trie`, ~0.3 ms each: a third of the time of tests that build a validator per example.
    A trie is a pure function of its set of words (its branches are sorted), so the same words get
    the same string here; `_shapes.trie` itself, which the trie tests call, is not memoized.
    Off with ``GUARDWRAP_TEST_COMPILE_EACH=1``, like the Hyperscan memo."""
    if os.environ.get("GUARDWRAP_TEST_COMPILE_EACH") == "1":
        return
    from guardwrap.pii import _engine

    trie = _engine._trie
    built: dict[frozenset[str], str] = {}

    def memoized(words):  # type: ignore[no-untyped-def]
        key = frozenset(words)
        rx = built.get(key)
        if rx is None:
            rx = built[key] = trie(key)
        return rx

    _engine._trie = memoized


_memoize_context_word_tries()


@pytest.fixture
def memory_sink():
    import guardwrap as gw

    return gw.MemorySink()


@pytest.fixture(scope="session")
def pg_dsn():
    """The test PostgreSQL server. Skipped when it cannot be reached, except where
    GUARDWRAP_REQUIRE_POSTGRES=1 (CI), where an unreachable server fails the test."""
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(PG_DSN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("GUARDWRAP_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_DSN}: {type(exc).__name__}")
    return PG_DSN
