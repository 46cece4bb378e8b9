"""The store: open (checked at head), record a batch, correct by new events.

Recording is one transaction per batch. Inside it the writer holds the chain lock
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT … FOR UPDATE`` on the chain
head), finds each decision's line (nominee, title, period) and skips those whose content
is that of the line's current decision (a different content is recorded as a correction
that supersedes it, see :mod:`._keys`), gives the new rows their ids, computes each
event's hash once in Python, and writes each table with one driver-level ``executemany``
(PostgreSQL: ``COPY``). A process killed half-way leaves nothing behind; running the same
command again records exactly what is missing::

    with Store.open("tdkt.db") as store:
        summary = store.record(report.decisions, nominees=report.nominees,
                               actor="lan", command="tdkt evaluate …")
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import Any, NamedTuple, TextIO

from sqlalchemy import Connection, Date, DateTime, Engine, func, insert, select, update
from sqlalchemy.engine import URL

from criteria_engine._version import __version__
from criteria_engine.achievements import resolve_achievements
from criteria_engine.batch import BatchReport
from criteria_engine.errors import CriteriaError, Location, RecordError, StoreError
from criteria_engine.evaluator import AchievementUse, CompiledRule, Decision
from criteria_engine.nominees import Nominee
from criteria_engine.report import outcome_reason
from criteria_engine.store import _audit
from criteria_engine.store._audit import DecisionRecord, EventRecord, ExportFormat, VerifyReport
from criteria_engine.store._canonical import chain_hash, parse_json, sha256_text, utc_text
from criteria_engine.store._chain import (
    SECOND_FORM,
    check_event_text,
    event_content,
    event_hash,
    part_sha256,
    run_content,
    submission_content,
    submission_text,
)
from criteria_engine.store._connect import (
    WRITE,
    connect_engine,
    database_url,
    describe,
    sqlite_missing,
    store_errors,
)
from criteria_engine.store._context import context_text
from criteria_engine.store._encode import (
    RecordedEvents,
    RuleEncoder,
    facts_text,
    fragment,
    key_text,
)
from criteria_engine.store._findings import decision_names
from criteria_engine.store._keys import content_key, correction, decision_key
from criteria_engine.store._models import (
    OUTCOMES,
    AchievementUseRow,
    AuditEvent,
    ChainHead,
    DecisionRow,
    NomineeRow,
    RuleFileRow,
    Run,
    Submission,
)
from criteria_engine.store._schema import Revision, create_sqlite, ensure_current

__all__ = ["RecordSummary", "Store"]

#: Values per ``IN (…)`` lookup when checking which keys are already stored (below
#: SQLite's oldest limit of 999 parameters).
LOOKUP_CHUNK = 900


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What one ``record`` call did (``database`` is the store, without any password)."""

    database: str
    run_id: int
    decisions: int
    recorded: int
    already_recorded: int
    first_event_id: int | None
    last_event_id: int
    head_hash: str
    #: The decisions as recorded: an outcome may have become ``trung_thanh_tich``.
    decisions_recorded: tuple[Decision, ...] = ()
    #: Records not recorded because the database cannot store their text (one
    #: :class:`RecordError` per nominee, naming the record and the field).
    refused: tuple[CriteriaError, ...] = ()
    #: Of ``recorded``, the corrections: each supersedes the nominee's current decision for
    #: that title and period (see :mod:`._keys`).
    corrected: int = 0


class _Item(NamedTuple):
    """One decision with what its idempotency key needs, computed before the lookup."""

    decision: Decision
    encoder: RuleEncoder
    subject: str
    facts: str
    facts_sha256: str
    #: The first form's key (spelled facts), to recognise a decision recorded before 0006.
    legacy_key: str
    #: What the decision is judged on (:func:`._keys.content_key`).
    content_key: str
    #: The achievement ids the record claims, sorted.
    claims: tuple[str, ...]
    #: The canonical context text (derived values, cap placement), None when it has none.
    context: str | None = None
    #: Set by :func:`_plan` for a decision to record: its key, the decision it supersedes
    #: and what that correction changed.
    key: str = ""
    supersedes: int | None = None
    correction: tuple[str, ...] | None = None


