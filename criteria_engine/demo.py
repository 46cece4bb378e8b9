"""The demo on the embedded default: every shipped rule on its sample nominees.

Samples follow ``examples/<rule-id>.json``, plus ``examples/<rule-id>-<year>.json``
for the samples of a later period (``lao-dong-tien-tien-2025.json``), so a province
adding a title and its samples gets it in the demo without code. Only a four-digit
year is taken as a suffix: ``tap-the-lao-dong-tien-tien-bac-ninh.json`` belongs to the
rule id ``tap-the-lao-dong-tien-tien-bac-ninh``, never to ``tap-the-lao-dong-tien-tien``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.evaluator import CompiledRule
from criteria_engine.library import RuleLibrary

__all__ = ["DemoRun", "PeriodExample", "default_examples_dir", "period_examples", "run_demo",
           "sample_files"]


@dataclass(frozen=True)
class DemoRun:
    rule: CompiledRule
    report: BatchReport


def default_examples_dir() -> Path:
    local = Path("examples")
    return local if local.is_dir() else Path(__file__).resolve().parent.parent / "examples"


def run_demo(library: RuleLibrary, examples_dir: Path) -> list[DemoRun]:
    """Evaluate each rule id's sample files with the versions in force per nominee."""
    runs = []
    for rule_id in sorted(library.rules):
        if library.broken_files(rule_id):
            continue  # never judged with the versions that did load; its problems are reported
        for samples in sample_files(examples_dir, rule_id):
            report = evaluate_file(samples, functools.partial(library.in_force, rule_id),
                                   library=library)
            runs.append(DemoRun(rule=library.get(rule_id), report=report))
    return runs


@dataclass(frozen=True)
class PeriodExample:
    """A unit's whole period in ``examples/period-<year>/``: ``nominees.json`` and, when
    there is one, ``history.json`` (the years before)."""

    period: int
    nominees: Path
    history: Path | None


def period_examples(examples_dir: Path) -> list[PeriodExample]:
    """Every ``period-<year>/`` folder of ``examples_dir`` with a ``nominees.json``."""
    found = []
    for folder in sorted(examples_dir.glob("period-*")):
        match = re.fullmatch(r"period-([0-9]{4})", folder.name)
        nominees = folder / "nominees.json"
        if match and nominees.is_file():
            history = folder / "history.json"
            found.append(PeriodExample(int(match.group(1)), nominees,
                                       history if history.is_file() else None))
    return found


def sample_files(examples_dir: Path, rule_id: str) -> list[Path]:
    """``<rule-id>.json`` first, then ``<rule-id>-<year>.json`` by year."""
    pattern = re.compile(re.escape(rule_id) + r"(-[0-9]{4})?\.json")
    found = [path for path in examples_dir.glob(f"{rule_id}*.json")
             if pattern.fullmatch(path.name) and path.is_file()]
    return sorted(found, key=lambda path: (len(path.name), path.name))
