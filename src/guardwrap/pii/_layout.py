"""Where a candidate sits in its text: its line, the line before, the column of a table.

Context for a value is often not in the words just before it: a CSV header names its column, an
agent's question on the previous transcript line names the answer (``Rep: And the account
number?`` / ``Client: 32680173``). `Doc` answers those questions for one scan, lazily: a text
without tables never builds a table map, and the map, once built, costs one pass over the lines.
"""

from __future__ import annotations

_DELIMS = (",", "\t", ";", "|")
#: longest stretch of a previous line that counts as context
PREV_LINE_CHARS = 80


#: longest line whose start, table column or previous line is looked for: every look-up is bounded,
#: so a text of one huge line costs linear time
MAX_LINE = 2048


class Doc:
    """One text being scanned, with the text that came before it (a stream's previous segment)."""

    __slots__ = ("_delimited", "_prev", "_tables", "before", "card", "cue", "multiline", "text", "word")

    def __init__(self, text: str, before: str = "") -> None:
        self.text = text
        self.before = before
        #: the text has line breaks (once per scan, not per candidate)
        self.multiline = "\n" in text
        self._tables: dict[int, tuple[str, list[str]]] | None = None
        #: line start -> (line end, the line holds some delimiter twice): asked once per line
        self._delimited: dict[int, tuple[int, bool]] = {}
        self._prev: dict[int, str] = {}  # line start -> `prev_line`
        #: the last word a glued number was read in (`_engine._word_at`): (start, end, all hex)
        self.word: tuple[int, int, bool] | None = None
        #: the last glued card number validated (`_engine.Detector._glued_card`): ((digits, shape,
        #: plain, separator), score); and the last context asked whether it names a card
        #: (`_engine.Detector._card_cue`): (context, answer). A word of glued cards repeats both.
        self.card: tuple[tuple[str, str, bool, str | None], float | None] | None = None
        self.cue: tuple[str, bool] | None = None

    def line_start(self, pos: int) -> int:
        """Start of the line holding ``pos``; -1 when it starts more than `MAX_LINE` before."""
        i = self.text.rfind("\n", max(0, pos - MAX_LINE), pos)
        if i >= 0:
            return i + 1
        return 0 if pos <= MAX_LINE else -1

    def prev_line(self, line_start: int) -> str:
        """The last non-blank line before the line that starts at ``line_start`` (its tail)."""
        line = self._prev.get(line_start)
        if line is None:
            line = self._prev[line_start] = self._prev_line(line_start)
        return line

    def _prev_line(self, line_start: int) -> str:
        text = self.text
        end = line_start - 1
        while end > 0:
            s = text.rfind("\n", max(0, end - PREV_LINE_CHARS), end) + 1
            line = text[max(s, end - PREV_LINE_CHARS):end].strip()
            if line:
                return line
            if s == 0 and end > PREV_LINE_CHARS:
                break  # a long line: its tail was the whole look
            end = s - 1
            if line_start - end > 4 * PREV_LINE_CHARS:
                break
        return ""

    def column_header(self, pos: int) -> str | None:
        """The header cell of the table column that holds ``pos``, or None outside a table."""
        if not self.multiline:
            return None
        text = self.text
        ls = self.line_start(pos)
        if ls <= 0:
            return None
        le = text.find("\n", pos, pos + MAX_LINE)
        if le < 0:
            if len(text) - pos > MAX_LINE:
                return None
            le = len(text)
        delimited = self._delimited.get(ls)
        if delimited is None or delimited[0] != le:
            delimited = self._delimited[ls] = (le, _has_delims(text, ls, le))
        if not delimited[1]:
            return None
        tables = self._tables
        if tables is None:
            tables = self._tables = _tables(text)
        hit = tables.get(ls)
        if hit is None:
            return None
        delim, header = hit
        col = text.count(delim, ls, pos)
        return header[col] if col < len(header) else None


def _has_delims(text: str, ls: int, le: int) -> bool:
    for d in _DELIMS:
        i = text.find(d, ls, le)
        if i >= 0 and text.find(d, i + 1, le) >= 0:
            return True
    return False


def _tables(text: str) -> dict[int, tuple[str, list[str]]]:
    """Line start -> (delimiter, header cells) for every data line of a delimited table whose first
    line is a header (words, not values). One pass over the lines."""
    out: dict[int, tuple[str, list[str]]] = {}
    header: tuple[str, list[str], int] | None = None  # delimiter, cells, delimiter count
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if header is not None:
            delim, cells, count = header
            if line.count(delim) == count:
                out[start] = (delim, cells)
                continue
            header = None
        for d in _DELIMS:
            k = line.count(d)
            if k >= 2:
                cells = [c.strip().strip("\"'").lower().replace("_", " ") for c in line.split(d)]
                if all(len(c) <= 40 and sum(map(str.isdigit, c)) <= 2 for c in cells) and all(
                    any(map(str.isalpha, c)) for c in cells if c
                ):
                    header = (d, cells, k)
                break
    return out
