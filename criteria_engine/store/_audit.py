"""Reading the store back: verify the chain and replay every decision; show, log, export.

``verify`` trusts nothing it reads. It recomputes every event's hash from the rows
as they are now and walks the chain; it checks each rule text against its sha256
and each submission's facts against theirs; and it **replays** every decision
from the stored rule text and stored facts with the current engine. Each problem
is a :class:`Finding` naming the table, the row id and what differs, e.g.::

    decisions 7: outcome stored 'dat', replay gives 'khong_dat'
    audit_events 12: previous hash does not match event 11: an event was deleted,
        inserted or reordered

A decision's context (its derived values and cap placement, :mod:`._context`) is named
by its event's hash, and checked on its own terms: each derived value is recomputed from
the evidence stored with it (:mod:`._recheck`) and compared with the fact the replay
judged; a ``loai_do_chi_tieu`` decision replays as ``dat`` and its stored placement must
put it past the cap. Imports of title history are events too (:mod:`._history`): their
rows are hashed into their event.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Literal, TextIO

from sqlalchemy import Connection, Row, func, select

from criteria_engine.cells import safe_cell
from criteria_engine.errors import CriteriaError, Location, StoreError
from criteria_engine.evaluator import CompiledRule, compile_rule
from criteria_engine.evidence import CapPlacement, DerivedValue
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.rules import parse_rule_text
from criteria_engine.sources import SourceText, source_text
from criteria_engine.store._canonical import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    parse_json,
    sha256_text,
    typed_facts,
    utc_text,
)
from criteria_engine.store._chain import (
    HISTORY_COLUMNS,
    HISTORY_EVENT,
    SECOND_FORM,
    SecondForm,
    decision_content,
    event_content,
    event_hash,
    history_row_content,
    part_sha256,
    run_content,
    submission_content,
    submission_text,
)
from criteria_engine.store._context import parse_context
from criteria_engine.store._encode import RecordedEvents, fragment
from criteria_engine.store._findings import (
    NAMED,
    VERIFY_STAGES,
    Finding,
    Progress,
    Ticks,
    VerifyReport,
    decision_names,
    first_line,
    numeric_inputs,
    own_facts,
    python_problem,
)
from criteria_engine.store._models import (
    AchievementUseRow,
    AuditEvent,
    ChainHead,
    DecisionRow,
    NomineeRow,
    RuleFileRow,
    Run,
    Submission,
    TitleHistoryRow,
)
from criteria_engine.store._replay import replay

__all__ = [
    "MAX_ROW_ID",
    "VERIFY_STAGES",
    "CriterionRecord",
    "DecisionRecord",
    "EventRecord",
    "Finding",
    "LineEntry",
    "Progress",
    "VerifyReport",
    "export",
    "log",
    "show",
    "verify",
]

ExportFormat = Literal["jsonl", "csv"]
#: Columns of ``tdkt audit export --format csv``, one row per event.
CSV_COLUMNS = (
    "event_id", "kind", "at", "actor", "reason", "override_outcome", "decision_id",
    "nominee_id", "name", "unit", "subject", "period", "rule_sha256", "facts",
    "facts_sha256", "outcome", "points", "criteria", "context", "engine_version", "run_id",
    "prev_hash", "hash",
)
_STREAM = 2000
#: Row ids are 64-bit on every back end; a larger number names no row (and SQLite's
#: driver would raise OverflowError binding it), so it is "not found" without a query.
MAX_ROW_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    kind: str
    at: datetime
    actor: str
    #: None for a ``history_imported`` event (it names an import run, not a decision).
    decision_id: int | None
    nominee_id: str | None
    period: int | None
    rule_id: str | None
    rule_version: str | None
    outcome: str | None
    reason: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class Citation:
    line: int | None
    text: str


@dataclass(frozen=True, slots=True)
class CriterionRecord:
    id: str
    text: str | None
    gate: bool | None
    result: str
    points: str | None
    max_points: Decimal | None
    values: Mapping[str, Any]
    citations: tuple[Citation, ...]
    #: A deferral condition (result ``holds``/``clear``/``missing``), not a criterion.
    deferral: bool = False


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One stored decision with everything behind it, for ``tdkt audit show``."""

    id: int
    nominee_id: str
    name: str | None
    unit: str | None
    subject: str
    period: int
    outcome: str
    current_outcome: str
    points: Decimal
    rule_id: str
    rule_version: str
    rule_sha256: str
    rule_title: str
    rule_path: str
    engine_version: str
    recorded_at: datetime
    run_id: int
    recorded_by: str
    command: str
    facts: Mapping[str, Any]
    facts_sha256: str
    criteria: tuple[CriterionRecord, ...]
    legal_basis: tuple[Citation, ...]
    events: tuple[EventRecord, ...]
    #: What the decision saw outside its record (see :mod:`._context`).
    context: tuple[DerivedValue, ...] = ()
    cap: CapPlacement | None = None
    #: 2 for a decision of the second form, whose event also vouches for the run (who
    #: recorded it, with which command) and the submission; 1 for one recorded before,
    #: whose ``recorded_by`` and ``command`` are shown from rows the chain does not name.
    form: int = 1
    #: Every decision for this nominee, title and period, oldest first: the line of
    #: corrections, the current one last.
    line: tuple[LineEntry, ...] = ()

    @property
    def current(self) -> bool:
        return not self.line or self.line[-1].id == self.id


