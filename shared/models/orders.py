from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, Timestamps


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class ItemKind(StrEnum):
    COMBO = "combo"
    STANDALONE = "standalone"


class Order(Timestamps, Base):
    """An employee's order for one cafe and date; names and prices are copied in when placed."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_user_tgid_order_date", "user_tgid", "order_date"),
        Index("ix_orders_cafe_id_order_date", "cafe_id", "order_date"),
        # One active order per user, cafe and date; a second one is an edit.
        Index(
            "uq_orders_active_per_user_cafe_date",
            "user_tgid",
            "cafe_id",
            "order_date",
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
        ),
        CheckConstraint("total_price >= 0", name="total_not_negative"),
    )
    # The INSERT/UPDATE returns the database's timestamps: no refresh query to show them.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 (SQLAlchemy's declarative hook)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_tgid: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.tgid", ondelete="CASCADE"))
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    status: Mapped[OrderStatus] = mapped_column(String(16), default=OrderStatus.PENDING)
    combo_id: Mapped[int | None] = mapped_column(ForeignKey("combos.id", ondelete="SET NULL"))
    combo_name: Mapped[str | None] = mapped_column(String(200))
    combo_price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    total_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    items: Mapped[list["OrderItem"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OrderItem.position"
    )
    extras: Mapped[list["OrderExtra"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OrderExtra.position"
    )


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ItemKind] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(50))
    menu_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_items.id", ondelete="SET NULL")
    )
    menu_item_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(default=1)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The extra price of each chosen priced option, per portion, copied in when placed
    # ({"Порция": "50.00"}): later menu edits never change what this order cost.
    option_prices: Mapped[dict[str, str]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    # A standalone dish: its price plus its options' prices, per portion. None for a dish
    # picked inside a combo: the combo price covers it (its option_prices are added on top).
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))

    @property
    def options_price(self) -> Decimal:
        """What the chosen options add to one portion."""
        return sum((Decimal(price) for price in (self.option_prices or {}).values()), Decimal(0))


class OrderExtra(Base):
    __tablename__ = "order_extras"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    menu_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_items.id", ondelete="SET NULL")
    )
    menu_item_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
