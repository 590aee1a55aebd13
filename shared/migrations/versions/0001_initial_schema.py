"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cafes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('tg_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('tg_username', sa.String(length=64), nullable=True),
    sa.Column('notifications_enabled', sa.Boolean(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chat_unreachable_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafes')),
    sa.UniqueConstraint('name', name=op.f('uq_cafes_name'))
    )
    op.create_table('user_access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tgid', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('office', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_access_requests')),
    sa.UniqueConstraint('tgid', name=op.f('uq_user_access_requests_tgid'))
    )
    op.create_table('users',
    sa.Column('tgid', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('office', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('weekly_limit', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tgid', name=op.f('pk_users'))
    )
    op.create_table('cafe_link_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('tg_chat_id', sa.BigInteger(), nullable=False),
    sa.Column('tg_username', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_cafe_link_requests_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafe_link_requests'))
    )
    op.create_index(op.f('ix_cafe_link_requests_cafe_id'), 'cafe_link_requests', ['cafe_id'], unique=False)
    op.create_index('ix_cafe_link_requests_tg_chat_id', 'cafe_link_requests', ['tg_chat_id'], unique=False)
    op.create_index('uq_cafe_link_requests_pending', 'cafe_link_requests', ['cafe_id', 'tg_chat_id'], unique=True, postgresql_where=sa.text("status = 'pending'"))
    op.create_table('combos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('categories', sa.ARRAY(sa.String(length=50)), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('is_available', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_combos_price_not_negative')),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_combos_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_combos'))
    )
    op.create_index(op.f('ix_combos_cafe_id'), 'combos', ['cafe_id'], unique=False)
    op.create_table('deadline_announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('produced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_deadline_announcements_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_announcements')),
    sa.UniqueConstraint('cafe_id', 'order_date', name=op.f('uq_deadline_announcements_cafe_id'))
    )
    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('deadline_time', sa.Time(), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('advance_days', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('advance_days BETWEEN 0 AND 30', name=op.f('ck_deadlines_advance_days_range')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_deadlines_weekday_range')),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_deadlines_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines')),
    sa.UniqueConstraint('cafe_id', 'weekday', name=op.f('uq_deadlines_cafe_id'))
    )
    op.create_table('menu_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('is_available', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('price IS NULL OR price >= 0', name=op.f('ck_menu_items_price_not_negative')),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_menu_items_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_items'))
    )
    op.create_index('ix_menu_items_cafe_id_category', 'menu_items', ['cafe_id', 'category'], unique=False)
    op.create_table('notification_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('parts_total', sa.Integer(), nullable=False),
    sa.Column('parts_sent', sa.Integer(), nullable=False),
    sa.Column('message_ids', sa.ARRAY(sa.BigInteger()), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dead_lettered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_notification_deliveries_cafe_id_cafes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries')),
    sa.UniqueConstraint('cafe_id', 'order_date', name=op.f('uq_notification_deliveries_cafe_id'))
    )
    op.create_table('menu_item_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('menu_item_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('values', sa.ARRAY(sa.String(length=100)), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['menu_item_id'], ['menu_items.id'], name=op.f('fk_menu_item_options_menu_item_id_menu_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_item_options'))
    )
    op.create_index(op.f('ix_menu_item_options_menu_item_id'), 'menu_item_options', ['menu_item_id'], unique=False)
    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_tgid', sa.BigInteger(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('combo_id', sa.Integer(), nullable=True),
    sa.Column('combo_name', sa.String(length=200), nullable=True),
    sa.Column('combo_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('total_price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('total_price >= 0', name=op.f('ck_orders_total_not_negative')),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_orders_cafe_id_cafes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['combo_id'], ['combos.id'], name=op.f('fk_orders_combo_id_combos'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_tgid'], ['users.tgid'], name=op.f('fk_orders_user_tgid_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders'))
    )
    op.create_index('ix_orders_cafe_id_order_date', 'orders', ['cafe_id', 'order_date'], unique=False)
    op.create_index('ix_orders_user_tgid_order_date', 'orders', ['user_tgid', 'order_date'], unique=False)
    op.create_index('uq_orders_active_per_user_cafe_date', 'orders', ['user_tgid', 'cafe_id', 'order_date'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"))
    op.create_table('order_extras',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('menu_item_id', sa.Integer(), nullable=True),
    sa.Column('menu_item_name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_extras_quantity_positive')),
    sa.ForeignKeyConstraint(['menu_item_id'], ['menu_items.id'], name=op.f('fk_order_extras_menu_item_id_menu_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_extras_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_extras'))
    )
    op.create_index(op.f('ix_order_extras_order_id'), 'order_extras', ['order_id'], unique=False)
    op.create_table('order_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('menu_item_id', sa.Integer(), nullable=True),
    sa.Column('menu_item_name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('options', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_items_quantity_positive')),
    sa.ForeignKeyConstraint(['menu_item_id'], ['menu_items.id'], name=op.f('fk_order_items_menu_item_id_menu_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_items_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_items'))
    )
    op.create_index(op.f('ix_order_items_order_id'), 'order_items', ['order_id'], unique=False)
    op.create_table('summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cafe_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['cafe_id'], ['cafes.id'], name=op.f('fk_summaries_cafe_id_cafes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.tgid'], name=op.f('fk_summaries_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summaries')),
    sa.UniqueConstraint('cafe_id', 'order_date', name=op.f('uq_summaries_cafe_id'))
    )


def downgrade() -> None:
    op.drop_table('summaries')
    op.drop_index(op.f('ix_order_items_order_id'), table_name='order_items')
    op.drop_table('order_items')
    op.drop_index(op.f('ix_order_extras_order_id'), table_name='order_extras')
    op.drop_table('order_extras')
    op.drop_index('uq_orders_active_per_user_cafe_date', table_name='orders', postgresql_where=sa.text("status <> 'cancelled'"))
    op.drop_index('ix_orders_user_tgid_order_date', table_name='orders')
    op.drop_index('ix_orders_cafe_id_order_date', table_name='orders')
    op.drop_table('orders')
    op.drop_index(op.f('ix_menu_item_options_menu_item_id'), table_name='menu_item_options')
    op.drop_table('menu_item_options')
    op.drop_table('notification_deliveries')
    op.drop_index('ix_menu_items_cafe_id_category', table_name='menu_items')
    op.drop_table('menu_items')
    op.drop_table('deadlines')
    op.drop_table('deadline_announcements')
    op.drop_index(op.f('ix_combos_cafe_id'), table_name='combos')
    op.drop_table('combos')
    op.drop_index('uq_cafe_link_requests_pending', table_name='cafe_link_requests')
    op.drop_index('ix_cafe_link_requests_tg_chat_id', table_name='cafe_link_requests')
    op.drop_index(op.f('ix_cafe_link_requests_cafe_id'), table_name='cafe_link_requests')
    op.drop_table('cafe_link_requests')
    op.drop_table('users')
    op.drop_table('user_access_requests')
    op.drop_table('cafes')