@dataclass(frozen=True, slots=True)
class LineEntry:
    """One decision in a line of corrections (same nominee, title and period)."""

    id: int
    recorded_at: datetime
    outcome: str
    rule_version: str
    #: What this decision corrected in the one before it (empty for the first).
    correction: tuple[str, ...]
    #: The decision it names as superseded (None for the first, or one of the first form).
    supersedes: int | None


# -- rows to hashed content ----------------------------------------------------------------

def _event_rows(connection: Connection, event_ids: Sequence[int] | None = None
                ) -> Iterator[Any]:
    e, d, s, n = (AuditEvent.__table__, DecisionRow.__table__, Submission.__table__,
                  NomineeRow.__table__)
    query = (
        select(e.c.id, e.c.kind, e.c.decision_id, e.c.run_id, e.c.actor, e.c.at, e.c.outcome,
               e.c.reason, e.c.prev_hash, e.c.hash, e.c.form,
               d.c.id.label("d_id"), d.c.key, d.c.submission_id, d.c.rule_sha256,
               d.c.run_id.label("d_run_id"), d.c.outcome.label("d_outcome"), d.c.points,
               d.c.criteria, d.c.engine_version, d.c.recorded_at, d.c.context,
               d.c.content_key, d.c.supersedes, d.c.correction, d.c.claims, d.c.uses,
               s.c.id.label("s_id"), s.c.nominee_id, s.c.period, *decision_names(d, s, n),
               s.c.facts, s.c.facts_sha256, s.c.name.label("s_name"),
               s.c.unit.label("s_unit"), s.c.run_id.label("s_run_id"), s.c.submitted_at)
        .select_from(e.outerjoin(d, d.c.id == e.c.decision_id)
                     .outerjoin(s, s.c.id == d.c.submission_id)
                     .outerjoin(n, n.c.nominee_id == s.c.nominee_id))
        .order_by(e.c.id)
    )
    if event_ids is not None:
        query = query.where(e.c.id.in_(list(event_ids)))
    # the statement's option: a connection's would outlive this query (every later
    # statement a server-side cursor on PostgreSQL, which an UPDATE cannot be)
    result = connection.execute(query.execution_options(yield_per=_STREAM))
    # plain named tuples: a column read from SQLAlchemy's Row costs about a microsecond,
    # and the chain walk reads some thirty per event
    shape = namedtuple("EventRow", list(result.keys()))  # type: ignore[misc]
    yield from map(shape._make, result)


Parts = dict[str, Any]
#: Per import run: (rows, sha256 of their canonical list, first row id), see _history.
Digests = Mapping[int, tuple[int, str, int]]


def history_digests(connection: Connection) -> dict[int, tuple[int, str, int]]:
    """Per import run: (rows, sha256 of their canonical list, first row id), from the rows
    as they are now (one streamed query, in run and id order)."""
    table = TitleHistoryRow.__table__
    found: dict[int, tuple[int, str, int]] = {}
    current: int | None = None
    hasher = hashlib.sha256()
    count = first = 0
    query = (select(*(table.c[name] for name in HISTORY_COLUMNS))
             .order_by(table.c.run_id, table.c.id))
    for row in connection.execute(query.execution_options(yield_per=_STREAM)):
        if row.run_id != current:
            if current is not None:
                hasher.update(b"]")
                found[current] = (count, hasher.hexdigest(), first)
            current, count, first = row.run_id, 0, row.id
            hasher = hashlib.sha256(b"[")
        if count:
            hasher.update(b",")
        hasher.update(canonical_json(history_row_content(row)).encode())
        count += 1
    if current is not None:
        hasher.update(b"]")
        found[current] = (count, hasher.hexdigest(), first)
    return found


def history_rows(connection: Connection, run_id: int) -> list[dict[str, Any]]:
    """The rows of one import as its event hashes them (for an export line)."""
    table = TitleHistoryRow.__table__
    query = (select(*(table.c[name] for name in HISTORY_COLUMNS))
             .where(table.c.run_id == run_id).order_by(table.c.id))
    return [history_row_content(row) for row in connection.execute(query)]


def run_digests(connection: Connection) -> dict[int, str]:
    """Each run's row as a second-form event names it: run id → sha256 (runs are one per
    recorded batch or import, so they are few)."""
    return {row.id: part_sha256(run_content(row))
            for row in connection.execute(select(Run.__table__))}


def _history_content(row: Row[Any], digests: Digests, runs: Mapping[int, str]
                     ) -> dict[str, Any]:
    """A ``history_imported`` event rebuilt from the import's rows as they are now."""
    rows, sha256, _first = digests.get(row.run_id, (0, sha256_text("[]"), 0))
    return event_content(event_id=row.id, kind=row.kind, decision_id=row.decision_id,
                         decision=None, run_id=row.run_id, actor=row.actor,
                         at=utc_text(row.at), outcome=row.outcome, reason=row.reason,
                         history={"rows": rows, "rows_sha256": sha256}, form=row.form,
                         run_sha256=runs.get(row.run_id))


