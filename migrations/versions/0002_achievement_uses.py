"""Achievements rewarded by recorded decisions (one achievement, one reward).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c: a later decision that would
reward an achievement listed here is recorded as ``trung_thanh_tich``. Append-only,
like the decisions it points at.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "achievement_uses"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("achievement_id", sa.String(length=100), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("nominee_id", sa.String(length=100), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("rule_version", sa.String(length=64), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_achievement_uses_decision_id_decisions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement_uses")),
    )
    op.create_index(op.f("ix_achievement_uses_achievement_id"), TABLE, ["achievement_id"],
                    unique=False)
    op.create_index(op.f("ix_achievement_uses_decision_id"), TABLE, ["decision_id"],
                    unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER tdkt_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
                   "FOR EACH ROW EXECUTE FUNCTION tdkt_refuse_change()")
        op.execute(f"CREATE TRIGGER tdkt_no_truncate BEFORE TRUNCATE ON {TABLE} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tdkt_refuse_change()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER tdkt_no_{action.lower()}_{TABLE} BEFORE {action} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'tdkt: {TABLE} is append-only; "
                f"record a correction as a new audit event'); END"
            )


def downgrade() -> None:
    # Dropping the table drops its triggers (DROP is neither UPDATE nor DELETE).
    op.drop_index(op.f("ix_achievement_uses_decision_id"), table_name=TABLE)
    op.drop_index(op.f("ix_achievement_uses_achievement_id"), table_name=TABLE)
    op.drop_table(TABLE)
