"""Each decision keeps the name, unit and subject its ``recorded`` event hashed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Issue 11, item 1: a ``recorded`` event hashes the nominee's name, unit and subject as the
decision was given them, but ``verify`` rebuilt them from the shared ``submissions`` row
(one per nominee, period and facts) and the ``nominees`` row (the first writer's subject).
Recording the same facts again under another title with a corrected name or unit, or
reusing an id for a collective, made every later event look edited, forever.

``decisions`` gains three nullable columns, ``name``, ``unit`` and ``subject``: what the
event hashed. ``subject`` is never NULL for a decision recorded from this revision on, so
it marks the rows that carry their own names; a decision recorded before keeps NULL in all
three and is verified as before, from its submission and nominee rows. No stored row is
rewritten, and the columns are added in place on both back ends (SQLite's ``ADD COLUMN``
keeps the table and its append-only triggers).

Downgrading refuses while a decision's own name, unit or subject differs from what the
older schema would rebuild it from (its submission and nominee rows): dropping the column
would turn that decision into a false alarm. Otherwise the columns hold nothing the older
schema lacks, and are dropped (SQLite ``DROP COLUMN``, 3.35 and later, in place).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from criteria_engine.errors import StoreError

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The new columns of ``decisions`` and their types (as in the models).
COLUMNS: tuple[tuple[str, sa.types.TypeEngine[str]], ...] = (
    ("name", sa.Text()), ("unit", sa.Text()), ("subject", sa.String(length=20)))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("decisions", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    differs = "IS DISTINCT FROM" if bind.dialect.name == "postgresql" else "IS NOT"
    own = int(bind.execute(sa.text(
        "SELECT count(*) FROM decisions d "
        "JOIN submissions s ON s.id = d.submission_id "
        "JOIN nominees n ON n.nominee_id = s.nominee_id "
        f"WHERE d.subject IS NOT NULL AND (d.name {differs} s.name "
        f"OR d.unit {differs} s.unit OR d.subject {differs} n.subject)")).scalar_one())
    if own:
        raise StoreError("store.downgrade_names", count=own, revision=down_revision)
    for name, _kind in reversed(COLUMNS):
        if bind.dialect.name == "postgresql":
            op.drop_column("decisions", name)
        else:  # in place: a batch rebuild would drop the append-only triggers
            op.execute(f"ALTER TABLE decisions DROP COLUMN {name}")
