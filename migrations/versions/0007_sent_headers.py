"""The header block each message went out with, for the outbox view.

Written by hand.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.add_column(sa.Column('sent_headers', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbound_emails') as batch_op:
        batch_op.drop_column('sent_headers')
