from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ARRAY, BigInteger, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, Timestamps


class AnnouncementState(StrEnum):
    PENDING = "pending"  # recorded, not yet on Kafka
    PRODUCED = "produced"  # acknowledged by Kafka


class DeliveryState(StrEnum):
    SENDING = "sending"
    DELIVERED = "delivered"
    SKIPPED = "skipped"
    FAILED = "failed"


class DeadlineAnnouncement(Timestamps, Base):
    """The outbox of `deadline.passed` events: one row per cafe and date, ever."""

    __tablename__ = "deadline_announcements"
    __table_args__ = (UniqueConstraint("cafe_id", "order_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[AnnouncementState] = mapped_column(String(16), default=AnnouncementState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    produced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationDelivery(Timestamps, Base):
    """What a cafe's chat was sent for a date; makes delivery happen once per cafe and date."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("cafe_id", "order_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    state: Mapped[DeliveryState] = mapped_column(String(16), default=DeliveryState.SENDING)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    parts_total: Mapped[int] = mapped_column(default=0)
    parts_sent: Mapped[int] = mapped_column(default=0)
    message_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set once a failed delivery has reached the dead-letter topic.
    dead_lettered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
