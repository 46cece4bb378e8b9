"""Title history, decision context, and the outcome ``loai_do_chi_tieu``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

A unit's whole period (issue 10) needs three things kept as evidence:

* the outcome ``loai_do_chi_tieu`` (reached the title, but past its unit's cap) in the
  outcome checks of decisions and audit events;
* ``decisions.context``: canonical JSON of what a decision saw outside its record (its
  derived values with the periods, members and decisions behind them, and its cap
  placement), NULL for a decision that saw nothing, so every row stored before keeps its
  hash;
* ``title_history``: past awards and disciplines imported from a history file,
  append-only like the decisions, each import one ``history_imported`` audit event (whose
  ``decision_id`` is NULL) naming the sha256 of its rows.

No stored row is rewritten. PostgreSQL alters the constraints and columns in place. SQLite
cannot alter a constraint, so ``decisions`` and ``audit_events`` are rebuilt in batch mode
(copy, drop, rename) with foreign-key enforcement off, as in revision 0003, and their
append-only triggers are created again.

Downgrading refuses while anything would be lost or no longer fit: a decision or event
saying ``loai_do_chi_tieu``, a decision with a context, or any history row or import event.
Evidence is never rewritten to fit an older schema.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from criteria_engine.errors import StoreError

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "'dat', 'khong_dat', 'thieu_du_lieu', 'trung_thanh_tich', 'hoan_xet'"
AFTER = BEFORE + ", 'loai_do_chi_tieu'"
KINDS_BEFORE = "'recorded', 'overridden', 'annotated'"
KINDS_AFTER = KINDS_BEFORE + ", 'history_imported'"
#: (table, constraint name as the naming convention gives it, the check for an outcome list)
CHECKS = (
    ("decisions", "ck_decisions_outcome", "outcome IN ({})"),
    ("audit_events", "ck_audit_events_outcome", "outcome IS NULL OR outcome IN ({})"),
)
DECISION_CHECK = "decision_id IS NOT NULL OR kind = 'history_imported'"
HISTORY = "title_history"


def upgrade() -> None:
    _alter(up=True)
    op.create_table(
        HISTORY,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("decision_number", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("issuer_level", sa.String(length=64), nullable=True),
        sa.Column("achievement", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=64), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.CheckConstraint("kind IN ('award', 'discipline')", name=op.f("ck_title_history_kind")),
        sa.CheckConstraint("(kind = 'award' AND title IS NOT NULL AND level IS NULL) OR "
                           "(kind = 'discipline' AND title IS NULL AND level IS NOT NULL)",
                           name=op.f("ck_title_history_shape")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_title_history_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_title_history")),
        sa.UniqueConstraint("key", name=op.f("uq_title_history_key")),
    )
    op.create_index(op.f("ix_title_history_subject"), HISTORY, ["subject"], unique=False)
    op.create_index(op.f("ix_title_history_run_id"), HISTORY, ["run_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER tdkt_append_only BEFORE UPDATE OR DELETE ON {HISTORY} "
                   "FOR EACH ROW EXECUTE FUNCTION tdkt_refuse_change()")
        op.execute(f"CREATE TRIGGER tdkt_no_truncate BEFORE TRUNCATE ON {HISTORY} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tdkt_refuse_change()")
    else:
        _sqlite_triggers(HISTORY)


def downgrade() -> None:
    bind = op.get_bind()

    def count(sql: str) -> int:
        return int(bind.execute(sa.text(sql)).scalar_one())

    held = sum(count(f"SELECT count(*) FROM {table} WHERE outcome = 'loai_do_chi_tieu'")
               for table, _name, _check in CHECKS)
    if held:
        raise StoreError("store.downgrade_outcome", outcome="loai_do_chi_tieu", count=held,
                         revision=down_revision)
    history = (count(f"SELECT count(*) FROM {HISTORY}")
               + count("SELECT count(*) FROM audit_events WHERE kind = 'history_imported'"))
    if history:
        raise StoreError("store.downgrade_history", count=history, revision=down_revision)
    contexts = count("SELECT count(*) FROM decisions WHERE context IS NOT NULL")
    if contexts:
        raise StoreError("store.downgrade_context", count=contexts, revision=down_revision)
    # Dropping the table drops its triggers (DROP is neither UPDATE nor DELETE).
    op.drop_index(op.f("ix_title_history_run_id"), table_name=HISTORY)
    op.drop_index(op.f("ix_title_history_subject"), table_name=HISTORY)
    op.drop_table(HISTORY)
    _alter(up=False)


def _alter(*, up: bool) -> None:
    """The outcome and kind checks, ``decisions.context`` and a nullable
    ``audit_events.decision_id``: added going up, taken away going down."""
    outcomes = AFTER if up else BEFORE
    kinds = KINDS_AFTER if up else KINDS_BEFORE
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, name, check in CHECKS:
            op.drop_constraint(op.f(name), table, type_="check")
            op.create_check_constraint(op.f(name), table, check.format(outcomes))
        op.drop_constraint(op.f("ck_audit_events_kind"), "audit_events", type_="check")
        op.create_check_constraint(op.f("ck_audit_events_kind"), "audit_events",
                                   f"kind IN ({kinds})")
        if up:
            op.add_column("decisions", sa.Column("context", sa.Text(), nullable=True))
            op.alter_column("audit_events", "decision_id", existing_type=sa.Integer(),
                            nullable=True)
            op.create_check_constraint(op.f("ck_audit_events_decision"), "audit_events",
                                       DECISION_CHECK)
        else:
            op.drop_constraint(op.f("ck_audit_events_decision"), "audit_events", type_="check")
            op.alter_column("audit_events", "decision_id", existing_type=sa.Integer(),
                            nullable=False)
            op.drop_column("decisions", "context")
        return
    enforced = bind.execute(sa.text("PRAGMA foreign_keys")).scalar_one()
    if enforced and bind.execute(sa.text("SELECT count(*) FROM decisions")).scalar_one():
        # Dropping a table that others point at would fail at commit; say how to run it.
        raise StoreError("store.migration_foreign_keys", revision=revision)
    with op.batch_alter_table("decisions", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_decisions_outcome"), type_="check")
        batch.create_check_constraint(op.f("ck_decisions_outcome"),
                                      CHECKS[0][2].format(outcomes))
        if up:
            batch.add_column(sa.Column("context", sa.Text(), nullable=True))
        else:
            batch.drop_column("context")
    _sqlite_triggers("decisions")
    with op.batch_alter_table("audit_events", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_audit_events_outcome"), type_="check")
        batch.create_check_constraint(op.f("ck_audit_events_outcome"),
                                      CHECKS[1][2].format(outcomes))
        batch.drop_constraint(op.f("ck_audit_events_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_audit_events_kind"), f"kind IN ({kinds})")
        batch.alter_column("decision_id", existing_type=sa.Integer(), nullable=up)
        if up:
            batch.create_check_constraint(op.f("ck_audit_events_decision"), DECISION_CHECK)
        else:
            batch.drop_constraint(op.f("ck_audit_events_decision"), type_="check")
    _sqlite_triggers("audit_events")
    broken = bind.execute(sa.text("PRAGMA foreign_key_check")).first()
    if broken is not None:  # never expected: the rows were copied as they were
        raise StoreError("store.migration_foreign_key_check", table=str(broken[0]))


def _sqlite_triggers(table: str) -> None:
    """The append-only triggers of migration 0001 (a batch's DROP removes them)."""
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER tdkt_no_{action.lower()}_{table} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'tdkt: {table} is append-only; "
            f"record a correction as a new audit event'); END"
        )
