"""Bounces: the reports that an address could not be reached, and the one suppression list.

Written by hand.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bounce_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_key', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('address_key', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=4), nullable=False),
        sa.Column('source', sa.String(length=7), nullable=False),
        sa.Column('outbox_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('hard', 'soft')", name=op.f('ck_bounce_reports_kind')),
        sa.CheckConstraint(
            "source IN ('smtp', 'dsn', 'webhook')", name=op.f('ck_bounce_reports_source')
        ),
        sa.ForeignKeyConstraint(
            ['outbox_id'], ['outbound_emails.id'],
            name=op.f('fk_bounce_reports_outbox_id_outbound_emails'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bounce_reports')),
        sa.UniqueConstraint('report_key', name=op.f('uq_bounce_reports_report_key')),
    )
    op.create_index(
        op.f('ix_bounce_reports_address_key'), 'bounce_reports', ['address_key'], unique=False
    )
    op.create_table(
        'suppressions',
        sa.Column('address_key', sa.String(length=254), nullable=False),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('soft_bounces', sa.Integer(), nullable=False),
        sa.Column('suppressed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('address_key', name=op.f('pk_suppressions')),
    )


def downgrade() -> None:
    op.drop_table('suppressions')
    op.drop_index(op.f('ix_bounce_reports_address_key'), table_name='bounce_reports')
    op.drop_table('bounce_reports')
