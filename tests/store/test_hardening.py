"""Hardening (issue 11, item 7): SQLite's REPLACE cannot rewrite an append-only row, verify
runs beside writers (WAL), and a writer kept waiting stops with a clear message in bounded
time on both back ends (SQLite's busy timeout, PostgreSQL's lock and statement timeouts)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from criteria_engine import evaluate_file, load_rule
from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.history import HistoryEntry
from criteria_engine.store import (
    APPEND_ONLY_TABLES,
    Store,
    current_revision,
    downgrade,
    import_history,
    upgrade,
    verify,
)
from tests.store.conftest import EXAMPLE_RULES, report_for
from tests.store.test_achievements import FACTS, _giay_khen_2023, _records

#: Per append-only table, a column a tamperer would change with REPLACE (kept valid).
PAYLOAD = {"rule_files": "title", "nominees": "subject", "runs": "actor",
           "submissions": "name", "decisions": "points", "audit_events": "actor",
           "achievement_uses": "nominee_id", "title_history": "source_name"}
#: Tables tdkt writes "first writer wins": a duplicate is dropped, not refused.
FIRST_WRITER_WINS = ("rule_files", "nominees")


@pytest.fixture
def full_store(tmp_path: Path) -> str:
    """A SQLite store with rows in every append-only table (decisions, an achievement use,
    title history, an override and a note)."""
    path = str(tmp_path / "tdkt.db")
    giay_khen = load_rule(_giay_khen_2023(tmp_path))
    with Store.open(path) as store:
        for name in EXAMPLE_RULES:
            store.record_report(report_for(name), actor="lan", command=f"test {name}")
        store.record_report(evaluate_file(_records(tmp_path, "2023.json", 2023,
                                                   {**FACTS, "achievement_score": 95}),
                                          lambda _: giay_khen), actor="lan", command="test")
        store.override(2, outcome="dat", reason="Hội đồng xét lại", actor="chủ tịch")
        store.annotate(3, note="Đã đối chiếu", actor="thư ký")
    import_history(path, [HistoryEntry("A-01", 2022, title="lao-dong-tien-tien")],
                   actor="thư ký", source_name="lich-su.json")
    with closing(sqlite3.connect(path)) as raw:
        for table in APPEND_ONLY_TABLES:
            assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    assert verify(path).ok
    return path


def _first_row(raw: sqlite3.Connection, table: str) -> tuple[list[str], list[object]]:
    cursor = raw.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT 1")
    return [column[0] for column in cursor.description], list(cursor.fetchone())


def _statements(table: str, columns: list[str]) -> dict[str, str]:
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    payload = PAYLOAD[table]
    return {
        "INSERT OR REPLACE": f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})",
        "REPLACE INTO": f"REPLACE INTO {table} ({names}) VALUES ({marks})",
        "upsert": f"INSERT INTO {table} ({names}) VALUES ({marks}) "
                  f"ON CONFLICT DO UPDATE SET {payload} = excluded.{payload}",
    }


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize("form", ["INSERT OR REPLACE", "REPLACE INTO", "upsert"])
def test_replace_cannot_rewrite_an_append_only_row(full_store: str, table: str,
                                                   form: str) -> None:
    """Through the raw sqlite3 module (no recursive_triggers, no tdkt code in the way):
    the stored row is unchanged, the statement is refused (or, for the first-writer-wins
    tables, dropped as tdkt's own duplicate inserts are), and verify still says intact."""
    with closing(sqlite3.connect(full_store)) as raw:
        columns, row = _first_row(raw, table)
        changed = list(row)
        changed[columns.index(PAYLOAD[table])] = "ĐÃ SỬA"
        statement = _statements(table, columns)[form]
        if table in FIRST_WRITER_WINS:
            raw.execute(statement, changed)
            raw.commit()
        else:
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                raw.execute(statement, changed)
            raw.rollback()
        assert _first_row(raw, table) == (columns, row)
    assert verify(full_store).ok


def test_the_chain_head_cannot_be_replaced(full_store: str) -> None:
    """Moving the head back is an UPDATE (only writers holding the lock); a REPLACE of the
    head row, which would skip the delete trigger, is refused."""
    with closing(sqlite3.connect(full_store)) as raw:
        with pytest.raises(sqlite3.DatabaseError, match="chain head"):
            raw.execute("INSERT OR REPLACE INTO audit_chain_head (id, last_event_id, "
                        "last_hash) VALUES (1, 0, ?)", ("0" * 64,))
        raw.rollback()
    assert verify(full_store).ok


def test_tdkt_records_the_same_rule_file_and_nominee_again(full_store: str) -> None:
    """tdkt's own "first writer wins" inserts still work under the new triggers."""
    with Store.open(full_store) as store:
        summary = store.record_report(report_for("lao-dong-tien-tien"), actor="lan",
                                      command="again")
        assert summary.recorded == 0
        assert store.verify().ok


def test_a_unique_index_added_later_is_covered(full_store: str) -> None:
    """The triggers are derived from the table at migration time, so 0006's unique
    ``supersedes`` is one of the keys a REPLACE would have matched on."""
    with closing(sqlite3.connect(full_store)) as raw:
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = "
                          "'tdkt_no_replace_decisions'").fetchone()[0]
    assert '"supersedes" = NEW."supersedes"' in sql
    assert '"key" = NEW."key"' in sql


