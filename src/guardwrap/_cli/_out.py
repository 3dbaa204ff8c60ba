"""Terminal output for the CLI: tables and short status lines that read well at 80 columns.

``rich`` (the ``guardwrap[cli]`` extra) draws coloured tables and progress bars on a terminal.
Without it, and whenever the output is not a terminal (CI logs, pipes, files), tables are plain
text laid out to fit the width: long headers wrap onto a second line instead of being cut, wide
text cells wrap, and a table that still does not fit prints one block per row. Machines should
read ``--json`` instead, which every command that prints a table offers.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from itertools import zip_longest
from typing import Any, TextIO

_MARKUP = re.compile(r"\[/?(?:green|red|yellow|bold|dim)\]")
_HINTED: list[bool] = []  # the "install guardwrap[cli]" hint is shown once per process
MIN_TEXT = 12  # a wrapped text column never gets narrower than this


def rich_console(stream: TextIO | None = None) -> Any:
    """A rich ``Console`` on ``stream`` (default stdout) when rich is installed and the stream is a
    terminal; otherwise None (plain output). Says once, on a terminal, how to get colours."""
    stream = stream or sys.stdout
    if not stream.isatty():
        return None
    try:
        from rich.console import Console
    except ImportError:
        if not _HINTED:
            _HINTED.append(True)
            print("guardwrap: plain output; pip install 'guardwrap[cli]' for colour and progress bars",
                  file=sys.stderr)
        return None
    return Console(file=stream, highlight=False, soft_wrap=True)


def width() -> int:
    """The width to lay tables out for: ``$COLUMNS``, the terminal's, or 80."""
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return max(40, shutil.get_terminal_size((80, 24)).columns)


def echo(text: str, *, stream: TextIO | None = None) -> None:
    """Print a line that may carry ``[green]...[/green]``-style colour markup (dropped when plain)."""
    stream = stream or sys.stdout
    console = rich_console(stream)
    if console is not None:
        console.print(text)
    else:
        print(_MARKUP.sub("", text), file=stream)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                numeric: Sequence[int] = (), stream: TextIO | None = None) -> None:
    """Print a table: rich on a terminal when installed, else `render` at `width`."""
    stream = stream or sys.stdout
    console = rich_console(stream)
    if console is None:
        print(render(title, headers, rows, numeric=numeric, max_width=width()), file=stream)
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for i, h in enumerate(headers):
        # fold, never ellipsis: a header or value is wrapped, not cut
        table.add_column(h, justify="right" if i in numeric else "left", overflow="fold",
                         min_width=max((len(w) for w in h.split()), default=1))
    for r in rows:
        table.add_row(*(str(c) for c in r))
    console.print(table)


def render(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
           numeric: Sequence[int] = (), max_width: int = 80) -> str:
    """A plain-text table no wider than ``max_width`` (see the module doc for how it fits)."""
    cells = [[_MARKUP.sub("", str(c)) for c in r] for r in rows]
    n = len(headers)
    num = set(numeric)
    data_w = [max((len(r[i]) for r in cells), default=0) for i in range(n)]
    word_w = [max((len(w) for w in h.split()), default=0) for h in headers]
    widths = [max(d, len(h)) for d, h in zip(data_w, headers, strict=True)]
    gap = 2

    def total(ws: list[int]) -> int:
        return sum(ws) + gap * (n - 1)

    if total(widths) > max_width:  # headers wrap onto more lines rather than widen the table
        widths = [max(d, w, 1) for d, w in zip(data_w, word_w, strict=True)]
    while total(widths) > max_width:  # wrap the widest text column, down to MIN_TEXT
        text_cols = [i for i in range(n) if i not in num and widths[i] > max(MIN_TEXT, word_w[i])]
        if not text_cols:
            return _records(title, headers, cells, max_width)
        i = max(text_cols, key=lambda c: widths[c])
        widths[i] = max(MIN_TEXT, word_w[i], widths[i] - (total(widths) - max_width))

    def line(parts: list[list[str]], align_num: bool) -> list[str]:
        height = max((len(p) for p in parts), default=1)
        out = []
        for k in range(height):
            segs = []
            for i, p in enumerate(parts):
                s = p[k] if k < len(p) else ""
                segs.append(s.rjust(widths[i]) if align_num and i in num else s.ljust(widths[i]))
            out.append((" " * gap).join(segs).rstrip())
        return out

    head = [textwrap.wrap(h, widths[i]) or [""] for i, h in enumerate(headers)]
    depth = max(len(h) for h in head)
    head = [[""] * (depth - len(h)) + h for h in head]  # bottom-align wrapped headers
    lines = [title] if title else []
    lines += line(head, True)
    lines.append("-" * min(max_width, total(widths)))
    for r in cells:
        lines += line([textwrap.wrap(c, widths[i], break_long_words=True) or [""] for i, c in enumerate(r)],
                      True)
    return "\n".join(lines)


def _records(title: str, headers: Sequence[str], cells: list[list[str]], max_width: int) -> str:
    """One block per row (``header: value``): for tables with too many columns to fit."""
    key_w = min(max((len(h) for h in headers), default=0), max_width // 2)
    lines = [title] if title else []
    for r in cells:
        lines.append("-" * min(max_width, 40))
        for h, c in zip(headers, r, strict=True):
            keys = textwrap.wrap(h, key_w, break_long_words=True) or [""]
            values = textwrap.wrap(c, max_width - key_w - 2, break_long_words=True) or [""]
            for k, v in zip_longest(keys, values, fillvalue=""):
                lines.append(f"{k.ljust(key_w)}  {v}".rstrip())
    return "\n".join(lines)
