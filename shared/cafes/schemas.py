"""What the API takes and returns for cafes, menus, combos, schedules and availability."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shared.cafes.labels import DietaryLabel
from shared.kit.money import Money

# A letter first, then letters, digits, spaces, "_" or "-": "soup", or a manager's own "напитки".
CATEGORY_PATTERN = r"^[^\W\d_][\w -]{0,49}$"


def _normalise_slug(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


Category = Annotated[
    str,
    BeforeValidator(_normalise_slug),
    StringConstraints(pattern=CATEGORY_PATTERN),
    Field(
        description="Lowercase: soup, salad, main, extra or any other a manager adds (напитки)",
        examples=["soup"],
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Price = Annotated[
    Decimal,
    Field(ge=0, max_digits=10, decimal_places=2, description="Roubles, two decimals at most"),
]
OptionPrice = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=10,
        decimal_places=2,
        description="Roubles added per portion when the option is chosen; 0 (the default): free",
    ),
]
OptionName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OptionValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _blank_as_none(value: str | None) -> str | None:
    return value or None


class Patch(BaseModel):
    """A partial update: only the fields sent change; `NOT_NULL` fields cannot be cleared."""

    NOT_NULL: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _required_fields_not_cleared(self) -> Self:
        for name in self.NOT_NULL:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise PydanticCustomError("not_null", "{field} cannot be null", {"field": name})
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


# --- cafes ---------------------------------------------------------------------------------


# What only managers see of a cafe: how its Telegram chat is linked. Employees' answers leave
# these fields out (not null: null would claim the cafe has no chat).
LINK_FIELDS = (
    "tg_chat_id",
    "tg_username",
    "notifications_enabled",
    "linked_at",
    "chat_unreachable_reason",
)


class CafeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    address: str | None
    is_active: bool
    tg_chat_id: int | None = Field(default=None, description="Managers only")
    tg_username: str | None = Field(default=None, description="Managers only")
    notifications_enabled: bool | None = Field(default=None, description="Managers only")
    linked_at: datetime | None = Field(default=None, description="Managers only")
    chat_unreachable_reason: str | None = Field(
        default=None,
        description="Managers only: why the linked chat cannot be reached (bot removed or "
        "blocked), if it cannot",
    )
    created_at: datetime

    @classmethod
    def seen_by(cls, cafe: object, *, manager: bool) -> "CafeOut":
        """The cafe as a manager sees it, or without its chat link for an employee."""
        out = cls.model_validate(cafe)
        if manager:
            return out
        return cls.model_validate(out.model_dump(exclude=set(LINK_FIELDS)))


class CafeList(BaseModel):
    items: list[CafeOut]


class CafeCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Столовая №1",
                    "description": "Домашняя кухня",
                    "address": "ул. Ленина, 1",
                }
            ]
        }
    )

    name: Name
    description: Annotated[Description | None, AfterValidator(_blank_as_none)] = None
    address: Annotated[Address | None, AfterValidator(_blank_as_none)] = None


class CafeUpdate(Patch):
    """Only the fields sent change; `null` clears description or address."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"description": "Новое меню"}]})
    NOT_NULL = ("name",)

    name: Name | None = None
    description: Annotated[Description | None, AfterValidator(_blank_as_none)] = None
    address: Annotated[Address | None, AfterValidator(_blank_as_none)] = None


class BotLinkOut(BaseModel):
    """The cafe's link to the bot, for the manager to send to the cafe."""

    url: str = Field(examples=["https://t.me/lunch_office_bot?start=cafe_3"])
    share_url: str = Field(description="Telegram's share sheet with the link and a line of text")
    text: str = Field(description="What the share sheet says to the cafe")


class CafeStatusIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"is_active": False}]})

    is_active: bool


# --- menu items and options ----------------------------------------------------------------


