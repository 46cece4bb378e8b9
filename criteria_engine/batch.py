"""Evaluating a file of nominees: every record judged or reported, none dropped.

:func:`stream_file` hands on each record's decisions (or why it could not be judged:
position, field, what to do) as soon as it is read, in constant memory, so a
province's file of a million records can be written out and recorded as it goes.
:func:`evaluate_file` collects the same items into a :class:`BatchReport` for small
files. Callers decide the exit code from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from criteria_engine.achievements import AchievementReferee
from criteria_engine.derived import PeriodContext, derive_facts
from criteria_engine.errors import CriteriaError, Location, RecordError
from criteria_engine.evaluator import CompiledRule, Decision, evaluate
from criteria_engine.history import History
from criteria_engine.library import RuleChooser, RuleLibrary
from criteria_engine.nominees import (
    Nominee,
    RawRecord,
    bind_facts,
    clipped,
    iter_records,
    parse_nominee,
)

__all__ = ["BatchReport", "Judged", "Problem", "Progress", "evaluate_file", "judge_bound",
           "stream_file"]

#: ``progress(done, total)``: bytes of the nominee file read so far, and its size.
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


def stream_file(path: Path, *choosers: RuleChooser, progress: Progress | None = None,
                history: History | None = None, library: RuleLibrary | None = None
                ) -> Iterator[Judged | Problem]:
    """Every record of ``path`` judged by each rule, in file order, one item at a time.

    For each record: a warning if its text was NFD (normalised), then either a
    :class:`Judged` or a :class:`Problem` (a record with several problems gives one
    Problem, the others in its ``more``). Nothing is kept but the ids seen (to refuse a
    repeated one), so memory does not grow with the file.

    ``progress(done, total)`` reports bytes of the file read out of its size, about
    once a megabyte, for a progress bar.

    With several rules (titles), a fact is unknown only if no rule declares it, and an
    achievement that two of the run's decisions would both reward goes to the
    higher-ranked title (:func:`criteria_engine.achievements.resolve_achievements`).
    That needs every claim before the first decision can be final, so a run of several
    rules reads the file twice: the first pass judges only the records that claim
    achievements and keeps just their claims; ``progress`` then counts both passes
    (``total`` is twice the size).

    ``history`` is the title history that history functions read (None: they are
    missing); ``library`` lets a title that needs another in the same period (CSTĐCS
    needs LĐTT) judge that one on the same record first. Whole periods, with members and
    caps, are :mod:`criteria_engine.period`'s.

    Raises :class:`RecordError` at once if the file cannot be opened or its format is
    unknown, and while iterating where a JSON file turns out not to be JSON (the items
    before it stand; the file's other records cannot be read).
    """
    if len(choosers) > 1:
        first = iter_records(path, progress=_part(progress, 0))
        return _two_passes(path, first, choosers, progress, history, library)
    return _judged(iter_records(path, progress=progress), _Judge(choosers, history, library),
                   None)


def _part(progress: Progress | None, half: int) -> Progress | None:
    """Progress of one pass of two, as a share of both."""
    if progress is None:
        return None
    report = progress
    return lambda done, total: report(half * total + done, 2 * total)


def _two_passes(path: Path, first: Iterator[RawRecord | RecordError],
                choosers: tuple[RuleChooser, ...], progress: Progress | None,
                history: History | None = None, library: RuleLibrary | None = None
                ) -> Iterator[Judged | Problem]:
    judge = _Judge(choosers, history, library)
    referee = AchievementReferee()
    seen: set[str] = set()
    for raw in first:
        if not isinstance(raw, RawRecord):
            continue
        try:
            nominee = parse_nominee(raw)
        except RecordError:
            continue
        if nominee.id in seen:
            continue
        seen.add(nominee.id)
        if not nominee.achievements:
            continue
        try:
            decisions = judge.decisions(nominee, _where(raw, nominee))
        except CriteriaError:
            continue
        for position, decision in enumerate(decisions):
            referee.claim((raw.number, position), decision, nominee)
    del seen
    referee.settle()
    yield from _judged(iter_records(path, progress=_part(progress, 1)), judge, referee)


def _judged(records: Iterator[RawRecord | RecordError], judge: _Judge,
            referee: AchievementReferee | None) -> Iterator[Judged | Problem]:
    first_seen: dict[str, int] = {}
    for raw in records:
        if not isinstance(raw, RawRecord):
            yield Problem(raw)
            continue
        try:
            nominee = parse_nominee(raw)
        except RecordError as exc:
            yield Problem(exc)
            continue
        where = _where(raw, nominee)
        first = first_seen.setdefault(nominee.id, raw.number)
        if first != raw.number:
            yield Problem(RecordError("record.duplicate_id", where.with_field("id"),
                                      record_id=clipped(nominee.id), first=first))
            continue
        if raw.was_nfd:
            yield Problem(RecordError("file.nfd", where), warning=True)
        try:
            decisions = judge.decisions(nominee, where)
        except CriteriaError as exc:
            # evaluate() knows the record id and criterion, not the file: add where it is
            yield Problem(exc if exc.where.path else exc.at(where.with_field(exc.where.field)))
            continue
        if referee is not None:
            decisions = [referee.apply((raw.number, position), decision, nominee)
                         for position, decision in enumerate(decisions)]
        yield Judged(nominee, tuple(decisions), where)


def _where(raw: RawRecord, nominee: Nominee) -> Location:
    return Location(raw.where.path, raw.where.line, None, None, f"{nominee.id} (#{raw.number})")


class _Judge:
    """The rules of a run, chosen once per period, and how one nominee is judged by them."""

    def __init__(self, choosers: tuple[RuleChooser, ...], history: History | None = None,
                 library: RuleLibrary | None = None) -> None:
        self.choosers = choosers
        self.history = history
        self.library = library
        self._by_period: dict[int, _Rules | CriteriaError] = {}

    def rules(self, period: int) -> _Rules:
        """The rules in force for ``period``, every input any of them declares, and the
        subject they share (None if they differ)."""
        chosen = self._by_period.get(period)
        if chosen is None:
            try:
                rules = tuple(choose(period) for choose in self.choosers)
                subjects = {rule.model.subject for rule in rules}
                chosen = _Rules(rules, frozenset(name for rule in rules
                                                 for name in rule.model.inputs),
                                subjects.pop() if len(subjects) == 1 else None)
            except CriteriaError as exc:
                chosen = exc
            self._by_period[period] = chosen
        if isinstance(chosen, CriteriaError):
            raise chosen.at(chosen.where)
        return chosen

    def decisions(self, nominee: Nominee, where: Location) -> list[Decision]:
        """One decision per rule, or the first problem (every problem of one rule's facts)."""
        chosen = self.rules(nominee.period)
        bound = _bound(chosen, nominee) if nominee.subject == chosen.subject else None
        if bound is None:
            also_known = chosen.known if len(chosen.rules) > 1 else frozenset()
            bound = [bind_facts(rule.model, nominee, where, also_known=also_known)
                     for rule in chosen.rules]
        decisions = []
        for rule, facts in zip(chosen.rules, bound, strict=True):
            context = None
            if rule.derived:
                # one record at a time: the history (if loaded) and the titles this one
                # needs in the same period, judged on the same record; no other record
                context = PeriodContext(nominee.period, self.history)
                self._prerequisites(rule, nominee, where, context, chosen.known, depth=0)
            decisions.append(judge_bound(rule, nominee, facts, context))
        return decisions

    def _prerequisites(self, rule: CompiledRule, nominee: Nominee, where: Location,
                       context: PeriodContext, known: frozenset[str], depth: int) -> None:
        """Judge, on this same record, the titles ``rule`` needs in the same period
        (``requires``, ``held(…, period=0)``), so that ``tdkt evaluate --rules
        chien-si-thi-dua-co-so`` reads the record's own Lao động tiên tiến decision. A
        title that cannot be judged on the record (no library, another subject, a fact
        it refuses) stays unknown: the dependant is then ``thieu_du_lieu``."""
        if self.library is None or depth > 10:
            return
        for title in rule.same_period_titles:
            if (nominee.id, title) in context.decided or title == rule.id:
                continue
            try:
                needed = self.library.in_force(title, nominee.period)
            except CriteriaError:
                continue
            if needed.model.subject != nominee.subject or any(
                    d.family == "members" for d in needed.derived.values()):
                continue
            self._prerequisites(needed, nominee, where, context, known, depth + 1)
            try:
                facts = bind_facts(needed.model, nominee, where,
                                   also_known=known | rule.model.inputs.keys())
                decision = judge_bound(needed, nominee, facts, context)
            except CriteriaError:
                continue
            context.add(decision)


def judge_bound(rule: CompiledRule, nominee: Nominee, facts: dict[str, Any],
                context: PeriodContext | None) -> Decision:
    """One decision from a record's bound facts. A rule with derived inputs first
    computes them into ``facts`` (a fresh dict from the binder, filled in place) from
    ``context`` and keeps what they saw on the decision; the single-record path here and
    the period run (:mod:`criteria_engine.period`) both judge through this."""
    if not rule.derived:
        return evaluate(rule, facts, nominee_id=nominee.id, period=nominee.period,
                        name=nominee.name, unit=nominee.unit)
    assert context is not None, "a rule with derived inputs is judged in a context"
    seen = derive_facts(rule.derived, facts, subject=nominee.id, members=nominee.members,
                        context=context)
    return evaluate(rule, facts, nominee_id=nominee.id, period=nominee.period,
                    name=nominee.name, unit=nominee.unit)._replace(context=seen)


def _bound(chosen: _Rules, nominee: Nominee) -> list[dict[str, Any]] | None:
    """Each rule's facts through its compiled binder; None if anything is off (then
    :func:`bind_facts` names every problem)."""
    facts = nominee.facts
    if not facts.keys() <= chosen.known:
        return None
    try:
        return [rule.binder(facts) for rule in chosen.rules]
    except RecordError:
        return None


class _Rules(NamedTuple):
    rules: tuple[CompiledRule, ...]
    known: frozenset[str]
    subject: str | None


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


def evaluate_file(path: Path, *choosers: RuleChooser, progress: Progress | None = None,
                  history: History | None = None, library: RuleLibrary | None = None
                  ) -> BatchReport:
    """Judge every record of ``path`` by each rule, kept in one report (for small files:
    the demo, ``explain``, tests). Built on :func:`stream_file`, with the same results;
    raises only if the file can't be read.
    """
    report = BatchReport(path=str(path))
    for item in stream_file(path, *choosers, progress=progress, history=history,
                            library=library):
        if isinstance(item, Judged):
            report.records += 1
            if item.decisions:
                report.nominees[item.nominee.id] = item.nominee
                report.decisions.extend(item.decisions)
        elif item.warning:
            report.warnings.append(item.error)
        else:
            report.records += 1
            report.problems.append(item.error)
    return report
