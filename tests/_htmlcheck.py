"""Checks that an HTML report is well formed and self-contained (shared by the report tests)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.external: list[str] = []
        self.void = {"meta", "br", "img", "hr", "input", "link"}

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href") or (k == "style" and "url(" in (v or "")):
                self.external.append(f"{tag}.{k}")
        if tag not in self.void:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> (open: {self.stack[-3:]})"
        self.stack.pop()


def check_html(html: str) -> _Structure:
    p = _Structure()
    p.feed(html)
    p.close()
    assert p.stack == []
    assert p.external == [] and "<script" not in html and "@import" not in html
    return p
