"""The runtime strategies draw only valid nominees, and aim at the rule's thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria_engine import strategies
from criteria_engine.evaluator import CompiledRule
from criteria_engine.library import RuleLibrary, load_rule
from criteria_engine.nominees import coerce_fact
from tests.common import CRITERIA

RULES = RuleLibrary.load([CRITERIA]).all()
MODEL = load_rule(CRITERIA / "mo-hinh-hoc-tap-lam-theo-bac" / "2024.1.yaml")
MODEL_HINTS = strategies.hints(MODEL)


@pytest.mark.parametrize("rule", RULES, ids=[f"{r.id}@{r.version}" for r in RULES])
@given(data=st.data())
def test_generated_facts_are_valid_records(rule: CompiledRule, data: st.DataObject) -> None:
    hints = strategies.hints(rule)
    facts = data.draw(strategies.facts(rule.model.inputs, hints=hints, missing=True))
    for name, value in facts.items():
        assert coerce_fact(rule.model.inputs[name], value) == value


@given(data=st.data())
def test_an_improvement_is_never_worse(data: st.DataObject) -> None:
    inputs = MODEL.model.inputs
    name = data.draw(st.sampled_from([n for n, s in inputs.items() if s.better]))
    before, after = data.draw(strategies.improvements(inputs, name, hints=MODEL_HINTS))
    assert not strategies.is_better(inputs[name], before[name], after[name])
    assert {n: v for n, v in before.items() if n != name} == {
        n: v for n, v in after.items() if n != name}


def test_hints_name_the_thresholds_and_ratios() -> None:
    rule = load_rule(CRITERIA / "dien-hinh-tien-tien-ca-nhan" / "2024.1.yaml")
    hints = strategies.hints(rule)
    assert {Decimal(85), Decimal("84.99"), Decimal("85.01")} <= set(hints.boundaries["score_council"])
    assert strategies.Ratio("completed_tasks", "registered_tasks", Decimal("0.95")) in hints.ratios


def test_the_sweep_puts_ratios_at_their_thresholds() -> None:
    rule = load_rule(CRITERIA / "tap-the-lao-dong-tien-tien" / "2024.1.yaml")
    base: dict[str, Any] = {"members_total": Decimal(1), "members_ldtt": Decimal(1)}
    swept = list(strategies.sweep(rule.model.inputs, strategies.hints(rule), base))
    pairs = {(f["members_ldtt"], f["members_total"]) for f in swept}
    assert (Decimal(5), Decimal(10)) in pairs and (Decimal(6), Decimal(10)) in pairs
