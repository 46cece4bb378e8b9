"""A unit's whole period judged at once: every title, in dependency order, with history,
member roll-ups and caps — what a council actually does.

``judge_period`` takes the period's records (people and collectives, each naming the
titles it is put forward for) and:

1. chooses the version of each title in force in the period, and orders the titles so
   that a title is judged after every title whose same-period decisions it reads
   (``requires``, ``held(…, period=0)``, member roll-ups, a cap on another title's
   holders); among titles free to go, the higher achievement rank first, then by id. A
   cycle is reported and its titles are left out;
2. refuses, by record and field, what cannot be judged: a record of another period, a
   repeated id, a member id that is in neither the run nor the history, a person listed
   in two collectives of the same level for the same title;
3. judges each title over its records: facts bound as in any run, derived inputs
   computed from the history and the decisions already made
   (:mod:`criteria_engine.derived`), an achievement already rewarded by a title judged
   earlier in the run (or ranked higher in the same title) marked ``trung_thanh_tich``
   (:mod:`criteria_engine.achievements`), and the title's cap applied per unit
   (:mod:`criteria_engine.caps`);
4. returns every decision with what it saw (``Decision.context``, ``Decision.cap``), in
   the order judged, ready to be recorded as one batch.

The records are held in memory for the run (members and caps need the whole unit), about
2 KB each: a province's 100,000 people fit easily; ``benchmarks/bench_period.py`` measures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from criteria_engine.achievements import resolve_achievements
from criteria_engine.batch import judge_bound
from criteria_engine.derived import PeriodContext
from criteria_engine.errors import CriteriaError, Location, RecordError, RuleFileError
from criteria_engine.evaluator import AchievementUse, CompiledRule, Decision
from criteria_engine.history import History, HistoryChecker, read_history
from criteria_engine.library import RuleLibrary, dependency_cycles
from criteria_engine.nominees import Nominee, RawRecord, bind_facts, clipped, iter_records, parse_nominee

__all__ = ["PeriodReport", "history_for_run", "judge_period", "judge_period_file",
           "judging_order"]

#: ``progress(done, total)``: records judged so far (over every title), and how many.
Progress = Callable[[int, int], None]


@dataclass
class PeriodReport:
    """Everything a period run decided and everything it could not judge."""

    period: int
    rules: list[CompiledRule] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    nominees: dict[str, Nominee] = field(default_factory=dict)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)
    records: int = 0

    @property
    def clean(self) -> bool:
        return not self.problems


def history_for_run(library: RuleLibrary, history_file: Path | None,
                    stored: History | None = None, *, today: date
                    ) -> tuple[History | None, list[CriteriaError]]:
    """The history a period run reads: the store's (``stored``, where the store wins) and
    a history file's rows, each row checked as ``tdkt history import`` checks it (a bad
    row is reported, the others kept). None when there is neither."""
    if history_file is None:
        return stored, []
    history = stored if stored is not None else History()
    problems: list[CriteriaError] = []
    checker = HistoryChecker(library, today=today)
    for item in read_history(history_file):
        if isinstance(item, CriteriaError):
            problems.append(item)
            continue
        refused = checker.check(item)
        if refused:
            problems.extend(refused)
        else:
            history.add(item.entry)
    return history, problems


def judging_order(rules: Sequence[CompiledRule]) -> tuple[list[CompiledRule], list[list[str]]]:
    """The rules in an order where each comes after the run's titles it reads, and the
    cycles that make some of them impossible (those are left out)."""
    cycles = dependency_cycles(rules)
    blocked = {rule_id for cycle in cycles for rule_id in cycle}
    # a title that reads a cycle's title can never be judged either
    while dependants := [r.id for r in rules
                         if r.id not in blocked and blocked & set(r.same_period_titles)]:
        for rule_id in dependants:
            cycles.append([rule_id])
            blocked.add(rule_id)
    by_id = {rule.id: rule for rule in rules if rule.id not in blocked}
    needs = {rule_id: {t for t in rule.same_period_titles if t in by_id and t != rule_id}
             for rule_id, rule in by_id.items()}
    order: list[CompiledRule] = []
    done: set[str] = set()
    while len(done) < len(by_id):
        ready = [by_id[i] for i in by_id if i not in done and needs[i] <= done]
        if not ready:  # only reachable through a blocked title's dependants
            break
        ready.sort(key=lambda r: (-(r.model.achievements.rank if r.model.achievements else 0),
                                  r.id))
        order.append(ready[0])
        done.add(ready[0].id)
    return order, cycles


def judge_period_file(library: RuleLibrary, path: Path, *, period: int,
                      rule_ids: Sequence[str] | None = None, history: History | None = None,
                      progress: Progress | None = None) -> PeriodReport:
    """:func:`judge_period` over a nominee file (JSON, JSONL or YAML), each record's
    problems named by its position in the file."""
    places: dict[str, Location] = {}
    early: list[CriteriaError] = []

    def records() -> Iterator[Nominee]:
        for raw in iter_records(path):
            if not isinstance(raw, RawRecord):
                early.append(raw)
                continue
            try:
                nominee = parse_nominee(raw)
            except RecordError as exc:
                early.append(exc)
                continue
            places.setdefault(nominee.id, Location(raw.where.path, raw.where.line, None, None,
                                                   f"{nominee.id} (#{raw.number})"))
            yield nominee

    report = judge_period(library, records(), period=period, rule_ids=rule_ids,
                          history=history, progress=progress, places=places)
    report.records += len(early)
    report.problems[:0] = early
    return report


def judge_period(library: RuleLibrary, nominees: Iterable[Nominee], *, period: int,
                 rule_ids: Sequence[str] | None = None, history: History | None = None,
                 progress: Progress | None = None,
                 places: dict[str, Location] | None = None) -> PeriodReport:
    """Judge a period: see the module's docstring. ``rule_ids`` limits the run to those
    titles (default: every title in force in ``period``); ``history`` is the title
    history (None: history functions are missing, never a silent 0).

    Raises :class:`criteria_engine.errors.RuleNotFoundError` when a rule id asked for
    has no version in force in the period.
    """
    places = places if places is not None else {}
    report = PeriodReport(period=period)
    chosen = ([library.in_force(rule_id, period) for rule_id in dict.fromkeys(rule_ids)]
              if rule_ids else library.in_force_all(period))
    order, cycles = judging_order(chosen)
    for cycle in cycles:
        first = next(rule for rule in chosen if rule.id == cycle[0])
        if len(cycle) == 1:  # not in a cycle itself: it reads a title that is
            report.problems.append(RuleFileError(
                "derive.cycle_dependant", first.source.where("id"), rule_id=first.id,
                titles=", ".join(t for t in first.same_period_titles
                                 if any(t in c for c in cycles))))
            continue
        report.problems.append(RuleFileError("derive.cycle", first.source.where("requires"),
                                             cycle=" → ".join([*cycle, cycle[0]])))
    report.rules = order
    run_titles = {rule.id for rule in chosen}

    def where(nominee_id: str, field_name: str | None = None) -> Location:
        place = places.get(nominee_id) or Location(record=clipped(nominee_id))
        return place.with_field(field_name) if field_name else place

    # --- the records: one period, unique ids ----------------------------------------------
    accepted: list[Nominee] = []
    for nominee in nominees:
        report.records += 1
        if nominee.id in report.nominees:
            place = places.get(nominee.id)
            report.problems.append(RecordError(
                "record.duplicate_id", where(nominee.id, "id"), record_id=clipped(nominee.id),
                first=place.record if place is not None and place.record else "?"))
            continue
        if nominee.period != period:
            report.problems.append(RecordError("period.other_period",
                                               where(nominee.id, "period"),
                                               got=nominee.period, period=period))
            continue
        unknown = [t for t in nominee.titles or () if t not in run_titles]
        if unknown:
            report.problems.append(RecordError("period.unknown_title", where(nominee.id, "titles"),
                                               title=clipped(unknown[0]),
                                               titles=", ".join(sorted(run_titles))))
            continue
        report.nominees[nominee.id] = nominee
        accepted.append(nominee)
    context = PeriodContext(period, history, run_ids=report.nominees)
    refused = _membership_problems(accepted, order, context, where, report.problems)
    # a unit's file carries the facts of every title it may be put forward for
    also_known = frozenset(name for rule in [*chosen, *library.in_force_all(period)]
                           for name in rule.model.inputs)

    # --- each title, in order ------------------------------------------------------------------
    total = sum(1 for rule in order for n in accepted if _put_forward(n, rule))
    done = 0
    rewarded: dict[str, list[AchievementUse]] = {}
    for rule in order:
        decisions: list[Decision] = []
        for nominee in accepted:
            if not _put_forward(nominee, rule):
                continue
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done, total)
            if nominee.id in refused:
                continue
            try:
                decisions.append(_judge(rule, nominee, context, also_known, where(nominee.id)))
            except CriteriaError as exc:
                report.problems.append(exc if exc.where.path or exc.where.record
                                       else exc.at(where(nominee.id, exc.where.field)))
        decisions = resolve_achievements(decisions, report.nominees, prior=rewarded)
        if rule.model.cap is not None:
            decisions = _capped(rule, decisions, context, accepted, report, where)
        for decision in decisions:
            context.add(decision)
            for achievement_id in decision.achievements:
                rewarded.setdefault(achievement_id, []).append(AchievementUse(
                    achievement_id, decision.nominee_id, rule.id, rule.version, period,
                    rule.model.achievements.rank if rule.model.achievements else 0))
        report.decisions.extend(decisions)
    if progress is not None:
        progress(total, total)
    return report


def _put_forward(nominee: Nominee, rule: CompiledRule) -> bool:
    if nominee.subject != rule.model.subject:
        return False
    return nominee.titles is None or rule.id in nominee.titles


def _judge(rule: CompiledRule, nominee: Nominee, context: PeriodContext,
           also_known: frozenset[str], where: Location) -> Decision:
    facts: dict[str, Any] | None = None
    if nominee.facts.keys() <= also_known:
        try:
            facts = rule.binder(nominee.facts)
        except RecordError:
            facts = None
    if facts is None:
        facts = bind_facts(rule.model, nominee, where, also_known=also_known)
    return judge_bound(rule, nominee, facts, context)


def _membership_problems(nominees: Sequence[Nominee], order: Sequence[CompiledRule],
                         context: PeriodContext, where: Callable[..., Location],
                         problems: list[CriteriaError]) -> set[str]:
    """Collectives that cannot be judged: a member id that is nowhere, or a person in two
    collectives of the same level for the same title. Both collectives of a shared member
    are refused (neither is more right than the other), each naming the other."""
    refused: set[str] = set()
    rolled_up = [rule for rule in order
                 if any(d.family == "members" for d in rule.derived.values())]
    for nominee in nominees:
        if nominee.members is None:
            continue
        for index, member in enumerate(nominee.members):
            if not context.known(member):
                problems.append(RecordError("period.unknown_member",
                                            where(nominee.id, f"members[{index}]"),
                                            member=clipped(member)))
                refused.add(nominee.id)
                break
        repeated = [m for m, count in Counter(nominee.members).items() if count > 1]
        if repeated and nominee.id not in refused:
            problems.append(RecordError("period.repeated_member", where(nominee.id, "members"),
                                        member=clipped(repeated[0])))
            refused.add(nominee.id)
    for rule in rolled_up:
        owners: dict[tuple[str | None, str], list[str]] = {}
        for nominee in nominees:
            if nominee.members is not None and _put_forward(nominee, rule):
                for member in nominee.members:
                    owners.setdefault((nominee.level, member), []).append(nominee.id)
        for (level, member), collectives in owners.items():
            if len(collectives) < 2:
                continue
            for collective in collectives:
                if collective in refused:
                    continue
                others = ", ".join(clipped(c) for c in collectives if c != collective)
                problems.append(RecordError("period.member_twice", where(collective, "members"),
                                            member=clipped(member), others=others,
                                            title=rule.id, level=level or "—"))
                refused.add(collective)
    return refused


def _capped(rule: CompiledRule, decisions: list[Decision], context: PeriodContext,
            nominees: Sequence[Nominee], report: PeriodReport,
            where: Callable[..., Location]) -> list[Decision]:
    """The title's cap applied per unit: the base counts come from this run."""
    from criteria_engine import caps  # the caps module builds on this one's results

    cap = rule.model.cap
    assert cap is not None
    holders: Counter[tuple[str, int]] = Counter()
    if cap.limit.share_of_title is not None:
        for (_subject, title), decision in context.decided.items():
            if title == cap.limit.share_of_title and decision.outcome == "dat" and decision.unit:
                holders[(decision.unit, decision.period)] += 1
    headcount: Counter[tuple[str, int]] = Counter(
        (n.unit, n.period) for n in nominees if n.unit and n.subject == rule.model.subject)
    result = caps.apply_cap(rule, decisions, holders=holders, headcount=headcount)
    capped, problems = result if isinstance(result, tuple) else (result, [])
    for problem in problems:
        report.problems.append(problem if problem.where.path
                               else problem.at(where(problem.where.record or "?", "unit")))
    return list(capped)
