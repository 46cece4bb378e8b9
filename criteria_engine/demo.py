"""The demo on the embedded default: every shipped rule on its sample nominees.

Samples follow ``examples/<rule-id>.json``, so a province adding a title and its
samples gets it in the demo without code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.evaluator import CompiledRule
from criteria_engine.library import RuleLibrary

__all__ = ["DemoRun", "default_examples_dir", "run_demo"]


@dataclass(frozen=True)
class DemoRun:
    rule: CompiledRule
    report: BatchReport


def default_examples_dir() -> Path:
    local = Path("examples")
    return local if local.is_dir() else Path(__file__).resolve().parent.parent / "examples"


def run_demo(library: RuleLibrary, examples_dir: Path) -> list[DemoRun]:
    """Evaluate each rule id's sample file with the versions in force per nominee."""
    runs = []
    for rule_id in sorted(library.rules):
        if library.broken_files(rule_id):
            continue  # never judged with the versions that did load; its problems are reported
        samples = examples_dir / f"{rule_id}.json"
        if not samples.is_file():
            continue
        report = evaluate_file(samples, functools.partial(library.in_force, rule_id))
        runs.append(DemoRun(rule=library.get(rule_id), report=report))
    return runs