#: Small JSON texts read back, by text (``[]`` and ``null`` are most claims, uses and
#: corrections); the values are only read, never changed.
_SMALL: dict[str, Any] = {}


def _small_json(text: str) -> Any:
    value = _SMALL.get(text)
    if value is None:
        value = parse_json(text)
        if len(text) <= 200 and len(_SMALL) < 10_000:
            _SMALL[text] = value
    return value


def _second_form(row: Row[Any]) -> SecondForm:
    """What a second-form decision's event adds, from its row and its submission's row
    (raises ``ValueError`` for an unreadable JSON column)."""
    submission = SimpleNamespace(
        id=row.s_id, nominee_id=row.nominee_id, period=row.period, name=row.s_name,
        unit=row.s_unit, facts_sha256=row.facts_sha256, run_id=row.s_run_id,
        submitted_at=row.submitted_at)
    return SecondForm(
        content_key=row.content_key, supersedes=row.supersedes,
        correction=None if row.correction is None else _small_json(row.correction),
        claims=_small_json(row.claims or "null"), uses=_small_json(row.uses or "null"),
        submission_sha256=part_sha256(submission_content(submission)))


def _content(row: Row[Any], digests: Digests, runs: Mapping[int, str]
             ) -> tuple[dict[str, Any] | None, Parts, Finding | None]:
    """The event as it was hashed, rebuilt from today's rows, with the facts and criteria
    (and context) it names by sha256 (or why it cannot be rebuilt)."""
    if row.kind == HISTORY_EVENT:
        return _history_content(row, digests, runs), {}, None
    if row.d_id is None:
        return None, {}, Finding("audit_events", row.id, "audit.decision_missing",
                                 {"decision_id": row.decision_id})
    texts: Parts = {}
    if row.kind != "recorded":
        decision: dict[str, Any] = {"id": row.d_id, "key": row.key}
    else:
        if row.s_id is None:
            return None, {}, Finding("decisions", row.d_id, "audit.submission_missing",
                                     {"submission_id": row.submission_id})
        try:
            texts = {"facts": parse_json(row.facts), "criteria": parse_json(row.criteria)}
            if row.context is not None:
                texts["context"] = parse_json(row.context)
            second = _second_form(row) if row.form is not None else None
        except ValueError as error:
            return None, {}, Finding("decisions", row.d_id, "audit.unreadable",
                                     {"problem": python_problem(error)})
        # The stored texts are canonical, so their bytes are what was hashed; an edit,
        # even one that keeps the JSON equivalent, changes the event's hash.
        decision = decision_content(
            decision_id=row.d_id, key=row.key, nominee_id=row.nominee_id,
            subject=row.subject, period=row.period, name=row.name, unit=row.unit,
            submission_id=row.s_id, facts_sha256=sha256_text(row.facts),
            rule_sha256=row.rule_sha256, outcome=row.d_outcome, points=row.points,
            criteria_sha256=sha256_text(row.criteria), engine_version=row.engine_version,
            run_id=row.d_run_id, recorded_at=utc_text(row.recorded_at),
            context_sha256=None if row.context is None else sha256_text(row.context),
            second=second)
    content = event_content(event_id=row.id, kind=row.kind, decision_id=row.decision_id,
                            decision=decision, run_id=row.run_id, actor=row.actor,
                            at=utc_text(row.at), outcome=row.outcome, reason=row.reason,
                            form=row.form, run_sha256=runs.get(row.run_id)
                            if row.run_id is not None else None)
    return content, texts, None


# -- verify ---------------------------------------------------------------------------------

def _totals(connection: Connection) -> dict[str, int]:
    tables = {"rules": RuleFileRow.__table__, "submissions": Submission.__table__,
              "chain": AuditEvent.__table__, "replay": DecisionRow.__table__,
              "achievements": AchievementUseRow.__table__}
    return {stage: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for stage, table in tables.items()}


def verify(connection: Connection, *, progress: Progress | None = None) -> VerifyReport:
    """Recompute the chain and replay every decision; see the module docstring.

    ``progress``, if given, is called as each stage advances (see :data:`Progress`).
    """
    totals = _totals(connection) if progress is not None else dict.fromkeys(VERIFY_STAGES, 0)

    def ticks(stage: str) -> Ticks:
        return Ticks(progress, stage, totals[stage])

    report = VerifyReport()
    rules = _check_rules(connection, report, ticks("rules"))
    _check_submissions(connection, report, ticks("submissions"))
    recorded = _check_chain(connection, report, ticks("chain"))
    replay(connection, report, rules, recorded, ticks("replay"))
    _check_achievements(connection, report, rules, ticks("achievements"))
    return report


