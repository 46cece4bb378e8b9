"""The store tests run twice: on SQLite (a file in tmp_path) and on PostgreSQL.

``TDKT_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
asks for the PostgreSQL half. Unset, those tests are deselected and the run ends with
one line saying how many and how to run them (not one skip line per test); set but
unreachable, they **fail**: CI asked for PostgreSQL and must not go green without it.
Each PostgreSQL test gets a schema of its own (``search_path`` in the URL, so
subprocesses see it too), dropped afterwards; nothing is left behind on either back end.
tdkt never gives an existing database its schema by itself (``tdkt db upgrade`` does), so
that schema is upgraded to head first, as a deployment would be, unless the test is marked
``empty_database`` (the migration tests, which start from nothing).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from criteria_engine.batch import BatchReport, evaluate_file
from criteria_engine.library import choose_rule
from criteria_engine.store import APPEND_ONLY_TABLES, Store, database_url, upgrade
from tests.common import CRITERIA, EXAMPLES

POSTGRES_ENV = "TDKT_TEST_POSTGRES_URL"
SKIP_POSTGRES = (f"PostgreSQL half of the store tests skipped: set {POSTGRES_ENV}="
                 "postgresql+psycopg://postgres@127.0.0.1:5432/test to run it")
_NOT_RUN = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "empty_database: the PostgreSQL schema of the db "
                            "fixture is left empty (not upgraded to head)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without the URL, deselect the PostgreSQL half (reported once, at the end)."""
    if os.environ.get(POSTGRES_ENV):
        return
    postgres = [item for item in items if item.get_closest_marker("postgres")]
    if postgres:
        config.hook.pytest_deselected(items=postgres)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.stash[_NOT_RUN] = config.stash.get(_NOT_RUN, 0) + len(postgres)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int,
                            config: pytest.Config) -> None:
    count = config.stash.get(_NOT_RUN, 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL store tests not run: set {POSTGRES_ENV}="
            "postgresql+psycopg://postgres@127.0.0.1:5432/test to run them", yellow=True)


def with_schema(base: str, schema: str) -> str:
    """The URL of one schema: psycopg's ``options=-csearch_path=…``."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(SKIP_POSTGRES)
    engine = create_engine(database_url(base), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure to connect is a failure, never a skip
        url = make_url(base)
        engine.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL at {url.host}:{url.port or 5432} "
                    f"cannot be used: {str(error).splitlines()[0]}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLite path where no file exists yet, or a PostgreSQL schema upgraded to head (left
    empty when the test is marked ``empty_database``)."""
    if request.param == "sqlite":
        yield str(tmp_path / "tdkt.db")
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    schema = f"tdkt_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    base = os.environ[POSTGRES_ENV]
    url = with_schema(base, schema)
    try:
        if request.node.get_closest_marker("empty_database") is None:
            upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def report_for(name: str) -> BatchReport:
    """An example nominee file judged by its rule from criteria/."""
    choose, _ = choose_rule(name, CRITERIA)
    return evaluate_file(EXAMPLES / f"{name}.json", choose)


EXAMPLE_RULES = ("dien-hinh-tien-tien-ca-nhan", "lao-dong-tien-tien",
                 "tap-the-lao-dong-xuat-sac")


@pytest.fixture
def recorded(db: str) -> str:
    """A store holding three example files' decisions, an override and a note."""
    with Store.open(db) as store:
        for name in EXAMPLE_RULES:
            report = report_for(name)
            assert report.decisions
            store.record_report(report, actor="lan", command=f"test {name}")
        store.override(2, outcome="dat", reason="Hội đồng xét lại minh chứng", actor="chủ tịch")
        store.annotate(3, note="Đã đối chiếu hồ sơ gốc", actor="thư ký")
    return db


class Raw:
    """Plain SQL on the store's database, bypassing the application (to play the tamperer)."""

    def __init__(self, db: str) -> None:
        self.engine = create_engine(database_url(db))
        self.postgres = self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def run(self, statement: str, **params: Any) -> Any:
        with self.connect() as connection:
            return connection.execute(text(statement), params)

    def scalar(self, statement: str, **params: Any) -> Any:
        with self.connect() as connection:
            return connection.execute(text(statement), params).scalar()

    @contextmanager
    def tampering(self) -> Iterator[Connection]:
        """A transaction with the append-only triggers and foreign keys out of the way."""
        with self.engine.begin() as connection:
            if self.postgres:
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                names = connection.execute(text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
                for name in names:
                    connection.execute(text(f"DROP TRIGGER {name}"))
            yield connection


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CliRunner with the shipped rules and no TDKT_* settings from the environment,
    wide enough that no table is laid out in blocks."""
    monkeypatch.setenv("TDKT_CRITERIA_DIR", str(CRITERIA))
    for name in ("TDKT_LANG", "TDKT_DATABASE_URL", "TDKT_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    """``tdkt args…`` through click, exceptions not caught (a traceback fails the test)."""
    from cli import main

    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def raw(db: str) -> Iterator[Raw]:
    database = Raw(db)
    yield database
    database.close()


__all__ = ["APPEND_ONLY_TABLES", "EXAMPLE_RULES", "Raw", "report_for", "run", "with_schema"]
