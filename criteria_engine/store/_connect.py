"""Where the store lives, and connections that behave the same on SQLite and PostgreSQL.

``--db`` takes a file path (SQLite) or a URL; ``postgresql://`` and
``postgres://`` mean the psycopg driver. Connecting is where most things go
wrong for a user (server down, wrong port, read-only folder), so every such
failure becomes one :class:`StoreError` line naming the host and port or the file,
and what the user typed wrong (a malformed address, another driver, SQLite in
memory, an existing file that is not a tdkt store) a :class:`StoreUsageError`
before any connection. Driver messages are English; :func:`why` gives the
Vietnamese line a catalogue sentence or the code (SQLSTATE, errno, SQLite's name)::

    >>> database_url("postgresql://lan:secret@db:5432x/tdkt")   # doctest: +SKIP
    StoreUsageError: --db 'postgresql://lan:***@db:5432x/tdkt' is not a database address
    (port '5432x' is not a number from 1 to 65535); use a file path (tdkt.db, …) or …

SQLite is put in explicit-transaction mode: a writer's transaction starts with
``BEGIN IMMEDIATE``, which takes the file's write lock up front, so two processes
appending to the chain queue instead of interleaving. A file store runs in WAL mode, so a
reader's snapshot (``tdkt audit verify`` for minutes on a big store) never blocks a writer
nor a writer the reader; a writer waits for another writer at most
:data:`BUSY_TIMEOUT` seconds and then stops with the ``store.locked`` message, never
hangs. ``recursive_triggers`` is on, so a ``REPLACE`` on tdkt's own connection would fire
the delete triggers (migration 0007's insert triggers hold on any connection).

On PostgreSQL a writer's transaction (the :data:`WRITE` option) sets ``lock_timeout``
(the same :data:`BUSY_TIMEOUT`) and ``statement_timeout`` (:data:`STATEMENT_TIMEOUT`), so
one stuck writer can hold the others up only that long; ``TDKT_BUSY_TIMEOUT`` and
``TDKT_STATEMENT_TIMEOUT`` (seconds) change them.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from criteria_engine.errors import Location, StoreError, StoreUsageError
from criteria_engine.messages import MESSAGES, Bilingual, both, message
from criteria_engine.store._models import APPEND_ONLY_TABLES

__all__ = [
    "BUSY_TIMEOUT",
    "DEFAULT_DATABASE",
    "POSTGRES_DRIVERS",
    "SQLITE_CACHE_KIB",
    "SQLITE_DRIVERS",
    "STATEMENT_TIMEOUT",
    "WRITE",
    "check_sqlite_file",
    "connect_engine",
    "database_url",
    "describe",
    "driver_errors",
    "hide_password",
    "sqlite_folder",
    "sqlite_missing",
    "store_errors",
    "timeout",
    "unreachable",
    "why",
]

#: The store used when neither ``--db`` nor ``TDKT_DATABASE_URL`` names one.
DEFAULT_DATABASE = "tdkt.db"
#: Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE = "tdkt_write"
#: Seconds a writer waits for another writer's lock before giving up (SQLite's busy
#: timeout, PostgreSQL's ``lock_timeout``); ``TDKT_BUSY_TIMEOUT`` overrides it.
BUSY_TIMEOUT = 30.0
#: Seconds one statement of a PostgreSQL writer may run (a million-row ``COPY`` takes
#: well under a minute); ``TDKT_STATEMENT_TIMEOUT`` overrides it.
STATEMENT_TIMEOUT = 600.0
BUSY_TIMEOUT_ENV = "TDKT_BUSY_TIMEOUT"
STATEMENT_TIMEOUT_ENV = "TDKT_STATEMENT_TIMEOUT"
#: The upper bound of either setting: a day (a bound, not a way to wait forever).
_MAX_TIMEOUT = 86_400.0
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


#: Drivers tdkt is built and tested with; any other ``+driver`` is refused by name.
SQLITE_DRIVERS = ("sqlite", "sqlite+pysqlite")
POSTGRES_DRIVERS = ("postgresql", "postgres", "postgresql+psycopg")
#: The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"

_PORT = re.compile(r"^[^:/]*://(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?]*)(?::([^/?]*))?")
#: Driver messages (English) to a code and, where the catalogue has one, a sentence.
_WHY = (
    ("Connection refused", "ECONNREFUSED"),
    ("timeout expired", "ETIMEDOUT"),
    ("failed to resolve host", "EHOSTUNKNOWN"),
    ("could not translate host name", "EHOSTUNKNOWN"),
    ("Name or service not known", "EHOSTUNKNOWN"),
    ("password authentication failed", "28P01"),
    ("no password supplied", "28P01"),
    ("server closed the connection", "57P01"),
    ("terminating connection", "57P01"),
    ("consuming input failed", "57P01"),
    ("the connection is closed", "08003"),
    ("cannot contain NUL", "NUL"),
    ("Permission denied", "EACCES"),
)
_DATABASE_MISSING = re.compile(r'database "[^"]*" does not exist')
_ROLE_MISSING = re.compile(r'role "[^"]*" does not exist')


def database_url(db: str | Path | None) -> URL:
    """The SQLAlchemy URL for ``--db``: a path means a SQLite file (default ``tdkt.db``).

    Raises :class:`StoreUsageError` (one line naming the address, its password
    hidden, and the forms accepted) for anything tdkt cannot open, before any
    connection is tried: a malformed URL or port, another database or driver, or a
    SQLite database in memory, whose decisions would be lost when tdkt exits.
    """
    text = str(db) if db is not None else DEFAULT_DATABASE
    shown_url = hide_password(text)
    if not text.strip():
        raise StoreUsageError("store.bad_url", url=shown_url, problem=both("store.problem.empty"))
    if "://" not in text:
        if text.strip() == ":memory:":
            raise StoreUsageError("store.in_memory", url=shown_url)
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except (exc.ArgumentError, ValueError):
        port = _PORT.match(text)
        problem = (both("store.problem.port", port=port.group(1)) if port and port.group(1)
                   else both("store.problem.syntax"))
        raise StoreUsageError("store.bad_url", url=shown_url, problem=problem) from None
    if url.drivername in POSTGRES_DRIVERS:
        if url.port is not None and not 0 < url.port < 65536:
            raise StoreUsageError("store.bad_url", url=shown_url,
                                  problem=both("store.problem.port", port=url.port))
        return url.set(drivername="postgresql+psycopg")
    if url.drivername not in SQLITE_DRIVERS:
        raise StoreUsageError("store.unsupported", url=shown_url, scheme=url.drivername)
    if (url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
            or str(url.database).startswith("file::memory:")):
        raise StoreUsageError("store.in_memory", url=shown_url)
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


def hide_password(text: str) -> str:
    """``--db`` as typed, for a message: ``postgresql://lan:***@host/db``."""
    scheme, separator, rest = text.partition("://")
    at = rest.rfind("@")
    if not separator or at < 0 or ":" not in rest[:at]:
        return text
    return f"{scheme}://{rest[:at].split(':', 1)[0]}:***{rest[at:]}"