def _check_achievements(connection: Connection, report: VerifyReport,
                        rules: Mapping[str, CompiledRule], ticks: Ticks) -> None:
    """One achievement, one reward, checked against the chain.

    A decision of the second form names in its event the achievements it claimed and
    those it rewards (``uses``, with their rank); ``achievement_uses`` is rebuilt from
    those and compared both ways: a row the chain does not name (forged, or edited) and a
    use the chain names with no row (deleted) are each a finding. Among the current
    decisions (the latest of each nominee, title and period) an achievement is rewarded
    once. A use row of a decision of the first form (not named by its event) must still
    belong to a ``dat`` decision of that nominee, period and rule; each
    ``trung_thanh_tich`` decision must carry the annotation that names the holder.
    """
    u, d, s, r, e = (AchievementUseRow.__table__, DecisionRow.__table__, Submission.__table__,
                     RuleFileRow.__table__, AuditEvent.__table__)
    uses = (select(u.c.id, u.c.decision_id, u.c.achievement_id, u.c.nominee_id, u.c.period,
                   u.c.rule_id, u.c.rule_version, u.c.rank, d.c.outcome, d.c.content_key,
                   d.c.uses, s.c.nominee_id.label("d_nominee"), s.c.period.label("d_period"),
                   r.c.rule_id.label("d_rule"), r.c.version.label("d_version"))
            .select_from(u.outerjoin(d, d.c.id == u.c.decision_id)
                         .outerjoin(s, s.c.id == d.c.submission_id)
                         .outerjoin(r, r.c.sha256 == d.c.rule_sha256))
            .order_by(u.c.id))
    found: set[tuple[int, str]] = set()
    for row in connection.execute(uses.execution_options(yield_per=_STREAM)):
        ticks.tick()
        claimed = (row.nominee_id, row.period, row.rule_id, row.rule_version)
        actual = (row.d_nominee, row.d_period, row.d_rule, row.d_version)
        if row.content_key is None:  # first form: the row is all there is
            if row.outcome != "dat" or claimed != actual:
                report.findings.append(Finding("achievement_uses", row.id,
                                               "audit.achievement_use",
                                               {"outcome": row.outcome or "—"}))
            continue
        named = _named_uses(row.uses)
        pair = (row.decision_id, row.achievement_id)
        if [row.achievement_id, row.rank] not in named or claimed != actual or pair in found:
            report.findings.append(Finding("achievement_uses", row.id, "audit.use_not_in_chain",
                                           {"decision_id": row.decision_id,
                                            "achievement": row.achievement_id}))
        found.add(pair)
    _check_lines(connection, report, rules, found)
    explained = select(e.c.decision_id).where(e.c.kind == "annotated")
    unexplained = (select(d.c.id).where(d.c.outcome == "trung_thanh_tich")
                   .where(d.c.id.not_in(explained)).order_by(d.c.id))
    for decision_id in connection.execute(unexplained).scalars():
        report.findings.append(Finding("decisions", decision_id, "audit.conflict_unexplained"))
    ticks.finish()


def _named_uses(text: str | None) -> list[Any]:
    """A decision's ``uses`` column (``[[id, rank], …]``); nothing when unreadable (the
    chain walk names that)."""
    try:
        named = parse_json(text or "[]")
    except ValueError:
        return []
    return named if isinstance(named, list) else []


def _check_lines(connection: Connection, report: VerifyReport,
                 rules: Mapping[str, CompiledRule], found: set[tuple[int, str]]) -> None:
    """Walk each nominee's decisions title by title, period by period, in id order: a
    decision of the second form must supersede exactly the decision before it in its line
    (none for the first), so exactly one decision is current and every correction is
    named; every use it names must have its row (``found``), with the rank its rule gives,
    only for a ``dat`` decision, only of an achievement it claimed; and no achievement is
    rewarded by two current decisions."""
    d, s, r = DecisionRow.__table__, Submission.__table__, RuleFileRow.__table__
    query = (select(d.c.id, d.c.content_key, d.c.supersedes, d.c.outcome, d.c.claims,
                    d.c.uses, d.c.rule_sha256, s.c.nominee_id, s.c.period, r.c.rule_id)
             .select_from(d.join(s, s.c.id == d.c.submission_id)
                          .join(r, r.c.sha256 == d.c.rule_sha256))
             .order_by(s.c.nominee_id, r.c.rule_id, s.c.period, d.c.id))
    line: tuple[str, str, int] | None = None
    previous: int | None = None
    current_uses: dict[str, int] = {}
    held: list[Any] = []

    def close() -> None:
        for achievement, _rank in held:
            holder = current_uses.setdefault(achievement, held_by)
            if holder != held_by:
                report.findings.append(Finding("decisions", held_by, "audit.achievement_twice",
                                               {"achievement": achievement,
                                                "holder": holder}))

    held_by = 0
    for row in connection.execute(query.execution_options(yield_per=_STREAM)):
        here = (row.nominee_id, row.rule_id, row.period)
        if here != line:
            close()
            line, previous, held = here, None, []
        held_by = row.id
        if row.content_key is None:
            previous, held = row.id, []
            continue
        if row.supersedes != previous:
            report.findings.append(Finding("decisions", row.id, "audit.supersedes",
                                           {"stored": row.supersedes or "—",
                                            "expected": previous or "—"}))
        named = _named_uses(row.uses)
        held = named
        rule = rules.get(row.rule_sha256)
        rewards = rule.model.achievements if rule is not None else None
        rank = rewards.rank if rewards else 0
        try:
            claims = set(parse_json(row.claims or "[]"))
        except (ValueError, TypeError):
            claims = set()
        for use in named:
            achievement = use[0] if isinstance(use, list) and use else None
            if (not isinstance(use, list) or len(use) != 2 or use[1] != rank
                    or row.outcome != "dat" or achievement not in claims):
                report.findings.append(Finding("decisions", row.id, "audit.use_invalid",
                                               {"use": canonical_json(use)}))
            elif (row.id, achievement) not in found:
                report.findings.append(Finding("decisions", row.id, "audit.use_row_missing",
                                               {"achievement": achievement}))
        previous = row.id
    close()


