"""Schema revisions: Alembic driven from code, and the check made before any use.

Like JupyterHub, the store refuses to work on a database at another revision and
says which command fixes it; a SQLite file is copied aside before it is migrated. The
Alembic configuration is built here, pointing at the repository's ``migrations/``
folder, so ``tdkt db upgrade`` works from any directory.

Only a SQLite file that does not exist yet is created at head on first use (the
zero-set-up demo, :func:`create_sqlite`). An existing database without the tdkt schema,
an empty PostgreSQL database or schema, or a store emptied by ``tdkt db downgrade base``,
is never given one silently: writing into it would start a new chain that nobody asked
for. Its owner runs ``tdkt db upgrade``.

A downgrade that would drop rows (0001's tables, 0002's achievement uses) refuses unless
forced; forced, it first writes a backup (:func:`write_backup`) on either back end, and the
migrations ask :func:`downgrade_forced` before dropping. A PostgreSQL backup is a zip of
one CSV file per table (``COPY … TO STDOUT``, with a header) in the order the tables
reference each other, ``manifest.json`` (revision, tables, row counts, sha256 of each
file) and ``restore.psql``, which loads it into a store made by ``tdkt db upgrade
REVISION`` on an empty database: unzip, then ``psql -d NEW -f restore.psql`` in that
folder.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import secrets
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from criteria_engine._version import __version__
from criteria_engine.errors import Location, StoreError, StoreUsageError
from criteria_engine.messages import both
from criteria_engine.store._connect import WRITE, connect_engine, describe, store_errors, why
from criteria_engine.store._models import Base

__all__ = [
    "FORCE",
    "MIGRATIONS",
    "Backup",
    "Revision",
    "alembic_config",
    "create_sqlite",
    "downgrade_forced",
    "ensure_current",
    "head_revision",
    "migrate",
    "revision_status",
    "write_backup",
]

#: The Alembic scripts; env.py there targets :data:`Base.metadata`.
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
#: Any number: PostgreSQL writers creating or migrating the schema take this lock.
_SCHEMA_LOCK = 7_240_301
#: The Alembic configuration attribute a forced downgrade sets (see :func:`downgrade_forced`).
FORCE = "tdkt_force"


@dataclass(frozen=True, slots=True)
class Backup:
    """A copy of every tdkt table written before a forced downgrade."""

    path: Path
    rows: int
    tables: int


@dataclass(frozen=True, slots=True)
class Revision:
    """Where a database stands: its revision, the head, and whether this tdkt knows it."""

    current: str | None
    head: str
    known: bool
    empty: bool

    @property
    def at_head(self) -> bool:
        return self.current == self.head


def alembic_config(url: URL, connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code (``alembic.ini`` is only for developers)."""
    if not (MIGRATIONS / "env.py").is_file():
        raise StoreError("store.no_migrations", path=str(MIGRATIONS))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url",
                           url.render_as_string(hide_password=False).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config(URL.create("sqlite"))).get_current_head()
    assert head is not None, "migrations/versions has no revision"
    return head


def _status(connection: Connection) -> Revision:
    script = ScriptDirectory.from_config(alembic_config(connection.engine.url))
    current = MigrationContext.configure(connection).get_current_revision()
    head = script.get_current_head() or ""
    known = True
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except CommandError:
            known = False
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return Revision(current=current, head=head, known=known,
                    empty=current is None and not (tables & set(Base.metadata.tables)))


def revision_status(engine: Engine) -> Revision:
    with engine.connect() as connection:
        return _status(connection)


def _lock_schema(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})


def _refusal(status: Revision, where: Location) -> StoreError:
    if status.current is None:
        return StoreError("store.not_tdkt", where)
    if not status.known:
        return StoreError("store.unknown_revision", where, current=status.current,
                          version=__version__)
    return StoreError("store.needs_upgrade", where, current=status.current, head=status.head)


