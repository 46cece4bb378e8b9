"""The application's PostgreSQL role (issue 11, item 6): after ``tdkt db grant`` it runs
every command, and cannot rewrite history: no trigger switched off or dropped, no update,
delete or truncate. On SQLite the command says what protects a file instead."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from cli import main
from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.history import HistoryEntry
from criteria_engine.store import (
    APPEND_ONLY_TABLES,
    annotate,
    grant_app_role,
    import_history,
    override,
    record_report,
    show_decision,
    verify,
)
from tests.store.conftest import report_for

postgres_only = pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture
def role(db: str, postgres_admin: Engine) -> Iterator[str]:
    """A role name no other test uses (roles are cluster-wide), dropped afterwards."""
    name = f"tdkt_app_{uuid.uuid4().hex[:10]}"
    yield name
    with postgres_admin.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": name}).first():
            connection.execute(text(f"DROP OWNED BY {name}"))
            connection.execute(text(f"DROP ROLE {name}"))


def as_role(db: str, role: str) -> str:
    """The same database and schema, logged in as ``role`` (trust on 127.0.0.1)."""
    return make_url(db).set(username=role).render_as_string(hide_password=False)


def raw_as(db: str, role: str) -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(db)
    options = url.query.get("options")
    return psycopg.connect(host=url.host, port=url.port or 5432, user=role,
                           dbname=url.database, options=str(options) if options else None,
                           autocommit=True)


@postgres_only
def test_the_app_role_runs_every_command(db: str, role: str) -> None:
    grant = grant_app_role(db, role, login=True)
    assert grant.created and grant.login
    assert set(APPEND_ONLY_TABLES) <= set(grant.tables)
    app = as_role(db, role)
    summary = record_report(app, report_for("lao-dong-tien-tien"), actor="lan", command="t")
    assert summary.recorded > 0
    override(app, 1, outcome="dat", reason="Hội đồng xét lại", actor="chủ tịch")
    annotate(app, 1, note="Đã đối chiếu", actor="thư ký")
    imported = import_history(app, [HistoryEntry("A-01", 2022, title="lao-dong-tien-tien")],
                              actor="thư ký", source_name="lich-su.json")
    assert imported.added == 1
    shown = show_decision(app, 1)
    assert (shown.id, shown.current_outcome) == (1, "dat")
    assert verify(app).ok


#: What the owner of a table can do and the application's role must not.
REWRITES = {
    "disable a trigger": "ALTER TABLE decisions DISABLE TRIGGER tdkt_append_only",
    "disable every trigger": "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "drop a trigger": "DROP TRIGGER tdkt_append_only ON decisions",
    "update a decision": "UPDATE decisions SET points = '100'",
    "delete an event": "DELETE FROM audit_events",
    "truncate": "TRUNCATE audit_events CASCADE",
    "delete the head": "DELETE FROM audit_chain_head",
    "drop a table": "DROP TABLE achievement_uses",
    "create a table": "CREATE TABLE audit_events_copy (id integer)",
    "move the revision": "UPDATE alembic_version SET version_num = '0001'",
    "replay as replica": "SET session_replication_role = replica",
}


@postgres_only
def test_the_app_role_cannot_rewrite_history(db: str, role: str) -> None:
    grant_app_role(db, role, login=True)
    record_report(as_role(db, role), report_for("lao-dong-tien-tien"), actor="lan",
                  command="t")
    with raw_as(db, role) as connection:
        refused = {}
        for attempt, statement in REWRITES.items():
            with pytest.raises(psycopg.Error) as caught:
                connection.execute(statement)
            refused[attempt] = caught.value.sqlstate
    # 42501 insufficient privilege, "must be owner" included: refused by the role model,
    # before any trigger is even asked
    assert set(refused.values()) == {"42501"}, refused
    assert verify(db).ok


@postgres_only
def test_granting_twice_gives_the_same_privileges(db: str, role: str,
                                                  postgres_admin: Engine) -> None:
    first = grant_app_role(db, role)
    second = grant_app_role(db, role)
    assert first.created and not first.login
    assert not second.created
    schema = first.schema
    with postgres_admin.connect() as connection:
        rows = connection.execute(text(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = :r AND table_schema = :s"), {"r": role, "s": schema}).all()
    granted: dict[str, set[str]] = {}
    for table, privilege in rows:
        granted.setdefault(table, set()).add(privilege)
    assert granted.pop("audit_chain_head") == {"SELECT", "INSERT", "UPDATE"}
    assert granted.pop("alembic_version") == {"SELECT"}
    assert set(granted) == set(first.tables) - {"audit_chain_head"}
    assert all(privileges == {"SELECT", "INSERT"} for privileges in granted.values())


@postgres_only
def test_only_the_owner_can_grant(db: str, role: str) -> None:
    grant_app_role(db, role, login=True)
    with pytest.raises(StoreError) as caught:
        grant_app_role(as_role(db, role), f"{role}_x")
    assert caught.value.key == "store.grant_refused"
    assert "tdkt db upgrade" in caught.value.render("en")


@pytest.mark.parametrize("name", ["Tdkt", "tdkt-app", "public", "pg_app", "1app", "a;b", "app\n",
                                  "x" * 64])
def test_a_role_name_must_be_a_plain_identifier(name: str) -> None:
    """Checked before anything is sent to the server (here, no server at all)."""
    import criteria_engine.store._roles as roles

    engine = SimpleNamespace(dialect=SimpleNamespace(name="postgresql"),
                             url=make_url("postgresql+psycopg://owner@localhost/tdkt"))
    with pytest.raises(StoreUsageError) as caught:
        roles.grant_app_role(engine, name)  # type: ignore[arg-type]
    assert caught.value.key == "store.bad_role"


def test_sqlite_says_what_protects_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tdkt.db"
    CliRunner().invoke(main, ["db", "upgrade", "--db", str(path)])
    result = CliRunner().invoke(main, ["db", "grant", "--app-role", "tdkt_app", "--db",
                                       str(path), "--lang", "en"])
    assert result.exit_code != 0
    assert "does not apply" in result.output
    assert "permissions" in result.output and "checkpoint" in result.output
    vietnamese = CliRunner().invoke(main, ["db", "grant", "--app-role", "tdkt_app", "--db",
                                           str(path)])
    assert "không áp dụng" in vietnamese.output


@postgres_only
def test_the_grant_command_names_the_role_and_what_it_got(db: str, role: str) -> None:
    result = CliRunner().invoke(main, ["db", "grant", "--app-role", role, "--db", db,
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert role in output and "NOLOGIN" in output
    assert "UPDATE only on audit_chain_head" in output
