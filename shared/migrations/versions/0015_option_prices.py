"""a dish option's extra price, and the option prices copied into each order line

Revision ID: 0015_option_prices
Revises: 0014_features
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015_option_prices"
down_revision: str | None = "0014_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing options cost nothing extra, as before.
    op.add_column(
        "menu_item_options",
        sa.Column(
            "price",
            sa.Numeric(precision=10, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
    )
    op.create_check_constraint(
        op.f("ck_menu_item_options_price_not_negative"), "menu_item_options", "price >= 0"
    )
    # Orders placed before this revision chose no priced option: an empty map is their truth.
    op.add_column(
        "order_items",
        sa.Column(
            "option_prices",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("order_items", "option_prices")
    # op.f: the name is final; a plain string would get the naming convention's prefix again.
    op.drop_constraint(
        op.f("ck_menu_item_options_price_not_negative"), "menu_item_options", type_="check"
    )
    op.drop_column("menu_item_options", "price")
