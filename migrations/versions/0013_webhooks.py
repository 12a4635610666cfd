"""Webhooks: organisations' endpoints and the ledger of deliveries.

Written by hand.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 03:35:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
