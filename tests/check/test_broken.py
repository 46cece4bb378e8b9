"""Each deliberately broken rule file yields the finding it was written for, and the
counterexample, read back as a nominee record, really violates the property."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import find, settings
from hypothesis.errors import NoSuchExample

from criteria_engine import strategies
from criteria_engine.check import Finding, render_text
from criteria_engine.check.exact import exact_value
from criteria_engine.errors import RecordError
from criteria_engine.evaluator import CompiledRule, evaluate
from tests.check.common import BROKEN, RANK, decided, judge, only, result_of, run
from tests.common import CRITERIA


@dataclass(frozen=True)
class Case:
    file: str
    property: str
    key: str
    criterion: str | None
    method: str
    lower: str | None = None
    examples: int = 50


CASES = [
    Case("non-monotone.yaml", "monotone", "check.monotone.outcome", "di_muon", "exact"),
    Case("impossible-gate.yaml", "satisfiable", "check.satisfiable.never_passes", "xep_loai",
         "exact"),
    Case("vacuous.yaml", "satisfiable", "check.satisfiable.always_passes",
         "thoi_gian_cong_tac", "exact"),
    Case("points-unreachable.yaml", "satisfiable", "check.satisfiable.points_unreachable", None,
         "exact"),
    Case("contradictory-gates.yaml", "satisfiable", "check.satisfiable.title_impossible", None,
         "exact"),
    Case("ratio-non-monotone.yaml", "monotone", "check.monotone.outcome",
         "ty_le_lao_dong_tien_tien", "generated"),
    Case("ratio-impossible.yaml", "satisfiable", "check.satisfiable.never_passes_generated",
         "ty_le", "generated"),
    Case("rounding.yaml", "exact-arithmetic", "check.exact-arithmetic.mismatch", "binh_quan_quy",
         "generated"),
    Case("unguarded-division.yaml", "consistent", "check.consistent.arithmetic",
         "ty_le_hoan_thanh", "generated"),
    Case("weaker-higher.yaml", "hierarchy", "check.hierarchy.violated", "xep_loai", "exact",
         lower="lao-dong-tien-tien"),
    Case("weaker-higher-ratio.yaml", "hierarchy", "check.hierarchy.violated",
         "ty_le_lao_dong_tien_tien", "generated", lower="tap-the-lao-dong-tien-tien",
         examples=100),
    Case("hierarchy-input-mismatch.yaml", "hierarchy", "check.hierarchy.input_mismatch", None,
         "exact", lower="lao-dong-tien-tien"),
]


def finding_for(case: Case) -> Finding:
    # one version of the lower title, so each fault is found once (against the later
    # versions in force from 2025 it would be found again, once per period)
    paths = [BROKEN / case.file] + ([CRITERIA / case.lower / "2024.1.yaml"] if case.lower else [])
    report = run(*paths, properties=[case.property], examples=case.examples)
    assert not report.ok
    for lang in ("vi", "en"):
        assert render_text(report, lang)
    return only(report, case.property)


def test_every_broken_file_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(c.file for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_broken_file_yields_its_finding(case: Case) -> None:
    finding = finding_for(case)
    assert (finding.key, finding.criterion, finding.method) == (case.key, case.criterion,
                                                                case.method)
    VERIFY[case.key](finding)


# --- the counterexample really violates the property ----------------------------------

def _monotone(finding: Finding) -> None:
    before, after = finding.examples
    assert (before.role, after.role) == ("before", "after")
    name = finding.params["input"]
    spec = before.rule.model.inputs[name]
    assert {k: v for k, v in before.facts.items() if k != name} == {
        k: v for k, v in after.facts.items() if k != name}
    assert strategies.is_better(spec, after.facts[name], before.facts[name])
    first, second = decided(before), decided(after)
    assert RANK[second.outcome] < RANK[first.outcome] or second.points < first.points
    assert result_of(first, finding.criterion or "") == "pass"
    assert result_of(second, finding.criterion or "") == "fail"


def _never_passes(finding: Finding) -> None:
    (example,) = finding.examples
    assert result_of(decided(example), finding.criterion or "") == "fail"
    _no_nominee(example.rule, lambda d: result_of(d, finding.criterion or "") == "pass")


def _always_passes(finding: Finding) -> None:
    (example,) = finding.examples
    assert result_of(decided(example), finding.criterion or "") == "pass"
    _no_nominee(example.rule, lambda d: result_of(d, finding.criterion or "") == "fail")


def _points_unreachable(finding: Finding) -> None:
    (example,) = finding.examples
    decision = decided(example)
    model = example.rule.model
    assert all(r.result == "pass" for r in decision.criteria)
    assert decision.points == model.max_points < model.decision.min_points
    assert decision.outcome == "khong_dat"


def _title_impossible(finding: Finding) -> None:
    assert finding.examples == ()
    _no_nominee(finding.rule, lambda d: d.outcome == "dat")


def _no_nominee(rule: CompiledRule, wanted: object) -> None:
    """An independent search (plain strategies, no exact reasoning) finds no such nominee."""
    assert callable(wanted)

    def judged(facts: dict[str, object]) -> bool:
        return bool(wanted(evaluate(rule, facts, nominee_id="x", period=2024)))

    with pytest.raises(NoSuchExample):
        find(strategies.facts(rule.model.inputs, hints=strategies.hints(rule)), judged,
             settings=settings(max_examples=300, database=None))


def _exact_mismatch(finding: Finding) -> None:
    (example,) = finding.examples
    compiled = next(c for c in example.rule.criteria if c.criterion.id == finding.criterion)
    truth = exact_value(compiled.expr, {k: Fraction(v) if not isinstance(v, bool | str) else v
                                        for k, v in example.facts.items()}, compiled.params)
    engine = result_of(decided(example), finding.criterion or "") == "pass"
    assert engine != truth


def _arithmetic(finding: Finding) -> None:
    (example,) = finding.examples
    error = judge(example)
    assert isinstance(error, RecordError)
    assert (error.key, error.where.field) == ("record.arithmetic", finding.criterion)


def _hierarchy(finding: Finding) -> None:
    higher, lower = finding.examples
    assert (higher.role, lower.role) == ("higher", "lower")
    assert higher.rule.id != lower.rule.id == finding.rule.id
    assert decided(higher).outcome == "dat"
    below = decided(lower)
    assert below.outcome != "dat"
    assert result_of(below, finding.criterion or "") == "fail"
    shared = set(higher.facts) & set(lower.facts)
    assert shared and all(higher.facts[n] == lower.facts[n] for n in shared)


def _input_mismatch(finding: Finding) -> None:
    assert finding.examples == ()
    assert finding.params["input"] == "disciplined"


VERIFY = {
    "check.monotone.outcome": _monotone,
    "check.satisfiable.never_passes": _never_passes,
    "check.satisfiable.never_passes_generated": _never_passes,
    "check.satisfiable.always_passes": _always_passes,
    "check.satisfiable.points_unreachable": _points_unreachable,
    "check.satisfiable.title_impossible": _title_impossible,
    "check.exact-arithmetic.mismatch": _exact_mismatch,
    "check.consistent.arithmetic": _arithmetic,
    "check.hierarchy.violated": _hierarchy,
    "check.hierarchy.input_mismatch": _input_mismatch,
}


def test_counterexamples_are_shrunk_to_readable_values() -> None:
    finding = finding_for(CASES[5])
    before, after = finding.examples
    assert (before.facts["members_total"], after.facts["members_total"]) == (1, 2)
    assert before.facts["members_ldtt"] == 1


def test_a_weaker_higher_title_fails_only_the_hierarchy() -> None:
    report = run(BROKEN / "weaker-higher.yaml", CRITERIA / "lao-dong-tien-tien")
    assert {f.property for f in report.findings} == {"hierarchy"}
