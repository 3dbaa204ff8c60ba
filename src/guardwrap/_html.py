"""Self-contained HTML with inline SVG charts, for the red-team and audit reports.

No JavaScript, no fonts, no images, no links to anything outside the file: a report must open in a
browser on a machine with no network, and be safe to attach to an email. Every value written into
the page goes through `esc`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

#: Colour per outcome, mildest first; the same in every chart and legend.
OUTCOME_COLORS = {
    "pass": "#2e7d32",
    "warned": "#8d8d8d",
    "fixed": "#1565c0",
    "escalated": "#ef8f00",
    "blocked": "#c62828",
    "error": "#6a1b9a",
}
_FALLBACK = "#455a64"

_CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1080px;padding:0 1rem;color:#1d1d1f;background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;
padding-bottom:.3rem}.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.6rem 0}
th,td{border-bottom:1px solid #e3e3e3;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.card span{color:#555;font-size:.85rem}
.legend{font-size:.85rem;margin:.3rem 0}.legend i{display:inline-block;width:.8rem;height:.8rem;
margin:0 .3rem 0 .9rem;vertical-align:-1px;border-radius:2px}
code{font-size:.85rem;background:#f5f5f7;padding:0 .2rem;border-radius:3px}
.note{color:#555;font-size:.85rem}svg text{font-family:inherit}
"""


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def color(key: str, colors: Mapping[str, str] | None = None) -> str:
    """The colour of ``key``: from ``colors`` when given, else the outcome colour."""
    if colors is not None and key in colors:
        return colors[key]
    return OUTCOME_COLORS.get(key, _FALLBACK)


_CHAR_PX = 7.4  # average width of a character at 13 px in the sans-serif stack above, generously


def label_width(labels: Sequence[str], font_px: float = 13, *, least: int = 120, most: int = 420) -> int:
    """Pixels for a column of right-aligned labels, so that none is clipped (up to ``most``)."""
    longest = max((len(x) for x in labels), default=0)
    return math.ceil(min(most, max(least, longest * _CHAR_PX * font_px / 13 + 16)))


def fit_label(label: str, width_px: int, font_px: float = 13) -> str:
    """``label`` cut with an ellipsis when it would not fit ``width_px`` (the full one goes in a title)."""
    room = int((width_px - 16) / (_CHAR_PX * font_px / 13) + 1e-6)
    return label if len(label) <= room else label[: max(room - 1, 1)] + "\u2026"


