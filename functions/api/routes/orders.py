"""Orders: an employee's own, or every order for a manager."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status

from functions.api.deps import (
    CurrentUser,
    LockedUser,
    NowDep,
    ReadingUser,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.models import OrderStatus
from shared.ordering.schemas import OrderCreate, OrderList, OrderOut, OrderUpdate, order_out
from shared.ordering.service import (
    cancel_order,
    change_order,
    placed_order,
    saved_order,
    shown_order,
    visible_orders,
)

router = Routes(prefix="/orders", tags=["orders"])


@router.get("", responses=error_responses(401, 403, 422))
async def list_orders(
    user: ReadingUser,
    session: ReadSessionDep,
    order_date: Annotated[date | None, Query(alias="date")] = None,
    cafe_id: int | None = None,
    order_status: Annotated[OrderStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderList:
    """Orders, newest date first: an employee sees their own, a manager sees everyone's."""
    shown, total = await visible_orders(
        session,
        user,
        order_date=order_date,
        cafe_id=cafe_id,
        status=order_status,
        limit=limit,
        offset=offset,
    )
    return OrderList(items=shown, total=total)


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=error_responses(400, 401, 403, 404, 409, 422)
)
async def create_order(
    body: OrderCreate, user: LockedUser, session: SessionDep, settings: SettingsDep, now: NowDep
) -> OrderOut:
    """Place an order for a cafe and date while ordering is open."""
    view = await placed_order(session, user, body, settings, now=now, user_locked=True)
    return order_out(
        view.order, user_name=view.user_name, cafe_name=view.cafe_name, status=view.status
    )


@router.get("/{order_id}", responses=error_responses(401, 403, 404, 422))
async def get_order(order_id: int, user: ReadingUser, session: ReadSessionDep) -> OrderOut:
    """One order, to its owner or a manager; anyone else's order answers 404."""
    return await shown_order(session, user, order_id)


@router.patch("/{order_id}", responses=error_responses(400, 401, 403, 404, 422))
async def update_order(
    order_id: int,
    body: OrderUpdate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> OrderOut:
    """Change your order before the deadline: it is re-checked and re-priced like a new one."""
    order = await change_order(session, user, order_id, body, settings, now=now)
    view = await saved_order(session, user, order)
    return order_out(
        view.order,
        user_name=view.user_name,
        cafe_name=view.cafe_name,
        status=view.status,
        delivered_at=view.delivered_at,
    )


@router.delete(
    "/{order_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def delete_order(
    order_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Response:
    """Cancel an order: your own before the deadline, or anyone's at any time as a manager."""
    await cancel_order(session, user, order_id, settings, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
