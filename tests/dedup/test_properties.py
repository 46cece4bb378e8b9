"""Random criteria classified by dedup agree with brute force over the whole (small) domain."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import given

from criteria_engine.dedup import Finding, find_overlaps
from criteria_engine.evaluator import CompiledRule
from criteria_engine.expressions import compile_expression
from tests.dedup import strategies
from tests.dedup.common import make_rule
from tests.dedup.strategies import LEVELS, RATIO_MAX, X_MAX, Y_MAX


def meets(rule: CompiledRule, facts: Mapping[str, Any]) -> bool:
    """The engine's own compiled criterion; an arithmetic error means "not met"."""
    compiled = rule.criteria[0]
    try:
        return bool(compile_expression(compiled.expr, compiled.params)(facts))
    except ArithmeticError:
        return False


def brute_force(left: CompiledRule, right: CompiledRule,
                grid: Iterable[Mapping[str, Any]]) -> str:
    points = list(grid)
    a = {i for i, p in enumerate(points) if meets(left, p)}
    b = {i for i, p in enumerate(points) if meets(right, p)}
    if not a & b:
        return "disjoint"
    if a == b:
        return "equivalent"
    if a <= b:
        return "implies"
    if b <= a:
        return "implied_by"
    return "overlaps"


def check_witnesses(finding: Finding, left: CompiledRule, right: CompiledRule) -> None:
    """Each witness is a point of the grid with the claimed results."""
    expected = {"both": (True, True), "only_left": (True, False), "only_right": (False, True)}
    for witness in finding.witnesses:
        facts = {k: _engine_value(v) for k, v in witness.record["facts"].items()}
        assert (meets(left, facts), meets(right, facts)) == expected[witness.role]


def _engine_value(value: Any) -> Any:
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


def classify(left_expr: str, right_expr: str, inputs: dict[str, dict[str, Any]]
             ) -> tuple[CompiledRule, CompiledRule, Finding | None, Finding]:
    left = make_rule("left", inputs, [left_expr])
    right = make_rule("right", inputs, [right_expr])
    report = find_overlaps([left, right])
    (title,) = report.titles
    return left, right, (report.findings[0] if report.findings else None), title


def grid(**ranges: Iterable[Any]) -> list[dict[str, Any]]:
    names = list(ranges)
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(list(r) for r in ranges.values()))]


@given(strategies.threshold_criteria(), strategies.threshold_criteria())
def test_single_input_thresholds_match_brute_force(left_expr: str, right_expr: str) -> None:
    inputs = {"x": {"type": "integer", "min": 0, "max": X_MAX}}
    left, right, finding, title = classify(left_expr, right_expr, inputs)
    expected = brute_force(left, right, grid(x=[Decimal(v) for v in range(X_MAX + 1)]))
    assert finding is not None
    assert finding.relation == expected, (left_expr, right_expr)
    assert title.relation == expected
    check_witnesses(finding, left, right)


@given(strategies.mixed_criteria(), strategies.mixed_criteria())
def test_several_inputs_match_brute_force(left_expr: str, right_expr: str) -> None:
    inputs: dict[str, dict[str, Any]] = {
        "y": {"type": "integer", "min": 0, "max": Y_MAX}, "flag": {"type": "boolean"},
        "level": {"type": "enum", "values": list(LEVELS)}}
    left, right, finding, title = classify(left_expr, right_expr, inputs)
    points = grid(y=[Decimal(v) for v in range(Y_MAX + 1)], flag=[False, True], level=LEVELS)
    expected = brute_force(left, right, points)
    assert title.relation == expected, (left_expr, right_expr)
    check_witnesses(title, left, right)
    if finding is not None:  # the criteria share a fact
        assert finding.relation == expected
        check_witnesses(finding, left, right)


@given(strategies.ratio_criteria(), strategies.ratio_criteria())
def test_guarded_ratios_match_brute_force(left_expr: str, right_expr: str) -> None:
    inputs = {"done": {"type": "integer", "min": 0, "max": RATIO_MAX},
              "total": {"type": "integer", "min": 0, "max": RATIO_MAX}}
    left, right, finding, title = classify(left_expr, right_expr, inputs)
    values = [Decimal(v) for v in range(RATIO_MAX + 1)]
    expected = brute_force(left, right, grid(done=values, total=values))
    assert finding is not None
    assert finding.relation == expected, (left_expr, right_expr)
    assert title.relation == expected
    check_witnesses(finding, left, right)
