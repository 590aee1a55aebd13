from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, CreatedAt


class Summary(CreatedAt, Base):
    """A manager's saved report for one cafe and date; its figures are computed when read."""

    __tablename__ = "summaries"
    __table_args__ = (UniqueConstraint("cafe_id", "order_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cafe_id: Mapped[int] = mapped_column(ForeignKey("cafes.id", ondelete="CASCADE"))
    order_date: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.tgid", ondelete="SET NULL")
    )
