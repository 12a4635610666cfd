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
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('prefix', sa.String(length=12), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.String(length=20), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scopes IN ('read', 'write', 'read write')", name=op.f('ck_api_keys_scopes')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_keys_created_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_api_keys_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
        sa.UniqueConstraint('prefix', name=op.f('uq_api_keys_prefix')),
    )
    with op.batch_alter_table('api_keys') as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_organisation_id'), ['organisation_id'], unique=False)

    # Existing pledges all came through the site's forms: the server default says so.
    with op.batch_alter_table('pledges') as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), server_default='form', nullable=False))
        batch_op.add_column(sa.Column('source_organisation_id', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_pledges_source'), "source IN ('form', 'embed', 'osdi', 'import')")
        batch_op.create_foreign_key(batch_op.f('fk_pledges_source_organisation_id_organisations'), 'organisations', ['source_organisation_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_pledges_source_organisation_id'), ['source_organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pledges') as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledges_source_organisation_id'))
        batch_op.drop_constraint(batch_op.f('fk_pledges_source_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_pledges_source'), type_='check')
        batch_op.drop_column('source_organisation_id')
        batch_op.drop_column('source')
    with op.batch_alter_table('api_keys') as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_organisation_id'))
    op.drop_table('api_keys')
