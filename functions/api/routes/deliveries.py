"""When each cafe's lunch arrived, for managers."""

from datetime import date
from typing import Annotated

from fastapi import Query

from functions.api.deps import (
    ReadingManager,
    ReadSessionDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.deliveries import repository
from shared.deliveries.schemas import CafeDeliveryList, CafeDeliveryOut

router = Routes(prefix="/deliveries", tags=["deliveries"])


@router.get("", responses=error_responses(401, 403, 422))
async def list_deliveries(
    _: ReadingManager,
    session: ReadSessionDep,
    order_date: Annotated[date, Query(alias="date", description="The lunch date")],
) -> CafeDeliveryList:
    """Every cafe with orders for the date: whether and when it reported the lunch delivered."""
    days = await repository.cafe_days(session, order_date)
    items = [
        CafeDeliveryOut(
            cafe_id=day.cafe_id,
            cafe_name=day.cafe_name,
            order_date=order_date,
            orders=day.orders,
            delivered_at=day.arrival.arrived_at if day.arrival else None,
            reported_by=day.arrival.reported_by_name if day.arrival else None,
            notified=day.notified,
            not_reachable=day.not_reachable,
        )
        for day in days
    ]
    return CafeDeliveryList(items=items, total=len(items))
