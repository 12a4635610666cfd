"""Pledge imports: uploaded CSV files, their column mapping, dry run and run, row by row outcome.

Written by hand.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
