"""What the API takes and returns about reminders."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class ReminderSettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    is_enabled: bool = Field(description="Whether employees are reminded before deadlines")
    minutes_before: int = Field(
        description="How long before the first open deadline of a date the reminder goes out"
    )
    updated_at: datetime | None
    updated_by: int | None = Field(description="The manager who changed it last")


class ReminderSettingsIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"is_enabled": True, "minutes_before": 60}]}
    )

    is_enabled: bool
    minutes_before: int = Field(ge=5, le=720, description="5 minutes to 12 hours")


class MyRemindersOut(BaseModel):
    enabled: bool = Field(description="The person wants reminders (Profile switch)")
    bot_started: bool = Field(
        description="The person started the bot, so it may write to them; without it no "
        "reminder can reach them"
    )


class MyRemindersIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"enabled": False}]})

    enabled: bool


class NotOrderedOut(BaseModel):
    tgid: int
    name: str
    office: str
    reminders_enabled: bool
    bot_started: bool
    reminder: str | None = Field(
        description="This date's reminder: sent, skipped (with `reminder_reason`) or null"
    )
    reminder_reason: str | None = Field(
        description="Why it was skipped: bot_not_started, blocked, or Telegram's refusal"
    )


class NotOrderedList(BaseModel):
    items: list[NotOrderedOut]
    total: int
    order_date: date


class RemindNowIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"date": "2026-12-08"}, {"date": "2026-12-08", "tgids": [1001]}]
        }
    )

    date: date
    tgids: list[int] | None = Field(
        default=None,
        max_length=5000,
        description="Only these people (those of them without an order); omitted: everyone "
        "without an order",
    )


class RemindNowOut(BaseModel):
    round_id: int
    order_date: date
    people: int = Field(description="How many reminder jobs will be produced")
    produced: bool = Field(
        description="false: queued; the reminders check produces it within a minute"
    )
