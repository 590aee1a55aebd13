"""Ordering "as last time": repeat an order for another date; a person's favourite dishes."""

from datetime import date
from typing import Annotated

from fastapi import Query, status
from pydantic import BaseModel, Field

from functions.api.deps import (
    CurrentUser,
    NowDep,
    ReadingUser,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.ordering.repeat import favourite_dishes, repeat_order
from shared.ordering.schemas import OrderOut, order_out
from shared.ordering.service import saved_order
from shared.users.service import check_can_see

router = Routes(tags=["orders"])


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
    view = await saved_order(session, user, order)
    return order_out(
        view.order, user_name=view.user_name, cafe_name=view.cafe_name, status=view.status
    )


@router.get("/users/{tgid}/favourite-dishes", responses=error_responses(401, 403, 422))
async def list_favourite_dishes(
    tgid: int,
    user: ReadingUser,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    cafe_id: Annotated[int | None, Query(description="Only this cafe's dishes")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> FavouriteDishList:
    """Dishes still on the menu that the person ordered most (90 days), most first (self)."""
    check_can_see(user, tgid)
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