def _source(sha256: str, text: str) -> SourceText:
    return source_text(f"rule_files:{sha256[:12]}", text.encode("utf-8"), text)


def _load_rule(sha256: str, text: str) -> CompiledRule:
    return compile_rule(parse_rule_text(_source(sha256, text)))


def _check_rules(connection: Connection, report: VerifyReport, ticks: Ticks
                 ) -> dict[str, CompiledRule]:
    rules: dict[str, CompiledRule] = {}
    r = RuleFileRow.__table__
    query = select(r.c.sha256, r.c.text, r.c.rule_id, r.c.version, r.c.title,
                   r.c.effective_from, r.c.effective_to)
    for row in connection.execute(query):
        ticks.tick()
        report.rule_files += 1
        if sha256_text(row.text) != row.sha256:
            report.findings.append(Finding("rule_files", row.sha256[:12], "audit.rule_text",
                                           {"sha256": row.sha256}))
        try:
            rule = rules[row.sha256] = _load_rule(row.sha256, row.text)
        except CriteriaError as error:
            report.findings.append(Finding("rule_files", row.sha256[:12],
                                           "audit.rule_unloadable",
                                           {"problem": first_line(error)}))
            continue
        # The id, version, title and dates shown beside a decision are read from the row;
        # the text (named by its sha256 in every event) is what says them.
        said = {"rule_id": rule.id, "version": rule.version, "title": rule.model.title,
                "effective_from": rule.model.effective.from_,
                "effective_to": rule.model.effective.to}
        for column, value in said.items():
            if row._mapping[column] != value:
                report.findings.append(Finding(
                    "rule_files", row.sha256[:12], "audit.rule_metadata",
                    {"column": column, "stored": row._mapping[column], "text": value}))
    ticks.finish()
    return rules


def _check_submissions(connection: Connection, report: VerifyReport, ticks: Ticks) -> None:
    query = select(Submission.id, Submission.facts, Submission.facts_sha256)
    for row in connection.execute(query.execution_options(yield_per=_STREAM)):
        ticks.tick()
        if sha256_text(row.facts) != row.facts_sha256:
            report.findings.append(Finding("submissions", row.id, "audit.facts_hash",
                                           {"sha256": row.facts_sha256}))
    ticks.finish()


class _RecordedTexts:
    """The chain walk's fast path for a ``recorded`` event of the second form: its text
    rebuilt with the recorder's template (:class:`~._encode.RecordedEvents`, one per batch)
    from the stored columns as they are, JSON columns inserted as stored.

    If that text hashes to the stored hash, the rows are byte for byte what was hashed:
    the event is intact. Otherwise (an edit, or a row the template cannot take) the caller
    rebuilds the event the generic way and words the finding, so the findings are those
    of the generic path alone; honest stores never take it.
    """

    def __init__(self, runs: Mapping[int, str]) -> None:
        self.runs = runs
        self.templates: dict[tuple[str, str, int, str, bool], RecordedEvents] = {}

    def intact(self, row: Any) -> bool:
        if (row.kind != "recorded" or row.form != SECOND_FORM or row.d_id is None
                or row.s_id is None or row.d_run_id != row.run_id
                or row.recorded_at != row.at or row.content_key is None):
            return False
        run_sha256 = self.runs.get(row.run_id)
        if run_sha256 is None:
            return False
        try:
            at = utc_text(row.at)
            context = row.context is not None
            key = (row.actor, at, row.run_id, run_sha256, context)
            template = self.templates.get(key)
            if template is None:
                template = self.templates[key] = RecordedEvents(
                    actor=row.actor, at=at, run_id=row.run_id, run_sha256=run_sha256,
                    context=context)
            parts = {
                "claims": row.claims, "content_key": row.content_key,
                "correction": row.correction or "null",
                "criteria_sha256": sha256_text(row.criteria),
                "engine_version": fragment(row.engine_version),
                "facts_sha256": sha256_text(row.facts), "id": row.d_id, "key": row.key,
                "name": fragment(row.name), "nominee_id": fragment(row.nominee_id),
                "outcome": row.d_outcome, "period": row.period, "points": str(row.points),
                "rule_sha256": row.rule_sha256, "subject": fragment(row.subject),
                "submission_id": row.s_id,
                "submission_sha256": sha256_text(submission_text(
                    submission_id=row.s_id, nominee_id=row.nominee_id, period=row.period,
                    name=row.s_name, unit=row.s_unit, facts_sha256=row.facts_sha256,
                    run_id=row.s_run_id, submitted_at=utc_text(row.submitted_at))),
                "supersedes": "null" if row.supersedes is None else str(row.supersedes),
                "unit": fragment(row.unit), "uses": row.uses,
                "decision_id": row.decision_id, "event_id": row.id}
            if context:
                parts["context_sha256"] = sha256_text(row.context)
            text = template.text(parts)
        except (TypeError, ValueError, AttributeError):  # an edited row: the generic path
            return False
        return bool(chain_hash(row.prev_hash, text) == row.hash)


