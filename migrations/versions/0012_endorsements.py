"""Officials' endorsements.

Written by hand.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('office', sa.String(length=200), nullable=False),
    sa.Column('office_key', sa.String(length=200), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=200), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('proof_url', sa.String(length=500), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_canonical', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('review', sa.String(length=10), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_suspect', sa.Boolean(), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=True),
    sa.Column('mails_sent', sa.Integer(), nullable=False),
    sa.Column('last_mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("review IN ('pending', 'verified', 'rejected')", name=op.f('ck_endorsements_review')),
    sa.CheckConstraint("review = 'pending' OR confirmed_at IS NOT NULL", name=op.f('ck_endorsements_reviewed')),
    sa.CheckConstraint('mails_sent >= 0', name=op.f('ck_endorsements_mails_sent')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_endorsements_state_id_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('email_canonical', 'state_id', 'office_key', name=op.f('uq_endorsements_email_canonical_state_id_office_key'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_review'), ['review'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_state_id'), ['state_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_state_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_review'))
    op.drop_table('endorsements')
