"""Both audit layouts name the sources an output was checked against (ids and keyed hashes)."""

from __future__ import annotations

import pytest

import guardwrap as gw
from guardwrap.audit._read import read_records

SOURCE = "Select Account: monthly fee 3. Arranged overdraft 39.9% EAR."


@pytest.mark.parametrize("layout", ["decision", "call"])
def test_a_check_against_sources_names_them_in_either_layout(tmp_path, layout) -> None:
    path = str(tmp_path / "a.jsonl")
    guard = gw.Guard("g", output=[gw.MaxLength(chars=1000)], audit=gw.JsonlSink(path, layout=layout),
                     audit_key="k" * 32)
    guard.check("The fee is 3.", stage="output", context=gw.Context(sources=[("sheet", SOURCE)]))
    guard.close()
    decisions = [r for r in read_records(path) if r.get("type") == "decision"]
    assert len(decisions) == 1
    want = [{"id": "sheet", "hash": gw.audit.keyed_hash(SOURCE, gw.audit.audit_key("k" * 32))}]
    assert decisions[0]["sources"] == want
    with open(path, encoding="utf-8") as f:
        assert SOURCE not in f.read()
