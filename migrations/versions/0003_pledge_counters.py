"""Pledges: public counters per country and kind, mail cap and reminder columns, settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 21:47:11.432911

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pledge_counters',
    sa.Column('scope', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('online', sa.Integer(), nullable=False),
    sa.Column('offline', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('individual', 'organisation')", name=op.f('ck_pledge_counters_kind')),
    sa.CheckConstraint('online >= 0 AND offline >= 0', name=op.f('ck_pledge_counters_not_negative')),
    sa.PrimaryKeyConstraint('scope', 'kind', name=op.f('pk_pledge_counters'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_mailed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('is_counted', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('pledges', schema=None) as batch_op:
        batch_op.drop_column('moderated_at')
        batch_op.drop_column('is_counted')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('last_mailed_at')

    op.drop_table('settings')
    op.drop_table('pledge_counters')
