"""Policy files, the CLI, the shipped red-team corpus and the committed evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import guardwrap as gw
from guardwrap.policy import load_guard

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "examples" / "policies" / "grounded_answers.yaml"
CASES = ROOT / "examples" / "policies" / "GROUNDED_CASES.yaml"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guardwrap", *args], capture_output=True, text=True, input=stdin,
                          timeout=120)


def test_example_policy_builds_every_rule():
    guard = load_guard(POLICY, audit=None)
    assert [v.name for v in guard.output] == ["grounded", "no_personal_advice", "no_return_promises",
                                              "no_guaranteed_approval", "required_disclaimers"]
    assert guard.output[0].action == "reask" and guard.max_reasks == 1


def test_example_cases_pass_in_ci():
    proc = cli("policy", "test", str(POLICY), str(CASES), "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["failed"] == 0 and report["passed"] >= 7


def test_cases_with_bad_sources_name_the_key(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n  - {text: x, stage: output, expect: pass, sources: one text}\n")
    proc = cli("policy", "test", str(POLICY), str(cases))
    assert proc.returncode == 2 and "cases[0].sources" in proc.stderr


def test_check_takes_source_files(tmp_path):
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("Easy Saver: 3.25% AER variable.", encoding="utf-8")
    ok = cli("check", str(POLICY), "It pays 3.25% AER.", "--stage", "output", "--source", str(sheet), "--json")
    bad = cli("check", str(POLICY), "It pays 3.5% AER.", "--stage", "output", "--source", str(sheet), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["outcome"] == "pass"
    assert bad.returncode == 1 and json.loads(bad.stdout)["reasons"] == ["ungrounded"]
    assert "3.25" not in bad.stdout and "3.5%" not in bad.stdout


@pytest.mark.parametrize(("item", "key"), [
    ({"grounded": {"locale": "en-XX"}}, "output[0].grounded.locale"),
    ({"grounded": {"kinds": ["money", "vibes"]}}, "output[0].grounded.kinds"),
    ({"grounded": {"citation": "check"}}, "output[0].grounded.citation"),
    ({"no_return_promises": {"families": ["nope"]}}, "output[0].no_return_promises.families"),
    ({"required_disclaimers": {"topics": ["pets"]}}, "output[0].required_disclaimers.topics"),
])
def test_bad_policy_options_name_the_key_path(tmp_path, item, key):
    import yaml

    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"id": "p", "output": [item]}))
    with pytest.raises(gw.PolicyError) as err:
        load_guard(path)
    assert err.value.key == key


def test_policy_hash_changes_with_the_facts(tmp_path):
    import yaml

    def policy_hash(facts):
        path = tmp_path / "p.yaml"
        path.write_text(yaml.safe_dump({"id": "p", "output": [{"grounded": {"facts": facts}}]}))
        return load_guard(path).policy_hash

    assert policy_hash(["Fee \u00a31."]) != policy_hash(["Fee \u00a32."])


def test_shipped_redteam_corpus_for_hallucinated_figures():
    from guardwrap.redteam import load_corpus, run_redteam

    items = load_corpus("hallucinated-figures")
    assert {i.category for i in items} == {"hallucinated-figures", "grounded-answers"}
    assert all(i.sources for i in items)
    report = run_redteam(gw.Guard("rt", output=[gw.Grounded()]), items, stage="output")
    rates = report.rates()
    assert rates["hallucinated-figures"]["caught"] >= 0.95
    assert rates["grounded-answers"]["pass"] == 1.0
    for miss in report.misses:  # misses never show the sources
        assert miss.text is None or "key facts" not in miss.text


def test_redteam_cli_runs_the_shipped_corpus(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("id: p\noutput:\n  - grounded: {}\n")
    proc = cli("redteam", str(policy), "hallucinated-figures", "--stage", "output", "--json", "--no-progress")
    assert proc.returncode == 0, proc.stdout[-1500:]
    assert json.loads(proc.stdout)["ok"] is True


def test_committed_evaluation_meets_its_targets():
    rows = [json.loads(line) for line in (ROOT / "benchmarks" / "data" / "grounding_eval.jsonl").read_text(
        encoding="utf-8").splitlines()]
    v = gw.Grounded()
    from guardwrap._context import CallContext

    detected = total = false_flags = faithful = 0
    for r in rows:
        res = v.check(r["answer"], CallContext("eval", gw.Context(sources=[tuple(s) for s in r["sources"]])))
        failed = res is not None and not res.passed
        if r["category"] == "faithful":
            faithful += 1
            false_flags += failed
        elif r["category"] in ("number-changed", "unit-swapped", "date-shifted", "rate-rounded", "claim-added"):
            total += 1
            s, e = r["span"]
            detected += failed and any(f.start < e and s < f.end for f in res.findings)
    assert faithful >= 300 and total >= 500
    assert detected / total >= 0.95
    assert false_flags / faithful <= 0.02
