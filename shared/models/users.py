from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Numeric, String, true
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, CreatedAt


class Role(StrEnum):
    USER = "user"
    MANAGER = "manager"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class User(CreatedAt, Base):
    __tablename__ = "users"

    tgid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(String(16), default=Role.USER)
    is_active: Mapped[bool] = mapped_column(default=True)
    # None means no weekly limit.
    weekly_limit: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), default=None)
    # Reminders before the deadline (Profile switch); sent only once the person started the bot.
    reminders_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


class UserAccessRequest(CreatedAt, Base):
    __tablename__ = "user_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    tgid: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    office: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[RequestStatus] = mapped_column(String(16), default=RequestStatus.PENDING)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
