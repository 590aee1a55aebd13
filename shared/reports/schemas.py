"""What a per-cafe report and a saved summary look like in the API (the contract's Summary,
plus the per-person lines a cafe cooks and packs from)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.kit.money import Money

ReportFormat = Literal["json", "csv"]


class ComboCount(BaseModel):
    combo_name: str
    quantity: int
    total: Money


class DishCount(BaseModel):
    category: str
    menu_item_name: str
    quantity: int = Field(description="Combo picks and standalone portions together")


class ExtraCount(BaseModel):
    menu_item_name: str
    quantity: int
    total: Money


class OrderNote(BaseModel):
    user_name: str
    notes: str


class ComboPick(BaseModel):
    category: str
    menu_item_name: str


class PersonDish(BaseModel):
    category: str
    menu_item_name: str
    quantity: int
    options: dict[str, str]
    price: Money
    subtotal: Money


class PersonExtra(BaseModel):
    menu_item_name: str
    quantity: int
    price: Money
    subtotal: Money


class PersonLine(BaseModel):
    """One employee's order as the cafe packs it."""

    order_id: int
    order_date: date
    user_tgid: int
    user_name: str
    combo_name: str | None
    combo_price: Money | None
    combo_items: list[ComboPick]
    items: list[PersonDish]
    extras: list[PersonExtra]
    notes: str | None
    total: Money


class ReportFigures(BaseModel):
    cafe_id: int
    cafe_name: str
    total_orders: int
    total_amount: Money
    combos_breakdown: list[ComboCount]
    items_breakdown: list[DishCount]
    extras_breakdown: list[ExtraCount]
    orders_with_notes: list[OrderNote] = Field(description="The notes of this page's people")
    people: list[PersonLine] = Field(
        description="Active orders, by date and name: one page of them (people_offset, "
        "people_limit); the figures above always cover every order"
    )
    people_total: int = Field(default=0, description="How many people lines there are in all")
    next_people_offset: int | None = Field(
        default=None, description="people_offset of the next page; null on the last page"
    )


# A synchronous Lambda response holds at most 6 MB: a page of 1,000 people lines is about
# 0.6 MB, 2,000 about 1.2 MB (tests/integration/api/test_report_pages.py measures it).
DEFAULT_PEOPLE_PAGE = 1000
MAX_PEOPLE_PAGE = 2000


class CafeReport(ReportFigures):
    """Everything a cafe needs for a date (or a range of dates): what to cook, for whom, totals."""

    date_from: date
    date_to: date


class SummaryCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"cafe_id": 1, "date": "2026-11-24"}]}
    )

    cafe_id: int
    date: date


class SummaryOut(ReportFigures):
    """A saved report for a cafe and date; the figures are as of the moment it is read."""

    id: int
    date: date
    created_at: datetime


class SummaryList(BaseModel):
    items: list[SummaryOut]
