"""Append-only triggers that hold against SQLite's ``REPLACE``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Issue 11, item 7. SQLite's ``INSERT OR REPLACE`` (and ``REPLACE INTO``) deletes the row that
holds the same primary key or unique value and inserts the new one, and the delete fires no
delete trigger unless the connection turned ``recursive_triggers`` on; a tamperer with the
raw ``sqlite3`` module does not. So migration 0001's "no update, no delete" triggers let a
stored decision or event be rewritten in one statement.

This revision adds one ``BEFORE INSERT`` trigger per append-only table that fires when a
row with the new row's primary key, or with any of its unique values, already exists. The
unique columns are read from the table as it stands when the migration runs (so 0006's
unique ``decisions.supersedes`` is covered, and a unique index of several columns is
matched on all of them). Two kinds of refusal:

* ``rule_files`` and ``nominees`` are written "first writer wins" (tdkt inserts them with
  ``ON CONFLICT DO NOTHING``): the trigger answers ``RAISE(IGNORE)``, so the existing row
  stays and the new one is dropped, whatever conflict clause the statement names;
* every other append-only table is never inserted twice with one key by tdkt: the trigger
  answers ``RAISE(ABORT, …)`` and the statement fails.

``audit_chain_head`` has exactly one row: a second insert (a ``REPLACE`` of the head) is
refused too; moving the head is an ``UPDATE``, which only writers holding the lock do.
An upsert (``INSERT … ON CONFLICT DO UPDATE``) is refused by the same triggers, and would
be by 0001's update triggers anyway.

PostgreSQL has no ``REPLACE``, and its upsert fires the update triggers: nothing to do.
Downgrading drops these triggers and nothing else; no row is touched.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The append-only tables at revision 0006 (as ``APPEND_ONLY_TABLES`` names them then;
#: written out, since an applied migration must not change when the models do).
APPEND_ONLY_TABLES = ("rule_files", "nominees", "runs", "submissions", "decisions",
                      "audit_events", "achievement_uses", "title_history")
#: Tables whose rows tdkt itself inserts "first writer wins": a duplicate is dropped.
FIRST_WRITER_WINS = ("rule_files", "nominees")
HEAD = "audit_chain_head"


def trigger_name(table: str) -> str:
    return f"tdkt_no_replace_{table}"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    inspector = sa.inspect(bind)
    present = set(inspector.get_table_names())
    for table in APPEND_ONLY_TABLES:
        if table not in present:
            continue
        keys = _keys(inspector, table)
        exists = " OR ".join(
            f"EXISTS (SELECT 1 FROM {table} WHERE "
            + " AND ".join(f'"{column}" = NEW."{column}"' for column in key) + ")"
            for key in keys)
        action = ("RAISE(IGNORE)" if table in FIRST_WRITER_WINS else
                  f"RAISE(ABORT, 'tdkt: {table} is append-only; a row with this key or "
                  f"unique value exists and is never replaced')")
        op.execute(f"CREATE TRIGGER {trigger_name(table)} BEFORE INSERT ON {table} "
                   f"WHEN {exists} BEGIN SELECT {action}; END")
    op.execute(f"CREATE TRIGGER {trigger_name(HEAD)} BEFORE INSERT ON {HEAD} "
               f"WHEN EXISTS (SELECT 1 FROM {HEAD}) BEGIN SELECT RAISE(ABORT, "
               f"'tdkt: the audit chain head has one row and is never replaced'); END")


def _keys(inspector: sa.Inspector, table: str) -> list[tuple[str, ...]]:
    """The primary key and every unique constraint or unique index, each a column tuple."""
    keys: list[tuple[str, ...]] = []
    primary = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
    if primary:
        keys.append(primary)
    for constraint in inspector.get_unique_constraints(table):
        keys.append(tuple(constraint["column_names"]))
    for index in inspector.get_indexes(table):
        columns = tuple(str(name) for name in index["column_names"] if name is not None)
        # an index on an expression has no column name to match on: none exist in tdkt
        if index["unique"] and len(columns) == len(index["column_names"]):
            keys.append(columns)
    return list(dict.fromkeys(keys))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in (*APPEND_ONLY_TABLES, HEAD):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}")
