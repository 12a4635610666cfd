"""Deferred mail: a message the worker writes just before sending it, from a template and the id
of what it is about (a pledge's confirmation), so the request that queues it renders nothing.

Written by hand.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('template_ref', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.drop_column('template_ref')
        batch_op.drop_column('template')
