"""One decision stands: typed-facts keys, superseding decisions, uses and rows in the chain.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Issue 11, items 2 to 4. A decision recorded from this revision on is named by a ``recorded``
event of the second form (:mod:`criteria_engine.store._chain`), which also hashes:

* ``content_key``: the sha256 of what the decision was judged on, the *typed* facts after
  binding (``88.5`` and ``88.50`` are one number; an explicit null is an absent fact), the
  nominee's name, unit and subject, the achievements claimed, and the rule file. Recording
  the same content again is "already recorded"; a different content for the same nominee,
  title and period is a correction.
* ``supersedes``: the decision a correction replaces (each decision is replaced at most once,
  so the unique index keeps the corrections of one nominee, title and period a single line),
  and ``correction``: what changed (canonical JSON list: ``facts``, ``name``, ``unit``,
  ``subject``, ``achievements``, ``rule``).
* ``claims``: the achievements the record claimed (canonical JSON list of ids), and
  ``uses``: those the decision rewards, each with its rank (``[[id, rank], …]``), so that
  ``verify`` rebuilds the whole ``achievement_uses`` table from the chain and compares it
  both ways.

``audit_events`` gains ``form``: 2 for an event written from this revision on, whose
content also names the sha256 of its run's row (actor, command, times, counts) and, for a
``recorded`` event, of its submission's row; NULL for an event written before.

The columns are nullable and added in place on both back ends (SQLite's ``ADD COLUMN`` keeps
the table and its append-only triggers); a decision recorded before keeps NULL and is
verified as before. Downgrading would turn every decision of the second form into a false
alarm (its event names columns the older schema lacks), so it refuses while one exists,
unless forced (``tdkt db downgrade --force``, which writes a backup first).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from criteria_engine.errors import StoreError
from criteria_engine.store._schema import downgrade_forced

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The new columns of ``decisions`` and their types (as in the models).
COLUMNS: tuple[tuple[str, sa.types.TypeEngine[object]], ...] = (
    ("content_key", sa.String(length=64)), ("supersedes", sa.Integer()),
    ("correction", sa.Text()), ("claims", sa.Text()), ("uses", sa.Text()))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("decisions", sa.Column(name, kind, nullable=True))
    op.create_index("ix_decisions_supersedes", "decisions", ["supersedes"], unique=True)
    op.add_column("audit_events", sa.Column("form", sa.Integer(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    second_form = int(bind.execute(sa.text(
        "SELECT count(*) FROM decisions WHERE content_key IS NOT NULL")).scalar_one())
    second_form += int(bind.execute(sa.text(
        "SELECT count(*) FROM audit_events WHERE form IS NOT NULL")).scalar_one())
    if second_form and not downgrade_forced():  # forced: a backup was written first
        raise StoreError("store.downgrade_second_form", count=second_form,
                         revision=down_revision)
    op.drop_index("ix_decisions_supersedes", table_name="decisions")
    columns = [("audit_events", "form"), *(("decisions", name) for name, _ in COLUMNS)]
    for table, name in reversed(columns):
        if bind.dialect.name == "postgresql":
            op.drop_column(table, name)
        else:  # in place: a batch rebuild would drop the append-only triggers
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
