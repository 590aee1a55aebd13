from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel


class DeadlinePassed(BaseModel):
    """`deadline.passed` on the deadlines topic: ordering for the cafe and date has closed."""

    type: Literal["deadline.passed"]
    cafe_id: int
    date: date
    deadline: datetime | None = None
    timestamp: datetime | None = None