def _check_chain(connection: Connection, report: VerifyReport, ticks: Ticks) -> set[int]:
    """Walk the events in order; returns the ids of decisions that have a recorded event."""
    recorded: set[int] = set()
    previous_hash = GENESIS_HASH
    previous_id = 0
    digests = history_digests(connection)
    runs = run_digests(connection)
    report.history_rows = sum(rows for rows, _sha256, _first in digests.values())
    imports: set[int] = set()
    fast = _RecordedTexts(runs)
    for row in _event_rows(connection):
        ticks.tick()
        report.events += 1
        if row.id != previous_id + 1:
            report.findings.append(Finding("audit_events", row.id, "audit.event_missing",
                                           {"first": previous_id + 1, "last": row.id - 1}))
        if row.prev_hash != previous_hash:
            report.findings.append(Finding("audit_events", row.id, "audit.chain_broken",
                                           {"previous": previous_id}))
        if fast.intact(row):  # the recorder's own text hashes to the stored hash
            recorded.add(row.d_id)
            previous_hash, previous_id = row.hash, row.id
            continue
        content, _parts, problem = _content(row, digests, runs)
        if problem is not None:
            report.findings.append(problem)
        elif content is not None and event_hash(row.prev_hash, content) != row.hash:
            if row.kind == HISTORY_EVENT:
                report.findings.append(Finding("audit_events", row.id, "audit.history_hash",
                                               {"run_id": row.run_id}))
            else:
                report.findings.append(Finding("audit_events", row.id, "audit.event_hash",
                                               {"decision_id": row.decision_id}))
        if row.kind == HISTORY_EVENT and row.run_id is not None:
            imports.add(row.run_id)
        if row.kind == "recorded" and row.d_id is not None:
            recorded.add(row.d_id)
        previous_hash, previous_id = row.hash, row.id
    ticks.finish()
    for run_id, (_rows, _sha256, first) in sorted(digests.items()):
        if run_id not in imports:
            report.findings.append(Finding("title_history", first, "audit.history_orphan",
                                           {"run_id": run_id}))
    head = connection.execute(select(ChainHead.last_event_id, ChainHead.last_hash)).first()
    if head is None:
        report.findings.append(Finding("audit_chain_head", 1, "audit.head_missing"))
        return recorded
    report.head_event_id, report.head_hash = head.last_event_id, head.last_hash
    if head.last_event_id != previous_id:
        report.findings.append(Finding("audit_chain_head", 1, "audit.chain_truncated",
                                       {"head_id": head.last_event_id, "last_id": previous_id}))
    elif head.last_hash != previous_hash:
        report.findings.append(Finding("audit_chain_head", 1, "audit.head_hash",
                                       {"last_id": previous_id}))
    return recorded


# -- show, log, export ----------------------------------------------------------------------

def _events_query() -> Any:
    e, d, s, r = (AuditEvent.__table__, DecisionRow.__table__, Submission.__table__,
                  RuleFileRow.__table__)
    return (
        select(e.c.id, e.c.kind, e.c.at, e.c.actor, e.c.decision_id, s.c.nominee_id,
               s.c.period, r.c.rule_id, r.c.version, e.c.outcome, d.c.outcome.label("d_outcome"),
               e.c.reason, e.c.prev_hash, e.c.hash)
        .select_from(e.outerjoin(d, d.c.id == e.c.decision_id)
                     .outerjoin(s, s.c.id == d.c.submission_id)
                     .outerjoin(r, r.c.sha256 == d.c.rule_sha256))
        .order_by(e.c.id)
    )


def _event_record(row: Row[Any]) -> EventRecord:
    return EventRecord(
        id=row.id, kind=row.kind, at=_aware(row.at), actor=row.actor,
        decision_id=row.decision_id, nominee_id=row.nominee_id, period=row.period,
        rule_id=row.rule_id, rule_version=row.version,
        outcome=row.outcome if row.kind == "overridden" else (
            row.d_outcome if row.kind == "recorded" else None),
        reason=row.reason, prev_hash=row.prev_hash, hash=row.hash)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def log(connection: Connection, *, nominee: str | None = None, since: date | None = None
        ) -> list[EventRecord]:
    """Events in chain order, optionally for one nominee and from a day on (UTC)."""
    query = _events_query()
    if nominee is not None:
        query = query.where(Submission.__table__.c.nominee_id == nominee)
    if since is not None:
        query = query.where(AuditEvent.__table__.c.at >= datetime.combine(
            since, time(), tzinfo=UTC))
    return [_event_record(row) for row in connection.execute(query)]


