"""Held mail: the group (a client's digest) a message is held under until a coordinator decides.

Written by hand.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.add_column(sa.Column('held_for', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_outbound_emails_held_for', ['held_for'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.drop_index('ix_outbound_emails_held_for')
        batch_op.drop_column('held_for')
