"""A writer of FIRST-form records, as tdkt wrote them before revision 0006 (tests only).

A store written by an older tdkt holds ``recorded`` events without ``form`` and decisions
keyed by the sha256 of the facts *as spelled* (:func:`idempotency_key`); tdkt itself now
writes only the second form, and revision 0006 refuses to go down while a second-form row
exists. To test the older migrations and ``verify``'s first-form path, the tests make an
empty store, take it down to the revision they need, and write first-form rows here.

The rows are what ``Store.record`` / ``Store.override`` wrote at commit d38cd50
(``_write``, ``_write_achievements``, ``_event``), assembled with the library's generic
encoders (:func:`decision_content` without ``second``, :func:`event_content` without
``form``) instead of its batch templates: one transaction, plain SQL through SQLAlchemy,
only the columns the database has at its current revision (``decisions.context`` from
0004, ``name``/``unit``/``subject`` from 0005; every 0006 column left NULL). The
append-only triggers allow these INSERTs, and the chain head allows its UPDATE::

    Store.open(db).close()            # a store at head (SQLite: the file is created)
    downgrade(db, "0004")             # empty: nothing refuses
    written = record_first_form(db, decisions, nominees=nominees)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Date, DateTime, create_engine, inspect, text

from criteria_engine._version import __version__
from criteria_engine.achievements import resolve_achievements
from criteria_engine.errors import Location
from criteria_engine.evaluator import AchievementUse, CompiledRule, Decision, evaluate
from criteria_engine.nominees import Nominee, bind_facts
from criteria_engine.report import outcome_reason
from criteria_engine.store import database_url
from criteria_engine.store._canonical import canonical_json, sha256_text, utc_text
from criteria_engine.store._chain import (
    HISTORY_EVENT,
    criteria_content,
    decision_content,
    event_content,
    event_hash,
    history_key,
    history_row_content,
    idempotency_key,
    part_sha256,
)
from criteria_engine.store._context import context_text
from criteria_engine.store._encode import facts_text

__all__ = ["FirstForm", "correct_first_form", "decide", "record_first_form"]


def decide(rule: CompiledRule, nominee: Nominee) -> Decision:
    """One nominee judged by one rule, the rule seeing only its own inputs (the nominee's
    other facts are still what is recorded as submitted)."""
    own = {k: v for k, v in nominee.facts.items() if k in rule.model.inputs}
    bound = bind_facts(rule.model, nominee.model_copy(update={"facts": own}),
                       Location(record=nominee.id))
    return evaluate(rule, bound, nominee_id=nominee.id, period=nominee.period,
                    name=nominee.name, unit=nominee.unit)


@dataclass(frozen=True, slots=True)
class FirstForm:
    """What one :func:`record_first_form` call wrote."""

    run_id: int
    recorded: int
    already_recorded: int
    #: The new decisions' ids, in the order of the decisions given.
    decision_ids: tuple[int, ...]
    last_event_id: int
    head_hash: str
    #: The decisions as recorded (an outcome may have become ``trung_thanh_tich``).
    decisions: tuple[Decision, ...] = ()


@contextmanager
def _transaction(db: str) -> Iterator[Connection]:
    engine = create_engine(database_url(db))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _columns(connection: Connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns(table)}


def _stored(connection: Connection, value: Any, kind: Any) -> Any:
    """A value as its column type stores it (SQLite keeps dates and times as text)."""
    processor = kind.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor is not None else value


def _insert(connection: Connection, table: str, row: Mapping[str, Any], present: set[str],
            *, skip_existing: bool = False) -> None:
    """One row, naming only the columns the table has now. A value for a column the
    schema lacks is refused unless it is None (an older schema cannot hold it)."""
    missing = [name for name, value in row.items() if name not in present and value is not None]
    if missing:
        raise ValueError(f"{table} at this revision has no column for {missing}")
    names = [name for name in row if name in present]
    sql = (f"INSERT INTO {table} ({', '.join(names)}) "
           f"VALUES ({', '.join(':' + name for name in names)})")
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    connection.execute(text(sql), {name: row[name] for name in names})


def _head(connection: Connection) -> tuple[int, str]:
    sql = "SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1"
    if connection.dialect.name == "postgresql":
        sql += " FOR UPDATE"
    row = connection.execute(text(sql)).one()
    return int(row[0]), str(row[1])


def _move_head(connection: Connection, event_id: int, digest: str, stamp: Any) -> None:
    connection.execute(text("UPDATE audit_chain_head SET last_event_id = :id, last_hash = "
                            ":hash, updated_at = :at WHERE id = 1"),
                       {"id": event_id, "hash": digest, "at": stamp})


def _next_id(connection: Connection, table: str) -> int:
    return int(connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}"))
               .scalar_one()) + 1


def _with_derived(submitted: Mapping[str, Any], decision: Decision) -> dict[str, Any]:
    """The submitted facts with each derived input's value as the decision used it (as the
    first form stored them; a self-declared roll-up stays as submitted)."""
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


def _prior_uses(connection: Connection, claimed: set[str]) -> dict[str, list[AchievementUse]]:
    """Every stored use of these achievements (the first form knew no superseding)."""
    prior: dict[str, list[AchievementUse]] = {}
    if not claimed or "achievement_uses" not in inspect(connection).get_table_names():
        return prior
    rows = connection.execute(text(
        "SELECT achievement_id, nominee_id, rule_id, rule_version, period, rank, decision_id "
        "FROM achievement_uses"))
    for achievement_id, nominee_id, rule_id, version, period, rank, decision_id in rows:
        if achievement_id in claimed:
            prior.setdefault(achievement_id, []).append(AchievementUse(
                achievement_id, nominee_id, rule_id, version, period, rank, decision_id))
    return prior


def record_first_form(db: str, decisions: Sequence[Decision], *,
                      nominees: Mapping[str, Nominee] | None = None, actor: str = "thư ký",
                      command: str = "tdkt (before 0006)", source: str | None = None,
                      own_names: bool = True) -> FirstForm:
    """Record ``decisions`` as tdkt did before 0006, at the database's current revision.

    ``nominees`` gives the facts as submitted (else the bound facts are kept), as for
    ``Store.record``. A decision whose first-form key is stored already is skipped.
    ``own_names=False`` leaves a decision's ``name``/``unit``/``subject`` NULL at 0005 or
    later: a row as written before 0005 and upgraded since.
    """
    nominees = nominees or {}
    started = datetime.now(UTC)
    with _transaction(db) as connection:
        decision_columns = _columns(connection, "decisions")
        event_columns = _columns(connection, "audit_events")
        last_id, previous = _head(connection)
        head_before = last_id
        claimed = {a.id for d in decisions for a in getattr(
            nominees.get(d.nominee_id), "achievements", ())}
        resolved = resolve_achievements(list(decisions), nominees,
                                        _prior_uses(connection, claimed)) if claimed else list(
            decisions)
        stored = {row[0] for row in connection.execute(text("SELECT key FROM decisions"))}
        items: list[dict[str, Any]] = []
        for decision in resolved:
            rule = decision.rule
            nominee = nominees.get(decision.nominee_id)
            if nominee is not None:
                submitted: Mapping[str, Any] = nominee.facts
                subject = nominee.subject
            else:
                submitted = {k: v for k, v in decision.facts.items() if v is not None}
                subject = rule.model.subject
            if decision.context:
                submitted = _with_derived(submitted, decision)
            facts = facts_text(submitted)
            facts_sha256 = sha256_text(facts)
            key = idempotency_key(decision.nominee_id, decision.period, rule.sha256,
                                  facts_sha256)
            if key in stored:
                continue
            stored.add(key)
            context = (context_text(decision) if decision.context or decision.cap else None)
            items.append({"decision": decision, "subject": subject, "facts": facts,
                          "facts_sha256": facts_sha256, "key": key, "context": context})

        now = datetime.now(UTC)
        stamp = _stored(connection, now, DateTime(timezone=True))
        at = utc_text(now)
        run_id = _next_id(connection, "runs")
        _insert(connection, "runs", {
            "id": run_id, "actor": actor, "command": command, "source": source,
            "engine_version": __version__,
            "started_at": _stored(connection, started, DateTime(timezone=True)),
            "finished_at": stamp, "decisions": len(resolved), "recorded": len(items),
            "already_recorded": len(resolved) - len(items)}, _columns(connection, "runs"))

        rule_columns = _columns(connection, "rule_files")
        nominee_columns = _columns(connection, "nominees")
        submission_columns = _columns(connection, "submissions")
        for item in items:
            decision = item["decision"]
            rule = decision.rule
            _insert(connection, "rule_files", {
                "sha256": rule.sha256, "rule_id": rule.id, "version": rule.version,
                "title": rule.model.title,
                "effective_from": _stored(connection, rule.model.effective.from_, Date()),
                "effective_to": _stored(connection, rule.model.effective.to, Date()),
                "path": rule.source.path, "text": rule.source.source.raw.decode("utf-8"),
                "first_seen": stamp}, rule_columns, skip_existing=True)
            _insert(connection, "nominees", {
                "nominee_id": decision.nominee_id, "subject": item["subject"],
                "first_seen": stamp}, nominee_columns, skip_existing=True)

        first_decision = decision_id = _next_id(connection, "decisions")
        next_submission = _next_id(connection, "submissions")
        own = own_names and "subject" in decision_columns
        for item in items:
            decision = item["decision"]
            nominee_id, period = decision.nominee_id, decision.period
            submission_id = connection.execute(text(
                "SELECT id FROM submissions WHERE nominee_id = :n AND period = :p "
                "AND facts_sha256 = :f"), {"n": nominee_id, "p": period,
                                            "f": item["facts_sha256"]}).scalar()
            if submission_id is None:
                submission_id = next_submission
                next_submission += 1
                _insert(connection, "submissions", {
                    "id": submission_id, "nominee_id": nominee_id, "period": period,
                    "name": decision.name, "unit": decision.unit, "facts": item["facts"],
                    "facts_sha256": item["facts_sha256"], "run_id": run_id,
                    "submitted_at": stamp}, submission_columns)
            criteria = criteria_content(decision)
            criteria_sha256 = part_sha256(criteria)
            _insert(connection, "decisions", {
                "id": decision_id, "key": item["key"], "submission_id": submission_id,
                "rule_sha256": decision.rule.sha256, "run_id": run_id,
                "outcome": decision.outcome, "points": str(decision.points),
                "criteria": canonical_json(criteria), "engine_version": decision.engine_version,
                "recorded_at": stamp, "context": item["context"],
                "name": decision.name if own else None, "unit": decision.unit if own else None,
                "subject": item["subject"] if own else None}, decision_columns)
            last_id += 1
            content = event_content(
                event_id=last_id, kind="recorded", decision_id=decision_id,
                decision=decision_content(
                    decision_id=decision_id, key=item["key"], nominee_id=nominee_id,
                    subject=item["subject"], period=period, name=decision.name,
                    unit=decision.unit, submission_id=submission_id,
                    facts_sha256=item["facts_sha256"], rule_sha256=decision.rule.sha256,
                    outcome=decision.outcome, points=decision.points,
                    criteria_sha256=criteria_sha256, engine_version=decision.engine_version,
                    run_id=run_id, recorded_at=at,
                    context_sha256=None if item["context"] is None
                    else sha256_text(item["context"])),
                run_id=run_id, actor=actor, at=at, outcome=None, reason=None)
            digest = event_hash(previous, content)
            _insert(connection, "audit_events", {
                "id": last_id, "kind": "recorded", "decision_id": decision_id,
                "run_id": run_id, "actor": actor, "at": stamp, "outcome": None,
                "reason": None, "prev_hash": previous, "hash": digest}, event_columns)
            previous = digest
            decision_id += 1

        # _write_achievements: the uses, and an ``annotated`` event naming the holder of
        # each ``trung_thanh_tich``
        ids = {(item["decision"].rule.id, item["decision"].period,
                item["decision"].nominee_id): first_decision + index
               for index, item in enumerate(items)}
        use_columns = (_columns(connection, "achievement_uses")
                       if "achievement_uses" in inspect(connection).get_table_names() else set())
        next_use = _next_id(connection, "achievement_uses") if use_columns else 1
        for index, item in enumerate(items):
            decision = item["decision"]
            rewards = decision.rule.model.achievements
            for achievement_id in decision.achievements:
                _insert(connection, "achievement_uses", {
                    "id": next_use, "achievement_id": achievement_id,
                    "decision_id": first_decision + index, "nominee_id": decision.nominee_id,
                    "rule_id": decision.rule.id, "rule_version": decision.rule.version,
                    "period": decision.period, "rank": rewards.rank if rewards else 0},
                    use_columns)
                next_use += 1
            if decision.conflict is None:
                continue
            holder = decision.conflict.holder
            if holder.decision_id is None:
                holder = replace(holder, decision_id=ids.get(
                    (holder.rule_id, holder.period, holder.nominee_id)))
                decision = decision._replace(conflict=replace(decision.conflict, holder=holder))
            reason = outcome_reason(decision, "vi")
            last_id += 1
            this = first_decision + index
            content = event_content(event_id=last_id, kind="annotated", decision_id=this,
                                    decision={"id": this, "key": item["key"]}, run_id=run_id,
                                    actor=actor, at=at, outcome=None, reason=reason)
            digest = event_hash(previous, content)
            _insert(connection, "audit_events", {
                "id": last_id, "kind": "annotated", "decision_id": this, "run_id": run_id,
                "actor": actor, "at": stamp, "outcome": None, "reason": reason,
                "prev_hash": previous, "hash": digest}, event_columns)
            previous = digest
        if last_id != head_before:
            _move_head(connection, last_id, previous, stamp)
    return FirstForm(run_id, len(items), len(resolved) - len(items),
                     tuple(range(first_decision, first_decision + len(items))), last_id,
                     previous, tuple(item["decision"] for item in items))


def correct_first_form(db: str, decision_id: int, *, kind: str, reason: str, actor: str,
                       outcome: str | None = None) -> int:
    """An ``overridden`` (with ``outcome``) or ``annotated`` event of the first form on a
    stored decision, as ``Store.override``/``annotate`` wrote it; returns the event id."""
    with _transaction(db) as connection:
        last_id, previous = _head(connection)
        key = connection.execute(text("SELECT key FROM decisions WHERE id = :id"),
                                 {"id": decision_id}).scalar_one()
        now = datetime.now(UTC)
        stamp = _stored(connection, now, DateTime(timezone=True))
        event_id = last_id + 1
        content = event_content(event_id=event_id, kind=kind, decision_id=decision_id,
                                decision={"id": decision_id, "key": key}, run_id=None,
                                actor=actor, at=utc_text(now), outcome=outcome, reason=reason)
        digest = event_hash(previous, content)
        _insert(connection, "audit_events", {
            "id": event_id, "kind": kind, "decision_id": decision_id, "run_id": None,
            "actor": actor, "at": stamp, "outcome": outcome, "reason": reason,
            "prev_hash": previous, "hash": digest}, _columns(connection, "audit_events"))
        _move_head(connection, event_id, digest, stamp)
    return event_id


def import_history_first_form(db: str, subject: str, title: str, period: int, *,
                              actor: str = "lan", source_name: str = "ls.json") -> int:
    """One award row of title history and its ``history_imported`` event of the first form
    (no ``form``, no run sha256), as ``tdkt history import`` wrote it before 0006; returns
    the event id. The store must be at 0004 or later (``title_history`` exists)."""
    with _transaction(db) as connection:
        last_id, previous = _head(connection)
        now = datetime.now(UTC)
        stamp = _stored(connection, now, DateTime(timezone=True))
        run_id = _next_id(connection, "runs")
        _insert(connection, "runs", {
            "id": run_id, "actor": actor, "command": "tdkt history import",
            "source": source_name, "engine_version": "legacy", "started_at": stamp,
            "finished_at": stamp, "decisions": 1, "recorded": 1, "already_recorded": 0},
            _columns(connection, "runs"))
        row_id = _next_id(connection, "title_history")
        key = history_key(subject=subject, kind="award", title=title, period=period,
                          decision_number=None, decided_on=None, issuer_level=None,
                          achievement=None, level=None, ends=None)
        row = SimpleNamespace(
            id=row_id, key=key, subject=subject, kind="award", title=title, period=period,
            decision_number=None, decided_on=None, issuer_level=None, achievement=None,
            level=None, ends=None, source_name=source_name, run_id=run_id, recorded_at=now,
            actor=actor)
        _insert(connection, "title_history", {**vars(row), "recorded_at": stamp},
                _columns(connection, "title_history"))
        rows_sha256 = sha256_text(canonical_json([history_row_content(row)]))
        event_id = last_id + 1
        content = event_content(event_id=event_id, kind=HISTORY_EVENT, decision_id=None,
                                decision=None, run_id=run_id, actor=actor, at=utc_text(now),
                                outcome=None, reason=None,
                                history={"rows": 1, "rows_sha256": rows_sha256})
        digest = event_hash(previous, content)
        _insert(connection, "audit_events", {
            "id": event_id, "kind": HISTORY_EVENT, "decision_id": None, "run_id": run_id,
            "actor": actor, "at": stamp, "outcome": None, "reason": None,
            "prev_hash": previous, "hash": digest}, _columns(connection, "audit_events"))
        _move_head(connection, event_id, digest, stamp)
    return event_id
