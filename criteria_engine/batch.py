"""Evaluating a file of nominees: every record judged or reported, none dropped.

The result says, for each record, either its decision or why it could not be
judged (position, field, what to do). Callers decide the exit code from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from criteria_engine.achievements import resolve_achievements
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.evaluator import Decision, evaluate
from criteria_engine.library import RuleChooser
from criteria_engine.nominees import Nominee, bind_facts, iter_nominees, read_nominees

__all__ = ["BatchReport", "Judged", "Problem", "evaluate_file", "stream_file"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Judged:
    """One nominee of a stream and its decisions, one per rule asked for."""

    nominee: Nominee
    decisions: tuple[Decision, ...]
    where: Location


@dataclass(frozen=True, slots=True)
class Problem:
    """A record (or part of the file) that could not be judged, or a warning about one."""

    error: CriteriaError
    warning: bool = False


def stream_file(path: Path, *choosers: RuleChooser,
                progress: Progress | None = None) -> Iterator[Judged | Problem]:
    """Every record of ``path`` judged by each rule, in file order, one item at a time.

    Raises only if the file as a whole cannot be read. ``progress(done, total)``.
    """
    report = evaluate_file(path, *choosers, progress=progress)
    by_nominee: dict[str, list[Decision]] = {}
    for decision in report.decisions:
        by_nominee.setdefault(decision.nominee_id, []).append(decision)
    for nominee_id, nominee in report.nominees.items():
        yield Judged(nominee, tuple(by_nominee.get(nominee_id, ())), Location(report.path))
    for warning in report.warnings:
        yield Problem(warning, warning=True)
    for problem in report.problems:
        yield Problem(problem)


@dataclass
class BatchReport:
    """What happened to every record of one nominee file."""

    path: str
    decisions: list[Decision] = field(default_factory=list)
    nominees: dict[str, Nominee] = field(default_factory=dict)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)
    records: int = 0

    @property
    def clean(self) -> bool:
        return not self.problems


def evaluate_file(path: Path, *choosers: RuleChooser,
                  progress: Progress | None = None) -> BatchReport:
    """Judge every record of ``path`` by each rule; raises only if the file can't be read.

    With several rules (titles), a fact is unknown only if no rule declares it, and
    an achievement two titles would both reward goes to the higher-ranked one
    (:func:`criteria_engine.achievements.resolve_achievements`).
    """
    file = read_nominees(path)
    report = BatchReport(path=file.path, problems=list(file.problems),
                         records=len(file.records) + len(file.problems))
    first_seen: dict[str, int] = {}
    total = len(file.records)
    for done, (raw, parsed) in enumerate(iter_nominees(file), start=1):
        if progress is not None:
            progress(done, total)
        if isinstance(parsed, RecordError):
            report.problems.append(parsed)
            continue
        label = f"{parsed.id} (#{raw.number})"
        where = Location(raw.where.path, raw.where.line, None, None, label)
        if parsed.id in first_seen:
            report.problems.append(RecordError("record.duplicate_id", where.with_field("id"),
                                               record_id=parsed.id, first=first_seen[parsed.id]))
            continue
        first_seen[parsed.id] = raw.number
        if raw.was_nfd:
            report.warnings.append(RecordError("file.nfd", where))
        judged = _judge(parsed, choosers, where, report)
        if judged:
            report.nominees[parsed.id] = parsed
            report.decisions.extend(judged)
    if len(choosers) > 1:
        report.decisions = resolve_achievements(report.decisions, report.nominees)
    return report


def _judge(nominee: Nominee, choosers: tuple[RuleChooser, ...], where: Location,
           report: BatchReport) -> list[Decision]:
    """One nominee by every rule, or nothing (and the problems reported) if any rule fails."""
    try:
        rules = [choose(nominee.period) for choose in choosers]
        others = {name for rule in rules for name in rule.model.inputs}
        decisions = []
        for rule in rules:
            facts = bind_facts(rule.model, nominee, where,
                               also_known=others if len(rules) > 1 else frozenset())
            decisions.append(evaluate(rule, facts, nominee_id=nominee.id, period=nominee.period,
                                      name=nominee.name, unit=nominee.unit))
    except CriteriaError as exc:
        # evaluate() knows the record id and criterion, not the file: add where it is
        report.problems.append(exc if exc.where.path
                               else exc.at(where.with_field(exc.where.field)))
        return []
    return decisions
