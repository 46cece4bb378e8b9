"""The decision store: every recorded decision, its evidence, and a hash-chained audit trail.

SQLite (a file, ``tdkt.db`` by default) or PostgreSQL (``postgresql+psycopg://…``),
the same Alembic migrations for both. This package is the only place that knows
SQL; the evaluator never imports it. Each function below opens the store, does
one thing and closes it, so the command line stays one call per command::

    >>> from criteria_engine.store import record_report, verify    # doctest: +SKIP
    >>> record_report("tdkt.db", report, actor="lan", command="tdkt evaluate …")
    >>> verify("tdkt.db").ok
    True

Title history (:func:`import_history`, :func:`load_history`) lives here too: imported
rows in the audit chain, merged with the store's own awarded decisions, the store
winning (see :mod:`criteria_engine.store._history`).

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

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from criteria_engine.errors import StoreError as _StoreError
from criteria_engine.errors import StoreUsageError as _StoreUsageError
from criteria_engine.history import History as _History
from criteria_engine.store import _checkpoint
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
from criteria_engine.store._checkpoint import (
    CheckedCheckpoint,
    CheckpointReport,
    ReceiptCheck,
    ReceiptError,
    check_receipt,
    dump_checkpoint,
    dump_receipt,
    generate_key,
    load_private_key,
    load_public_key,
    read_receipt,
)
from criteria_engine.store._connect import DEFAULT_DATABASE, database_url
from criteria_engine.store._connect import connect_engine as _connect_engine
from criteria_engine.store._connect import describe as _describe
from criteria_engine.store._connect import sqlite_folder as _sqlite_folder
from criteria_engine.store._connect import sqlite_missing as _sqlite_missing
from criteria_engine.store._connect import store_errors as _store_errors
from criteria_engine.store._context import context_content, parse_context
from criteria_engine.store._history import HistoryConflict, HistoryImport
from criteria_engine.store._history import _conflicts as _history_conflicts
from criteria_engine.store._history import import_history as _import_history
from criteria_engine.store._history import load_history as _load_history
from criteria_engine.store._models import APPEND_ONLY_TABLES, Base
from criteria_engine.store._roles import RoleGrant
from criteria_engine.store._roles import grant_app_role as _grant_app_role
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
    "CheckedCheckpoint",
    "CheckpointReport",
    "Citation",
    "CriterionRecord",
    "DecisionRecord",
    "EventRecord",
    "ExportFormat",
    "Finding",
    "HistoryConflict",
    "HistoryImport",
    "Migration",
    "Progress",
    "ReceiptCheck",
    "ReceiptError",
    "RecordSummary",
    "Revision",
    "RoleGrant",
    "Store",
    "StreamRecorder",
    "VerifyReport",
    "annotate",
    "audit_log",
    "canonical_json",
    "check_receipt",
    "check_recording",
    "checkpoint",
    "context_content",
    "current_revision",
    "database_url",
    "downgrade",
    "dump_checkpoint",
    "dump_receipt",
    "export_audit",
    "generate_key",
    "grant_app_role",
    "head_revision",
    "history_conflicts",
    "import_history",
    "judge_against_store",
    "load_history",
    "load_private_key",
    "load_public_key",
    "override",
    "parse_context",
    "read_receipt",
    "receipt",
    "record_report",
    "show_decision",
    "upgrade",
    "verify",
    "verify_checkpoints",
]

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from criteria_engine.batch import BatchReport
    from criteria_engine.evaluator import Decision
    from criteria_engine.history import History, HistoryEntry

#: Where the store is: a SQLite path or a URL; ``None`` means ``tdkt.db`` here.
Database = str | Path | None


@dataclass(frozen=True, slots=True)
class Migration:
    """What ``tdkt db upgrade/downgrade`` did, and where a SQLite file was copied first."""

    database: str
    before: Revision
    after: Revision
    backup: Path | None
    #: A forced downgrade: ``backup`` holds every tdkt table (``backup_rows`` rows).
    forced: bool = False
    backup_rows: int = 0
    backup_tables: int = 0


def record_report(db: Database, report: BatchReport, *, actor: str, command: str
                  ) -> RecordSummary:
    """Record every decision of an evaluated file (one transaction; already stored ones skipped)."""
    with Store.open(db) as store:
        return store.record_report(report, actor=actor, command=command)


def import_history(db: Database, entries: Iterable[HistoryEntry], *, actor: str,
                   source_name: str) -> HistoryImport:
    """Append title history rows to the store, as one ``history_imported`` event in the
    audit chain; rows already stored are counted ``unchanged`` and not added again.

    ``conflicts`` lists the imported award rows the store contradicts (its decision for
    that subject, title and period is not ``dat``); they are stored, but
    :func:`load_history` leaves them out. A new store is created where none exists.
    """
    with Store.open(db) as store:
        return _import_history(store, entries, actor=actor, source_name=source_name)


def history_conflicts(db: Database, entries: Iterable[HistoryEntry]) -> list[HistoryConflict]:
    """The award rows of ``entries`` that the store contradicts (its latest decision for
    that subject, title and period, overrides applied, is not ``dat``), without storing
    anything: a history file used for one run (``evaluate --period --history``) is held
    to the store the way an import is. A SQLite file that does not exist contradicts
    nothing."""
    if _sqlite_missing(database_url(db)):
        return []
    with Store.open(db, create=False) as store, store._reading() as connection:
        return _history_conflicts(connection, entries)


def load_history(db: Database, subjects: Collection[str] | None = None
                 ) -> tuple[History, list[HistoryConflict]]:
    """The title history of ``subjects`` (everyone when None): imported rows and the
    store's ``dat`` decisions, the store winning; with the imported rows it contradicts.

    One query per table, whatever the number of subjects. A SQLite file that does not
    exist yet has no history (it is not created).
    """
    url = database_url(db)
    if _sqlite_missing(url):
        return _History(), []
    with Store.open(db, create=False) as store:
        return _load_history(store, subjects)


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


def checkpoint(db: Database, key: Ed25519PrivateKey) -> dict[str, Any]:
    """A signed checkpoint of the whole audit log (see :mod:`._checkpoint`): a small JSON
    object for the council to publish or file with its minutes."""
    with Store.open(db, create=False) as store, store._reading() as connection:
        return _checkpoint.checkpoint(connection, key)


def verify_checkpoints(db: Database, files: Iterable[Path], public_key: Ed25519PublicKey
                       ) -> CheckpointReport:
    """Show the current log extends every checkpoint file (signature, size, root and a
    consistency proof); each that does not is a :class:`Finding`. A missing or unreadable
    file is an error, raised before the store is read."""
    heads = list(_checkpoint.iter_heads(files))
    with Store.open(db, create=False) as store, store._reading() as connection:
        return _checkpoint.verify_checkpoints(connection, heads, public_key)


def receipt(db: Database, decision_id: int, *, key: Ed25519PrivateKey | None = None,
            checkpoint_file: Path | None = None) -> dict[str, Any]:
    """A decision's receipt: its ``recorded`` event as exported, an inclusion proof and a
    signed checkpoint, made now with ``key`` or read from ``checkpoint_file``; checkable
    with :func:`check_receipt` and the public key alone."""
    _known_id(decision_id)
    if (key is None) == (checkpoint_file is None):
        raise _StoreUsageError("checkpoint.receipt_needs_head")
    head = None if checkpoint_file is None else _checkpoint.read_checkpoint(checkpoint_file)
    with Store.open(db, create=False) as store, store._reading() as connection:
        return _checkpoint.receipt(connection, decision_id, key=key, head=head,
                                   head_name=str(checkpoint_file or ""))


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


def downgrade(db: Database, revision: str, *, force: bool = False,
              backup: str | Path | None = None) -> Migration:
    """Move the schema down to ``revision`` (``-1``, ``base``, ``0005``…).

    A step that would drop rows (``base`` erases the store; below 0002 the achievement
    uses) refuses unless ``force``; forced, every tdkt table is first written to a backup
    (``backup``, else a file named after the store), named in the result.
    """
    return _migrate(db, revision, down=True, force=force,
                    backup=Path(backup) if backup is not None else None)


def grant_app_role(db: Database, role: str, *, login: bool = False) -> RoleGrant:
    """Give a PostgreSQL role exactly what the application needs (run as the owner).

    SELECT and INSERT on every tdkt table, UPDATE on ``audit_chain_head`` only, USAGE on
    the schema; the role is created (NOLOGIN unless ``login``) when missing. On SQLite it
    raises :class:`~criteria_engine.errors.StoreUsageError` saying what protects a file.
    """
    url = database_url(db)
    engine = _connect_engine(url)
    try:
        with _store_errors(url):
            return _grant_app_role(engine, role, login=login)
    finally:
        engine.dispose()


def _migrate(db: Database, revision: str, *, down: bool, force: bool = False,
             backup: Path | None = None) -> Migration:
    url = database_url(db)
    engine = _connect_engine(url)
    try:
        with _store_errors(url):
            before, after, copy = _migrate_engine(engine, revision, down=down, force=force,
                                                  backup_to=backup)
    finally:
        engine.dispose()
    return Migration(_describe(url), before, after, copy.path if copy else None,
                     forced=force and down and copy is not None,
                     backup_rows=copy.rows if copy else 0,
                     backup_tables=copy.tables if copy else 0)
