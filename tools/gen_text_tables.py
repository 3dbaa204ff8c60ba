"""Generate ``src/guardwrap/_text/_tables.py``: the character table behind the canonical text view.

Run from the repository root (the output is committed; rerun it when the rules below change):

    python tools/gen_text_tables.py            # write it
    python tools/gen_text_tables.py --check    # is the committed table up to date?

For every code point outside ASCII the table says what it becomes in the canonical view, derived
from Unicode's own data rather than typed by hand:

1. decimal digits of any script (category Nd) -> the ASCII digit (``unicodedata.decimal``);
2. space separators (Zs) -> ``" "``; line and paragraph separators (Zl, Zp) -> ``"\\n"``;
3. dashes (Pd) and the minus signs -> ``"-"``;
4. format and invisible characters (Cf), nonspacing and enclosing marks (Mn, Me: combining
   diacritics, variation selectors, the Mongolian free variation selectors, the combining keycap)
   and the other default-ignorable code points -> removed;
5. compatibility forms (NFKD, marks stripped): full-width and mathematical letters and digits,
   ligatures, circled and superscript digits -> their plain form, mapped again by these rules;
6. confusable letters and punctuation (Unicode's ``confusables.txt``, UTS #39, in
   ``tools/data/confusables.txt``) whose prototype is ASCII, or maps to ASCII by these rules
   (Latin small capitals read as their letter; a lower-case letter reads like its capital)
   -> the prototype, with the case of the
   source kept (a capital lookalike of ``I`` becomes ``I``, not the prototype ``l``). Digits are
   never produced from letters this way, and ASCII itself is never changed.

The Python ``unicodedata`` version used is recorded in the output.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFUSABLES = ROOT / "tools" / "data" / "confusables.txt"
OUT = ROOT / "src" / "guardwrap" / "_text" / "_tables.py"

# Default_Ignorable_Code_Point code points outside Cf/Mn/Me (DerivedCoreProperties.txt): Hangul
# fillers and the Khmer inherent vowels render as nothing and are used to pad words invisibly.
_IGNORABLE_LETTERS = (0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0)
_MINUS = (0x2212, 0x2796, 0xFE63, 0xFF0D, 0x2043)
# Punctuation prototypes worth folding (they take part in e-mail addresses, URLs and ids).
_PUNCT_TARGETS = frozenset("@.-:/_'\"")


def _load_confusables() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in CONFUSABLES.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        src, dst, _kind = (f.strip() for f in line.split(";"))
        if " " in src:
            continue  # sequences: only single characters are folded
        out[chr(int(src, 16))] = "".join(chr(int(c, 16)) for c in dst.split())
    return out


def _basic(ch: str) -> str | None:
    """Rules 1-4 for one character, or None when they do not apply."""
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cat == "Nd":
        return str(unicodedata.decimal(ch))
    if cat == "Zs":
        return " "
    if cat in ("Zl", "Zp"):
        return "\n"
    if cat == "Pd" or cp in _MINUS:
        return "-"
    if cat in ("Cf", "Mn", "Me") or cp in _IGNORABLE_LETTERS:
        return ""
    return None


# Scripts whose letters are borrowed to spoof Latin text, and the symbol blocks that imitate it.
# Letters of other scripts (Arabic, Hebrew, kana, Hangul, Indic...) are left as they are, so that
# text in those languages keeps its letters and their diacritics.
_LATINISH = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC", "LISU", "FULLWIDTH",
             "MATHEMATICAL", "MODIFIER LETTER", "SCRIPT", "BLACK-LETTER", "DOUBLE-STRUCK",
             "PARENTHESIZED", "CIRCLED", "SQUARED", "NEGATIVE", "REGIONAL INDICATOR", "SUBSCRIPT",
             "SUPERSCRIPT", "SMALL", "TURNED", "ROMAN NUMERAL", "VULGAR FRACTION")


def _latinish(ch: str) -> bool:
    if unicodedata.category(ch)[0] in "PSN":  # punctuation, symbols, numbers of any block
        return True
    name = unicodedata.name(ch, "")
    return name.startswith(_LATINISH)


def _map(ch: str, confusables: dict[str, str], depth: int = 0) -> str:
    if ch.isascii():
        return ch
    basic = _basic(ch)
    if basic is not None:
        return basic
    latinish = _latinish(ch)
    # Latin-like characters lose their diacritics (NFKD, marks dropped by rule 4); others only
    # take their compatibility form (half-width kana, squared words), marks kept.
    decomposed = unicodedata.normalize("NFKD" if latinish else "NFKC", ch)
    if decomposed != ch and depth < 4:
        parts = decomposed if latinish else [decomposed]
        out = "".join(_map(c, confusables, depth + 1) if latinish else c for c in parts)
        out = unicodedata.normalize("NFKC", out)  # recompose what the rules left alone
        if out != ch:
            return out
    if not latinish:
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == len("LATIN LETTER SMALL CAPITAL ") + 1:
        return name[-1].lower()  # small capitals read as the lower-case letter
    proto = confusables.get(ch)
    if proto is not None and not proto.isascii() and depth < 4:
        # follow the prototype (Cyrillic ve -> small capital B -> b)
        proto = "".join(_map(c, confusables, depth + 1) for c in proto)
    if (proto is None or not proto.isascii()) and ch.islower() and len(ch.upper()) == 1 and depth < 4:
        # a lower-case letter reads like its capital does (Cyrillic ka -> K -> k)
        up = _map(ch.upper(), confusables, depth + 1)
        if len(up) == 1 and up.isascii() and up.isalpha():
            return up.lower()
    if proto is None or not proto.isascii() or proto == ch:
        return ch
    if proto.isalpha() and unicodedata.category(ch)[0] == "L":
        if ch.isupper():
            proto = "I" if proto == "l" else proto.upper()
        elif ch.islower():
            proto = proto.lower()
        return proto
    if len(proto) == 1 and proto in _PUNCT_TARGETS and unicodedata.category(ch)[0] in "PS":
        return proto
    return ch


def build() -> dict[int, str]:
    confusables = _load_confusables()
    table: dict[int, str] = {}
    for cp in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        out = _map(ch, confusables)
        if out != ch:
            table[cp] = out
    return table


def _ranges(cps: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def render(table: dict[int, str]) -> str:
    # Group by output so the file stays small: {output: [ranges of code points]}.
    by_out: dict[str, list[int]] = {}
    for cp, out in sorted(table.items()):
        by_out.setdefault(out, []).append(cp)
    lines = [
        "# Generated by tools/gen_text_tables.py: do not edit. Sources: Unicode confusables.txt 13.0.0",
        f"# (tools/data/confusables.txt, (c) Unicode, Inc., Unicode terms of use) and unicodedata {unicodedata.unidata_version}.",
        '"""What each non-ASCII character becomes in the canonical view (see tools/gen_text_tables.py)."""',
        "",
        f'UNIDATA_VERSION = "{unicodedata.unidata_version}"',
        "",
        "#: output -> ((first, last), ...) code point ranges that map to it",
        "RANGES: dict[str, tuple[tuple[int, int], ...]] = {",
    ]
    for out in sorted(by_out):
        rs = ", ".join(f"({a:#x}, {b:#x})" for a, b in _ranges(by_out[out]))
        lines.append(f"    {out!a}: ({rs},),")
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    table = build()
    text = render(table)
    if "--check" in argv:  # for the tests: is the committed table what this script makes?
        current = OUT.read_text(encoding="utf-8")
        recorded = next((ln for ln in current.splitlines() if ln.startswith("UNIDATA_VERSION")), "")
        if unicodedata.unidata_version not in recorded:
            print(f"skipped: this Python has Unicode {unicodedata.unidata_version}; the table was made with {recorded}")
            return 0
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/gen_text_tables.py")
            return 1
        print("up to date")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(table)} code points -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
