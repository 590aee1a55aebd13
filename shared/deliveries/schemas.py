"""What managers see about deliveries: per cafe and date, when the lunch arrived."""

from datetime import date, datetime

from pydantic import BaseModel, Field


class CafeDeliveryOut(BaseModel):
    cafe_id: int
    cafe_name: str
    order_date: date
    orders: int = Field(description="Active orders at the cafe for the date")
    delivered_at: datetime | None = Field(description="When the cafe pressed «Привезли»")
    reported_by: str | None = Field(description="Who pressed it (their Telegram name)")
    notified: int = Field(description="Employees told that their lunch arrived")
    not_reachable: int = Field(
        description="Employees who could not be told (never started the bot, or blocked it)"
    )


class CafeDeliveryList(BaseModel):
    items: list[CafeDeliveryOut]
    total: int
