"""The outcome ``hoan_xet`` (deferred) in the outcome checks of decisions and events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

NĐ 152/2025/NĐ-CP Điều 4 khoản 4 (before 2025-07-01: NĐ 98/2023 Điều 4 k4): a nominee
under disciplinary consideration, investigation, or a complaint being verified is not
rewarded *for now*; the engine says ``hoan_xet``, not ``khong_dat``. Only the CHECK
constraints change: no stored row is rewritten, so every stored decision replays as before.

PostgreSQL drops and re-adds the two constraints. SQLite cannot alter a constraint, so the
two tables are rebuilt in batch mode (copy, drop, rename), the way SQLite's own procedure
for rebuilding a table says: with foreign-key enforcement off (``tdkt db upgrade`` turns it
off on its connection before the transaction begins, since it cannot be turned off inside
one), then ``PRAGMA foreign_key_check`` before the transaction ends. The append-only
triggers that the drop takes with it are created again.

Downgrading refuses while any decision or event says ``hoan_xet``: the older schema has
no way to hold it, and evidence is never rewritten to fit.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from criteria_engine.errors import StoreError

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "'dat', 'khong_dat', 'thieu_du_lieu', 'trung_thanh_tich'"
AFTER = BEFORE + ", 'hoan_xet'"
#: (table, constraint name as the naming convention gives it, the check for an outcome list)
CHECKS = (
    ("decisions", "ck_decisions_outcome", "outcome IN ({})"),
    ("audit_events", "ck_audit_events_outcome", "outcome IS NULL OR outcome IN ({})"),
)


def upgrade() -> None:
    _set_outcomes(AFTER)


def downgrade() -> None:
    bind = op.get_bind()
    held = sum(bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE outcome = 'hoan_xet'"))
               .scalar_one() for table, _name, _check in CHECKS)
    if held:
        raise StoreError("store.downgrade_outcome", outcome="hoan_xet", count=held,
                         revision=down_revision)
    _set_outcomes(BEFORE)


def _set_outcomes(outcomes: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, name, check in CHECKS:
            op.drop_constraint(op.f(name), table, type_="check")
            op.create_check_constraint(op.f(name), table, check.format(outcomes))
        return
    bind = op.get_bind()
    enforced = bind.execute(sa.text("PRAGMA foreign_keys")).scalar_one()
    if enforced and bind.execute(sa.text("SELECT count(*) FROM decisions")).scalar_one():
        # Dropping a table that others point at would fail at commit; say how to run it.
        raise StoreError("store.migration_foreign_keys", revision=revision)
    for table, name, check in CHECKS:
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_constraint(op.f(name), type_="check")
            batch.create_check_constraint(op.f(name), check.format(outcomes))
        _sqlite_triggers(table)
    broken = bind.execute(sa.text("PRAGMA foreign_key_check")).first()
    if broken is not None:  # never expected: the rows were copied as they were
        raise StoreError("store.migration_foreign_key_check", table=str(broken[0]))


def _sqlite_triggers(table: str) -> None:
    """The append-only triggers of migration 0001, which the batch's DROP removed."""
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER tdkt_no_{action.lower()}_{table} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'tdkt: {table} is append-only; "
            f"record a correction as a new audit event'); END"
        )
