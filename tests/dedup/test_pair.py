"""The hand-made pair (tests/fixtures/dedup/pair): every relation classified exactly,
every witness re-evaluated here through the ordinary input path (record → bind → evaluate)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from criteria_engine import Location, RuleLibrary, bind_facts, evaluate
from criteria_engine.dedup import DedupReport, Finding, Witness, find_overlaps
from criteria_engine.evaluator import CompiledRule
from criteria_engine.nominees import Nominee
from tests.dedup.common import PAIR

EXPECTED = {
    ("xep_loai", "xep_loai_khong_thap"): "equivalent",   # enum, written two ways
    ("hai_sang_kien", "nhieu_sang_kien"): "equivalent",  # >= 2 and > 1 over whole numbers
    ("diem_cao", "diem_kha"): "implies",                 # 95 ⇒ 90, through same_as
    ("ty_le_hoan_thanh", "ty_le_kha"): "implies",        # guarded ratio 0.95 ⇒ 0.9
    ("lan_toa", "quy_mo_vua"): "overlaps",
    ("diem_cao", "diem_thap"): "disjoint",
}
#: Roles the solver must prove impossible, and roles a witness must show, per relation.
EVIDENCE = {
    "equivalent": ({"only_left", "only_right"}, {"both"}),
    "implies": ({"only_left"}, {"both", "only_right"}),
    "overlaps": (set(), {"both", "only_left", "only_right"}),
    "disjoint": ({"both"}, {"only_left", "only_right"}),
}


@pytest.fixture(scope="module")
def report() -> DedupReport:
    library = RuleLibrary.load([PAIR])
    assert not library.problems
    return find_overlaps(library.all())


def by_criteria(report: DedupReport) -> dict[tuple[str, str], Finding]:
    found = {}
    for finding in report.findings:
        assert finding.left.criterion is not None and finding.right.criterion is not None
        found[(finding.left.criterion.criterion.id, finding.right.criterion.criterion.id)] = finding
    return found


def test_every_pair_is_classified_exactly(report: DedupReport) -> None:
    assert {pair: f.relation for pair, f in by_criteria(report).items()} == EXPECTED
    assert all(f.left.rule.id == "alpha" and f.right.rule.id == "beta" for f in report.findings)
    assert report.unrelated == 5 * 6 - len(EXPECTED)


@pytest.mark.parametrize("pair", sorted(EXPECTED))
def test_evidence_matches_the_relation(report: DedupReport, pair: tuple[str, str]) -> None:
    finding = by_criteria(report)[pair]
    proved, shown = EVIDENCE[finding.relation]
    assert set(finding.proved_absent) == proved
    assert {w.role for w in finding.witnesses} == shown
    assert not finding.notes
    assert finding.theory == ("finite" if pair[0] == "xep_loai" else "linear")


def engine_results(rule: CompiledRule, record: dict[str, Any]) -> dict[str, str]:
    """What the engine says about a witness record, read through the normal input path."""
    own = {k: v for k, v in record["facts"].items() if k in rule.model.inputs}
    nominee = Nominee.model_validate({**record, "facts": own})
    facts = bind_facts(rule.model, nominee, Location())
    decision = evaluate(rule, facts, nominee_id=nominee.id, period=nominee.period)
    assert rule.model.effective.covers_year(nominee.period)
    return {r.id: r.result for r in decision.criteria}


def witnesses(report: DedupReport) -> list[tuple[Finding, Witness]]:
    return [(f, w) for f in report.findings for w in f.witnesses]


def test_each_witness_is_confirmed_by_the_engine(report: DedupReport) -> None:
    expected = {"both": ("pass", "pass"), "only_left": ("pass", "fail"),
                "only_right": ("fail", "pass")}
    assert len(witnesses(report)) == 11
    for finding, witness in witnesses(report):
        assert finding.left.criterion is not None and finding.right.criterion is not None
        left = engine_results(finding.left.rule, witness.record)
        right = engine_results(finding.right.rule, witness.record)
        got = (left[finding.left.criterion.criterion.id],
               right[finding.right.criterion.criterion.id])
        assert got == expected[witness.role], (finding.left.label, finding.right.label, witness)
        assert (witness.left, witness.right) == got


def test_witness_records_are_in_the_input_format(report: DedupReport) -> None:
    finding = by_criteria(report)[("diem_cao", "diem_kha")]
    record = finding.witness("both")
    assert record is not None
    assert set(record.record) == {"id", "name", "subject", "period", "facts"}
    assert record.record["subject"] == "ca_nhan"
    assert record.record["period"] == 2024  # beta is in force from 2024-06-01
    facts = record.record["facts"]
    assert set(facts) == {"score", "council_score"}  # each file's own name, one value
    assert facts["score"] == facts["council_score"] >= 95


def test_ratio_implication_has_no_counterexample_on_a_grid() -> None:
    """Independent of the solver: 0.95 ⇒ 0.9 for every registered/completed up to 60."""
    for registered in range(1, 61):
        for completed in range(0, 61):
            if Fraction(completed, registered) >= Fraction(95, 100):
                assert Fraction(completed, registered) >= Fraction(9, 10)


def test_whole_titles(report: DedupReport) -> None:
    (title,) = report.titles
    assert title.relation == "implies"  # alpha's gates earn beta's 100 points
    assert set(title.proved_absent) == {"only_left"}
    for witness in title.witnesses:
        outcomes = []
        for rule in (title.left.rule, title.right.rule):
            own = {k: v for k, v in witness.record["facts"].items() if k in rule.model.inputs}
            nominee = Nominee.model_validate({**witness.record, "facts": own})
            facts = bind_facts(rule.model, nominee, Location())
            outcomes.append(evaluate(rule, facts, nominee_id="w", period=nominee.period).outcome)
        expected = {"both": ["dat", "dat"], "only_right": ["khong_dat", "dat"]}[witness.role]
        assert outcomes == expected
