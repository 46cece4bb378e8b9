"""The decision store: rule files, nominees, runs, submissions, decisions, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Decisions and audit events (and the rows they rest on) are append-only: triggers
refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL). The chain head row is the
writers' lock and names the last event, so a cut-off chain is detectable.

An applied migration is never edited: change the schema with a new revision.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("rule_files", "nominees", "runs", "submissions", "decisions", "audit_events")
GENESIS = "0" * 64
OUTCOMES = "'dat', 'khong_dat', 'thieu_du_lieu', 'trung_thanh_tich'"


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "nominees",
        sa.Column("nominee_id", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nominee_id", name=op.f("pk_nominees")),
    )
    op.create_table(
        "rule_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_rule_files")),
    )
    op.create_index(op.f("ix_rule_files_rule_id"), "rule_files", ["rule_id"], unique=False)
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=False),
        sa.Column("already_recorded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("nominee_id", sa.String(length=100), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("facts_sha256", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["nominee_id"], ["nominees.nominee_id"],
                                name=op.f("fk_submissions_nominee_id_nominees")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_submissions_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("nominee_id", "period", "facts_sha256",
                            name=op.f("uq_submissions_nominee_id_period_facts_sha256")),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("rule_sha256", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        # Exact decimal text: SQLite has no exact numeric type.
        sa.Column("points", sa.String(length=80), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"outcome IN ({OUTCOMES})", name=op.f("ck_decisions_outcome")),
        sa.ForeignKeyConstraint(["rule_sha256"], ["rule_files.sha256"],
                                name=op.f("fk_decisions_rule_sha256_rule_files")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_decisions_run_id_runs")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_decisions_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("key", name=op.f("uq_decisions_key")),
    )
    op.create_index(op.f("ix_decisions_rule_sha256"), "decisions", ["rule_sha256"], unique=False)
    op.create_index(op.f("ix_decisions_submission_id"), "decisions", ["submission_id"],
                    unique=False)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('recorded', 'overridden', 'annotated')",
                           name=op.f("ck_audit_events_kind")),
        sa.CheckConstraint(f"outcome IS NULL OR outcome IN ({OUTCOMES})",
                           name=op.f("ck_audit_events_outcome")),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"],
                                name=op.f("fk_audit_events_decision_id_decisions")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_audit_events_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_events_prev_hash")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(op.f("ix_audit_events_decision_id"), "audit_events", ["decision_id"],
                    unique=False)
    op.execute(sa.text("INSERT INTO audit_chain_head (id, last_event_id, last_hash) "
                       "VALUES (1, 0, :genesis)").bindparams(genesis=GENESIS))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER tdkt_no_{action.lower()}_{table} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'tdkt: {table} is append-only; "
                f"record a correction as a new audit event'); END"
            )
    op.execute(
        "CREATE TRIGGER tdkt_no_delete_audit_chain_head BEFORE DELETE ON audit_chain_head "
        "BEGIN SELECT RAISE(ABORT, 'tdkt: the audit chain head cannot be deleted'); END"
    )


def _postgresql_triggers() -> None:
    op.execute(
        """
        CREATE FUNCTION tdkt_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'tdkt: % is append-only; record a correction as a new audit event',
                TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END
        $$
        """
    )
    for table in APPEND_ONLY:
        op.execute(f"CREATE TRIGGER tdkt_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION tdkt_refuse_change()")
        op.execute(f"CREATE TRIGGER tdkt_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tdkt_refuse_change()")
    op.execute("CREATE TRIGGER tdkt_append_only BEFORE DELETE ON audit_chain_head "
               "FOR EACH ROW EXECUTE FUNCTION tdkt_refuse_change()")
    op.execute("CREATE TRIGGER tdkt_no_truncate BEFORE TRUNCATE ON audit_chain_head "
               "FOR EACH STATEMENT EXECUTE FUNCTION tdkt_refuse_change()")


def downgrade() -> None:
    # Dropping a table drops its triggers; DROP is not UPDATE or DELETE, so they allow it.
    op.drop_index(op.f("ix_audit_events_decision_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_decisions_submission_id"), table_name="decisions")
    op.drop_index(op.f("ix_decisions_rule_sha256"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("submissions")
    op.drop_table("runs")
    op.drop_index(op.f("ix_rule_files_rule_id"), table_name="rule_files")
    op.drop_table("rule_files")
    op.drop_table("nominees")
    op.drop_table("audit_chain_head")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION tdkt_refuse_change()")