def check_sqlite_file(url: URL) -> None:
    """Refuse an existing file that is not a tdkt store, without writing a byte to it.

    An empty file, a file that is not SQLite, or a SQLite database that Alembic never
    migrated (another program's data) is never adopted: tdkt creates a new store only
    where no file exists (see :func:`criteria_engine.store._schema.create_sqlite`).
    """
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    path = Path(url.database)
    if not path.exists():
        return
    where = Location(path=str(path))
    if path.is_dir():
        raise StoreUsageError("store.cannot_open", where, reason=both("store.why.folder"))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError("store.cannot_open", where, reason=why(error)) from None
    if not header:
        raise StoreUsageError("store.empty_file", where)
    if header != SQLITE_HEADER:
        raise StoreUsageError("store.not_sqlite", where, reason=both("store.not_sqlite.header"))
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                                     timeout=timeout(BUSY_TIMEOUT_ENV))) as database:
            tables = {row[0] for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:
        raise StoreUsageError("store.not_sqlite", where, reason=why(error)) from None
    if "alembic_version" not in tables:
        raise StoreUsageError("store.not_tdkt", where)


def connect_engine(url: URL) -> Engine:
    """An engine whose first connection has succeeded, or a one-line :class:`StoreError`."""
    if url.get_backend_name() == "sqlite":
        check_sqlite_file(url)
        engine = _sqlite_engine(url)
    else:
        try:
            engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT},
                                   pool_pre_ping=True)
        except (exc.ArgumentError, ImportError, TypeError, ValueError):
            raise StoreUsageError("store.bad_url", url=describe(url),
                                  problem=both("store.problem.syntax")) from None
        limits = (timeout(BUSY_TIMEOUT_ENV), timeout(STATEMENT_TIMEOUT_ENV))
        event.listen(engine, "begin", lambda connection: _postgresql_begin(connection, *limits))
    event.listen(engine, "before_cursor_execute", _refuse_changes)
    try:
        with engine.connect():
            pass
    except Exception as error:
        engine.dispose()
        if not isinstance(error, (exc.DBAPIError, *driver_errors())):
            raise
        raise unreachable(url, error) from None
    return engine


def driver_errors() -> tuple[type[Exception], ...]:
    """The DB-API drivers' own exception bases: an error raised below SQLAlchemy (psycopg's
    ``COPY``, a raw cursor) is still a store error, never a traceback."""
    import psycopg  # the store's declared driver; imported here, not on every tdkt start

    return (sqlite3.Error, psycopg.Error)