class Store:
    """The decision store at one database, known to be at the head revision."""

    def __init__(self, engine: Engine, revision: Revision) -> None:
        self.engine = engine
        self.revision = revision

    @classmethod
    def open(cls, db: str | Path | None = None, *, create: bool = True) -> Store:
        """Connect and check the revision; where no SQLite file exists and ``create``, make
        a new store at head (an existing database is never given a schema here: run
        ``tdkt db upgrade``).

        ``db`` is a SQLite path or a URL (default ``tdkt.db`` in the working directory).
        """
        url = database_url(db)
        if sqlite_missing(url):
            if not create:
                raise StoreError("store.no_database", Location(path=url.database))
            create_sqlite(url)
        engine = connect_engine(url)
        try:
            with store_errors(url):
                revision = ensure_current(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, revision)

    @property
    def url(self) -> URL:
        return self.engine.url

    def __str__(self) -> str:
        return describe(self.engine.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One transaction holding the chain lock."""
        with self._errors(), self.engine.connect() as connection:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One snapshot: a writer committing meanwhile cannot make verify see half a batch."""
        with self._errors(), self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    @contextmanager
    def _errors(self) -> Iterator[None]:
        with store_errors(self.engine.url):
            yield

    # -- recording ---------------------------------------------------------------------------

    def record_report(self, report: BatchReport, *, actor: str, command: str) -> RecordSummary:
        """Record every decision of an evaluated nominee file (one transaction)."""
        return self.record(report.decisions, nominees=report.nominees, actor=actor,
                           command=command, source=report.path)

    def record(self, decisions: Sequence[Decision], *,
               nominees: Mapping[str, Nominee] | None = None, actor: str, command: str,
               source: str | None = None, where: Mapping[str, Location] | None = None
               ) -> RecordSummary:
        """Record a batch of decisions; those already stored (same key) are skipped.

        ``nominees`` gives the facts exactly as submitted (else the bound facts are kept).
        A nominee whose text the database cannot store (a NUL character, a lone
        surrogate) is left out and reported in ``refused``, at ``where[nominee_id]``
        when given, while the rest of the batch is recorded: a driver error would
        otherwise lose the whole batch.
        """
        check_event_text(actor, "actor")
        started = datetime.now(UTC)
        nominees = nominees or {}
        items, refused = _prepare(decisions, nominees, where or {})
        with self._writing() as connection:
            head = _lock_head(connection)
            current = _current_decisions(connection, {i.decision.nominee_id for i in items})
            first_decision = _next_id(connection, DecisionRow.__table__)
            plan = _plan(items, current, first_decision)
            items = _resolve(connection, items, nominees, current,
                             {item.supersedes for item in plan.values()})
            new = [plan[index]._replace(decision=item.decision)
                   for index, item in enumerate(items) if index in plan]
            now = datetime.now(UTC)
            run_id, run_sha256 = _insert_run(
                connection, actor=actor, command=command, source=source, started=started,
                finished=now, decisions=len(items), recorded=len(new),
                already_recorded=len(items) - len(new))
            last_id, last_hash = head.last_event_id, head.last_hash
            if new:
                last_id, last_hash = _write(connection, new, head, run_id=run_id,
                                            run_sha256=run_sha256, actor=actor, now=now)
                last_id, last_hash = _write_achievements(
                    connection, new, first_decision, _Head(last_id, last_hash),
                    run_id=run_id, run_sha256=run_sha256, actor=actor, now=now)
        return RecordSummary(str(self), run_id, len(items), len(new),
                             len(items) - len(new), head.last_event_id + 1 if new else None,
                             last_id, last_hash, tuple(item.decision for item in items),
                             tuple(refused),
                             corrected=sum(item.supersedes is not None for item in new))

    # -- corrections -------------------------------------------------------------------------

    def override(self, decision_id: int, *, outcome: str, reason: str, actor: str) -> int:
        """Correct a decision's outcome by a new ``overridden`` event; returns the event id."""
        if outcome not in OUTCOMES:
            raise StoreError("store.bad_outcome", outcome=outcome, allowed=", ".join(OUTCOMES))
        return self._event(decision_id, kind="overridden", outcome=outcome, reason=reason,
                           actor=actor)

    def annotate(self, decision_id: int, *, note: str, actor: str) -> int:
        """Attach a note to a decision by a new ``annotated`` event; returns the event id."""
        return self._event(decision_id, kind="annotated", outcome=None, reason=note, actor=actor)

    def _event(self, decision_id: int, *, kind: str, outcome: str | None, reason: str,
               actor: str) -> int:
        if not reason.strip():
            raise StoreError("store.reason_required")
        check_event_text(actor, "actor")
        check_event_text(reason, "reason" if kind == "overridden" else "note", newlines=True)
        with self._writing() as connection:
            head = _lock_head(connection)
            key = connection.scalar(select(DecisionRow.key).where(DecisionRow.id == decision_id))
            if key is None:
                raise StoreError("store.decision_not_found", decision_id=decision_id)
            now = datetime.now(UTC)
            event_id = head.last_event_id + 1
            content = event_content(event_id=event_id, kind=kind, decision_id=decision_id,
                                    decision={"id": decision_id, "key": key}, run_id=None,
                                    actor=actor, at=utc_text(now), outcome=outcome,
                                    reason=reason, form=SECOND_FORM)
            digest = event_hash(head.last_hash, content)
            connection.execute(insert(AuditEvent), [{
                "id": event_id, "kind": kind, "decision_id": decision_id, "run_id": None,
                "actor": actor, "at": now, "outcome": outcome, "reason": reason,
                "prev_hash": head.last_hash, "hash": digest, "form": SECOND_FORM}])
            _move_head(connection, event_id, digest, now)
        return event_id

    # -- looking -----------------------------------------------------------------------------

    def judge_against_store(self, report: BatchReport) -> list[Decision]:
        """The report's decisions as recording them now would leave them (read-only):
        an achievement the store already holds makes a decision ``trung_thanh_tich``."""
        claimed = {a.id for nominee in report.nominees.values() for a in nominee.achievements}
        if not claimed:
            return list(report.decisions)
        with self._reading() as connection:
            prior = _prior_uses(connection, claimed)
        return resolve_achievements(report.decisions, report.nominees, prior)

    def verify(self, *, progress: _audit.Progress | None = None) -> VerifyReport:
        """Recompute the chain and replay every decision (see :mod:`._audit`)."""
        with self._reading() as connection:
            return _audit.verify(connection, progress=progress)

    def show(self, decision_id: int) -> DecisionRecord:
        with self._reading() as connection:
            return _audit.show(connection, decision_id)

    def log(self, *, nominee: str | None = None, since: date | None = None
            ) -> list[EventRecord]:
        with self._reading() as connection:
            return _audit.log(connection, nominee=nominee, since=since)

    def export(self, out: TextIO, *, format: ExportFormat = "jsonl") -> int:
        with self._reading() as connection:
            return _audit.export(connection, out, format=format)


def _resolve(connection: Connection, items: list[_Item], nominees: Mapping[str, Nominee],
             current: Mapping[_Line, _Current], superseded: Collection[int | None]
             ) -> list[_Item]:
    """Apply "one achievement, one reward" against what the store already holds.

    Only current decisions hold an achievement: a use by a decision that a later one
    corrected (or that this batch corrects) is released. Runs under the chain lock, so two
    writers cannot both reward one achievement.
    """
    claimed = {a.id for item in items for a in getattr(
        nominees.get(item.decision.nominee_id), "achievements", ())}
    if not claimed:
        return items
    prior = _prior_uses(connection, claimed)
    if prior:
        lines = dict(current)
        others = {use.nominee_id for uses in prior.values() for use in uses} - {
            line[0] for line in lines}
        if others:
            lines.update(_current_decisions(connection, others))
        holding = {entry.id for entry in lines.values()} - set(superseded)
        prior = {achievement: kept for achievement, uses in prior.items()
                 if (kept := [use for use in uses if use.decision_id in holding])}
    resolved = resolve_achievements([item.decision for item in items], nominees, prior)
    return [item._replace(decision=decision) for item, decision in zip(items, resolved,
                                                                       strict=True)]


#: A line of decisions: (nominee id, rule id, period); its latest decision is current.
_Line = tuple[str, str, int]


class _Current(NamedTuple):
    """The current decision of a line, with what a correction is compared against."""

    id: int
    key: str
    content_key: str | None
    rule_sha256: str
    name: str | None
    unit: str | None
    subject: str | None
    claims: tuple[str, ...] | None


def _current_decisions(connection: Connection, nominee_ids: Collection[str]
                       ) -> dict[_Line, _Current]:
    """The current (latest) decision of every line of these nominees."""
    d, s, r, n = (DecisionRow.__table__, Submission.__table__, RuleFileRow.__table__,
                  NomineeRow.__table__)
    query = (select(d.c.id, d.c.key, d.c.content_key, d.c.rule_sha256, d.c.claims,
                    s.c.nominee_id, s.c.period, r.c.rule_id, *decision_names(d, s, n))
             .select_from(d.join(s, s.c.id == d.c.submission_id)
                          .join(r, r.c.sha256 == d.c.rule_sha256)
                          .join(n, n.c.nominee_id == s.c.nominee_id)))
    current: dict[_Line, _Current] = {}
    wanted = sorted(nominee_ids)
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start:start + LOOKUP_CHUNK]
        for row in connection.execute(query.where(s.c.nominee_id.in_(chunk))):
            line = (row.nominee_id, row.rule_id, row.period)
            held = current.get(line)
            if held is not None and held.id > row.id:
                continue
            claims = None if row.claims is None else tuple(parse_json(row.claims))
            current[line] = _Current(row.id, row.key, row.content_key, row.rule_sha256,
                                     row.name, row.unit, row.subject, claims)
    return current