def show(connection: Connection, decision_id: int) -> DecisionRecord:
    """A decision, its facts, criteria with their citation lines in the rule text, events."""
    if not 0 < decision_id <= MAX_ROW_ID:
        raise StoreError("store.decision_not_found", decision_id=decision_id)
    d, s, n, r, run = (DecisionRow.__table__, Submission.__table__, NomineeRow.__table__,
                       RuleFileRow.__table__, Run.__table__)
    row = connection.execute(
        select(*(c for c in d.c if c.name not in NAMED), s.c.nominee_id, s.c.period,
               *decision_names(d, s, n), s.c.facts, s.c.facts_sha256, r.c.rule_id, r.c.version, r.c.title,
               r.c.path, r.c.text, run.c.actor, run.c.command)
        .select_from(d.join(s, s.c.id == d.c.submission_id)
                     .join(n, n.c.nominee_id == s.c.nominee_id)
                     .join(r, r.c.sha256 == d.c.rule_sha256)
                     .join(run, run.c.id == d.c.run_id))
        .where(d.c.id == decision_id)
    ).first()
    if row is None:
        raise StoreError("store.decision_not_found", decision_id=decision_id)
    events = tuple(_event_record(e) for e in connection.execute(
        _events_query().where(AuditEvent.__table__.c.decision_id == decision_id)))
    overrides = [e.outcome for e in events if e.kind == "overridden"]
    try:
        rule: CompiledRule | None = _load_rule(row.rule_sha256, row.text)
    except CriteriaError:
        rule = None
    source = rule.source if rule is not None else None
    facts = parse_json(row.facts)
    values: Mapping[str, Any] = facts
    if rule is not None:
        with contextlib.suppress(ArithmeticError):  # an edited fact is shown as stored
            facts = values = typed_facts(facts, numeric_inputs(rule))
        # The values each criterion used: the facts as the evaluator bound them.
        with contextlib.suppress(CriteriaError, ValueError):
            values = bind_facts(rule.model, Nominee(
                id=row.nominee_id, name=row.name or row.nominee_id, subject=row.subject,
                unit=row.unit, period=row.period, facts=own_facts(rule, facts)), Location())
    criteria = tuple(_criterion_record(item, values, rule)
                     for item in parse_json(row.criteria))
    basis: tuple[Citation, ...] = ()
    if source is not None:
        basis = tuple(Citation(source.where("legal_basis", i).line, c.render("vi"))
                      for i, c in enumerate(source.model.legal_basis))
    derived: tuple[DerivedValue, ...] = ()
    cap: CapPlacement | None = None
    with contextlib.suppress(ValueError):  # an edited context: verify names it
        derived, cap = parse_context(row.context)
    return DecisionRecord(
        form=1 if row.content_key is None else 2,
        line=_line(connection, row.nominee_id, row.rule_id, row.period),
        id=row.id, nominee_id=row.nominee_id, name=row.name, unit=row.unit,
        subject=row.subject, period=row.period, outcome=row.outcome,
        current_outcome=(overrides[-1] or row.outcome) if overrides else row.outcome,
        points=row.points, rule_id=row.rule_id, rule_version=row.version,
        rule_sha256=row.rule_sha256, rule_title=row.title, rule_path=row.path,
        engine_version=row.engine_version, recorded_at=_aware(row.recorded_at),
        run_id=row.run_id, recorded_by=row.actor, command=row.command,
        facts=facts, facts_sha256=row.facts_sha256, criteria=criteria,
        legal_basis=basis, events=events, context=derived, cap=cap)


def _line(connection: Connection, nominee_id: str, rule_id: str, period: int
          ) -> tuple[LineEntry, ...]:
    """The decisions of one nominee, title and period in id order (the last is current)."""
    d, s, r = DecisionRow.__table__, Submission.__table__, RuleFileRow.__table__
    query = (select(d.c.id, d.c.recorded_at, d.c.outcome, d.c.correction, d.c.supersedes,
                    r.c.version)
             .select_from(d.join(s, s.c.id == d.c.submission_id)
                          .join(r, r.c.sha256 == d.c.rule_sha256))
             .where(s.c.nominee_id == nominee_id, s.c.period == period,
                    r.c.rule_id == rule_id)
             .order_by(d.c.id))
    entries = []
    for row in connection.execute(query):
        try:
            changed = tuple(parse_json(row.correction)) if row.correction else ()
        except (ValueError, TypeError):  # an edited row: verify names it
            changed = ()
        entries.append(LineEntry(row.id, _aware(row.recorded_at), row.outcome, row.version,
                                 changed, row.supersedes))
    return tuple(entries)


