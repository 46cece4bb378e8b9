"""Append-only twice over: the application refuses to UPDATE or DELETE evidence, and so
does the database (triggers), whoever connects."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, exc, text, update
from sqlalchemy.orm import Session

from criteria_engine.errors import StoreError
from criteria_engine.history import HistoryEntry
from criteria_engine.store import APPEND_ONLY_TABLES, Store, import_history
from criteria_engine.store._models import AuditEvent, DecisionRow, RuleFileRow, Submission
from tests.store.conftest import Raw

MODELS = [DecisionRow, AuditEvent, Submission, RuleFileRow]
KEYS = {"rule_files": "sha256", "nominees": "nominee_id"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__tablename__)
def test_the_orm_refuses_to_update(recorded: str, model: type) -> None:
    with Store.open(recorded) as store, Session(store.engine) as session:
        row = session.query(model).first()
        assert row is not None
        column = "reason" if model is AuditEvent else (
            "title" if model is RuleFileRow else "facts" if model is Submission else "outcome")
        setattr(row, column, "dat")
        with pytest.raises(StoreError) as caught:
            session.flush()
        assert caught.value.key == "store.append_only"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__tablename__)
def test_the_orm_refuses_to_delete(recorded: str, model: type) -> None:
    with Store.open(recorded) as store, Session(store.engine) as session:
        session.delete(session.query(model).first())
        with pytest.raises(StoreError):
            session.flush()


@pytest.mark.parametrize("statement", [
    update(DecisionRow).values(outcome="dat"),
    delete(AuditEvent),
    text("DELETE FROM decisions WHERE id = 1"),
    text("UPDATE audit_events SET reason = 'x'"),
    text("update  submissions set facts = '{}'"),
], ids=["core-update", "core-delete", "sql-delete", "sql-update", "lower-case"])
def test_the_store_connection_refuses_statements(recorded: str, statement: object) -> None:
    with Store.open(recorded) as store, store.engine.connect() as connection:
        with pytest.raises(StoreError) as caught:
            connection.execute(statement)  # type: ignore[call-overload]
        assert "append-only" in caught.value.render("en")
    with Store.open(recorded) as store:
        assert store.verify().ok


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize("action", ["update", "delete"])
def test_the_database_refuses_changes(recorded: str, raw: Raw, table: str, action: str) -> None:
    if table == "title_history":  # the recorded store has decisions, not yet any history
        import_history(recorded, [HistoryEntry("X-1", 2023, title="lao-dong-tien-tien")],
                       actor="a", source_name="s")
    column = KEYS.get(table, "id")
    statement = (f"UPDATE {table} SET {column} = {column} WHERE {column} IS NOT NULL"
                 if action == "update" else f"DELETE FROM {table}")
    with pytest.raises(exc.DBAPIError) as caught:
        raw.run(statement)
    assert "append-only" in str(caught.value)
    with Store.open(recorded) as store:
        assert store.verify().ok


def test_the_database_refuses_to_delete_the_chain_head(recorded: str, raw: Raw) -> None:
    with pytest.raises(exc.DBAPIError):
        raw.run("DELETE FROM audit_chain_head")


def test_emptying_a_table_is_refused(recorded: str, raw: Raw) -> None:
    """PostgreSQL's TRUNCATE skips row triggers, so a statement trigger refuses it; SQLite's
    whole-table DELETE (its truncate optimisation) still fires the row trigger."""
    for table in ("decisions", "audit_events"):
        with pytest.raises(exc.DBAPIError):
            raw.run(f"TRUNCATE {table} CASCADE" if raw.postgres else f"DELETE FROM {table}")
    assert raw.scalar("SELECT count(*) FROM audit_events") > 0


def test_corrections_are_new_events_not_edits(recorded: str) -> None:
    with Store.open(recorded) as store:
        before = store.show(1)
        event = store.override(1, outcome="khong_dat", reason="Sai minh chứng", actor="lan")
        after = store.show(1)
        assert after.outcome == before.outcome
        assert after.current_outcome == "khong_dat"
        assert [e.id for e in after.events][-1] == event
        assert store.verify().ok


@pytest.mark.parametrize(("outcome", "reason", "key"), [
    ("great", "x", "store.bad_outcome"), ("dat", "  ", "store.reason_required")])
def test_bad_corrections_are_refused(recorded: str, outcome: str, reason: str, key: str) -> None:
    with Store.open(recorded) as store, pytest.raises(StoreError) as caught:
        store.override(1, outcome=outcome, reason=reason, actor="lan")
    assert caught.value.key == key


def test_a_correction_names_an_existing_decision(recorded: str) -> None:
    with Store.open(recorded) as store, pytest.raises(StoreError) as caught:
        store.annotate(10_000, note="?", actor="lan")
    assert caught.value.key == "store.decision_not_found"