def page(title: str, body: Sequence[str], subtitle: str = "") -> str:
    """A complete HTML document."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        # Nothing may be fetched: no scripts, no remote styles or images.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n" + (f"<p class=\"meta\">{esc(subtitle)}</p>\n" if subtitle else "")
        + "\n".join(body) + "\n</body>\n</html>\n"
    )


def section(title: str, *parts: str) -> str:
    return f"<section>\n<h2>{esc(title)}</h2>\n" + "\n".join(parts) + "\n</section>"


def cards(items: Sequence[tuple[str, object]]) -> str:
    return "<div class=\"cards\">" + "".join(
        f"<div class=\"card\"><b>{esc(v)}</b><span>{esc(k)}</span></div>" for k, v in items
    ) + "</div>"


def legend(keys: Sequence[str], colors: Mapping[str, str] | None = None) -> str:
    return "<div class=\"legend\">" + "".join(
        f"<i style=\"background:{color(k, colors)}\"></i>{esc(k)}" for k in keys
    ) + "</div>"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    num = set(numeric)
    th = ['<th class="num">' if i in num else "<th>" for i in range(len(headers))]
    td = ['<td class="num">' if i in num else "<td>" for i in range(len(headers))]
    head = "".join(f"{th[i]}{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"{td[i]}{esc(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(v: float) -> str:
    if v >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:,.1f}" if v >= 10 else f"{v:,.2f}"


def stacked_bars(title: str, rows: Sequence[tuple[str, Mapping[str, int]]], keys: Sequence[str],
                 *, percent: bool = True, width: int = 900, colors: Mapping[str, str] | None = None) -> str:
    """Horizontal bars, one per row, each split by ``keys`` (as shares of the row when ``percent``).

    ``colors`` maps a key to its colour (default: the outcome colours)."""
    bar_h, gap, right = 22, 10, 70
    label_w = label_width([label for label, _ in rows])
    plot_w = width - label_w - right
    height = max(1, len(rows)) * (bar_h + gap) + 30
    total_max = max((sum(r.get(k, 0) for k in keys) for _, r in rows), default=0) or 1
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" style=\"max-width:{width}px\" "
           f"viewBox=\"0 0 {width} {height}\"><title>{esc(title)}</title>"]
    for i, (label, counts) in enumerate(rows):
        y = 10 + i * (bar_h + gap)
        total = sum(counts.get(k, 0) for k in keys)
        scale = plot_w / (total if percent and total else total_max)
        out.append(f"<text x=\"{label_w - 8}\" y=\"{y + bar_h * 0.7:.1f}\" text-anchor=\"end\" "
                   f"font-size=\"13\"><title>{esc(label)}</title>{esc(fit_label(label, label_w))}</text>")
        x = float(label_w)
        for k in keys:
            n = counts.get(k, 0)
            if not n:
                continue
            w = n * scale
            share = 100.0 * n / total if total else 0.0
            out.append(f"<rect x=\"{x:.1f}\" y=\"{y}\" width=\"{w:.1f}\" height=\"{bar_h}\" fill=\"{color(k, colors)}\">"
                       f"<title>{esc(label)}: {esc(k)} {n} ({share:.0f}%)</title></rect>")
            if w > 34:
                out.append(f"<text x=\"{x + w / 2:.1f}\" y=\"{y + bar_h * 0.7:.1f}\" text-anchor=\"middle\" "
                           f"font-size=\"11\" fill=\"#fff\">{share:.0f}%</text>" if percent else
                           f"<text x=\"{x + w / 2:.1f}\" y=\"{y + bar_h * 0.7:.1f}\" text-anchor=\"middle\" "
                           f"font-size=\"11\" fill=\"#fff\">{n}</text>")
            x += w
        out.append(f"<text x=\"{x + 6:.1f}\" y=\"{y + bar_h * 0.7:.1f}\" font-size=\"12\" fill=\"#555\">"
                   f"n={total}</text>")
    out.append("</svg>")
    return legend(keys, colors) + "".join(out)


def bars(title: str, rows: Sequence[tuple[str, float]], *, unit: str = "", width: int = 900,
         fill: str = "#37474f", fills: Sequence[str] | None = None) -> str:
    """Horizontal bars of single values (top reasons, latency percentiles); ``fills`` colours each
    bar (default: all ``fill``)."""
    bar_h, gap, right = 20, 8, 90
    label_w = label_width([label for label, _ in rows], 12)
    plot_w = width - label_w - right
    height = max(1, len(rows)) * (bar_h + gap) + 20
    top = max((v for _, v in rows), default=0) or 1
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" style=\"max-width:{width}px\" "
           f"viewBox=\"0 0 {width} {height}\"><title>{esc(title)}</title>"]
    for i, (label, v) in enumerate(rows):
        y = 8 + i * (bar_h + gap)
        w = max(v / top * plot_w, 1.0 if v else 0.0)
        out.append(f"<text x=\"{label_w - 8}\" y=\"{y + bar_h * 0.72:.1f}\" text-anchor=\"end\" font-size=\"12\">"
                   f"<title>{esc(label)}</title>{esc(fit_label(label, label_w, 12))}</text>"
                   f"<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1f}\" height=\"{bar_h}\" "
                   f"fill=\"{fills[i] if fills is not None else fill}\"><title>{esc(label)}: {_fmt(v)}{esc(unit)}</title></rect>"
                   f"<text x=\"{label_w + w + 6:.1f}\" y=\"{y + bar_h * 0.72:.1f}\" font-size=\"12\" fill=\"#555\">"
                   f"{_fmt(v)}{esc(unit)}</text>")
    out.append("</svg>")
    return "".join(out)


def stacked_columns(title: str, buckets: Sequence[tuple[str, Mapping[str, int]]], keys: Sequence[str],
                    *, width: int = 900, height: int = 260) -> str:
    """Vertical stacked columns over time buckets (counts), with a y axis and a few x labels."""
    left, bottom, top_pad, right = 50, 40, 10, 10
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    n = max(1, len(buckets))
    step = plot_w / n
    col_w = max(step * 0.8, 1.0)
    top = max((sum(c.get(k, 0) for k in keys) for _, c in buckets), default=0) or 1
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" style=\"max-width:{width}px\" "
           f"viewBox=\"0 0 {width} {height}\"><title>{esc(title)}</title>"]
    base = top_pad + plot_h
    for frac in (0.0, 0.5, 1.0):
        y = base - frac * plot_h
        out.append(f"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{y:.1f}\" y2=\"{y:.1f}\" stroke=\"#e0e0e0\"/>"
                   f"<text x=\"{left - 6}\" y=\"{y + 4:.1f}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">"
                   f"{_fmt(top * frac)}</text>")
    label_every = max(1, n // 8)
    for i, (label, counts) in enumerate(buckets):
        x = left + i * step + (step - col_w) / 2
        y = float(base)
        for k in keys:
            v = counts.get(k, 0)
            if not v:
                continue
            h = v / top * plot_h
            y -= h
            out.append(f"<rect x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{col_w:.1f}\" height=\"{h:.1f}\" "
                       f"fill=\"{color(k)}\"><title>{esc(label)}: {esc(k)} {v}</title></rect>")
        if i % label_every == 0:
            out.append(f"<text x=\"{x + col_w / 2:.1f}\" y=\"{base + 16}\" text-anchor=\"middle\" "
                       f"font-size=\"11\" fill=\"#555\">{esc(label)}</text>")
    out.append("</svg>")
    return legend(keys) + "".join(out)
