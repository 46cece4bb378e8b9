"""Where the store lives, and connections that behave the same on SQLite and PostgreSQL.

``--db`` takes a file path (SQLite) or a URL; ``postgresql://`` and
``postgres://`` mean the psycopg driver. Connecting is where most things go
wrong for a user (server down, wrong port, read-only folder), so every such
failure becomes one :class:`StoreError` line naming the host and port or the file.

SQLite is put in explicit-transaction mode: a writer's transaction starts with
``BEGIN IMMEDIATE``, which takes the file's write lock up front, so two processes
appending to the chain queue instead of interleaving.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from criteria_engine.errors import Location, StoreError
from criteria_engine.store._models import APPEND_ONLY_TABLES

__all__ = [
    "DEFAULT_DATABASE",
    "SQLITE_CACHE_KIB",
    "WRITE",
    "connect_engine",
    "database_url",
    "describe",
    "sqlite_missing",
    "store_errors",
    "unreachable",
]

#: The store used when neither ``--db`` nor ``TDKT_DATABASE_URL`` names one.
DEFAULT_DATABASE = "tdkt.db"
#: Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE = "tdkt_write"
#: Seconds a writer waits for another writer's lock before giving up.
LOCK_TIMEOUT = 120
CONNECT_TIMEOUT = 5
#: SQLite page cache per connection, in KiB (the default 2 MiB makes a 100 000-decision
#: batch spill its indexes to disk before the commit).
SQLITE_CACHE_KIB = 65_536

_CHANGE = re.compile(
    r"^\s*(?:UPDATE\s+(?:OR\s+\w+\s+)?|DELETE\s+FROM\s+|REPLACE\s+INTO\s+|"
    r"INSERT\s+OR\s+REPLACE\s+INTO\s+|TRUNCATE\s+(?:TABLE\s+)?)"
    r"(?:\"?\w+\"?\.)?\"?(\w+)",
    re.IGNORECASE,
)


def database_url(db: str | Path | None) -> URL:
    """The SQLAlchemy URL for ``--db``: a path means a SQLite file (default ``tdkt.db``)."""
    text = str(db) if db is not None else DEFAULT_DATABASE
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except exc.ArgumentError:
        raise StoreError("store.bad_url", url=_hide_password(text)) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError("store.unsupported", scheme=url.drivername)
    return url


def sqlite_missing(url: URL) -> bool:
    """A SQLite file that does not exist yet (reading commands must not create it)."""
    return (url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
            and not Path(str(url.database)).exists())


def describe(url: URL) -> str:
    """The store for messages: the file path, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", text)


def connect_engine(url: URL) -> Engine:
    """An engine whose first connection has succeeded, or a one-line :class:`StoreError`."""
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT},
                               pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _refuse_changes)
    try:
        with engine.connect():
            pass
    except exc.DBAPIError as error:
        engine.dispose()
        raise unreachable(url, error) from None
    return engine


@contextmanager
def store_errors(url: URL) -> Iterator[None]:
    """Driver errors as one-line :class:`StoreError` s (never a traceback for the user)."""
    try:
        yield
    except exc.OperationalError as error:
        if "locked" in str(error.orig):
            raise StoreError("store.locked", database=describe(url)) from None
        raise unreachable(url, error) from None
    except exc.DBAPIError as error:
        problem = str(error.orig).strip().splitlines()
        raise StoreError("store.refused", problem=problem[0] if problem else "?") from None


def unreachable(url: URL, error: BaseException) -> StoreError:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    # psycopg says "connection failed: connection to server at …, port … failed: <why>".
    first = lines[0].rsplit(" failed: ", 1)[-1] if lines else type(error).__name__
    if url.get_backend_name() == "sqlite":
        return StoreError("store.cannot_open", Location(path=url.database), reason=first)
    return StoreError("store.unreachable", host=url.host or "localhost", port=url.port or 5432,
                      reason=first)


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise StoreError("store.cannot_open", Location(path=url.database),
                             reason=f"no folder {folder}")
    engine = create_engine(url, connect_args={"timeout": LOCK_TIMEOUT})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _refuse_changes(_conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    """Append-only in code: the store never sends UPDATE or DELETE for evidence tables."""
    match = _CHANGE.match(statement)
    if match and match.group(1).lower() in APPEND_ONLY_TABLES:
        raise StoreError("store.append_only", table=match.group(1).lower())
