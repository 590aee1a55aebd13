"""Shapes of recommendations: the stats, the cached advice, the Kafka job, the API answer."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, computed_field

Source = Literal["gemini", "rules"]


class FavoriteDish(BaseModel):
    name: str
    count: int = Field(description="Portions ordered in the last 30 days")


class CategoryShare(BaseModel):
    count: int = Field(description="Portions of the category ordered in the last 30 days")
    percent: float = Field(description="Its share of all portions, in percent (one decimal)")


class OrderStats(BaseModel):
    """A user's last 30 days (company time zone), cancelled orders left out."""

    orders_count: int = Field(description="Orders in the last 30 days")
    categories: dict[str, CategoryShare] = Field(
        description="Each category's portions and share among ordered dishes (the original's "
        "{count, percent})"
    )
    unique_dishes: int = Field(description="Different dishes ordered")
    total_dishes_available: int = Field(
        description="Dishes available on the menus of the cafes the user ordered from"
    )
    favorite_dishes: list[FavoriteDish] = Field(description="Top 5 dishes by portions")

    @computed_field(description="The same as orders_count (the design document's name)")  # type: ignore[prop-decorator]
    @property
    def orders_last_30_days(self) -> int:
        return self.orders_count


class Advice(BaseModel):
    """What the model must answer: one sentence and two or three tips (the response schema)."""

    summary: str = Field(min_length=1, max_length=400)
    tips: list[str] = Field(min_length=2, max_length=3)


class CachedRecommendations(BaseModel):
    """What `recommendations:user:{tgid}` holds for 24 hours."""

    summary: str
    tips: list[str]
    source: Source
    generated_at: datetime


class RecommendationsOut(BaseModel):
    summary: str | None = Field(description="One sentence about the user's eating habits")
    tips: list[str] = Field(description="Two or three personal tips")
    stats: OrderStats
    generated_at: datetime | None = Field(description="When the summary and tips were made")
    source: Source | None = Field(
        description="gemini: written by the model; rules: made by fixed rules from the stats"
    )
