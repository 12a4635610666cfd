"""International Migrants Day events and the materials library.

Written by hand.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:35:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

KINDS = "'panel', 'briefing', 'vigil', 'march', 'online', 'hybrid'"
LANGUAGES = "'ar', 'zh', 'en', 'fr', 'ru', 'es'"
MATERIAL_KINDS = "'summary', 'flyer', 'guide', 'letter_template', 'report'"
REGIONS = "'Africa', 'America', 'Asia', 'Europe', 'Oceania'"
CONTENT_TYPES = (
    "'application/pdf', 'image/png', 'image/jpeg', 'image/webp', "
    "'application/vnd.openxmlformats-officedocument.wordprocessingml.document', "
    "'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', "
    "'application/vnd.openxmlformats-officedocument.presentationml.presentation', "
    "'application/vnd.oasis.opendocument.text'"
)


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=500), nullable=False),
    sa.Column('review', sa.String(length=10), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_via', sa.String(length=6), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f('ck_events_kind')),
    sa.CheckConstraint("review IN ('pending', 'approved', 'rejected')", name=op.f('ck_events_review')),
    sa.CheckConstraint(f"language IN ({LANGUAGES})", name=op.f('ck_events_language')),
    sa.CheckConstraint("created_via IN ('admin', 'portal')", name=op.f('ck_events_created_via')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint("kind = 'online' OR (state_id IS NOT NULL AND city <> '')", name=op.f('ck_events_has_place')),
    sa.CheckConstraint("kind NOT IN ('online', 'hybrid') OR online_url IS NOT NULL", name=op.f('ck_events_has_link')),
    sa.CheckConstraint("review <> 'rejected' OR review_reason <> ''", name=op.f('ck_events_rejection_reason')),
    sa.CheckConstraint("review <> 'approved' OR published_at IS NOT NULL", name=op.f('ck_events_published')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_events_state_id_states')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_events_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['outreach_tasks.id'], name=op.f('fk_events_task_id_outreach_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('task_id', name=op.f('uq_events_task_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_review_starts_at', ['review', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_state_id'), ['state_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_published_at'), ['published_at'], unique=False)

    op.create_table('event_organisations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'organisation_id', name=op.f('pk_event_organisations'))
    )
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state_id', sa.Integer(), nullable=True),
    sa.Column('region', sa.String(length=20), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"kind IN ({MATERIAL_KINDS})", name=op.f('ck_materials_kind')),
    sa.CheckConstraint(f"language IN ({LANGUAGES})", name=op.f('ck_materials_language')),
    sa.CheckConstraint(f"region IS NULL OR region IN ({REGIONS})", name=op.f('ck_materials_region')),
    sa.CheckConstraint('state_id IS NULL OR region IS NULL', name=op.f('ck_materials_state_or_region')),
    sa.ForeignKeyConstraint(['state_id'], ['states.id'], name=op.f('fk_materials_state_id_states')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_materials_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_state_id'), ['state_id'], unique=False)

    op.create_table('material_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=160), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('downloads', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"content_type IN ({CONTENT_TYPES})", name=op.f('ck_material_versions_content_type')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_material_versions_not_empty')),
    sa.CheckConstraint('downloads >= 0', name=op.f('ck_material_versions_downloads')),
    sa.CheckConstraint('number > 0', name=op.f('ck_material_versions_number')),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_material_versions_material_id_materials'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_material_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_versions')),
    sa.UniqueConstraint('material_id', 'number', name=op.f('uq_material_versions_material_id_number')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_material_versions_storage_key'))
    )
    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_versions_material_id'), ['material_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('material_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_versions_material_id'))
    op.drop_table('material_versions')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_state_id'))
        batch_op.drop_index(batch_op.f('ix_materials_language'))
        batch_op.drop_index(batch_op.f('ix_materials_kind'))
    op.drop_table('materials')
    with op.batch_alter_table('event_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisations_organisation_id'))
    op.drop_table('event_organisations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_published_at'))
        batch_op.drop_index(batch_op.f('ix_events_state_id'))
        batch_op.drop_index('ix_events_review_starts_at')
    op.drop_table('events')
