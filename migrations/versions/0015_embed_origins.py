"""Embeddable pages: the origins each organisation registered to frame them.

Written by hand.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'embed_origins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('origin', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_embed_origins_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_embed_origins_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_embed_origins')),
        sa.UniqueConstraint('organisation_id', 'origin', name='one_origin'),
    )
    with op.batch_alter_table('embed_origins') as batch_op:
        batch_op.create_index(batch_op.f('ix_embed_origins_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('embed_origins') as batch_op:
        batch_op.drop_index(batch_op.f('ix_embed_origins_organisation_id'))
    op.drop_table('embed_origins')
