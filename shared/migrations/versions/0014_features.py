"""reminders, dietary labels, lunch arrivals, bot contacts

Revision ID: 0014_features
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_features"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LABELS = "ARRAY['vegetarian','vegan','spicy','nuts','gluten','lactose','fish']::varchar[]"


def upgrade() -> None:
    op.add_column(
        "menu_items",
        sa.Column(
            "labels",
            sa.ARRAY(sa.String(length=20)),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.create_check_constraint(op.f("ck_menu_items_labels_known"), "menu_items", f"labels <@ {LABELS}")
    op.add_column(
        "users",
        sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.create_table(
        "reminder_settings",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("minutes_before", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_reminder_settings_single_row")),
        sa.CheckConstraint(
            "minutes_before BETWEEN 5 AND 720",
            name=op.f("ck_reminder_settings_minutes_before_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_settings")),
    )
    op.create_table(
        "bot_contacts",
        sa.Column("tgid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tgid", name=op.f("pk_bot_contacts")),
    )
    op.create_table(
        "reminder_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tgids", sa.ARRAY(sa.BigInteger()), nullable=True),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=False),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_rounds")),
    )
    op.create_index(
        "uq_reminder_rounds_scheduled_date",
        "reminder_rounds",
        ["order_date"],
        unique=True,
        postgresql_where=sa.text("kind = 'scheduled'"),
    )
    op.create_index("ix_reminder_rounds_state", "reminder_rounds", ["state"])
    op.create_table(
        "reminder_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_tgid", sa.BigInteger(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_tgid"],
            ["users.tgid"],
            name=op.f("fk_reminder_deliveries_user_tgid_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["reminder_rounds.id"],
            name=op.f("fk_reminder_deliveries_round_id_reminder_rounds"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
        sa.UniqueConstraint(
            "user_tgid", "order_date", name=op.f("uq_reminder_deliveries_user_tgid")
        ),
    )
    op.create_index(
        op.f("ix_reminder_deliveries_order_date"), "reminder_deliveries", ["order_date"]
    )
    op.create_table(
        "cafe_arrivals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cafe_id", sa.Integer(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.BigInteger(), nullable=True),
        sa.Column("reported_by_name", sa.String(length=200), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cafe_id"], ["cafes.id"], name=op.f("fk_cafe_arrivals_cafe_id_cafes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cafe_arrivals")),
        sa.UniqueConstraint("cafe_id", "order_date", name=op.f("uq_cafe_arrivals_cafe_id")),
    )
    op.create_table(
        "arrival_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arrival_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("user_tgid", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["arrival_id"],
            ["cafe_arrivals.id"],
            name=op.f("fk_arrival_notices_arrival_id_cafe_arrivals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_arrival_notices_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrival_notices")),
        sa.UniqueConstraint("order_id", name=op.f("uq_arrival_notices_order_id")),
    )
    op.create_index(op.f("ix_arrival_notices_arrival_id"), "arrival_notices", ["arrival_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_arrival_notices_arrival_id"), table_name="arrival_notices")
    op.drop_table("arrival_notices")
    op.drop_table("cafe_arrivals")
    op.drop_index(op.f("ix_reminder_deliveries_order_date"), table_name="reminder_deliveries")
    op.drop_table("reminder_deliveries")
    op.drop_index("ix_reminder_rounds_state", table_name="reminder_rounds")
    op.drop_index("uq_reminder_rounds_scheduled_date", table_name="reminder_rounds")
    op.drop_table("reminder_rounds")
    op.drop_table("bot_contacts")
    op.drop_table("reminder_settings")
    op.drop_column("users", "reminders_enabled")
    op.drop_constraint(op.f("ck_menu_items_labels_known"), "menu_items", type_="check")
    op.drop_column("menu_items", "labels")