def _criterion_record(item: Mapping[str, Any], values: Mapping[str, Any],
                      rule: CompiledRule | None) -> CriterionRecord:
    if item.get("deferral") is True:
        return _deferral_record(item, values, rule)
    text = gate = maximum = None
    used: dict[str, Any] = {}
    citations: tuple[Citation, ...] = ()
    if rule is not None:
        source = rule.source
        position = next((i for i, c in enumerate(rule.criteria)
                         if c.criterion.id == item["id"]), None)
        if position is not None:
            compiled = rule.criteria[position]
            criterion = compiled.criterion
            text, gate, maximum = criterion.text, criterion.gate, criterion.points
            used = {name: values.get(name) for name in compiled.inputs}
            index = next(i for i, c in enumerate(source.model.criteria) if c.id == item["id"])
            if criterion.cite is not None:
                citations = (Citation(source.where("criteria", index, "cite").line,
                                      criterion.cite.render("vi")),)
            else:
                citations = tuple(Citation(source.where("legal_basis", i).line, c.render("vi"))
                                  for i, c in enumerate(source.model.legal_basis))
    return CriterionRecord(id=item["id"], text=text, gate=gate, result=item["result"],
                           points=item.get("points"), max_points=maximum, values=used,
                           citations=citations)


def _deferral_record(item: Mapping[str, Any], values: Mapping[str, Any],
                     rule: CompiledRule | None) -> CriterionRecord:
    """A stored deferral condition's verdict, with its text, values and citation lines."""
    text = None
    used: dict[str, Any] = {}
    citations: tuple[Citation, ...] = ()
    if rule is not None:
        source = rule.source
        index = next((i for i, d in enumerate(source.model.deferral) if d.id == item["id"]), None)
        compiled = next((d for d in rule.deferral if d.condition.id == item["id"]), None)
        if index is not None and compiled is not None:
            condition = compiled.condition
            text = condition.text
            used = {name: values.get(name) for name in compiled.inputs}
            if condition.cite is not None:
                citations = (Citation(source.where("deferral", index, "cite").line,
                                      condition.cite.render("vi")),)
            else:
                citations = tuple(Citation(source.where("legal_basis", i).line, c.render("vi"))
                                  for i, c in enumerate(source.model.legal_basis))
    return CriterionRecord(id=item["id"], text=text, gate=None, result=item["result"],
                           points=None, max_points=None, values=used, citations=citations,
                           deferral=True)


def export_lines(connection: Connection, event_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The JSONL export lines of the given events (for a receipt: the event exactly as
    hashed, with the facts and criteria, or history rows, it names), in id order."""
    digests = history_digests(connection)
    runs = run_digests(connection)
    lines = []
    for row in _event_rows(connection, event_ids):
        content, parts, _problem = _content(row, digests, runs)
        if row.kind == HISTORY_EVENT and row.run_id is not None:
            parts = {"history": history_rows(connection, row.run_id)}
        if content is None:
            content = _bare_content(row)
        lines.append({"event": content, **parts, "prev_hash": row.prev_hash, "hash": row.hash})
    return lines


def _bare_content(row: Any) -> dict[str, Any]:
    """What can be shown of an event whose decision is gone (verify names the problem)."""
    return {"id": row.id, "kind": row.kind, "decision_id": row.decision_id, "decision": None,
            "run_id": row.run_id, "actor": row.actor, "at": utc_text(row.at),
            "outcome": row.outcome, "reason": row.reason}


def export(connection: Connection, out: TextIO, *, format: ExportFormat = "jsonl") -> int:
    """Write every event, with the facts and criteria it names, for an inspector.

    JSON Lines: ``{"event", "facts", "criteria", "prev_hash", "hash"}`` per line (and
    ``"context"`` for a decision that has one; an import of title history has
    ``"history"``, its rows, instead of facts and criteria),
    the event exactly as hashed, so the chain can be checked without tdkt (see
    :mod:`._chain` and ``docs/verify_export.py``). CSV: one row per event with the
    columns of :data:`CSV_COLUMNS`, for reading in a spreadsheet: a text cell that a
    spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) gets a leading
    ``'`` (:func:`~criteria_engine.cells.safe_cell`), so check hashes on the JSONL.
    """
    writer = csv.writer(out, lineterminator="\n") if format == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    count = 0
    digests = history_digests(connection)
    runs = run_digests(connection)
    for row in _event_rows(connection):
        content, parts, _problem = _content(row, digests, runs)
        if row.kind == HISTORY_EVENT and writer is None and row.run_id is not None:
            parts = {"history": history_rows(connection, row.run_id)}
        if content is None:
            content = _bare_content(row)
        count += 1
        if writer is None:
            out.write(canonical_json({"event": content, **parts, "prev_hash": row.prev_hash,
                                      "hash": row.hash}) + "\n")
            continue
        decision = content["decision"] or {}
        text = {name: canonical_json(parts[name]) if name in parts else ""
                for name in ("facts", "criteria", "context")}
        writer.writerow([safe_cell(value) for value in (
            row.id, row.kind, content["at"], row.actor, row.reason or "", row.outcome or "",
            row.decision_id or "", decision.get("nominee_id", ""), decision.get("name") or "",
            decision.get("unit") or "", decision.get("subject", ""), decision.get("period", ""),
            decision.get("rule_sha256", ""), text["facts"], decision.get("facts_sha256", ""),
            decision.get("outcome", ""), decision.get("points", ""), text["criteria"],
            text["context"], decision.get("engine_version", ""), row.run_id or "",
            row.prev_hash, row.hash,
        )])
    return count
