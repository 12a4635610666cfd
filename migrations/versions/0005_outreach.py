"""Outreach tasks: the same task (state, organisation, kind, title, due date) exists only once.

Written by hand. A unique constraint covers dated tasks; NULLs are distinct in it, so a partial
unique index covers tasks without a due date. Existing duplicates stop the upgrade with a list
of them, rather than being merged or renamed behind anyone's back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = ['state_id', 'organisation_id', 'kind', 'title', 'due_on']
UNDATED = sa.text('due_on IS NULL')


def _refuse_duplicates() -> None:
    keys = ', '.join(COLUMNS)
    duplicates = op.get_bind().execute(sa.text(
        f'SELECT {keys}, COUNT(*) FROM outreach_tasks GROUP BY {keys} HAVING COUNT(*) > 1'
    )).fetchall()
    if duplicates:
        listed = '; '.join(repr(tuple(row)) for row in duplicates[:20])
        raise RuntimeError(
            f'{len(duplicates)} outreach tasks are duplicated ({", ".join(COLUMNS)}, count): '
            f'{listed}. Rename or remove the duplicates, then upgrade again.'
        )


def upgrade() -> None:
    _refuse_duplicates()
    with op.batch_alter_table('outreach_tasks', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_outreach_tasks_same_task', COLUMNS)
    op.create_index(
        'ix_outreach_tasks_same_undated_task',
        'outreach_tasks',
        COLUMNS[:-1],
        unique=True,
        postgresql_where=UNDATED,
        sqlite_where=UNDATED,
    )


def downgrade() -> None:
    op.drop_index('ix_outreach_tasks_same_undated_task', table_name='outreach_tasks')
    with op.batch_alter_table('outreach_tasks', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outreach_tasks_same_task', type_='unique')
