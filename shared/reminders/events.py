"""The Kafka event of reminders (one model, used by the producer and the consumer alike)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

REMINDER_DUE = "reminder.due"


class ReminderDue(BaseModel):
    """`reminder.due` on the reminders topic (key = tgid): remind this person about this date."""

    type: Literal["reminder.due"] = "reminder.due"
    tgid: int
    date: date
    round_id: int | None = None
    timestamp: datetime