def _plan(items: Sequence[_Item], current: Mapping[_Line, _Current], first_decision: int
          ) -> dict[int, _Item]:
    """Which items are new (by index), each with its key and the decision it supersedes.

    An item whose content is that of its line's current decision is already recorded (for
    a decision of the first form: the same spelled facts). Any other content for the line
    is recorded as a correction of the current decision, naming what changed; two items of
    one line in one batch are a correction of the first by the second.
    """
    lines = dict(current)
    plan: dict[int, _Item] = {}
    for index, item in enumerate(items):
        decision = item.decision
        line = (decision.nominee_id, decision.rule.id, decision.period)
        held = lines.get(line)
        if held is not None and (held.content_key == item.content_key or (
                held.content_key is None and held.key == item.legacy_key)):
            continue
        changed: tuple[str, ...] | None = None
        if held is not None:
            changed = tuple(correction(
                facts_changed=held.content_key is None or content_key(
                    nominee_id=decision.nominee_id, period=decision.period,
                    rule_sha256=held.rule_sha256, facts=decision.facts, name=held.name,
                    unit=held.unit, subject=held.subject or item.subject,
                    claims=held.claims or ()) != held.content_key,
                before=_comparable(held.name, held.unit, held.subject,
                                   item.claims if held.claims is None else held.claims,
                                   held.rule_sha256),
                after=_comparable(decision.name, decision.unit, item.subject, item.claims,
                                  item.encoder.sha256)))
        supersedes = None if held is None else held.id
        decision_id = first_decision + len(plan)
        plan[index] = item._replace(key=decision_key(item.content_key, supersedes),
                                    supersedes=supersedes, correction=changed)
        lines[line] = _Current(decision_id, plan[index].key, item.content_key,
                               item.encoder.sha256, decision.name, decision.unit,
                               item.subject, item.claims)
    return plan


