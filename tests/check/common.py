"""Helpers of the ``tdkt check`` tests: fixed run settings, and replaying counterexamples
through the engine the way a secretary would (record → bind_facts → evaluate)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from criteria_engine.check import CheckReport, Example, Finding, check_paths
from criteria_engine.errors import Location, RecordError
from criteria_engine.evaluator import Decision, evaluate
from criteria_engine.nominees import Nominee, bind_facts
from tests.common import FIXTURES

BROKEN = FIXTURES / "broken"
#: Every check in these tests runs with this seed, so a red run replays exactly.
SEED = 0
#: Examples per search: enough for the fixtures, small enough for the time budget.
EXAMPLES = 50
RANK = {"khong_dat": 0, "thieu_du_lieu": 1, "dat": 2}


def run(*paths: Path, properties: Sequence[str] = (), examples: int = EXAMPLES) -> CheckReport:
    return check_paths(list(paths), seed=SEED, max_examples=examples, properties=properties)


def only(report: CheckReport, prop: str) -> Finding:
    """The one finding of ``prop`` in the report."""
    found = [f for f in report.findings if f.property == prop]
    assert len(found) == 1, [(f.property, f.key, f.criterion) for f in report.findings]
    return found[0]


def judge(example: Example) -> Decision | RecordError:
    """The engine's decision on a counterexample, read back from its printed record."""
    nominee = Nominee.model_validate(example.record("vi"))
    try:
        facts = bind_facts(example.rule.model, nominee, Location(record=nominee.id))
        return evaluate(example.rule, facts, nominee_id=nominee.id, period=nominee.period)
    except RecordError as exc:
        return exc


def decided(example: Example) -> Decision:
    decision = judge(example)
    assert isinstance(decision, Decision), decision
    return decision


def result_of(decision: Decision, criterion: str) -> str:
    return next(r.result for r in decision.criteria if r.id == criterion)
