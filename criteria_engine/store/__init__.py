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
upgrade``), an unknown decision id. What the user typed and tdkt cannot use is a
:class:`~criteria_engine.errors.StoreUsageError`: a malformed ``--db``, another
database or driver, SQLite in memory, an existing file that is not a tdkt store
(a new store is created only where no file exists), an actor or note holding
characters that would make the log display misleadingly. No driver exception
(SQLAlchemy, psycopg, sqlite3) leaves this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from criteria_engine.errors import StoreError as _StoreError
from criteria_engine.store._audit import (
    CSV_COLUMNS,
    VERIFY_STAGES,
    Citation,
    CriterionRecord,
    DecisionRecord,
    EventRecord,
    ExportFormat,
    Finding,
    Progress,
    VerifyReport,
)
from criteria_engine.store._audit import MAX_ROW_ID as _MAX_ROW_ID
from criteria_engine.store._canonical import GENESIS_HASH, canonical_json
from criteria_engine.store._chain import check_event_text as _check_event_text
from criteria_engine.store._connect import DEFAULT_DATABASE, database_url
from criteria_engine.store._connect import connect_engine as _connect_engine
from criteria_engine.store._connect import describe as _describe
from criteria_engine.store._connect import sqlite_folder as _sqlite_folder
from criteria_engine.store._connect import sqlite_missing as _sqlite_missing
from criteria_engine.store._connect import store_errors as _store_errors
from criteria_engine.store._models import APPEND_ONLY_TABLES, Base
from criteria_engine.store._schema import MIGRATIONS, Revision, head_revision
from criteria_engine.store._schema import migrate as _migrate_engine
from criteria_engine.store._schema import revision_status as _revision_status
from criteria_engine.store._store import RecordSummary, Store
from criteria_engine.store._stream import RECORD_BATCH, StreamRecorder

__all__ = [
    "APPEND_ONLY_TABLES",
    "CSV_COLUMNS",
    "DEFAULT_DATABASE",
    "GENESIS_HASH",
    "MIGRATIONS",
    "RECORD_BATCH",
    "VERIFY_STAGES",
    "Base",
    "Citation",
    "CriterionRecord",
    "DecisionRecord",
    "EventRecord",
    "ExportFormat",
    "Finding",
    "Migration",
    "Progress",
    "RecordSummary",
    "Revision",
    "Store",
    "StreamRecorder",
    "VerifyReport",
    "annotate",
    "audit_log",
    "canonical_json",
    "check_recording",
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


def check_recording(db: Database, *, actor: str) -> None:
    """Everything ``record_report`` could refuse that does not depend on the decisions,
    checked before a long evaluation starts: the actor's name, the ``--db`` address, and
    an existing store (reachable, a tdkt store, at the head revision). A missing SQLite
    file is not created here, only its folder checked."""
    _check_event_text(actor, "actor")
    url = database_url(db)
    if _sqlite_missing(url):
        _sqlite_folder(url)
        return
    Store.open(db).close()


def override(db: Database, decision_id: int, *, outcome: str, reason: str, actor: str) -> int:
    """Correct a decision's outcome by a new ``overridden`` event (never an edit)."""
    _known_id(decision_id)
    with Store.open(db, create=False) as store:
        return store.override(decision_id, outcome=outcome, reason=reason, actor=actor)


def annotate(db: Database, decision_id: int, *, note: str, actor: str) -> int:
    """Attach a note (a council's remark, a document number) as a new ``annotated`` event."""
    _known_id(decision_id)
    with Store.open(db, create=False) as store:
        return store.annotate(decision_id, note=note, actor=actor)


def judge_against_store(db: Database, report: BatchReport) -> list[Decision]:
    """The decisions of ``report`` as the store would record them, without recording."""
    with Store.open(db, create=False) as store:
        return store.judge_against_store(report)


def verify(db: Database, *, progress: Progress | None = None) -> VerifyReport:
    """Recompute the hash chain and replay every stored decision with the current engine.

    ``progress(stage, done, total)`` is called as each stage advances (a progress bar
    is the caller's business: the library prints nothing).
    """
    with Store.open(db, create=False) as store:
        return store.verify(progress=progress)


def show_decision(db: Database, decision_id: int) -> DecisionRecord:
    _known_id(decision_id)
    with Store.open(db, create=False) as store:
        return store.show(decision_id)


def audit_log(db: Database, *, nominee: str | None = None, since: date | None = None
              ) -> list[EventRecord]:
    with Store.open(db, create=False) as store:
        return store.log(nominee=nominee, since=since)


def export_audit(db: Database, out: TextIO, *, format: ExportFormat = "jsonl") -> int:
    with Store.open(db, create=False) as store:
        return store.export(out, format=format)


def _known_id(decision_id: int) -> None:
    """An id no row can have (beyond 64 bits, or not positive) is simply not found."""
    if not 0 < decision_id <= _MAX_ROW_ID:
        raise _StoreError("store.decision_not_found", decision_id=decision_id)


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
