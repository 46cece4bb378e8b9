"""The decision store: every recorded decision, its evidence, and a hash-chained audit trail.

SQLite (a file, ``tdkt.db`` by default) or PostgreSQL (``postgresql+psycopg://…``),
the same Alembic migrations for both. This package is the only place that knows
SQL; the evaluator never imports it. Each function below opens the store, does
one thing and closes it, so the command line stays one call per command::

    >>> from criteria_engine.store import record_report, verify    # doctest: +SKIP
    >>> record_report("tdkt.db", report, actor="lan", command="tdkt evaluate …")
    >>> verify("tdkt.db").ok
    True

Errors are :class:`~criteria_engine.errors.StoreError`: an unreachable server (one
line naming host and port), a database at another revision (run ``tdkt db
upgrade``), an unknown decision id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from criteria_engine.store._audit import (
    CSV_COLUMNS,
    Citation,
    CriterionRecord,
    DecisionRecord,
    EventRecord,
    ExportFormat,
    Finding,
    VerifyReport,
)
from criteria_engine.store._canonical import GENESIS_HASH, canonical_json
from criteria_engine.store._connect import DEFAULT_DATABASE, database_url
from criteria_engine.store._connect import connect_engine as _connect_engine
from criteria_engine.store._connect import describe as _describe
from criteria_engine.store._connect import sqlite_missing as _sqlite_missing
from criteria_engine.store._connect import store_errors as _store_errors
from criteria_engine.store._models import APPEND_ONLY_TABLES, Base
from criteria_engine.store._schema import MIGRATIONS, Revision, head_revision
from criteria_engine.store._schema import migrate as _migrate_engine
from criteria_engine.store._schema import revision_status as _revision_status
from criteria_engine.store._store import RecordSummary, Store

__all__ = [
    "APPEND_ONLY_TABLES",
    "CSV_COLUMNS",
    "DEFAULT_DATABASE",
    "GENESIS_HASH",
    "MIGRATIONS",
    "Base",
    "Citation",
    "CriterionRecord",
    "DecisionRecord",
    "EventRecord",
    "ExportFormat",
    "Finding",
    "Migration",
    "RecordSummary",
    "Revision",
    "Store",
    "VerifyReport",
    "annotate",
    "audit_log",
    "canonical_json",
    "current_revision",
    "database_url",
    "downgrade",
    "export_audit",
    "head_revision",
    "judge_against_store",
    "override",
    "record_report",
    "show_decision",
    "upgrade",
    "verify",
]

if TYPE_CHECKING:
    from criteria_engine.batch import BatchReport
    from criteria_engine.evaluator import Decision

#: Where the store is: a SQLite path or a URL; ``None`` means ``tdkt.db`` here.
Database = str | Path | None


@dataclass(frozen=True, slots=True)
class Migration:
    """What ``tdkt db upgrade/downgrade`` did, and where a SQLite file was copied first."""

    database: str
    before: Revision
    after: Revision
    backup: Path | None


def record_report(db: Database, report: BatchReport, *, actor: str, command: str
                  ) -> RecordSummary:
    """Record every decision of an evaluated file (one transaction; already stored ones skipped)."""
    with Store.open(db) as store:
        return store.record_report(report, actor=actor, command=command)


def override(db: Database, decision_id: int, *, outcome: str, reason: str, actor: str) -> int:
    """Correct a decision's outcome by a new ``overridden`` event (never an edit)."""
    with Store.open(db, create=False) as store:
        return store.override(decision_id, outcome=outcome, reason=reason, actor=actor)


def annotate(db: Database, decision_id: int, *, note: str, actor: str) -> int:
    """Attach a note (a council's remark, a document number) as a new ``annotated`` event."""
    with Store.open(db, create=False) as store:
        return store.annotate(decision_id, note=note, actor=actor)


def judge_against_store(db: Database, report: BatchReport) -> list[Decision]:
    """The decisions of ``report`` as the store would record them, without recording."""
    with Store.open(db, create=False) as store:
        return store.judge_against_store(report)


def verify(db: Database) -> VerifyReport:
    """Recompute the hash chain and replay every stored decision with the current engine."""
    with Store.open(db, create=False) as store:
        return store.verify()


def show_decision(db: Database, decision_id: int) -> DecisionRecord:
    with Store.open(db, create=False) as store:
        return store.show(decision_id)


def audit_log(db: Database, *, nominee: str | None = None, since: date | None = None
              ) -> list[EventRecord]:
    with Store.open(db, create=False) as store:
        return store.log(nominee=nominee, since=since)


def export_audit(db: Database, out: TextIO, *, format: ExportFormat = "jsonl") -> int:
    with Store.open(db, create=False) as store:
        return store.export(out, format=format)


def current_revision(db: Database) -> tuple[str, Revision]:
    """The database (for messages) and where it stands against this tdkt's migrations."""
    url = database_url(db)
    if _sqlite_missing(url):
        return _describe(url), Revision(current=None, head=head_revision(), known=True,
                                       empty=True)
    engine = _connect_engine(url)
    try:
        with _store_errors(url):
            return _describe(url), _revision_status(engine)
    finally:
        engine.dispose()


def upgrade(db: Database, revision: str = "head") -> Migration:
    return _migrate(db, revision, down=False)


def downgrade(db: Database, revision: str) -> Migration:
    return _migrate(db, revision, down=True)


def _migrate(db: Database, revision: str, *, down: bool) -> Migration:
    url = database_url(db)
    engine = _connect_engine(url)
    try:
        with _store_errors(url):
            before, after, backup = _migrate_engine(engine, revision, down=down)
    finally:
        engine.dispose()
    return Migration(_describe(url), before, after, backup)