def test_downgrading_0007_drops_its_triggers_only(tmp_path: Path) -> None:
    path = str(tmp_path / "tdkt.db")
    upgrade(path)

    def triggers() -> set[str]:
        with closing(sqlite3.connect(path)) as raw:
            return {name for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    at_head = triggers()
    assert {f"tdkt_no_replace_{table}" for table in APPEND_ONLY_TABLES} < at_head
    migration = downgrade(path, "0006")
    assert migration.after.current == "0006"
    assert triggers() == {name for name in at_head if not name.startswith("tdkt_no_replace_")}
    assert upgrade(path).after.current == current_revision(path)[1].head
    assert triggers() == at_head


# -- WAL and the busy timeout (SQLite) -------------------------------------------------


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    """Writers wait one second for a lock here, so a blocked one fails the test fast."""
    monkeypatch.setenv("TDKT_BUSY_TIMEOUT", "1")
    return 1.0


def test_a_file_store_is_in_wal_mode(tmp_path: Path) -> None:
    path = str(tmp_path / "tdkt.db")
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_reader_snapshot_does_not_block_a_writer(tmp_path: Path, short_wait: float) -> None:
    """verify holds one snapshot for its whole run; a writer meanwhile commits at once,
    and the reader keeps seeing the store as it was when it began."""
    path = str(tmp_path / "tdkt.db")
    with Store.open(path) as reader, Store.open(path) as writer:
        writer.record_report(report_for("lao-dong-tien-tien"), actor="a", command="t")
        with reader._reading() as snapshot:
            before = snapshot.execute(text("SELECT count(*) FROM decisions")).scalar_one()
            started = time.monotonic()
            writer.record_report(report_for("dien-hinh-tien-tien-ca-nhan"), actor="a",
                                 command="t")
            assert time.monotonic() - started < short_wait
            assert snapshot.execute(text("SELECT count(*) FROM decisions")).scalar_one() == before
        assert writer.verify().ok


def test_a_writer_does_not_block_a_reader(tmp_path: Path, short_wait: float) -> None:
    """A writer holding the write lock mid-transaction: verify still reads (the last
    committed state) and finishes."""
    path = str(tmp_path / "tdkt.db")
    with Store.open(path) as store:
        store.record_report(report_for("lao-dong-tien-tien"), actor="a", command="t")
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE audit_chain_head SET updated_at = updated_at")
        started = time.monotonic()
        assert verify(path).ok
        assert time.monotonic() - started < 30
        writer.execute("ROLLBACK")


def test_a_writer_kept_waiting_stops_with_the_locked_message(tmp_path: Path,
                                                             short_wait: float) -> None:
    path = str(tmp_path / "tdkt.db")
    with Store.open(path) as store:
        store.record_report(report_for("lao-dong-tien-tien"), actor="a", command="t")
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreError) as caught, Store.open(path) as store:
            store.annotate(1, note="chờ", actor="a")
        waited = time.monotonic() - started
        other.execute("ROLLBACK")
    assert caught.value.key == "store.locked"
    assert short_wait * 0.8 < waited < short_wait + 10
    assert "run again later" in caught.value.render("en")


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1e9"])
def test_a_bad_timeout_setting_is_refused_by_name(tmp_path: Path, value: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TDKT_BUSY_TIMEOUT", value)
    with pytest.raises(StoreUsageError) as caught:
        Store.open(str(tmp_path / "tdkt.db"))
    assert caught.value.key == "store.bad_timeout"
    assert "TDKT_BUSY_TIMEOUT" in caught.value.render("en")


# -- PostgreSQL: lock_timeout and statement_timeout for writers ------------------------


@pytest.fixture
def pg_store(db: str) -> Iterator[str]:
    if "://" not in db:
        pytest.skip("PostgreSQL only")
    with Store.open(db) as store:
        store.record_report(report_for("lao-dong-tien-tien"), actor="a", command="t")
    yield db


def _holding_the_head(db: str) -> psycopg.Connection[tuple[object, ...]]:
    """Another session holding the chain head's row lock (a stuck writer)."""
    from sqlalchemy.engine import make_url

    url = make_url(db)
    options = url.query.get("options")
    holder = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                             dbname=url.database, options=str(options) if options else None)
    holder.execute("SELECT * FROM audit_chain_head FOR UPDATE")
    return holder


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_postgresql_writer_gives_up_after_the_lock_timeout(
        pg_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TDKT_BUSY_TIMEOUT", "1")
    holder = _holding_the_head(pg_store)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught, Store.open(pg_store) as store:
            store.annotate(1, note="chờ", actor="a")
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert caught.value.key == "store.lock_timeout"
    assert 0.8 < waited < 10
    assert "TDKT_BUSY_TIMEOUT" in caught.value.render("en")
    assert "giây" in caught.value.render("vi")
    with Store.open(pg_store) as store:  # the lock released, writing works again
        store.annotate(1, note="xong", actor="a")
        assert store.verify().ok


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_postgresql_writer_statement_is_bounded(pg_store: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A statement running past ``TDKT_STATEMENT_TIMEOUT`` (here: waiting on the lock
    longer than the statement may run) is stopped, with its own message."""
    monkeypatch.setenv("TDKT_BUSY_TIMEOUT", "30")
    monkeypatch.setenv("TDKT_STATEMENT_TIMEOUT", "1")
    holder = _holding_the_head(pg_store)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught, Store.open(pg_store) as store:
            store.annotate(1, note="chờ", actor="a")
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert caught.value.key == "store.statement_timeout"
    assert 0.8 < waited < 10
    assert "TDKT_STATEMENT_TIMEOUT" in caught.value.render("en")


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_only_writers_are_bounded(pg_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``SET LOCAL`` in a writer's transaction only: verify on a big store is never cut
    off, and the settings end with the transaction."""
    monkeypatch.setenv("TDKT_BUSY_TIMEOUT", "2")
    with Store.open(pg_store) as store:
        with store._writing() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "2s"
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "10min"
        with store._reading() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "0"
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "0"
