"""Tiny timing harness shared by the benchmark scripts: medians of repeated timed loops."""

from __future__ import annotations

import asyncio
import gc
import platform
import statistics
import time
from collections.abc import Callable, Coroutine
from typing import Any


def median_us(fn: Callable[[], Any], *, number: int = 2000, repeat: int = 15,
              clock: Callable[[], int] = time.perf_counter_ns) -> float:
    """Median over ``repeat`` runs of the mean time of ``number`` calls, in microseconds.

    ``clock=time.thread_time_ns`` measures CPU time of the calling thread only: what a call costs
    the caller, leaving out background threads (an audit writer) that share the process.
    """
    for _ in range(min(number, 200)):  # warm up caches and lazy imports
        fn()
    runs = []
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = clock()
            for _ in range(number):
                fn()
            runs.append((clock() - t0) / number / 1000)
    finally:
        if gc_was:
            gc.enable()
    return statistics.median(runs)


def amedian_us(factory: Callable[[], Coroutine[Any, Any, Any]], *, number: int = 2000, repeat: int = 15) -> float:
    """Like `median_us` for a coroutine factory, timed inside one running event loop."""

    async def run() -> float:
        for _ in range(min(number, 200)):
            await factory()
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter_ns()
            for _ in range(number):
                await factory()
            runs.append((time.perf_counter_ns() - t0) / number / 1000)
        return statistics.median(runs)

    return asyncio.run(run())


def machine() -> str:
    import os

    from guardwrap._native import PURE_PYTHON

    kernels = "pure Python (GUARDWRAP_PURE_PYTHON)" if PURE_PYTHON else "C kernels where built"
    return (f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} CPUs, {kernels}")


def table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table (readable in a terminal and pasteable into benchmarks/README.md)."""
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
        return str(v)

    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    out = "\n".join(lines) + "\n"
    print(out)
    return out
