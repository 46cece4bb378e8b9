"""Downgrades never lose data silently, and tdkt never starts a chain nobody asked for
(issue 11, item 8).

A step down that would drop rows (``base`` erases the store; below 0002 the achievement
uses go) refuses unless ``--force``; forced, it first writes a backup on either back end
(SQLite: a copy of the file; PostgreSQL: a zip of CSV files with a restore script), named
in the output. Writing into a database that exists but has no tdkt schema (an empty
PostgreSQL schema, a store emptied by ``downgrade base``) says to run ``tdkt db upgrade``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from cli import main
from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.store import (
    Store,
    current_revision,
    downgrade,
    head_revision,
    record_report,
    upgrade,
)
from tests.store.conftest import POSTGRES_ENV, Raw, report_for, with_schema

pytestmark = pytest.mark.empty_database

#: Tables holding the store's rows at revision 0002 (parents first).
TABLES = ("rule_files", "nominees", "runs", "submissions", "decisions", "audit_events",
          "achievement_uses")


def _rows_at_0002(raw: Raw, *, uses: bool = True) -> None:
    """A decision, its event and (when ``uses``) an achievement use, written as tdkt 0002
    wrote them: rows the later revisions hold unchanged (no second-form event, no names
    of its own, no history), so only 0002 and 0001 stand to lose them."""
    now = datetime(2024, 1, 5, tzinfo=UTC)
    with raw.connect() as c:
        c.execute(text("INSERT INTO rule_files VALUES (:h, 'ldtt', '2024.1', 'LĐTT', "
                       "'2024-01-01', NULL, 'x.yaml', 'id: ldtt', :now)"), {"h": "a" * 64,
                                                                            "now": now})
        c.execute(text("INSERT INTO nominees VALUES ('A-01', 'ca_nhan', :now)"), {"now": now})
        c.execute(text("INSERT INTO runs VALUES (1, 'lan', 'tdkt evaluate', NULL, '1.0', "
                       ":now, :now, 1, 1, 0)"), {"now": now})
        c.execute(text("INSERT INTO submissions VALUES (1, 'A-01', 2024, 'Lê Mai', 'UBND', "
                       "'{}', :h, 1, :now)"), {"h": "b" * 64, "now": now})
        c.execute(text("INSERT INTO decisions VALUES (1, :k, 1, :h, 1, 'dat', '90', '[]', "
                       "'1.0', :now)"), {"k": "c" * 64, "h": "a" * 64, "now": now})
        c.execute(text("INSERT INTO audit_events VALUES (1, 'recorded', 1, 1, 'lan', :now, "
                       "'dat', NULL, :p, :h)"), {"p": "0" * 64, "h": "d" * 64, "now": now})
        c.execute(text("UPDATE audit_chain_head SET last_event_id = 1, last_hash = :h"),
                  {"h": "d" * 64})
        if uses:
            c.execute(text("INSERT INTO achievement_uses VALUES (1, 'SK-2023-015', 1, 'A-01', "
                           "'ldtt', '2024.1', 2024, 1)"))


def _counts(raw: Raw, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    return {table: int(raw.scalar(f"SELECT count(*) FROM {table}")) for table in tables}


@pytest.fixture
def at_head_with_uses(db: str, raw: Raw) -> str:
    """A store at head holding rows from revision 0002, achievement uses among them."""
    upgrade(db, "0002")
    _rows_at_0002(raw)
    upgrade(db)
    return db


def _backups(db: str) -> list[Path]:
    if "://" in db:
        return sorted(Path.cwd().glob("tdkt-backup-*.zip"))
    return sorted(Path(db).parent.glob("*.bak"))


def test_downgrade_then_upgrade_never_empties_achievement_uses(db: str, raw: Raw) -> None:
    """`tdkt db downgrade -1 && upgrade` at 0002 used to drop the table and make it again,
    empty: one achievement could then be rewarded twice."""
    upgrade(db, "0002")
    _rows_at_0002(raw)
    with pytest.raises(StoreError) as caught:
        downgrade(db, "-1")
    assert caught.value.key == "store.downgrade_uses"
    assert "--force" in caught.value.render("en") and "--force" in caught.value.render("vi")
    assert current_revision(db)[1].current == "0002"
    assert _counts(raw)["achievement_uses"] == 1
    assert _backups(db) == []  # the refused step kept no copy behind


def test_downgrade_base_refuses_without_force(at_head_with_uses: str, raw: Raw) -> None:
    db = at_head_with_uses
    before = _counts(raw)
    with pytest.raises(StoreError) as caught:
        downgrade(db, "base")
    assert caught.value.key == "store.downgrade_uses"
    assert current_revision(db)[1].current == head_revision()
    assert _counts(raw) == before


def test_erasing_the_store_refuses_without_force(db: str, raw: Raw) -> None:
    upgrade(db, "0002")
    _rows_at_0002(raw, uses=False)
    upgrade(db)
    with pytest.raises(StoreError) as caught:
        downgrade(db, "base")
    assert caught.value.key == "store.downgrade_erases"
    assert "6 rows" in caught.value.render("en")
    assert current_revision(db)[1].current == head_revision()


def test_an_empty_store_goes_down_without_force(db: str) -> None:
    upgrade(db)
    assert downgrade(db, "base").after.current is None


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """The working directory, where a PostgreSQL backup goes by default."""
    here = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(here)


def test_a_forced_downgrade_writes_a_complete_backup_first(at_head_with_uses: str, raw: Raw,
                                                           in_tmp: Path) -> None:
    db = at_head_with_uses
    before = _counts(raw)
    migration = downgrade(db, "base", force=True)
    assert migration.after.current is None and migration.forced
    assert migration.backup is not None and migration.backup.is_file()
    assert migration.backup.stat().st_mode & 0o077 == 0  # the owner's eyes only
    assert migration.backup_rows >= sum(before.values())
    if "://" not in db:
        with closing(sqlite3.connect(migration.backup)) as copy:
            assert {t: copy.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in TABLES} == before
            assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
                head_revision()
        return
    with zipfile.ZipFile(migration.backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["revision"] == head_revision()
        assert {e["table"]: e["rows"] for e in manifest["tables"]
                if e["table"] in TABLES} == before
        assert "restore.psql" in archive.namelist()


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_postgresql_backup_restores_with_psql(at_head_with_uses: str, raw: Raw,
                                                in_tmp: Path, postgres_admin: Engine) -> None:
    """Unzip, `tdkt db upgrade REVISION` on an empty database, `psql -f restore.psql`:
    every row is back, the chain head too."""
    before = _counts(raw, (*TABLES, "audit_chain_head"))
    head = raw.scalar("SELECT last_hash FROM audit_chain_head")
    migration = downgrade(at_head_with_uses, "base", force=True)
    assert migration.backup is not None
    folder = in_tmp / "restore"
    with zipfile.ZipFile(migration.backup) as archive:
        archive.extractall(folder)
    schema = f"tdkt_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    target = with_schema(os.environ[POSTGRES_ENV], schema)
    restored = Raw(target)
    try:
        upgrade(target, head_revision())
        psql_url = target.replace("postgresql+psycopg://", "postgresql://")
        done = subprocess.run(["psql", "-X", "-q", "-d", psql_url, "-f", "restore.psql"],
                              cwd=folder, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert _counts(restored, (*TABLES, "audit_chain_head")) == before
        assert restored.scalar("SELECT last_hash FROM audit_chain_head") == head
    finally:
        restored.close()
        with postgres_admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_a_backup_is_never_overwritten(at_head_with_uses: str, tmp_path: Path,
                                       raw: Raw) -> None:
    there = tmp_path / "backup.zip"
    there.write_text("older backup", encoding="utf-8")
    with pytest.raises(StoreUsageError) as caught:
        downgrade(at_head_with_uses, "base", force=True, backup=there)
    assert caught.value.key == "store.backup_exists"
    assert there.read_text(encoding="utf-8") == "older backup"
    assert current_revision(at_head_with_uses)[1].current == head_revision()


def test_the_cli_needs_force_and_names_the_backup(at_head_with_uses: str, tmp_path: Path,
                                                  raw: Raw) -> None:
    db = at_head_with_uses
    refused = CliRunner().invoke(main, ["db", "downgrade", "base", "--db", db, "--lang", "en"])
    assert refused.exit_code != 0
    assert "--force" in refused.output and "Traceback" not in refused.output
    backup = tmp_path / "before-erasing.bak"
    forced = CliRunner().invoke(main, ["db", "downgrade", "base", "--force", "--backup",
                                       str(backup), "--db", db, "--lang", "en"])
    assert forced.exit_code == 0, forced.output
    output = "".join(forced.output.split())  # rich wraps long paths at 80 columns
    assert str(backup).replace(" ", "") in output
    assert "Backupwritten" in output
    assert backup.is_file()


# -- no schema, no silent new chain ----------------------------------------------------


def test_recording_into_an_erased_store_needs_upgrade(at_head_with_uses: str,
                                                     in_tmp: Path) -> None:
    """After `downgrade base --force` the database (or file) still exists: `--record`
    must not quietly start a new chain there."""
    db = at_head_with_uses
    downgrade(db, "base", force=True)
    with pytest.raises(StoreError) as caught:
        record_report(db, report_for("lao-dong-tien-tien"), actor="a", command="t")
    assert caught.value.key == "store.no_schema"
    assert "tdkt db upgrade" in caught.value.render("en")
    assert "tdkt db upgrade" in caught.value.render("vi")
    refused = CliRunner().invoke(main, ["audit", "annotate", "1", "--note", "x", "--actor",
                                        "lan", "--db", db, "--lang", "en"])
    assert refused.exit_code != 0
    assert "tdkt db upgrade" in " ".join(refused.output.split())


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_an_empty_postgresql_database_needs_upgrade(db: str, raw: Raw) -> None:
    with pytest.raises(StoreError) as caught:
        record_report(db, report_for("lao-dong-tien-tien"), actor="a", command="t")
    assert caught.value.key == "store.no_schema"
    assert raw.scalar("SELECT count(*) FROM information_schema.tables "
                      "WHERE table_schema = current_schema()") == 0
    current = CliRunner().invoke(main, ["db", "current", "--db", db, "--lang", "en"])
    assert current.exit_code == 1 and "tdkt db upgrade" in current.output
    upgrade(db)
    assert record_report(db, report_for("lao-dong-tien-tien"), actor="a",
                         command="t").recorded > 0


def test_a_missing_sqlite_file_is_still_created_on_first_use(tmp_path: Path) -> None:
    """The zero-set-up demo: where no file exists, `--record` makes the store at head."""
    path = tmp_path / "demo.db"
    with Store.open(str(path)) as store:
        assert store.revision.at_head
