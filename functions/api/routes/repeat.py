"""Ordering "as last time": repeat an order for another date; a person's favourite dishes."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from functions.api.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from functions.api.errors import error_responses
from shared.cafes import repository as cafes
from shared.kit.errors import AccessDenied
from shared.ordering.repeat import favourite_dishes, repeat_order
from shared.ordering.schemas import OrderOut, order_out

router = APIRouter(tags=["orders"])


class RepeatIn(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"order_date": "2026-12-08"}]}}

    order_date: date = Field(description="The open date to order the same again for")


class FavouriteDishOut(BaseModel):
    menu_item_id: int
    name: str
    category: str
    cafe_id: int
    count: int = Field(description="Portions ordered in the last 90 days")


class FavouriteDishList(BaseModel):
    items: list[FavouriteDishOut]
    total: int


@router.post(
    "/orders/{order_id}/repeat",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
async def repeat(
    order_id: int,
    body: RepeatIn,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> OrderOut:
    """Order the same again for an open date, at today's prices; 409 names dishes now gone."""
    order = await repeat_order(session, user, order_id, body.order_date, settings, now=now)
    cafe = await cafes.get_cafe(session, order.cafe_id)
    await session.refresh(order, ["created_at", "updated_at"])
    return order_out(order, user_name=user.name, cafe_name=cafe.name if cafe else "")


@router.get("/users/{tgid}/favourite-dishes", responses=error_responses(401, 403, 422))
async def list_favourite_dishes(
    tgid: int,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    cafe_id: Annotated[int | None, Query(description="Only this cafe's dishes")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> FavouriteDishList:
    """Dishes still on the menu that the person ordered most (90 days), most first (self)."""
    if tgid != user.tgid and not user.is_manager:
        raise AccessDenied("Любимые блюда можно смотреть только свои")
    dishes = await favourite_dishes(
        session, tgid, today=now.astimezone(settings.tz).date(), cafe_id=cafe_id, limit=limit
    )
    items = [
        FavouriteDishOut(
            menu_item_id=dish.menu_item_id,
            name=dish.name,
            category=dish.category,
            cafe_id=dish.cafe_id,
            count=dish.count,
        )
        for dish in dishes
    ]
    return FavouriteDishList(items=items, total=len(items))