def _distinct_values(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value.casefold() in seen:
            raise PydanticCustomError(
                "duplicate_value", "value «{value}» is listed twice", {"value": value}
            )
        seen.add(value.casefold())
    return values


OptionValues = Annotated[
    list[OptionValue],
    Field(min_length=1, max_length=50),
    AfterValidator(_distinct_values),
]


class OptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    menu_item_id: int
    name: str
    values: list[str]
    is_required: bool
    price: Money = Field(
        description="Added to the dish's price per portion when the option is chosen; 0: free"
    )


class OptionList(BaseModel):
    items: list[OptionOut]


class OptionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Размер порции",
                    "values": ["Стандарт", "Большая", "XL"],
                    "is_required": True,
                },
                {"name": "Большая порция", "values": ["Да"], "is_required": False, "price": 50},
            ]
        }
    )

    name: OptionName
    values: OptionValues
    is_required: bool = False
    price: OptionPrice = Decimal(0)


class OptionUpdate(Patch):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"is_required": False}, {"price": 50}]}
    )
    NOT_NULL = ("name", "values", "is_required", "price")

    name: OptionName | None = None
    values: OptionValues | None = None
    is_required: bool | None = None
    price: OptionPrice | None = None


class MenuItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    cafe_id: int
    name: str
    description: str | None
    category: str
    price: Money | None = Field(description="null: the dish is only sold inside a combo")
    is_available: bool
    labels: list[DietaryLabel] = Field(
        default_factory=list,
        description="Dietary and allergen labels: vegetarian, vegan, spicy, and nuts, gluten, "
        "lactose, fish meaning the dish contains them",
    )
    options: list[OptionOut]


class MenuItemList(BaseModel):
    items: list[MenuItemOut]


def _distinct_labels(labels: list[DietaryLabel]) -> list[DietaryLabel]:
    chosen = set(labels)
    return [label for label in get_args(DietaryLabel) if label in chosen]


Labels = Annotated[
    list[DietaryLabel],
    Field(max_length=7, description="Labels from the fixed set; repeated ones count once"),
    AfterValidator(_distinct_labels),
]


class MenuItemCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "Борщ с курицей", "category": "soup", "price": None},
                {
                    "name": "Фокачча с пряным маслом",
                    "description": "60 г.",
                    "category": "extra",
                    "price": 50.00,
                },
            ]
        }
    )

    name: Name
    description: Annotated[Description | None, AfterValidator(_blank_as_none)] = None
    category: Category
    price: Price | None = None
    is_available: bool = True
    labels: Labels = Field(default_factory=list)