def _comparable(name: str | None, unit: str | None, subject: str | None,
                claims: Sequence[str] | None, rule_sha256: str) -> dict[str, Any]:
    """A decision's fields as :func:`._keys.correction` compares them (the store does not
    know what a decision of the first form claimed: its claims are taken as unchanged)."""
    return {"name": name, "unit": unit, "subject": subject,
            "achievements": sorted(claims or ()), "rule": rule_sha256}


def _prior_uses(connection: Connection, achievement_ids: Iterable[str]
                ) -> dict[str, list[AchievementUse]]:
    """The stored decisions that already rewarded each of these achievements."""
    prior: dict[str, list[AchievementUse]] = {}
    rows = _chunks(connection, "SELECT achievement_id, nominee_id, rule_id, rule_version, period, "
                               "rank, decision_id FROM achievement_uses WHERE achievement_id",
                   sorted(achievement_ids))
    for achievement_id, nominee_id, rule_id, version, period, rank, decision_id in rows:
        prior.setdefault(achievement_id, []).append(AchievementUse(
            achievement_id, nominee_id, rule_id, version, period, rank, decision_id))
    return prior


def _write_achievements(connection: Connection, items: list[_Item], first_decision: int,
                        head: _Head, *, run_id: int, run_sha256: str, actor: str,
                        now: datetime) -> tuple[int, str]:
    """The achievements the new decisions reward, and for each ``trung_thanh_tich`` an
    ``annotated`` event (in the chain) naming the decision that holds the achievement."""
    ids = {(item.decision.rule.id, item.decision.period, item.decision.nominee_id):
           first_decision + index for index, item in enumerate(items)}
    uses: list[tuple[Any, ...]] = []
    next_use = _next_id(connection, AchievementUseRow.__table__)
    event_id, previous = head.last_event_id, head.last_hash
    for index, item in enumerate(items):
        decision = item.decision
        rewards = decision.rule.model.achievements
        for achievement_id in decision.achievements:
            uses.append((next_use, achievement_id, first_decision + index, decision.nominee_id,
                         decision.rule.id, decision.rule.version, decision.period,
                         rewards.rank if rewards else 0))
            next_use += 1
        if decision.conflict is None:
            continue
        holder = decision.conflict.holder
        if holder.decision_id is None:
            holder = replace(holder, decision_id=ids.get(
                (holder.rule_id, holder.period, holder.nominee_id)))
            decision = decision._replace(conflict=replace(decision.conflict, holder=holder))
        reason = outcome_reason(decision, "vi")
        event_id += 1
        decision_id = first_decision + index
        content = event_content(event_id=event_id, kind="annotated", decision_id=decision_id,
                                decision={"id": decision_id, "key": item.key}, run_id=run_id,
                                actor=actor, at=utc_text(now), outcome=None, reason=reason,
                                form=SECOND_FORM, run_sha256=run_sha256)
        digest = event_hash(previous, content)
        connection.execute(insert(AuditEvent), [{
            "id": event_id, "kind": "annotated", "decision_id": decision_id, "run_id": run_id,
            "actor": actor, "at": now, "outcome": None, "reason": reason,
            "prev_hash": previous, "hash": digest, "form": SECOND_FORM}])
        previous = digest
    _bulk_insert(connection, "achievement_uses", (
        "id", "achievement_id", "decision_id", "nominee_id", "rule_id", "rule_version", "period",
        "rank"), uses)
    if event_id != head.last_event_id:
        _move_head(connection, event_id, previous, now)
    return event_id, previous


