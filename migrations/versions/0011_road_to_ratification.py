"""Road to ratification: domestic stages (the six defaults seeded) and their changes; the
subscribers' choice of alerts on stage changes.

Written by hand.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:45:00.000000

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

DEFAULT_STAGES = (
    ("no_action", "No known action"),
    ("government_considering", "Under consideration by the government"),
    ("government_approved", "Approved by the government"),
    ("before_parliament", "Before parliament"),
    ("parliament_approved", "Approved by parliament"),
    ("deposited", "Instrument deposited"),
)
LIVE = sa.text("status <> 'rejected'")


def upgrade() -> None:
    stages = op.create_table(
        "road_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("name <> ''", name=op.f("ck_road_stages_name_given")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_road_stages_position")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_stages")),
        sa.UniqueConstraint("key", name=op.f("uq_road_stages_key")),
        sa.UniqueConstraint("name", name=op.f("uq_road_stages_name")),
    )
    op.create_table(
        "road_stage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recorded_via", sa.String(length=12), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'confirmed', 'rejected')",
            name=op.f("ck_road_stage_changes_status"),
        ),
        sa.CheckConstraint(
            "recorded_via IN ('portal', 'back_office')",
            name=op.f("ck_road_stage_changes_recorded_via"),
        ),
        sa.CheckConstraint("source <> ''", name=op.f("ck_road_stage_changes_source_given")),
        sa.CheckConstraint(
            "(status = 'proposed') = (decided_at IS NULL)",
            name=op.f("ck_road_stage_changes_decided_when"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reject_reason <> ''",
            name=op.f("ck_road_stage_changes_rejection_explained"),
        ),
        sa.CheckConstraint(
            "effective_on >= '1990-12-18'", name=op.f("ck_road_stage_changes_after_adoption")
        ),
        sa.ForeignKeyConstraint(
            ["state_id"],
            ["states.id"],
            name=op.f("fk_road_stage_changes_state_id_states"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["road_stages.id"],
            name=op.f("fk_road_stage_changes_stage_id_road_stages"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_road_stage_changes_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_road_stage_changes_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_road_stage_changes_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_stage_changes")),
    )
    with op.batch_alter_table("road_stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_road_stage_changes_state_id"), ["state_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_road_stage_changes_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_road_stage_changes_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index("ix_road_stage_changes_decided_at", ["decided_at"], unique=False)
        batch_op.create_index(
            "uq_road_stage_changes_live",
            ["state_id", "stage_id", "effective_on"],
            unique=True,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "is_alerted_on_stages", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column("is_alerted_on_stages", server_default=None)

    now = dt.datetime.now(dt.timezone.utc)
    if op.get_bind().dialect.name == "sqlite":  # kept as naive UTC text there (campaign.db)
        now = now.replace(tzinfo=None)
    op.bulk_insert(
        stages,
        [
            {
                "key": key,
                "name": name,
                "position": position,
                "is_retired": False,
                "created_at": now,
            }
            for position, (key, name) in enumerate(DEFAULT_STAGES)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("is_alerted_on_stages")
    with op.batch_alter_table("road_stage_changes", schema=None) as batch_op:
        batch_op.drop_index("uq_road_stage_changes_live")
        batch_op.drop_index("ix_road_stage_changes_decided_at")
        batch_op.drop_index(batch_op.f("ix_road_stage_changes_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_road_stage_changes_status"))
        batch_op.drop_index(batch_op.f("ix_road_stage_changes_state_id"))
    op.drop_table("road_stage_changes")
    op.drop_table("road_stages")