def ensure_current(engine: Engine) -> Revision:
    """Check the database is at head.

    Raises :class:`StoreError` telling the user to run ``tdkt db upgrade`` (a database
    behind, or one with no tdkt schema at all), or that the database is newer than this
    tdkt, or that it is not a tdkt database. A database that exists is never given a
    schema here (only :func:`create_sqlite` makes a store, where no file exists), so a
    record into the wrong database never quietly starts a new chain.
    """
    status = revision_status(engine)
    if status.at_head:
        return status
    if status.empty:
        raise StoreError("store.no_schema", _where(engine.url), database=describe(engine.url))
    raise _refusal(status, _where(engine.url))


def _create_at_head(engine: Engine) -> None:
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        _lock_schema(connection)
        if _status(connection).empty:
            command.upgrade(alembic_config(engine.url, connection), "head")


def create_sqlite(url: URL) -> None:
    """Create a SQLite store at head where no file exists yet, atomically.

    The store is built under a temporary name in the same folder and hard-linked
    into place, which fails if the file appeared meanwhile: no process ever sees a
    half-made (empty) store, and an existing file, another tdkt's or anyone's, is
    never written to. When two processes race, the loser's copy is discarded and
    both use the winner's.
    """
    target = Path(str(url.database))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        engine = connect_engine(url.set(database=str(temporary)))
    except StoreError as error:  # named by the file the user asked for, not the temporary
        raise error.at(Location(path=str(target))) from None
    try:
        with store_errors(url):
            _create_at_head(engine)
            ensure_current(engine)
        engine.dispose()
        try:
            os.link(temporary, target)
        except FileExistsError:
            pass  # another process created the store first: use it
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(temporary, target)
    finally:
        engine.dispose()
        temporary.unlink(missing_ok=True)


def migrate(engine: Engine, revision: str, *, down: bool, force: bool = False,
            backup_to: Path | None = None) -> tuple[Revision, Revision, Backup | None]:
    """Run ``alembic upgrade/downgrade revision``; returns (before, after, backup).

    A SQLite file is always copied first (the copy is kept only if the revision moved).
    ``force`` lets a downgrade drop rows (checked here for the published migrations that
    drop tables, :data:`_DROPS_TABLES`; later ones ask :func:`downgrade_forced`),
    and writes a backup first on either back end, to ``backup_to`` or next to the
    SQLite file / in the working directory; it is kept, and named in the result.
    """
    before = revision_status(engine)
    if not before.known:
        raise _refusal(before, _where(engine.url))
    if not before.empty and before.current is None:
        raise _refusal(before, _where(engine.url))
    forced = down and force
    if forced and backup_to is not None and backup_to.exists():
        raise StoreUsageError("store.backup_exists", path=str(backup_to))
    backup = None
    with engine.connect().execution_options(**{WRITE: True}) as connection, \
            _foreign_keys_off(connection), connection.begin():
        _lock_schema(connection)
        config = alembic_config(engine.url, connection)
        config.attributes[FORCE] = forced
        try:
            if down and not forced and before.current is not None:
                _refuse_dropping_rows(connection, config, before.current, revision)
            if before.current is not None and (forced or
                                                engine.url.get_backend_name() == "sqlite"):
                backup = write_backup(connection, before.current, backup_to)
            if down:
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)
        except CommandError as error:
            if backup is not None:
                backup.path.unlink(missing_ok=True)
            raise StoreError("store.bad_revision", revision=revision,
                             problem=_revision_problem(error)) from None
        except BaseException:
            if backup is not None:  # nothing changed: the copy is not needed
                backup.path.unlink(missing_ok=True)
            raise
    after = revision_status(engine)
    if backup is not None and after.current == before.current:
        backup.path.unlink(missing_ok=True)
        backup = None
    return before, after, backup