def _prepare(decisions: Sequence[Decision], nominees: Mapping[str, Nominee],
             where: Mapping[str, Location]) -> tuple[list[_Item], list[CriteriaError]]:
    """First pass: each decision's stored facts and idempotency key (the rest of the
    encoding waits until we know which decisions are new), and the nominees whose text
    the database cannot store (:func:`_unstorable`), left out."""
    encoders: dict[int, RuleEncoder] = {}
    items = []
    refused: dict[str, CriteriaError] = {}
    for decision in decisions:
        if decision.nominee_id in refused:
            continue
        rule = decision.rule
        encoder = encoders.get(id(rule))
        if encoder is None:
            encoder = encoders[id(rule)] = RuleEncoder(rule)
        nominee = nominees.get(decision.nominee_id)
        if nominee is not None:
            submitted: Mapping[str, Any] = nominee.facts
            subject: str = nominee.subject
        else:
            submitted = {k: v for k, v in decision.facts.items() if v is not None}
            subject = rule.model.subject
        if decision.context:
            submitted = _with_derived(submitted, decision)
        facts = facts_text(submitted)
        context = context_text(decision) if decision.context or decision.cap else None
        problem = _refusal(decision, nominee, facts, where, context)
        if problem is not None:
            refused[decision.nominee_id] = problem
            continue
        facts_sha256 = sha256_text(facts)
        legacy_key = sha256_text(key_text(decision.nominee_id, decision.period, encoder.sha256,
                                          facts_sha256))
        claims = tuple(sorted({a.id for a in nominee.achievements})) if nominee else ()
        content = content_key(nominee_id=decision.nominee_id, period=decision.period,
                              rule_sha256=encoder.sha256, facts=decision.facts,
                              name=decision.name, unit=decision.unit, subject=subject,
                              claims=claims)
        items.append(_Item(decision, encoder, subject, facts, facts_sha256, legacy_key,
                           content, claims, context))
    if refused:
        items = [item for item in items if item.decision.nominee_id not in refused]
    return items, list(refused.values())


