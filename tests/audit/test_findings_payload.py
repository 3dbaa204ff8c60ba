"""`findings_payload` (inlined for speed on the writer thread) says what `Finding.to_dict` and
`Finding.kind` say, for every finding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guardwrap._decision import Finding
from guardwrap.audit._record import findings_payload

names = st.one_of(st.none(), st.sampled_from(["EMAIL_ADDRESS", "deny-term", "", "CREDIT_CARD"]))
scores = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.just(1.0), st.just(1), st.integers(-3, 3),
                   st.just(0.123456789))
findings = st.builds(Finding, names, st.integers(0, 10_000), st.integers(0, 10_000), scores, rule=names,
                     digest=st.one_of(st.none(), st.text(max_size=8)), part=st.one_of(st.none(), st.integers(0, 9)))


class Special(Finding):
    __slots__ = ()

    def to_dict(self) -> dict[str, object]:
        return {"special": True}


@given(st.lists(st.one_of(findings, st.builds(Special, names, rule=names)), max_size=12))
def test_findings_payload_matches_to_dict_and_kind(fs: list[Finding]) -> None:
    out, counts = findings_payload(fs)
    assert out == [f.to_dict() for f in fs]
    assert [type(v) for d in out for v in d.values()] == [type(v) for f in fs for v in f.to_dict().values()]
    want: dict[str, int] = {}
    for f in fs:
        want[f.kind] = want.get(f.kind, 0) + 1
    assert counts == want and list(counts) == list(want)
