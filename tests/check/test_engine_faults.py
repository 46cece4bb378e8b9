"""The engine properties catch a faulty evaluator: each fault below is injected in place
of :func:`evaluate`, and the property written for it reports a counterexample."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from criteria_engine.check import Engine, check_paths
from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from tests.check.common import EXAMPLES, SEED
from tests.common import CRITERIA


def faulty(prop: str, engine: Engine, rule: str = "lao-dong-tien-tien") -> list[tuple[str, str | None]]:
    report = check_paths([CRITERIA / rule], seed=SEED, max_examples=EXAMPLES, properties=[prop],
                         engine=engine)
    return [(f.key, f.criterion) for f in report.findings]


def test_the_real_engine_passes_the_engine_properties() -> None:
    report = check_paths([CRITERIA / "mo-hinh-hoc-tap-lam-theo-bac"], seed=SEED,
                         max_examples=EXAMPLES,
                         properties=["consistent", "exact-arithmetic", "deterministic"])
    assert report.ok and not report.findings


def test_a_failed_gate_that_still_meets_is_caught() -> None:
    def lenient(rule: CompiledRule, facts: Mapping[str, Any], **kw: Any) -> Decision:
        decision = evaluate(rule, facts, **kw)
        return decision._replace(outcome="dat") if decision.outcome == "khong_dat" else decision

    assert faulty("consistent", lenient)[0][0] == "check.consistent.gate_dat"


def test_a_missing_fact_taken_as_false_is_caught() -> None:
    def defaulting(rule: CompiledRule, facts: Mapping[str, Any], **kw: Any) -> Decision:
        filled = {n: (False if rule.model.inputs[n].type == "boolean" else
                      rule.model.inputs[n].values[0] if rule.model.inputs[n].values else
                      Decimal(0)) if v is None else v for n, v in facts.items()}
        return evaluate(rule, filled, **kw)

    assert ("check.consistent.missing_decided", None) in faulty("consistent", defaulting)


def test_points_beyond_the_maximum_are_caught() -> None:
    def generous(rule: CompiledRule, facts: Mapping[str, Any], **kw: Any) -> Decision:
        decision = evaluate(rule, facts, **kw)
        return decision._replace(points=decision.points + 1)

    keys = [key for key, _ in faulty("consistent", generous, "dien-hinh-tien-tien-ca-nhan")]
    assert keys[0] in ("check.consistent.points_range", "check.consistent.points_sum")


def test_a_hidden_float_is_caught() -> None:
    def floating(rule: CompiledRule, facts: Mapping[str, Any], **kw: Any) -> Decision:
        binary = {n: Decimal(float(v)) if isinstance(v, Decimal) else v for n, v in facts.items()}
        return evaluate(rule, binary, **kw)

    found = faulty("exact-arithmetic", floating, "mo-hinh-hoc-tap-lam-theo-bac")
    assert found and found[0][0] == "check.exact-arithmetic.mismatch"


def test_an_order_dependent_engine_is_caught() -> None:
    calls = [0]

    def forgetful(rule: CompiledRule, facts: Mapping[str, Any], **kw: Any) -> Decision:
        calls[0] += 1
        decision = evaluate(rule, facts, **kw)
        return decision._replace(outcome="khong_dat") if calls[0] % 7 == 0 else decision

    # one version: the fault counts calls across every rule checked, and hypothesis's
    # replay of a shrunk example lands on another count (FlakyFailure) when several are
    assert faulty("deterministic", forgetful,
                  "lao-dong-tien-tien/2024.1.yaml")[0][0] == "check.deterministic.mismatch"
