"""Treaty sync: runs against the UN Treaty Collection and the changes they propose.

Revision ID: 0002
Revises: 0001
Written by hand (see campaign/sync/models.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=200), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=True),
        sa.Column("proposal_count", sa.Integer(), nullable=False),
        sa.Column("unknown_names", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('unchanged', 'proposed', 'no_changes', 'failed')",
            name=op.f("ck_sync_runs_outcome"),
        ),
        sa.CheckConstraint(
            "(outcome = 'failed') = (error <> '')", name=op.f("ck_sync_runs_failure_explained")
        ),
        sa.CheckConstraint(
            "row_count IS NULL OR row_count >= 0", name=op.f("ck_sync_runs_row_count")
        ),
        sa.CheckConstraint("proposal_count >= 0", name=op.f("ck_sync_runs_proposal_count")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index("ix_sync_runs_started_at", ["started_at"], unique=False)

    op.create_table(
        "proposed_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=120), nullable=False),
        sa.Column("act", sa.String(length=12), nullable=True),
        sa.Column("method", sa.String(length=12), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("document_name", sa.String(length=200), nullable=False),
        sa.Column("current_status", sa.String(length=12), nullable=False),
        sa.Column("current_signed_on", sa.Date(), nullable=True),
        sa.Column("current_consented_on", sa.Date(), nullable=True),
        sa.Column("current_method", sa.String(length=12), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("status_change_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('new_signature', 'new_party', 'method', 'date_correction', 'conflict')",
            name=op.f("ck_proposed_changes_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'auto_approved')",
            name=op.f("ck_proposed_changes_status"),
        ),
        sa.CheckConstraint(
            "act IS NULL OR act IN ('signature', 'ratification', 'accession')",
            name=op.f("ck_proposed_changes_act"),
        ),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('ratification', 'accession')",
            name=op.f("ck_proposed_changes_method"),
        ),
        sa.CheckConstraint(
            "kind = 'conflict' OR (act IS NOT NULL AND effective_on IS NOT NULL)",
            name=op.f("ck_proposed_changes_act_given"),
        ),
        sa.CheckConstraint(
            "status <> 'auto_approved' OR kind IN ('new_signature', 'new_party')",
            name=op.f("ck_proposed_changes_auto_only_new"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR review_note <> ''",
            name=op.f("ck_proposed_changes_rejection_explained"),
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (reviewed_at IS NULL)",
            name=op.f("ck_proposed_changes_reviewed_when"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["sync_runs.id"], name=op.f("fk_proposed_changes_run_id_sync_runs")
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["states.id"],
            name=op.f("fk_proposed_changes_state_id_states"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_proposed_changes_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["status_change_id"],
            ["status_changes.id"],
            name=op.f("fk_proposed_changes_status_change_id_status_changes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_changes")),
        sa.UniqueConstraint(
            "document_sha256", "fingerprint", name="uq_proposed_changes_same_document"
        ),
    )
    with op.batch_alter_table("proposed_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposed_changes_run_id"), ["run_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_proposed_changes_state_id"), ["state_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposed_changes_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_proposed_changes_pending_fingerprint",
            ["fingerprint"],
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("proposed_changes", schema=None) as batch_op:
        batch_op.drop_index("uq_proposed_changes_pending_fingerprint")
        batch_op.drop_index(batch_op.f("ix_proposed_changes_status"))
        batch_op.drop_index(batch_op.f("ix_proposed_changes_state_id"))
        batch_op.drop_index(batch_op.f("ix_proposed_changes_run_id"))
    op.drop_table("proposed_changes")

    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_runs_started_at")
    op.drop_table("sync_runs")
