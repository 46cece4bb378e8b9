"""Migrations: one head, base → head → base → head on both back ends, each revision up and
down, the models equal to what the migrations build, and the revision check at open."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import URL

from criteria_engine.errors import StoreError
from criteria_engine.evaluator import Outcome
from criteria_engine.store import (
    APPEND_ONLY_TABLES,
    MIGRATIONS,
    Base,
    Store,
    _schema,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from criteria_engine.store._schema import alembic_config
from tests.store.conftest import Raw, report_for

TABLES = {*APPEND_ONLY_TABLES, "audit_chain_head"}
#: Every test here starts from a database without the tdkt schema.
pytestmark = pytest.mark.empty_database


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(URL.create("sqlite")))


def tables(raw: Raw) -> set[str]:
    return set(inspect(raw.engine).get_table_names()) - {"alembic_version"}


def test_there_is_one_head() -> None:
    assert len(scripts().get_heads()) == 1
    assert scripts().get_current_head() == head_revision()


def test_migrations_folder_ships_an_env_and_alembic_ini() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS.parent / "alembic.ini").is_file()


def test_upgrade_downgrade_upgrade_round_trip(db: str, raw: Raw) -> None:
    first = upgrade(db)
    assert first.before.current is None
    assert first.after.current == head_revision()
    assert tables(raw) == TABLES
    down = downgrade(db, "base")
    assert down.after.current is None
    assert tables(raw) == set()
    again = upgrade(db)
    assert again.after.current == head_revision()
    assert tables(raw) == TABLES
    with Store.open(db) as store:
        summary = store.record_report(report_for("lao-dong-tien-tien"), actor="a", command="t")
        assert summary.recorded == len(report_for("lao-dong-tien-tien").decisions)
        assert store.verify().ok


def test_every_revision_goes_up_and_down(db: str) -> None:
    revisions = list(reversed(list(scripts().walk_revisions())))
    for revision in revisions:
        assert upgrade(db, revision.revision).after.current == revision.revision
    for revision in reversed(revisions):
        downgrade(db, revision.down_revision or "base")
    assert current_revision(db)[1].current is None


def test_models_match_migrations(db: str, raw: Raw) -> None:
    upgrade(db)
    with raw.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_new_database_is_created_at_head_on_first_use(db: str) -> None:
    """Only where nothing exists yet (a SQLite path): an existing database, such as an
    empty PostgreSQL schema, needs `tdkt db upgrade` first (see test_downgrade_safety)."""
    if "://" in db:
        with pytest.raises(StoreError) as caught:
            Store.open(db)
        assert caught.value.key == "store.no_schema"
        assert "tdkt db upgrade" in caught.value.render("en")
        upgrade(db)
    with Store.open(db) as store:
        assert store.revision.current == head_revision()
    name, status = current_revision(db)
    assert status.at_head
    assert name


@pytest.fixture
def newer_scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A copy of migrations/ with one more (empty) revision: a tdkt from the future."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    today = head_revision()
    (folder / "versions" / "9999_future.py").write_text(
        f'"""A later revision."""\nrevision = "9999"\ndown_revision = "{today}"\n'
        "branch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    pass\n\n\n"
        "def downgrade() -> None:\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(_schema, "MIGRATIONS", folder)
    return today, "9999"


def test_older_database_is_refused_until_upgraded(db: str,
                                                  newer_scripts: tuple[str, str]) -> None:
    today, future = newer_scripts
    upgrade(db, today)
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert caught.value.key == "store.needs_upgrade"
    assert "tdkt db upgrade" in caught.value.render("en")
    assert "tdkt db upgrade" in caught.value.render("vi")
    migration = upgrade(db)
    assert (migration.before.current, migration.after.current) == (today, future)
    if "://" not in db:
        assert migration.backup is not None and migration.backup.is_file()
        migration.backup.unlink()
    with Store.open(db) as store:
        assert store.revision.current == future


def test_newer_database_is_refused_with_a_clear_message(db: str, raw: Raw) -> None:
    upgrade(db)
    raw.run("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert caught.value.key == "store.unknown_revision"
    assert "newer than this tool" in caught.value.render("en")
    with pytest.raises(StoreError):
        upgrade(db)


def test_a_database_that_is_not_tdkt_is_refused(db: str, raw: Raw) -> None:
    raw.run("CREATE TABLE something_else (id INTEGER PRIMARY KEY)")
    raw.run("CREATE TABLE decisions (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert caught.value.key == "store.not_tdkt"


def test_unknown_target_revision_is_a_store_error(db: str) -> None:
    with pytest.raises(StoreError) as caught:
        upgrade(db, "nope")
    assert caught.value.key == "store.bad_revision"


def test_unreachable_postgresql_is_one_line_naming_host_and_port() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://postgres@127.0.0.1:1/test")
    text = caught.value.render("en")
    assert "127.0.0.1:1" in text
    assert "\n" not in text
    assert caught.value.key == "store.unreachable"


def test_sqlite_in_a_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(str(tmp_path / "no" / "such" / "tdkt.db"))
    assert caught.value.key == "store.cannot_open"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "://nothing"])
def test_other_databases_are_refused(url: str) -> None:
    with pytest.raises(StoreError):
        Store.open(url)


def test_the_outcome_checks_list_every_outcome_of_the_evaluator(db: str, raw: Raw) -> None:
    """A new outcome in the engine needs a migration; this test says when."""
    upgrade(db)
    with raw.connect() as connection:
        checks = {c["name"]: c["sqltext"] for table in ("decisions", "audit_events")
                  for c in inspect(connection).get_check_constraints(table)}
    for outcome in typing.get_args(Outcome):
        assert f"'{outcome}'" in str(checks["ck_decisions_outcome"]), outcome
        assert f"'{outcome}'" in str(checks["ck_audit_events_outcome"]), outcome
