import gc
import importlib.util
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

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


def _memoize_signal_patterns() -> None:
    """Every `PromptInjection` builds a `SignalScanner`, which compiles its ~100 patterns and reads
    each one's literal prefixes from its parse tree (`_signals._compile`, ~70 ms in all). The result
    is a pure function of the pattern (and of the needle index, part of the key) made of immutable
    parts, so the same pattern gets the same tuple here. Skipped if `_compile` is renamed (only
    the time is lost); off with ``GUARDWRAP_TEST_COMPILE_EACH=1``."""
    if os.environ.get("GUARDWRAP_TEST_COMPILE_EACH") == "1":
        return
    from guardwrap.injection import _signals

    compile_ = getattr(_signals, "_compile", None)
    if compile_ is None:
        return
    compiled: dict[tuple[str, int], object] = {}

    def memoized(pattern):  # type: ignore[no-untyped-def]
        key = (pattern, id(_signals._NEEDLES))
        rx = compiled.get(key)
        if rx is None:
            rx = compiled[key] = compile_(pattern)
        return rx

    _signals._compile = memoized


_memoize_signal_patterns()


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


# -- long subprocess checks, started as soon as the tests are collected ------------------------

ROOT = Path(__file__).resolve().parents[1]


class _Background:
    """Runs the commands of tests marked ``@pytest.mark.background(argv, lane=..., needs=...)``
    from the end of collection on, beside the rest of the suite, so that on a machine with two CPUs
    a check that is one long single-threaded subprocess (retraining the injection weights,
    ``mypy --strict``) costs no wall time of its own. The test still runs the same command (with
    ``cwd`` the repository, its output captured) and asserts on the same result: the
    `background_run` fixture hands it the finished process, or runs the command then and there when
    it was not started early (a single test run with ``-k``, ``--collect-only``...). Commands of one
    ``lane`` run one after the other, in the order of the tests (mypy's two runs share its cache);
    a ``needs`` module that is not installed leaves the command to the test, which skips."""

    def __init__(self) -> None:
        self.jobs: dict[str, Future[subprocess.CompletedProcess[str]]] = {}
        self.lanes: dict[str, ThreadPoolExecutor] = {}
        self.procs: list[subprocess.Popen[str]] = []
        self.closed = False

    def start(self, items: list[pytest.Item]) -> None:
        for item in items:
            mark = item.get_closest_marker("background")
            if mark is None:
                continue
            needs = mark.kwargs.get("needs")
            if needs is not None and importlib.util.find_spec(needs) is None:
                continue
            lane = self.lanes.get(mark.kwargs.get("lane", item.nodeid))
            if lane is None:
                lane = self.lanes[mark.kwargs.get("lane", item.nodeid)] = ThreadPoolExecutor(1, "background")
            self.jobs[item.nodeid] = lane.submit(self.run, list(mark.args[0]), mark.kwargs.get("timeout", 600))

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        if self.closed:
            raise RuntimeError("the session has ended")
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)

    def close(self) -> None:
        self.closed = True
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for lane in self.lanes.values():
            lane.shutdown(wait=True, cancel_futures=True)


_BACKGROUND = _Background()


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.config.option.collectonly:
        _BACKGROUND.start(session.items)
    # What collection built (every test module, its constants and models, 4,000 test items) lives
    # to the end of the session: set aside from the cyclic collector's full passes, which otherwise
    # walk it again and again while the tests run (~10% of their time). Garbage is collected first;
    # objects the tests create are collected as before.
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _BACKGROUND.close()


@pytest.fixture
def background_run(request: pytest.FixtureRequest) -> Callable[[], subprocess.CompletedProcess[str]]:
    """``background_run()``: the finished process of this test's ``background`` command (see
    `_Background`), waited for; run here and now if it was not started at collection."""
    mark = request.node.get_closest_marker("background")
    assert mark is not None, "background_run needs @pytest.mark.background(argv)"
    argv, timeout = list(mark.args[0]), mark.kwargs.get("timeout", 600)

    def result() -> subprocess.CompletedProcess[str]:
        job = _BACKGROUND.jobs.get(request.node.nodeid)
        if job is not None:
            return job.result()
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)

    return result