def _with_derived(submitted: Mapping[str, Any], decision: Decision) -> dict[str, Any]:
    """The submitted facts with each derived input's value as the decision used it.

    A derived value is computed by the engine, not submitted; it is stored with the facts
    so that the decision replays from its facts alone, and ``verify`` checks it against
    the evidence in the decision's context. A self-declared roll-up (source ``tu_khai``)
    is the record's own fact and stays as submitted; a missing value is left out.
    """
    facts = dict(submitted)
    for value in decision.context:
        if value.source == "tu_khai":
            continue
        used = decision.facts.get(value.input, value.value)
        if used is None:
            facts.pop(value.input, None)
        else:
            facts[value.input] = used
    return facts


def _unstorable(text: str) -> int | None:
    """The index of the first character a database text column cannot hold: NUL
    (PostgreSQL refuses it in any text) or a lone surrogate (not UTF-8 at all)."""
    index = text.find("\x00")
    if index >= 0:
        return index
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _refusal(decision: Decision, nominee: Nominee | None, facts: str,
             where: Mapping[str, Location], context: str | None = None) -> RecordError | None:
    """Why this decision's texts cannot be stored, naming the record and field, or None."""
    achievements = nominee.achievements if nominee is not None else ()
    whole = "\n".join([decision.nominee_id, decision.name or "", decision.unit or "", facts,
                        context or "", *[achievement.id for achievement in achievements]])
    if _unstorable(whole) is None:  # the usual case: one look at all of them
        return None
    texts: list[tuple[str, str | None]] = [
        ("id", decision.nominee_id), ("name", decision.name), ("unit", decision.unit),
        ("facts", facts), ("context", context)]
    texts += [(f"achievements[{index}].id", achievement.id)
              for index, achievement in enumerate(achievements)]
    for field, text in texts:
        if text is None:
            continue
        index = _unstorable(text)
        if index is None:
            continue
        place = where.get(decision.nominee_id) or Location(record=decision.nominee_id)
        if field == "facts":  # name the fact, not the JSON text of them all
            field = next((f"facts.{name}" for name, value in (nominee.facts if nominee else
                                                              decision.facts).items()
                          if isinstance(value, str) and _unstorable(value) is not None),
                         field)
        return RecordError("store.text_not_storable", place.with_field(field),
                           char=f"U+{ord(text[index]):04X}", record_id=decision.nominee_id)
    return None


@dataclass(frozen=True, slots=True)
class _Head:
    last_event_id: int
    last_hash: str


def _insert_run(connection: Connection, *, actor: str, command: str, source: str | None,
                started: datetime, finished: datetime, decisions: int, recorded: int,
                already_recorded: int) -> tuple[int, str]:
    """Write a run's row (a recorded batch or an import); returns its id and the sha256 by
    which its second-form events name it (:func:`._chain.run_content`)."""
    run: dict[str, Any] = {
        "id": _next_id(connection, Run.__table__), "actor": actor, "command": command,
        "source": source, "engine_version": __version__, "started_at": started,
        "finished_at": finished, "decisions": decisions, "recorded": recorded,
        "already_recorded": already_recorded}
    connection.execute(insert(Run), [run])
    return run["id"], part_sha256(run_content(SimpleNamespace(**run)))


def _lock_head(connection: Connection) -> _Head:
    """The chain head; on PostgreSQL its row lock is what serialises writers."""
    query = select(ChainHead.last_event_id, ChainHead.last_hash).where(ChainHead.id == 1)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).one()
    return _Head(row.last_event_id, row.last_hash)