#: Applied revisions whose downgrade drops whole tables: stepping below one while those
#: tables hold rows erases them (and ``downgrade -1 && upgrade`` would bring them back
#: empty), so :func:`migrate` refuses unless forced, which writes a backup first. Checked
#: here rather than in the migrations, which were published and are never edited; a
#: migration added later checks its own (with :func:`downgrade_forced`).
_DROPS_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "0002": ("store.downgrade_uses", ("achievement_uses",)),
    "0001": ("store.downgrade_erases", ("rule_files", "nominees", "runs", "submissions",
                                        "decisions", "audit_events")),
}


def _refuse_dropping_rows(connection: Connection, config: Config, current: str,
                          target: str) -> None:
    """Refuse a downgrade from ``current`` to ``target`` that would drop a table of
    :data:`_DROPS_TABLES` holding rows (checked in the order the steps would run). A
    target Alembic cannot resolve is left for the downgrade itself to report."""
    script = ScriptDirectory.from_config(config)
    try:
        # the steps ``command.downgrade`` itself will run (the public iterate_revisions
        # reads a relative target such as ``-1`` from head, not from the current revision)
        undone = [step.revision for step in script._downgrade_revs(target, current)]
    except (CommandError, RevisionError):
        return
    for migration in undone:
        drops = _DROPS_TABLES.get(migration.revision)
        if drops is None:
            continue
        key, tables = drops
        rows = sum(int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                   for table in tables)
        if rows:
            below = migration.down_revision
            raise StoreError(key, count=rows, revision=below if isinstance(below, str)
                             else "base")


def downgrade_forced() -> bool:
    """Whether the running downgrade was forced (``tdkt db downgrade --force``).

    Called inside a migration's ``downgrade()``: one that would drop rows refuses unless
    this is true. Outside a migration run (or when Alembic is driven by hand) it is
    false.
    """
    from alembic import context

    try:
        attributes = context.config.attributes
    except (AttributeError, NameError):
        return False
    return bool(attributes.get(FORCE, False))


def write_backup(connection: Connection, revision: str, path: Path | None = None) -> Backup:
    """Every tdkt table as it stands, before a migration; the file is never overwritten.

    SQLite: a consistent copy of the database file through SQLite's online backup (a
    plain file copy would miss what the WAL holds), by default ``FILE.REVISION.STAMP.bak``
    next to it. PostgreSQL: a zip (see the module docstring), by default
    ``tdkt-backup-DATABASE-REVISION-STAMP.zip`` in the working directory. Both readable by
    their owner only.
    """
    url = connection.engine.url
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    tables = _present_tables(connection)
    if url.get_backend_name() == "sqlite":
        source = Path(str(url.database))
        target = path or source.with_name(f"{source.name}.{revision}.{stamp}.bak")
        _exclusive(target).close()
        try:
            with contextlib.closing(sqlite3.connect(source)) as reading, \
                    contextlib.closing(sqlite3.connect(target)) as copy:
                reading.backup(copy)
        except (OSError, sqlite3.Error) as error:
            target.unlink(missing_ok=True)
            raise StoreError("store.backup_failed", path=str(target), reason=why(error)) from None
        rows = sum(int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
                   for table in tables)
        return Backup(target, rows, len(tables))
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in url.database or "tdkt")
    target = path or Path.cwd() / f"tdkt-backup-{name}-{revision}-{stamp}.zip"
    handle = _exclusive(target)
    try:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            rows = _zip_tables(connection, archive, tables, revision)
    except BaseException as error:
        handle.close()
        target.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise StoreError("store.backup_failed", path=str(target), reason=why(error)) from None
        raise
    handle.close()
    return Backup(target, rows, len(tables))