@contextmanager
def store_errors(url: URL) -> Iterator[None]:
    """Driver errors as one-line :class:`StoreError` s (never a traceback for the user)."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError) as error:
        timed_out = _timed_out(url, error.orig)
        if timed_out is not None:
            raise timed_out from None
        if "locked" in str(error.orig):
            raise StoreError("store.locked", database=describe(url)) from None
        raise unreachable(url, error) from None
    except exc.DBAPIError as error:
        raise StoreError("store.refused", problem=why(error)) from None
    except exc.SQLAlchemyError as error:
        raise StoreError("store.refused", problem=why(error)) from None
    except Exception as error:
        if not isinstance(error, driver_errors()):
            raise
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise StoreError("store.locked", database=describe(url)) from None
        timed_out = _timed_out(url, error)
        if timed_out is not None:
            raise timed_out from None
        if _is_connection_error(error):
            raise unreachable(url, error) from None
        raise StoreError("store.refused", problem=why(error)) from None


def timeout(variable: str) -> float:
    """Seconds from ``TDKT_BUSY_TIMEOUT`` / ``TDKT_STATEMENT_TIMEOUT``, else the default.

    A value that is not a number of seconds above 0 and at most a day is refused by
    name (a typo must not mean "wait forever" or "never wait").
    """
    default = BUSY_TIMEOUT if variable == BUSY_TIMEOUT_ENV else STATEMENT_TIMEOUT
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= _MAX_TIMEOUT:
        raise StoreUsageError("store.bad_timeout", variable=variable, value=text,
                              limit=int(_MAX_TIMEOUT))
    return seconds


def _timed_out(url: URL, error: BaseException | None) -> StoreError | None:
    """PostgreSQL's ``lock_timeout`` (55P03) and ``statement_timeout`` (57014) as a
    sentence naming the bound and the variable that sets it."""
    code = getattr(error, "sqlstate", None)
    if code == "55P03":
        return StoreError("store.lock_timeout", database=describe(url),
                          seconds=_seconds(BUSY_TIMEOUT_ENV), variable=BUSY_TIMEOUT_ENV)
    if code == "57014":
        return StoreError("store.statement_timeout", database=describe(url),
                          seconds=_seconds(STATEMENT_TIMEOUT_ENV),
                          variable=STATEMENT_TIMEOUT_ENV)
    return None


def _seconds(variable: str) -> str:
    try:
        return f"{timeout(variable):g}"
    except StoreUsageError:
        return os.environ.get(variable, "?")


def _is_connection_error(error: Exception) -> bool:
    import psycopg

    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def why(error: BaseException) -> str:
    """A driver's reason in both languages: English as the driver says it; in Vietnamese
    the catalogue's sentence for a known code, else the code (SQLSTATE, errno, SQLite)."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    # psycopg says "connection failed: connection to server at …, port … failed: <why>".
    text = lines[0].rsplit(" failed: ", 1)[-1].strip() if lines else ""
    text = text.removeprefix("FATAL:").strip() or type(original).__name__
    code = (getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
            or (errno.errorcode.get(original.errno) if isinstance(original, OSError)
                and original.errno else None))
    if code is None:
        code = next((name for pattern, name in _WHY if pattern in text), None)
    if code is None and _DATABASE_MISSING.search(text):
        code = "3D000"
    if code is None and _ROLE_MISSING.search(text):
        code = "28000"
    known = f"store.why.{code}"
    if code is not None and known in MESSAGES:
        vietnamese = f"{message(known, 'vi')}, {code}"
    else:
        vietnamese = message("store.why.code", "vi", code=code or type(original).__name__)
    return Bilingual({"vi": vietnamese, "en": text})


def unreachable(url: URL, error: BaseException) -> StoreError:
    if url.get_backend_name() == "sqlite":
        return StoreError("store.cannot_open", Location(path=url.database), reason=why(error))
    return StoreError("store.unreachable", host=url.host or "localhost", port=url.port or 5432,
                      reason=why(error))


def sqlite_folder(url: URL) -> None:
    """Refuse a SQLite path whose folder does not exist (SQLite would say only
    "unable to open database file")."""
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not folder.is_dir():
            raise StoreUsageError("store.cannot_open", Location(path=url.database),
                                  reason=both("store.why.no_folder", folder=str(folder)))


def _sqlite_engine(url: URL) -> Engine:
    sqlite_folder(url)
    engine = create_engine(url, connect_args={"timeout": timeout(BUSY_TIMEOUT_ENV)})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA recursive_triggers = ON")
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    # WAL is kept in the file once set; setting it again is a no-op. A read-only file
    # (or folder) cannot switch, and is then read as it is.
    with suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgresql_begin(connection: Connection, lock: float, statement: float) -> None:
    """A writer's transaction waits for locks and runs each statement a bounded time
    (``SET LOCAL``: the settings end with the transaction)."""
    if connection.get_execution_options().get(WRITE, False):
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(lock * 1000)}ms'")
        connection.exec_driver_sql(
            f"SET LOCAL statement_timeout = '{int(statement * 1000)}ms'")


def _refuse_changes(_conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    """Append-only in code: the store never sends UPDATE or DELETE for evidence tables."""
    match = _CHANGE.match(statement)
    if match and match.group(1).lower() in APPEND_ONLY_TABLES:
        raise StoreError("store.append_only", table=match.group(1).lower())
