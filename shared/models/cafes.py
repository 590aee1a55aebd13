from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, CreatedAt
from shared.models.users import RequestStatus


class Cafe(CreatedAt, Base):
    __tablename__ = "cafes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(default=True)
    tg_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    tg_username: Mapped[str | None] = mapped_column(String(64))
    notifications_enabled: Mapped[bool] = mapped_column(default=False)
    linked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when Telegram answered 403 for the linked chat (bot kicked or blocked): managers see it.
    chat_unreachable_reason: Mapped[str | None] = mapped_column(String(300))


class MenuItem(CreatedAt, Base):
    __tablename__ = "menu_items"
    __table_args__ = (
        Index("ix_menu_items_cafe_id_category", "cafe_id", "category"),
        CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
        CheckConstraint(
            "labels <@ ARRAY['vegetarian','vegan','spicy','nuts','gluten','lactose','fish']"
            "::varchar[]",
            name="labels_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(50))
    # None: the dish is only sold inside a combo.
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    is_available: Mapped[bool] = mapped_column(default=True)
    # Dietary and allergen labels from a fixed set (shared.cafes.labels), checked by the database.
    labels: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(String(20)), default=list, server_default=text("'{}'")
    )

    options: Mapped[list["MenuItemOption"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="MenuItemOption.id"
    )


class MenuItemOption(Base):
    __tablename__ = "menu_item_options"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    menu_item_id: Mapped[int] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    values: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    is_required: Mapped[bool] = mapped_column(default=False)
    # Added to the dish's price when the option is chosen (any of its values): «Большая» +50 ₽.
    price: Mapped[Decimal] = mapped_column(
        Numeric(10, 2), default=Decimal(0), server_default=text("0")
    )


class Combo(CreatedAt, Base):
    __tablename__ = "combos"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(50)))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    is_available: Mapped[bool] = mapped_column(default=True)


class DeadlineSchedule(Base):
    """When a cafe takes orders: per weekday of the order date."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("cafe_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("advance_days BETWEEN 0 AND 30", name="advance_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday
    deadline_time: Mapped[time] = mapped_column(Time)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    advance_days: Mapped[int] = mapped_column(SmallInteger, default=1)


class CafeLinkRequest(CreatedAt, Base):
    __tablename__ = "cafe_link_requests"
    __table_args__ = (
        # One pending request per chat and cafe: asking again returns it instead of piling up.
        Index(
            "uq_cafe_link_requests_pending",
            "cafe_id",
            "tg_chat_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_cafe_link_requests_tg_chat_id", "tg_chat_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"), index=True)
    tg_chat_id: Mapped[int] = mapped_column(BigInteger)
    tg_username: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[RequestStatus] = mapped_column(String(16), default=RequestStatus.PENDING)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