def _exclusive(path: Path) -> io.BufferedWriter:
    """A new file readable by its owner only; an existing one is refused, never replaced."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StoreUsageError("store.backup_exists", path=str(path)) from None
    except OSError as error:
        raise StoreError("store.backup_failed", path=str(path), reason=why(error)) from None
    return os.fdopen(descriptor, "wb")


def _present_tables(connection: Connection) -> list[str]:
    """The tdkt tables this database has, parents before the tables pointing at them."""
    present = set(inspect(connection).get_table_names())
    ordered = [table.name for table in Base.metadata.sorted_tables if table.name in present]
    return ordered + (["alembic_version"] if "alembic_version" in present else [])


def _zip_tables(connection: Connection, archive: zipfile.ZipFile, tables: list[str],
                revision: str) -> int:
    driver = connection.connection.driver_connection
    assert driver is not None
    manifest: dict[str, object] = {"format": "tdkt-postgresql-backup/1", "revision": revision,
                                   "database": describe(connection.engine.url),
                                   "tdkt": __version__, "tables": []}
    total = 0
    for table in tables:
        buffer = bytearray()
        with driver.cursor() as cursor, cursor.copy(
                f'COPY (SELECT * FROM "{table}" ORDER BY 1) TO STDOUT '
                "WITH (FORMAT csv, HEADER true)") as copy:
            for chunk in copy:
                buffer += chunk
        data = bytes(buffer)
        count = max(sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1, 0)
        total += count
        archive.writestr(f"{table}.csv", data)
        tables_list = manifest["tables"]
        assert isinstance(tables_list, list)
        tables_list.append({"table": table, "file": f"{table}.csv", "rows": count,
                            "sha256": hashlib.sha256(data).hexdigest()})
        if table == "audit_chain_head":
            head = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            manifest["chain_head"] = head[0] if head else None
    archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    archive.writestr("restore.psql", _restore_script(manifest))
    return total


def _restore_script(manifest: dict[str, object]) -> str:
    """psql commands loading the CSV files into a store made by ``tdkt db upgrade REVISION``
    on an empty database (which already has its chain head row and its revision)."""
    lines = [f"-- Restore of a tdkt store at revision {manifest['revision']}.",
             f"-- First: tdkt db upgrade {manifest['revision']} --db <the new, empty database>",
             "-- Then, in the folder holding these files: psql -d <it> -f restore.psql",
             "\\set ON_ERROR_STOP on", "BEGIN;"]
    tables = manifest["tables"]
    assert isinstance(tables, list)
    for entry in tables:
        if entry["table"] not in ("audit_chain_head", "alembic_version"):
            lines.append(f"\\copy \"{entry['table']}\" FROM '{entry['file']}' "
                         "WITH (FORMAT csv, HEADER true)")
    head = manifest.get("chain_head")
    if isinstance(head, dict):
        def literal(value: str) -> str:
            return "NULL" if value == "" else "'" + value.replace("'", "''") + "'"
        lines.append(f"UPDATE audit_chain_head SET last_event_id = {literal(head['last_event_id'])}, "
                     f"last_hash = {literal(head['last_hash'])}, "
                     f"updated_at = {literal(head.get('updated_at') or '')} WHERE id = 1;")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite: foreign-key enforcement off for one migration, on again afterwards.

    A migration that rebuilds a table other tables point at (batch mode: copy, drop,
    rename) needs it off, and SQLite ignores the pragma inside a transaction, so it is
    set on the driver's connection before the transaction begins, as SQLite's procedure
    for rebuilding a table says. Each such migration runs ``PRAGMA foreign_key_check``
    before the transaction ends. Other databases: nothing to do.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _revision_problem(error: CommandError) -> str:
    """Alembic's reason in both languages: the catalogue's sentence for the reasons a
    mistyped revision gives, else Alembic's words (quoted as a code in Vietnamese, so no
    English sentence reaches Vietnamese output)."""
    original = (str(error).splitlines() or [type(error).__name__])[0]
    key = next((key for pattern, key in _REVISION_PROBLEMS if pattern in original),
               "store.revision.other")
    return both(key, original=original[:160])


#: Alembic's reasons a user can cause from ``tdkt db upgrade/downgrade REVISION``.
_REVISION_PROBLEMS = (("Can't locate revision", "store.revision.unknown"),
                      ("didn't produce", "store.revision.too_far"),
                      ("Range revision not allowed", "store.revision.range"))


def _where(url: URL) -> Location:
    return Location(path=url.database) if url.get_backend_name() == "sqlite" else Location()
