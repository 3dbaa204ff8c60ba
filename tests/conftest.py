import gc
import importlib.util
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

PG_DSN = os.environ.get("GUARDWRAP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# A fixed audit key for the suite: keyed hashes are then stable and no "random key" warning fires.
os.environ.setdefault("GUARDWRAP_AUDIT_KEY", "test-audit-key-0123456789abcdef0123456789abcdef")


def _memoize(module: object, name: str, key: Callable[[Any], Any]) -> None:
    """Replace ``module.name`` (a function of one argument) by one that computes each distinct
    ``key(arg)`` once in this test process (``key`` None: not cached). Skipped when the function is
    gone (only the time is lost); off with ``GUARDWRAP_TEST_COMPILE_EACH=1``, as an application
    computes every time."""
    fn = getattr(module, name, None)
    if fn is None or os.environ.get("GUARDWRAP_TEST_COMPILE_EACH") == "1":
        return
    done: dict[Any, Any] = {}

    def memoized(arg):  # type: ignore[no-untyped-def]
        k = key(arg)
        if k is None:
            return fn(arg)
        got = done.get(k)
        if got is None:
            got = done[k] = fn(arg)
        return got

    memoized.__doc__ = fn.__doc__
    setattr(module, name, memoized)


def _memoize_compiles() -> None:
    """Three pure functions the suite calls with the same inputs thousands of times.

    - `_hs.compile_db`: every `Guard` compiles one Hyperscan database per chain (~0.1 s) from a few
      hundred distinct validator sets; a database is a pure function of its pattern list and is
      safe to share (block mode; `_hs.Database` keeps a scratch space per thread).
    - `_engine._trie`: every `PII` writes ~180 context-word regexes as tries (~0.3 ms each); a trie
      is a pure function of its set of words (its branches are sorted); `_shapes.trie` itself, which
      the trie tests call, is not memoized.
    - `_signals._compile`: every `PromptInjection` compiles its patterns and reads their literal
      prefixes (~70 ms in all), a pure function of the pattern and the needle index.

    Every distinct input is still computed, every scan still runs."""
    from guardwrap._text import _hs
    from guardwrap.injection import _signals
    from guardwrap.pii import _engine

    _memoize(_hs, "compile_db", lambda patterns: tuple(patterns) if _hs.AVAILABLE and patterns else None)
    _memoize(_engine, "_trie", frozenset)
    _memoize(_signals, "_compile", lambda pattern: (pattern, id(_signals._NEEDLES)))


_memoize_compiles()


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
