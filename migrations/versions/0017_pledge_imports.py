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
    op.create_table(
        'pledge_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('original_name', sa.String(length=200), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('delimiter', sa.String(length=1), nullable=False),
        sa.Column('header', sa.JSON(), nullable=False),
        sa.Column('total_rows', sa.Integer(), nullable=False),
        sa.Column('data_offset', sa.BigInteger(), nullable=False),
        sa.Column('header_row', sa.Integer(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=True),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('send_mail', sa.Boolean(), nullable=False),
        sa.Column('phase', sa.String(length=10), nullable=True),
        sa.Column('processed', sa.Integer(), nullable=False),
        sa.Column('offset', sa.BigInteger(), nullable=False),
        sa.Column('last_row', sa.Integer(), nullable=False),
        sa.Column('created', sa.Integer(), nullable=False),
        sa.Column('merged', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
        sa.Column('mailed', sa.Integer(), nullable=False),
        sa.Column('dry_created', sa.Integer(), nullable=True),
        sa.Column('dry_merged', sa.Integer(), nullable=True),
        sa.Column('dry_refused', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('uploaded', 'checking', 'checked', 'running', 'done', 'failed', 'discarded')", name=op.f('ck_pledge_imports_state')),
        sa.CheckConstraint("phase IS NULL OR phase IN ('dry_run', 'run')", name=op.f('ck_pledge_imports_phase')),
        sa.CheckConstraint('processed >= 0 AND created >= 0 AND merged >= 0 AND refused >= 0', name=op.f('ck_pledge_imports_counts')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pledge_imports_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_imports')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_pledge_imports_stored_name')),
    )
    with op.batch_alter_table('pledge_imports') as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_imports_created_by_id'), ['created_by_id'], unique=False)

    op.create_table(
        'pledge_import_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('phase', sa.String(length=10), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.CheckConstraint("phase IN ('dry_run', 'run')", name=op.f('ck_pledge_import_notes_phase')),
        sa.CheckConstraint("outcome IN ('created', 'merged', 'refused')", name=op.f('ck_pledge_import_notes_outcome')),
        sa.ForeignKeyConstraint(['import_id'], ['pledge_imports.id'], name=op.f('fk_pledge_import_notes_import_id_pledge_imports'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge_import_notes')),
    )
    with op.batch_alter_table('pledge_import_notes') as batch_op:
        batch_op.create_index('ix_pledge_import_notes_listing', ['import_id', 'phase', 'outcome', 'line'], unique=False)

    op.create_table(
        'pledge_import_addresses',
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('email_canonical', sa.String(length=254), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['pledge_imports.id'], name=op.f('fk_pledge_import_addresses_import_id_pledge_imports'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('import_id', 'kind', 'email_canonical', name=op.f('pk_pledge_import_addresses')),
    )

    op.create_table(
        'imported_pledges',
        sa.Column('pledge_id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['pledge_imports.id'], name=op.f('fk_imported_pledges_import_id_pledge_imports'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['pledge_id'], ['pledges.id'], name=op.f('fk_imported_pledges_pledge_id_pledges'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('pledge_id', name=op.f('pk_imported_pledges')),
    )
    with op.batch_alter_table('imported_pledges') as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_pledges_import_id'), ['import_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('imported_pledges') as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_pledges_import_id'))
    op.drop_table('imported_pledges')
    op.drop_table('pledge_import_addresses')
    with op.batch_alter_table('pledge_import_notes') as batch_op:
        batch_op.drop_index('ix_pledge_import_notes_listing')
    op.drop_table('pledge_import_notes')
    with op.batch_alter_table('pledge_imports') as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_imports_created_by_id'))
    op.drop_table('pledge_imports')
