"""Tables of the features around an order: reminders, the bot's right to write, deliveries."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, CreatedAt, Timestamps


class RoundKind(StrEnum):
    SCHEDULED = "scheduled"  # the time before the deadline managers set
    MANUAL = "manual"  # a manager's "remind them now"


class RoundState(StrEnum):
    PENDING = "pending"  # recorded, its jobs not yet on Kafka
    PRODUCED = "produced"


class NoticeState(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"


class ReminderSettings(Base):
    """The one row of reminder settings (id = 1): how long before each deadline to remind."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("minutes_before BETWEEN 5 AND 720", name="minutes_before_range"),
    )

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=1)
    is_enabled: Mapped[bool] = mapped_column(default=False)
    minutes_before: Mapped[int] = mapped_column(SmallInteger, default=60)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(BigInteger)


class BotContact(Base):
    """A person who started the bot in a private chat, so the bot may write to them."""

    __tablename__ = "bot_contacts"

    tgid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set when Telegram answered 403 (the person blocked the bot); /start clears it.
    blocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReminderRound(Timestamps, Base):
    """The outbox of reminder jobs: one scheduled round per date, or a manager's request."""

    __tablename__ = "reminder_rounds"
    __table_args__ = (
        Index(
            "uq_reminder_rounds_scheduled_date",
            "order_date",
            unique=True,
            postgresql_where=text("kind = 'scheduled'"),
        ),
        Index("ix_reminder_rounds_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[RoundKind] = mapped_column(String(16))
    # A manual round names its people; a scheduled one finds them when it is produced.
    tgids: Mapped[list[int] | None] = mapped_column(ARRAY(BigInteger))
    requested_by: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[RoundState] = mapped_column(String(16), default=RoundState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    jobs: Mapped[int] = mapped_column(default=0)
    produced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class ReminderDelivery(CreatedAt, Base):
    """A reminder sent (or skipped) to one person for one date: at most one, ever."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("user_tgid", "order_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_tgid: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.tgid", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[NoticeState] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(300))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_rounds.id", ondelete="SET NULL")
    )


class CafeArrival(Base):
    """A cafe's lunch for a date has arrived ("Привезли" pressed): one row per cafe and date."""

    __tablename__ = "cafe_arrivals"
    __table_args__ = (UniqueConstraint("cafe_id", "order_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    arrived_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_by: Mapped[int | None] = mapped_column(BigInteger)
    reported_by_name: Mapped[str | None] = mapped_column(String(200))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)


class ArrivalNotice(Base):
    """The "lunch has arrived" message to the owner of one order: sent once."""

    __tablename__ = "arrival_notices"
    __table_args__ = (UniqueConstraint("order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrival_id: Mapped[int] = mapped_column(
        ForeignKey("cafe_arrivals.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    user_tgid: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[NoticeState | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
