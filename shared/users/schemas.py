"""What the API takes and returns for users, their budgets and access requests."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from shared.kit.money import Money

# Telegram user ids are positive and fit in 52 bits; the column is a BIGINT.
MAX_TGID = 2**63 - 1
Tgid = Annotated[
    int, Field(gt=0, le=MAX_TGID, description="Telegram user id", examples=[123456789])
]
# One line of text: no control characters (PostgreSQL refuses NUL in text anyway).
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"
Name = Annotated[
    str, Field(min_length=1, max_length=200, pattern=PLAIN_TEXT, examples=["Иван Петров"])
]
Office = Annotated[str, Field(max_length=200, pattern=PLAIN_TEXT, examples=["Москва, Центральный"])]
RoleName = Literal["user", "manager"]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tgid: int
    name: str
    office: str
    role: RoleName
    is_active: bool
    created_at: datetime


class UserList(BaseModel):
    items: list[UserOut]
    total: int = Field(description="How many users match, regardless of limit and offset")


class UserCreate(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [{"tgid": 123456789, "name": "Иван Петров", "office": "Москва"}]
        },
    )

    tgid: Tgid
    name: Name
    office: Office = ""


class ManagerCreate(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"tgid": 123456789, "name": "Анна Смирнова"}]},
    )

    tgid: Tgid
    name: Name


class UserUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"office": "Санкт-Петербург"}, {"role": "manager"}]},
    )

    name: Name | None = None
    office: Office | None = None
    role: RoleName | None = None
    weekly_limit: Decimal | None = Field(
        default=None,
        ge=0,
        le=Decimal("99999999.99"),
        decimal_places=2,
        description="Sent: the new weekly limit (null removes it); not sent: unchanged",
    )


class AccessUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"enabled": False}]})

    enabled: bool = Field(
        # `is_active` is what the original's Mini App sends.
        validation_alias=AliasChoices("enabled", "is_active"),
        description="false blocks the user, true lets them in again (`is_active` is accepted too)",
    )


class BalanceOut(BaseModel):
    """The user's budget for the current calendar week (Monday to Sunday, company time)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "weekly_limit": 3000.0,
                    "spent_this_week": 900.0,
                    "remaining": 2100.0,
                    "balance": 2100.0,
                    "week_start": "2026-11-23",
                    "week_end": "2026-11-29",
                }
            ]
        }
    )

    weekly_limit: Money | None = Field(description="null: no limit")
    spent_this_week: Money
    remaining: Money | None = Field(description="What may still be spent; null: no limit")
    balance: Money | None = Field(description="The same as `remaining` (the contract's name)")
    week_start: date
    week_end: date


class WeeklyLimitUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"weekly_limit": 3000}]})

    weekly_limit: Decimal | None = Field(
        ge=0, le=Decimal("99999999.99"), decimal_places=2, description="null removes the limit"
    )


class WeeklyLimitOut(BaseModel):
    weekly_limit: Money | None


class RejectedRow(BaseModel):
    row: int = Field(description="Line number in the file; the header is line 1")
    tgid: int | None = None
    reason: str


class ImportReport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "created": 12,
                    "updated": 3,
                    "unchanged": 40,
                    "rejected": [{"row": 7, "tgid": None, "reason": "tgid должен быть числом"}],
                }
            ]
        }
    )

    created: int
    updated: int
    unchanged: int = Field(description="Rows that matched an existing user exactly")
    rejected: list[RejectedRow]


class AccessRequestOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "tgid": 123456789,
                    "name": "Ivan Petrov",
                    "office": "Office A",
                    "username": "ivanpetrov",
                    "status": "pending",
                    "created_at": "2025-12-07T12:00:00Z",
                    "processed_at": None,
                }
            ]
        },
    )

    id: int
    tgid: int
    name: str
    office: str
    username: str | None
    status: Literal["pending", "approved", "rejected"]
    created_at: datetime
    processed_at: datetime | None


class AccessRequestList(BaseModel):
    items: list[AccessRequestOut]
    total: int


class ApproveIn(BaseModel):
    model_config = ConfigDict(
        str_strip_whitespace=True, json_schema_extra={"examples": [{"office": "Москва"}]}
    )

    office: Office | None = Field(default=None, description="Sets the new user's office")
