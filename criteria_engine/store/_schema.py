"""Schema revisions: Alembic driven from code, and the check made before any use.

Like JupyterHub, the store refuses to work on a database at another revision and
says which command fixes it; an empty database is created at the head revision on
first use; a SQLite file is copied aside before it is migrated. The Alembic
configuration is built here, pointing at the repository's ``migrations/`` folder,
so ``tdkt db upgrade`` works from any directory.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from criteria_engine._version import __version__
from criteria_engine.errors import Location, StoreError
from criteria_engine.messages import both
from criteria_engine.store._connect import WRITE, connect_engine, store_errors
from criteria_engine.store._models import Base

__all__ = [
    "MIGRATIONS",
    "Revision",
    "alembic_config",
    "create_sqlite",
    "ensure_current",
    "head_revision",
    "migrate",
    "revision_status",
]

#: The Alembic scripts; env.py there targets :data:`Base.metadata`.
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
#: Any number: PostgreSQL writers creating or migrating the schema take this lock.
_SCHEMA_LOCK = 7_240_301


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


def ensure_current(engine: Engine, *, create: bool = True) -> Revision:
    """Check the database is at head; create an empty one at head (when ``create``).

    Raises :class:`StoreError` telling the user to run ``tdkt db upgrade``, or that
    the database is newer than this tdkt, or that it is not a tdkt database.
    """
    status = revision_status(engine)
    if status.at_head:
        return status
    where = _where(engine.url)
    if not (status.empty and create):
        raise _refusal(status, where)
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        _lock_schema(connection)
        status = _status(connection)
        if status.empty:
            command.upgrade(alembic_config(engine.url, connection), "head")
            return _status(connection)
    if not status.at_head:
        raise _refusal(status, where)
    return status


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
            ensure_current(engine, create=True)
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


def migrate(engine: Engine, revision: str, *, down: bool) -> tuple[Revision, Revision, Path | None]:
    """Run ``alembic upgrade/downgrade revision``; returns (before, after, SQLite backup)."""
    before = revision_status(engine)
    if not before.known:
        raise _refusal(before, _where(engine.url))
    if not before.empty and before.current is None:
        raise _refusal(before, _where(engine.url))
    backup = None
    with engine.connect().execution_options(**{WRITE: True}) as connection, \
            _foreign_keys_off(connection), connection.begin():
        _lock_schema(connection)
        config = alembic_config(engine.url, connection)
        try:
            if before.current is not None:
                backup = _backup_sqlite(engine.url, before.current)
            if down:
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)
        except CommandError as error:
            if backup is not None:
                backup.unlink(missing_ok=True)
            raise StoreError("store.bad_revision", revision=revision,
                             problem=_revision_problem(error)) from None
    after = revision_status(engine)
    if backup is not None and after.current == before.current:
        backup.unlink(missing_ok=True)
        backup = None
    return before, after, backup


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


def _backup_sqlite(url: URL, revision: str) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    source = Path(url.database)
    if not source.is_file():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = source.with_name(f"{source.name}.{revision}.{stamp}.bak")
    shutil.copy2(source, target)
    return target


def _where(url: URL) -> Location:
    return Location(path=url.database) if url.get_backend_name() == "sqlite" else Location()
