"""The application's PostgreSQL role: what tdkt needs to run, and nothing that rewrites history.

The role that ran ``tdkt db upgrade`` owns the tables, and an owner can ``ALTER TABLE …
DISABLE TRIGGER``, ``DROP TRIGGER`` or ``TRUNCATE`` its way past every append-only
trigger. So the application runs under another role, given exactly::

    USAGE   on the schema holding the tdkt tables (not CREATE)
    SELECT  on every tdkt table and alembic_version (the revision check)
    INSERT  on every tdkt table (recording, overriding, annotating, importing history)
    UPDATE  on audit_chain_head only (the writers' lock, ``SELECT … FOR UPDATE``, and
            the head moving forward)

and no DELETE, TRUNCATE, REFERENCES or TRIGGER, no ownership; what it held before on
these tables is revoked first, so granting twice gives the same result. The role is
created when missing, ``NOLOGIN`` unless asked: a login role without a password is
useless wherever the server asks for one, so either the DBA grants it to the
application's login role (``GRANT tdkt_app TO app_login``), or creates it with
``--login`` and sets its password (``ALTER ROLE tdkt_app PASSWORD …``). Run
:func:`grant_app_role` again after each ``tdkt db upgrade`` that adds a table.

SQLite has no roles: :func:`grant_app_role` says so, and what protects a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, exc, text

from criteria_engine.errors import StoreError, StoreUsageError
from criteria_engine.store._connect import WRITE, describe, why
from criteria_engine.store._models import Base
from criteria_engine.store._schema import ensure_current

__all__ = ["HEAD_TABLE", "RoleGrant", "grant_app_role"]

#: The one table the application updates: the chain head (its lock and position).
HEAD_TABLE = "audit_chain_head"
#: Unquoted PostgreSQL identifiers only, so the name needs no quoting rules to be safe.
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_RESERVED = ("public", "none", "current_user", "session_user", "current_role")


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """What ``tdkt db grant`` did: the role, whether it was created, and where."""

    database: str
    role: str
    created: bool
    login: bool
    schema: str
    tables: tuple[str, ...]


def grant_app_role(engine: Engine, role: str, *, login: bool = False) -> RoleGrant:
    """Create ``role`` if missing and give it the application's privileges, nothing more.

    Raises :class:`StoreUsageError` on SQLite (saying what protects a file) or for a
    name that is not a plain lowercase identifier, and :class:`StoreError` when the
    database is not a tdkt store at head or the caller may not grant (not the owner).
    """
    database = describe(engine.url)
    if engine.dialect.name != "postgresql":
        raise StoreUsageError("store.grant_sqlite", database=database)
    if not _ROLE_NAME.fullmatch(role) or role in _RESERVED or role.startswith("pg_"):
        raise StoreUsageError("store.bad_role", role=role)
    ensure_current(engine)
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        current = connection.execute(text("SELECT current_user")).scalar_one()
        if current == role:
            raise StoreUsageError("store.bad_role", role=role)
        try:
            return _grant(connection, database, role, login=login)
        except exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == "42501":
                raise StoreError("store.grant_refused", problem=why(error)) from None
            raise


def _grant(connection: Connection, database: str, role: str, *, login: bool) -> RoleGrant:
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    present = set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    tables = tuple(table.name for table in Base.metadata.sorted_tables if table.name in present)
    existed = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                                 {"role": role}).first() is not None
    if not existed:
        connection.exec_driver_sql(f"CREATE ROLE {role} {'LOGIN' if login else 'NOLOGIN'}")
    connection.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
    for table in (*tables, "alembic_version"):
        connection.exec_driver_sql(f'REVOKE ALL ON "{schema}"."{table}" FROM {role}')
    for table in tables:
        connection.exec_driver_sql(f'GRANT SELECT, INSERT ON "{schema}"."{table}" TO {role}')
    connection.exec_driver_sql(f'GRANT UPDATE ON "{schema}"."{HEAD_TABLE}" TO {role}')
    connection.exec_driver_sql(f'GRANT SELECT ON "{schema}"."alembic_version" TO {role}')
    is_login = bool(connection.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = "
                                            ":role"), {"role": role}).scalar_one())
    return RoleGrant(database=database, role=role, created=not existed, login=is_login,
                     schema=str(schema), tables=tables)
