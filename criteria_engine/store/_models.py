"""The store's tables as SQLAlchemy 2.0 typed models; migrations/ builds exactly these.

Evidence is written once and never changed: ``decisions`` and ``audit_events``
(and the rule files, nominees, runs and submissions they rest on) are append-only
in the application (mapper events below, and a statement check on every
connection, see :mod:`criteria_engine.store._connect`) and in the database
(triggers created by the migrations). The single mutable row is the chain head,
which is both the writers' lock and the proof that no event was cut off the end.

Row ids of runs, submissions, decisions and events are given by the store while
it holds the chain lock, so a batch can be written with plain ``executemany``.
"""

from __future__ import annotations

import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from criteria_engine.errors import StoreError
from criteria_engine.evaluator import Outcome

__all__ = [
    "APPEND_ONLY_TABLES",
    "OUTCOMES",
    "AchievementUseRow",
    "AuditEvent",
    "Base",
    "ChainHead",
    "DecisionRow",
    "ExactDecimal",
    "NomineeRow",
    "RuleFileRow",
    "Run",
    "Submission",
    "TitleHistoryRow",
]

#: The evaluator's outcomes; the migrations' CHECK constraints list the same (a test says so).
OUTCOMES: tuple[str, ...] = typing.get_args(Outcome)
EVENT_KINDS = ("recorded", "overridden", "annotated", "history_imported")
#: What a title history row is: a past award (``title`` set) or a discipline (``level`` set).
HISTORY_KINDS = ("award", "discipline")
HASH = 64

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal kept as its exact text on every back end (SQLite has no exact numeric)."""

    impl = String(80)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # edited by hand: verify reports it rather than crash
            return Decimal("NaN")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({_quoted(values)})", name=name)


class RuleFileRow(Base):
    """A rule file exactly as it was used; its sha256 (of the UTF-8 bytes) is its key."""

    __tablename__ = "rule_files"

    sha256: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    path: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NomineeRow(Base):
    """A person, collective or household, by the id used in the nominee files."""

    __tablename__ = "nominees"

    nominee_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Run(Base):
    """One recorded batch: who ran which command, when, and what came of it."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    actor: Mapped[str] = mapped_column(String(200))
    command: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    engine_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decisions: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[int] = mapped_column(Integer)
    already_recorded: Mapped[int] = mapped_column(Integer)


