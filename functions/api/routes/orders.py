from fastapi import APIRouter, status

from functions.api.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from functions.api.errors import ERROR_RESPONSES
from shared.cafes import repository as cafes
from shared.ordering.schemas import OrderCreate, OrderOut, order_out
from shared.ordering.service import place_order

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={code: ERROR_RESPONSES[code] for code in (400, 401, 403, 404, 409, 422)},
)
async def create_order(
    body: OrderCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep, now: NowDep
) -> OrderOut:
    """Place an order for a cafe and date while ordering is open."""
    order = await place_order(session, user, body, settings, now=now)
    cafe = await cafes.get_cafe(session, order.cafe_id)
    cafe_name = cafe.name if cafe else ""
    await session.refresh(order, ["created_at", "updated_at"])
    return order_out(order, user_name=user.name, cafe_name=cafe_name)