def _move_head(connection: Connection, event_id: int, digest: str, now: datetime) -> None:
    connection.execute(update(ChainHead).where(ChainHead.id == 1).values(
        last_event_id=event_id, last_hash=digest, updated_at=now))


def _next_id(connection: Connection, table: Any) -> int:
    return int(connection.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def _chunks(connection: Connection, select_sql: str, values: Iterable[str]
            ) -> Iterator[Any]:
    """Rows of ``select_sql … IN (…)`` over ``values``, a few hundred at a time."""
    wanted = list(dict.fromkeys(values))
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = tuple(wanted[start:start + LOOKUP_CHUNK])
        sql = f"{select_sql} IN ({', '.join([mark] * len(chunk))})"
        yield from connection.exec_driver_sql(sql, chunk)


def _existing_submissions(connection: Connection, items: list[_Item]
                          ) -> dict[tuple[str, int, str], tuple[int, str]]:
    """(nominee, period, facts sha256) → (id, sha256 of the row as a second-form event
    names it) of the submissions already stored for these nominees."""
    # By nominee id, the leading column of the (nominee_id, period, facts_sha256) unique
    # index: by facts hash (no index, and shared by every nominee with the same facts)
    # each batch scanned the table and fetched every earlier look-alike submission.
    s = Submission.__table__
    query = select(s.c.id, s.c.nominee_id, s.c.period, s.c.name, s.c.unit, s.c.facts_sha256,
                   s.c.run_id, s.c.submitted_at)
    wanted = sorted({item.decision.nominee_id for item in items})
    found: dict[tuple[str, int, str], tuple[int, str]] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        for row in connection.execute(
                query.where(s.c.nominee_id.in_(wanted[start:start + LOOKUP_CHUNK]))):
            found[(row.nominee_id, row.period, row.facts_sha256)] = (
                row.id, part_sha256(submission_content(row)))
    return found


def _bulk_insert(connection: Connection, table: str, columns: Sequence[str],
                 rows: list[tuple[Any, ...]], *, skip_existing: bool = False) -> None:
    """One driver-level ``executemany`` (PostgreSQL: one ``COPY``), inside the transaction;
    the rows are already in their stored form."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    if connection.dialect.name == "postgresql" and not skip_existing:
        driver = connection.connection.driver_connection
        assert driver is not None
        names = ", ".join(quote(c) for c in columns)
        # COPY goes around SQLAlchemy, so its errors are psycopg's own: made one line here
        driver_error: type[Exception] = getattr(connection.dialect.dbapi, "Error", Exception)
        try:
            with driver.cursor() as cursor, cursor.copy(
                    f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except (driver_error, UnicodeError) as error:
            problem = str(error).strip().splitlines()
            raise StoreError("store.refused", problem=problem[0] if problem else "?") from None
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    connection.exec_driver_sql(sql, rows)


def _stored_form(connection: Connection, value: Any, kind: Any) -> Any:
    """A value as its column type stores it (SQLite keeps dates and times as text)."""
    processor = kind.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor is not None else value


def _write(connection: Connection, items: list[_Item], head: _Head, *, run_id: int,
           run_sha256: str, actor: str, now: datetime) -> tuple[int, str]:
    stamp = _stored_form(connection, now, DateTime(timezone=True))
    rules: dict[str, CompiledRule] = {}
    for item in items:
        rules.setdefault(item.encoder.sha256, item.decision.rule)
    _bulk_insert(connection, "rule_files", (
        "sha256", "rule_id", "version", "title", "effective_from", "effective_to", "path",
        "text", "first_seen"), [(
            sha256, rule.id, rule.version, rule.model.title,
            _stored_form(connection, rule.model.effective.from_, Date()),
            _stored_form(connection, rule.model.effective.to, Date()), rule.source.path,
            rule.source.source.raw.decode("utf-8"), stamp) for sha256, rule in rules.items()],
        skip_existing=True)
    subjects = {item.decision.nominee_id: item.subject for item in items}
    _bulk_insert(connection, "nominees", ("nominee_id", "subject", "first_seen"),
                 [(nominee_id, subject, stamp) for nominee_id, subject in subjects.items()],
                 skip_existing=True)

    submissions = _existing_submissions(connection, items)
    next_submission = _next_id(connection, Submission.__table__)
    new_submissions: list[tuple[Any, ...]] = []
    decisions: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    at = utc_text(now)
    plain = RecordedEvents(actor=actor, at=at, run_id=run_id, run_sha256=run_sha256).text
    with_context = RecordedEvents(actor=actor, at=at, run_id=run_id, run_sha256=run_sha256,
                                  context=True).text
    repeated: dict[str, str] = {}  # fragments of engine versions and subjects
    decision_id = _next_id(connection, DecisionRow.__table__)
    event_id = head.last_event_id
    previous = head.last_hash
    for item in items:
        decision, encoder, subject, facts, facts_sha256 = item[:5]
        nominee_id = decision.nominee_id
        period = decision.period
        sub_key = (nominee_id, period, facts_sha256)
        submission = submissions.get(sub_key)
        if submission is None:
            submission_id = next_submission
            next_submission += 1
            submission = submissions[sub_key] = (submission_id, sha256_text(submission_text(
                submission_id=submission_id, nominee_id=nominee_id, period=period,
                name=decision.name, unit=decision.unit, facts_sha256=facts_sha256,
                run_id=run_id, submitted_at=at)))
            new_submissions.append((
                submission_id, nominee_id, period, decision.name, decision.unit, facts,
                facts_sha256, run_id, stamp))
        submission_id, submission_sha256 = submission
        criteria_text, criteria_sha256 = encoder.criteria_text(decision)
        points = str(decision.points)
        rank = encoder.rank
        claims = fragment(list(item.claims))
        uses = fragment([[achievement, rank] for achievement in decision.achievements])
        correction = None if item.correction is None else fragment(list(item.correction))
        decisions.append((
            decision_id, item.key, submission_id, encoder.sha256, run_id, decision.outcome,
            points, criteria_text, decision.engine_version, stamp, item.context, decision.name,
            decision.unit, subject, item.content_key, item.supersedes, correction, claims,
            uses))
        event_id += 1
        # canonical_json(event_content(…, decision_content(…))), from a template made once
        # per batch (see _encode); verify recomputes it with the generic encoder.
        engine = repeated.get(decision.engine_version)
        if engine is None:
            engine = repeated[decision.engine_version] = fragment(decision.engine_version)
        kind = repeated.get(subject)
        if kind is None:
            kind = repeated[subject] = fragment(subject)
        parts = {
            "claims": claims, "content_key": item.content_key,
            "correction": correction or "null", "criteria_sha256": criteria_sha256,
            "engine_version": engine, "facts_sha256": facts_sha256, "id": decision_id,
            "key": item.key, "name": fragment(decision.name), "nominee_id": fragment(nominee_id),
            "outcome": decision.outcome, "period": period, "points": points,
            "rule_sha256": encoder.sha256, "subject": kind, "submission_id": submission_id,
            "submission_sha256": submission_sha256,
            "supersedes": "null" if item.supersedes is None else str(item.supersedes),
            "unit": fragment(decision.unit), "uses": uses, "decision_id": decision_id,
            "event_id": event_id}
        if item.context is None:
            content = plain(parts)
        else:
            parts["context_sha256"] = sha256_text(item.context)
            content = with_context(parts)
        digest = chain_hash(previous, content)
        events.append((event_id, "recorded", decision_id, run_id, actor, stamp, None, None,
                       previous, digest, SECOND_FORM))
        previous = digest
        decision_id += 1
    _bulk_insert(connection, "submissions", (
        "id", "nominee_id", "period", "name", "unit", "facts", "facts_sha256", "run_id",
        "submitted_at"), new_submissions)
    _bulk_insert(connection, "decisions", (
        "id", "key", "submission_id", "rule_sha256", "run_id", "outcome", "points", "criteria",
        "engine_version", "recorded_at", "context", "name", "unit", "subject", "content_key",
        "supersedes", "correction", "claims", "uses"), decisions)
    _bulk_insert(connection, "audit_events", (
        "id", "kind", "decision_id", "run_id", "actor", "at", "outcome", "reason", "prev_hash",
        "hash", "form"), events)
    _move_head(connection, event_id, previous, now)
    return event_id, previous
