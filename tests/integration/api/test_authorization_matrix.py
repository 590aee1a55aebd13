"""Who gets in where: every route of the API, called by an anonymous caller, an employee, another
employee and a manager. A route added without a rule here fails the first test."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import CafeLinkRequest, MenuItemOption, Role, Summary, User
from tests.factories import make_access_request, make_cafe, make_order, make_user

Auth = Callable[[User], dict[str, str]]


class Access(StrEnum):
    PUBLIC = "public"  # no token needed
    USER = "user"  # any signed-in, active employee or manager
    SELF = "self"  # the employee the path names, or a manager
    OWNER = "owner"  # the order's owner, or a manager
    OWNER_ONLY = "owner only"  # the order's owner; not even a manager
    MANAGER = "manager"
    SIGNED = "signed link"  # a signature in the query, never a token: refused without one


RULES: dict[str, Access] = {
    "POST /auth/telegram": Access.PUBLIC,
    "GET /users": Access.MANAGER,
    "POST /users": Access.MANAGER,
    "POST /users/managers": Access.MANAGER,
    "POST /users/import": Access.MANAGER,
    "GET /users/{tgid}": Access.SELF,
    "PATCH /users/{tgid}": Access.MANAGER,
    "DELETE /users/{tgid}": Access.MANAGER,
    "PATCH /users/{tgid}/access": Access.MANAGER,
    "GET /users/{tgid}/balance": Access.SELF,
    "PATCH /users/{tgid}/balance/limit": Access.MANAGER,
    "GET /users/{tgid}/recommendations": Access.SELF,
    "POST /users/{tgid}/recommendations/generate": Access.SELF,
    "GET /user-requests": Access.MANAGER,
    "POST /user-requests/{request_id}/approve": Access.MANAGER,
    "POST /user-requests/{request_id}/reject": Access.MANAGER,
    "GET /cafes": Access.USER,
    "POST /cafes": Access.MANAGER,
    "GET /cafes/{cafe_id}": Access.USER,
    "PATCH /cafes/{cafe_id}": Access.MANAGER,
    "DELETE /cafes/{cafe_id}": Access.MANAGER,
    "PATCH /cafes/{cafe_id}/status": Access.MANAGER,
    "GET /cafes/{cafe_id}/menu": Access.USER,
    "POST /cafes/{cafe_id}/menu": Access.MANAGER,
    "GET /cafes/{cafe_id}/menu/{item_id}": Access.USER,
    "PATCH /cafes/{cafe_id}/menu/{item_id}": Access.MANAGER,
    "DELETE /cafes/{cafe_id}/menu/{item_id}": Access.MANAGER,
    "GET /cafes/{cafe_id}/menu/{item_id}/options": Access.USER,
    "POST /cafes/{cafe_id}/menu/{item_id}/options": Access.MANAGER,
    "PATCH /cafes/{cafe_id}/menu/{item_id}/options/{option_id}": Access.MANAGER,
    "DELETE /cafes/{cafe_id}/menu/{item_id}/options/{option_id}": Access.MANAGER,
    "GET /cafes/{cafe_id}/combos": Access.USER,
    "POST /cafes/{cafe_id}/combos": Access.MANAGER,
    "PATCH /cafes/{cafe_id}/combos/{combo_id}": Access.MANAGER,
    "DELETE /cafes/{cafe_id}/combos/{combo_id}": Access.MANAGER,
    "GET /cafes/{cafe_id}/deadlines": Access.MANAGER,
    "PUT /cafes/{cafe_id}/deadlines": Access.MANAGER,
    "POST /cafes/{cafe_id}/link-code": Access.MANAGER,
    "GET /cafe-requests": Access.MANAGER,
    "POST /cafe-requests/{request_id}/approve": Access.MANAGER,
    "POST /cafe-requests/{request_id}/reject": Access.MANAGER,
    "PATCH /cafes/{cafe_id}/notifications": Access.MANAGER,
    "DELETE /cafes/{cafe_id}/link": Access.MANAGER,
    "GET /cafes/{cafe_id}/bot-link": Access.MANAGER,
    "GET /orders/availability": Access.USER,
    "GET /orders/availability/week": Access.USER,
    "GET /orders/availability/{date}": Access.USER,
    "GET /orders": Access.USER,
    "POST /orders": Access.USER,
    "GET /orders/{order_id}": Access.OWNER,
    "PATCH /orders/{order_id}": Access.OWNER_ONLY,
    "DELETE /orders/{order_id}": Access.OWNER,
    # Someone else's order answers 404 like a missing one (test_orders_repeat).
    "POST /orders/{order_id}/repeat": Access.USER,
    "GET /users/{tgid}/favourite-dishes": Access.SELF,
    "GET /deliveries": Access.MANAGER,
    "GET /reminders/settings": Access.MANAGER,
    "PUT /reminders/settings": Access.MANAGER,
    "GET /reminders/not-ordered": Access.MANAGER,
    "POST /reminders/send-now": Access.MANAGER,
    "GET /users/{tgid}/reminders": Access.SELF,
    "PUT /users/{tgid}/reminders": Access.SELF,
    "GET /summaries": Access.MANAGER,
    "POST /summaries": Access.MANAGER,
    "GET /summaries/report": Access.MANAGER,
    "POST /reports/export-link": Access.MANAGER,
    "GET /reports/export": Access.SIGNED,
    "GET /summaries/{summary_id}": Access.MANAGER,
    "DELETE /summaries/{summary_id}": Access.MANAGER,
    "GET /health": Access.PUBLIC,
    "GET /health/db": Access.PUBLIC,
    "GET /health/redis": Access.PUBLIC,
    "GET /health/kafka": Access.PUBLIC,
}

CALLERS = ("anonymous", "employee", "another employee", "manager")


def expected_in(access: Access, caller: str) -> bool:
    """Whether `caller` gets past authorization on a route of `access` (the employee is the one
    the path names and who owns the order)."""
    match access:
        case Access.PUBLIC:
            return True
        case Access.USER:
            return caller != "anonymous"
        case Access.SELF | Access.OWNER:
            return caller in ("employee", "manager")
        case Access.OWNER_ONLY:
            return caller == "employee"
        case Access.MANAGER:
            return caller == "manager"
        case Access.SIGNED:
            return False


@dataclass
class World:
    employee: User
    another: User
    manager: User
    ids: dict[str, int | str]


@pytest.fixture
async def world(session: AsyncSession) -> World:
    employee = await session.run_sync(make_user, 1001, "Иван Петров")
    another = await session.run_sync(make_user, 1002, "Мария Сидорова")
    manager = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    menu = await session.run_sync(make_cafe)
    order = await session.run_sync(make_order, employee, menu, date(2026, 11, 24))
    request = await session.run_sync(make_access_request, 5555, "Новичок")
    option = MenuItemOption(menu_item_id=menu.borscht.id, name="Острота", values=["Нет", "Да"])
    link = CafeLinkRequest(cafe_id=menu.cafe.id, tg_chat_id=-100777, tg_username="cafe")
    summary = Summary(cafe_id=menu.cafe.id, order_date=date(2026, 11, 24), created_by=9001)
    session.add_all([option, link, summary])
    await session.flush()
    ids: dict[str, int | str] = {
        "tgid": employee.tgid,
        "cafe_id": menu.cafe.id,
        "item_id": menu.borscht.id,
        "option_id": option.id,
        "combo_id": menu.full_combo.id,
        "order_id": order.id,
        "summary_id": summary.id,
        "date": "2026-11-24",
    }
    # Two kinds of {request_id}: an access request and a cafe link request.
    ids["user_request_id"] = request.id
    ids["link_request_id"] = link.id
    return World(employee, another, manager, ids)


def concrete(route: str, ids: dict[str, int | str]) -> tuple[str, str]:
    method, path = route.split(" ", 1)
    request_key = "link_request_id" if path.startswith("/cafe-requests") else "user_request_id"
    values = {**ids, "request_id": ids[request_key]}
    return method, path.format(**values)


async def test_every_route_has_a_rule(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    routes = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in spec["paths"].items()
        for method in operations
    }
    assert routes == set(RULES)


@pytest.mark.parametrize("route", sorted(RULES))
async def test_only_those_allowed_get_in(
    route: str, client: httpx.AsyncClient, world: World, auth: Auth
) -> None:
    method, path = concrete(route, world.ids)
    params = {"cafe_id": str(world.ids["cafe_id"])} if "availability" in route else None
    if route.startswith("POST /reports"):
        params = {"cafe_id": str(world.ids["cafe_id"]), "date": "2026-11-24"}
    if RULES[route] == Access.SIGNED:
        # A well-formed query with a forged signature: nobody gets in, a manager's token neither.
        forged = {"by": "9001", "expires": str(2**40), "signature": "0" * 64}
        params = {"cafe_id": str(world.ids["cafe_id"]), "date": "2026-11-24", **forged}
    headers_for = {
        "anonymous": {},
        "employee": auth(world.employee),
        "another employee": auth(world.another),
        "manager": auth(world.manager),
    }
    outcomes: dict[str, int] = {}
    for caller in CALLERS:
        body: dict[str, object] | None = None if method in ("GET", "DELETE") else {}
        response = await client.request(
            method, path, headers=headers_for[caller], json=body, params=params
        )
        outcomes[caller] = response.status_code
    access = RULES[route]
    for caller, status in outcomes.items():
        if expected_in(access, caller):
            assert status not in (401, 403), f"{caller} was refused {route}: {outcomes}"
            if access in (Access.SELF, Access.OWNER, Access.OWNER_ONLY):
                assert status != 404, f"{caller} could not find {route}: {outcomes}"
        elif access == Access.SIGNED:
            assert status == 403, f"{caller} got {status} on {route}: {outcomes}"
        elif caller == "anonymous":
            assert status == 401, f"anonymous got {status} on {route}: {outcomes}"
        else:
            # Someone else's order is hidden (404) or refused (403); never served.
            allowed = (403, 404) if access in (Access.OWNER, Access.OWNER_ONLY) else (403,)
            assert status in allowed, f"{caller} got {status} on {route}: {outcomes}"