class MenuItemUpdate(Patch):
    """Only the fields sent change; `price: null` makes the dish combo-only."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"is_available": False}]})
    NOT_NULL = ("name", "category", "is_available", "labels")

    name: Name | None = None
    description: Annotated[Description | None, AfterValidator(_blank_as_none)] = None
    category: Category | None = None
    price: Price | None = None
    is_available: bool | None = None
    labels: Labels | None = None


# --- combos --------------------------------------------------------------------------------


def _distinct_categories(categories: list[str]) -> list[str]:
    if len(set(categories)) != len(categories):
        raise PydanticCustomError("duplicate_category", "each category may appear once")
    return categories


ComboCategories = Annotated[
    list[Category], Field(min_length=1, max_length=10), AfterValidator(_distinct_categories)
]


class ComboOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    cafe_id: int
    name: str
    categories: list[str]
    price: Money
    is_available: bool


class ComboList(BaseModel):
    items: list[ComboOut]


class ComboCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "Салат + Суп", "categories": ["salad", "soup"], "price": 450.00}]
        }
    )

    name: Name
    categories: ComboCategories
    price: Price
    is_available: bool = True


class ComboUpdate(Patch):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"price": 480.00, "is_available": True}]}
    )
    NOT_NULL = ("name", "categories", "price", "is_available")

    name: Name | None = None
    categories: ComboCategories | None = None
    price: Price | None = None
    is_available: bool | None = None


# --- deadlines -----------------------------------------------------------------------------


class ScheduleOut(BaseModel):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    weekday_name: str = Field(examples=["Понедельник"])
    deadline_time: str | None = Field(
        description="HH:MM in the company time zone; null for a day never set up",
        examples=["10:00"],
    )
    is_enabled: bool
    advance_days: int = Field(description="How many days ahead ordering opens (at 00:00)")


class ScheduleWeek(BaseModel):
    schedules: list[ScheduleOut]


class ScheduleIn(BaseModel):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    deadline_time: time | None = Field(default=None, examples=["10:00"])
    is_enabled: bool
    advance_days: int | None = Field(default=None, ge=0, le=30)

    @field_validator("deadline_time")
    @classmethod
    def _whole_minutes(cls, value: time | None) -> time | None:
        if value is not None and (value.second or value.microsecond or value.tzinfo):
            raise PydanticCustomError("whole_minutes", "use HH:MM, in the company time zone")
        return value


class ScheduleWeekIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "schedules": [
                        {
                            "weekday": 0,
                            "deadline_time": "10:00",
                            "is_enabled": True,
                            "advance_days": 1,
                        },
                        {"weekday": 5, "is_enabled": False},
                    ]
                }
            ]
        }
    )

    schedules: list[ScheduleIn] = Field(min_length=1, max_length=7)

    @field_validator("schedules")
    @classmethod
    def _one_entry_per_weekday(cls, schedules: list[ScheduleIn]) -> list[ScheduleIn]:
        weekdays = [entry.weekday for entry in schedules]
        if len(set(weekdays)) != len(weekdays):
            raise PydanticCustomError("duplicate_weekday", "each weekday may appear once")
        return schedules


# --- availability --------------------------------------------------------------------------


class AvailabilityOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "can_order": True,
                    "deadline": "2026-11-24T11:00:00+03:00",
                    "time_remaining": "01:45:00",
                    "seconds_remaining": 6300,
                    "now": "2026-11-24T09:15:00+03:00",
                    "reason": None,
                    "reason_code": None,
                }
            ]
        }
    )

    can_order: bool
    deadline: datetime | None = Field(description="When ordering closes, in the company time zone")
    time_remaining: str | None = Field(
        description="HH:MM:SS until the deadline while ordering is open (hours may exceed 24)"
    )
    seconds_remaining: int | None = Field(
        default=None, description="Whole seconds until the deadline while ordering is open"
    )
    now: datetime | None = Field(
        default=None, description="The server's clock when it answered, with the company offset"
    )
    reason: str | None = Field(description="Why ordering is closed, for a person")
    reason_code: str | None = Field(
        description="cafe_inactive | not_served | not_open_yet | deadline_passed"
    )


class DayAvailabilityOut(BaseModel):
    date: date
    weekday: str = Field(examples=["Вторник"])
    can_order: bool
    deadline: str | None = Field(description="HH:MM on that date", examples=["11:00"])
    deadline_at: datetime | None = Field(
        default=None,
        description="When ordering for the date closes: ISO 8601 with the company offset",
        examples=["2026-11-24T11:00:00+03:00"],
    )
    opens_at: datetime | None = Field(
        default=None, description="When ordering for the date opens (ISO 8601 with offset)"
    )
    seconds_remaining: int | None = Field(
        default=None, description="Whole seconds until `deadline_at` while ordering is open"
    )
    reason: str | None
    reason_code: str | None


class WeekAvailabilityOut(BaseModel):
    now: datetime | None = Field(
        default=None, description="The server's clock when it answered, with the company offset"
    )
    days: list[DayAvailabilityOut]


class CafeWeekOut(BaseModel):
    cafe: CafeOut
    days: list[DayAvailabilityOut]


class OpenWeeksOut(BaseModel):
    """Every active cafe's next seven days: all the home screen needs, in one answer."""

    now: datetime = Field(description="The server's clock, ISO 8601 with the company offset")
    cafes: list[CafeWeekOut]