class Submission(Base):
    """The facts submitted for a nominee and period, as typed JSON; a new submission
    never overwrites an earlier one."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("nominee_id", "period", "facts_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    nominee_id: Mapped[str] = mapped_column(ForeignKey("nominees.nominee_id"))
    period: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    facts_sha256: Mapped[str] = mapped_column(String(HASH))
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """One nominee judged by one rule file. ``key`` is the idempotency key:
    sha256 of (nominee, period, rule sha256, facts sha256). ``criteria`` holds each
    criterion's result and points as canonical JSON; the values each one used are the
    submission's facts for that criterion's inputs (as the evaluator's
    ``Decision.values_used``), fixed by the facts and the rule text, both hashed."""

    __tablename__ = "decisions"
    __table_args__ = (_one_of("outcome", OUTCOMES, "outcome"),
                      Index(None, "supersedes", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(HASH), unique=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    rule_sha256: Mapped[str] = mapped_column(ForeignKey("rule_files.sha256"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    points: Mapped[Decimal] = mapped_column(ExactDecimal())
    criteria: Mapped[str] = mapped_column(Text)
    engine_version: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: What the decision saw outside its record, as canonical JSON
    #: ``{"cap": …, "derived": […]}`` (see :mod:`._context`); NULL when it saw nothing
    #: (every decision recorded before revision 0004).
    context: Mapped[str | None] = mapped_column(Text)
    #: The nominee's name, unit and subject exactly as this decision's ``recorded`` event
    #: hashed them (revision 0005). The submission row is shared by every decision with the
    #: same nominee, period and facts, and the nominee row keeps the first subject, so a
    #: later correction must not change what an earlier event is verified against.
    #: ``subject`` is never NULL from 0005 on; NULL in all three marks a decision recorded
    #: before, verified from its submission and nominee rows as it always was.
    name: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(20))
    #: Revision 0006 (the second event form, see :mod:`._chain`): the sha256 of what the
    #: decision was judged on (typed facts, names, claimed achievements, rule); NULL marks a
    #: decision recorded before, keyed and verified as it always was.
    content_key: Mapped[str | None] = mapped_column(String(HASH))
    #: The decision this one corrects (same nominee, title and period); each is corrected
    #: at most once, so the corrections form one line and exactly one decision is current.
    supersedes: Mapped[int | None] = mapped_column(Integer)
    #: What the correction changed, canonical JSON (``["facts", "name", …]``); NULL for a
    #: first decision.
    correction: Mapped[str | None] = mapped_column(Text)
    #: The achievements the record claimed, canonical JSON list of ids (``[]`` for none).
    claims: Mapped[str | None] = mapped_column(Text)
    #: The achievements this decision rewards, canonical JSON ``[[id, rank], …]``: what
    #: ``achievement_uses`` must hold for it, checked both ways by ``verify``.
    uses: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """One link of the hash chain: a decision recorded, overridden or annotated, or a
    batch of title history imported (``decision_id`` NULL; the rows are those of
    ``run_id`` in ``title_history``).

    ``prev_hash`` is unique, so the chain cannot fork even if a writer forgot the lock.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        _one_of("kind", EVENT_KINDS, "kind"),
        CheckConstraint(f"outcome IS NULL OR outcome IN ({_quoted(OUTCOMES)})", name="outcome"),
        CheckConstraint("decision_id IS NOT NULL OR kind = 'history_imported'",
                        name="decision"),
        Index(None, "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    hash: Mapped[str] = mapped_column(String(HASH))
    #: 2 for an event of the second form (revision 0006: it also hashes its run's row and,
    #: when recorded, its submission's row); NULL for one written before.
    form: Mapped[int | None] = mapped_column(Integer)


class ChainHead(Base):
    """The single row naming the last event and its hash (``id`` is always 1)."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(HASH))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AchievementUseRow(Base):
    """An achievement rewarded by a recorded ``dat`` decision (Điều 5 khoản 2 điểm c).

    Looked up by ``achievement_id`` when a later decision would reward the same
    achievement; such a decision is recorded as ``trung_thanh_tich`` with an
    ``annotated`` event naming this one.
    """

    __tablename__ = "achievement_uses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    achievement_id: Mapped[str] = mapped_column(String(100), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    nominee_id: Mapped[str] = mapped_column(String(100))
    rule_id: Mapped[str] = mapped_column(String(100))
    rule_version: Mapped[str] = mapped_column(String(64))
    period: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)


class TitleHistoryRow(Base):
    """One imported row of title history: a past award or a discipline of one subject
    (a nominee id), as a history file said it (``tdkt history import``).

    ``key`` is sha256 of the row's content without its source (see :mod:`._history`), so
    importing the same row again adds nothing. The rows of one import share ``run_id``,
    and one ``history_imported`` event in the chain names their sha256.
    """

    __tablename__ = "title_history"
    __table_args__ = (
        _one_of("kind", HISTORY_KINDS, "kind"),
        CheckConstraint("(kind = 'award' AND title IS NOT NULL AND level IS NULL) OR "
                        "(kind = 'discipline' AND title IS NULL AND level IS NOT NULL)",
                        name="shape"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(HASH), unique=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(100))
    period: Mapped[int] = mapped_column(Integer)
    decision_number: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    issuer_level: Mapped[str | None] = mapped_column(String(64))
    achievement: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(64))
    ends: Mapped[date | None] = mapped_column(Date)
    source_name: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


#: Tables whose rows are never updated or deleted, by the application or by hand.
APPEND_ONLY_TABLES = ("rule_files", "nominees", "runs", "submissions", "decisions",
                      "audit_events", "achievement_uses", "title_history")


def _refuse(_mapper: Any, _connection: Any, target: Any) -> None:
    raise StoreError("store.append_only", table=type(target).__tablename__)


for _model in (RuleFileRow, NomineeRow, Run, Submission, DecisionRow, AuditEvent,
               AchievementUseRow, TitleHistoryRow):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
