"""Managing employees through the API: listing, adding, editing, blocking and deleting."""

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Order, OrderStatus, RequestStatus, Role, User, UserAccessRequest
from tests.factories import make_access_request, make_cafe, make_placed_order, make_user

Auth = Callable[[User], dict[str, str]]


@pytest.fixture
async def boss(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)


@pytest.fixture
async def ivan(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 1001, "Иван Петров", office="Москва")


async def user_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(User)) or 0


# --- who may call what -------------------------------------------------------------------------

MANAGER_ROUTES = [
    ("GET", "/users", None),
    ("POST", "/users", {"tgid": 5, "name": "Кто-то"}),
    ("POST", "/users/managers", {"tgid": 5, "name": "Кто-то"}),
    ("PATCH", "/users/1001", {"name": "Другое имя"}),
    ("PATCH", "/users/1001/access", {"enabled": False}),
    ("DELETE", "/users/1001", None),
    ("PATCH", "/users/1001/balance/limit", {"weekly_limit": 0}),
]


@pytest.mark.parametrize(("method", "path", "body"), MANAGER_ROUTES)
async def test_manager_routes_refuse_anonymous_callers_and_employees(
    client: httpx.AsyncClient,
    auth: Auth,
    ivan: User,
    session: AsyncSession,
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    anonymous = await client.request(method, path, json=body)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"

    employee = await client.request(method, path, json=body, headers=auth(ivan))
    assert employee.status_code == 403
    assert employee.json()["code"] == "manager_only"

    await session.refresh(ivan)
    assert (ivan.name, ivan.is_active, ivan.weekly_limit) == ("Иван Петров", True, None)
    assert await user_count(session) == 1


async def test_a_blocked_employee_is_refused_even_with_a_valid_token(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession
) -> None:
    blocked = await session.run_sync(make_user, 1002, "Пётр", is_active=False)
    response = await client.get("/users/1002", headers=auth(blocked))
    assert response.status_code == 403
    assert response.json()["code"] == "user_blocked"


# --- GET /users --------------------------------------------------------------------------------


async def test_managers_list_employees_by_name_with_a_total(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    for tgid, name in [(3, "борис Орлов"), (2, "Вера Ким"), (4, "Алла Ли")]:
        await session.run_sync(make_user, tgid, name)
    response = await client.get("/users", params={"limit": 2}, headers=auth(boss))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 4
    assert [user["name"] for user in body["items"]] == ["Алла Ли", "Анна Смирнова"]

    next_page = await client.get("/users", params={"limit": 2, "offset": 2}, headers=auth(boss))
    assert [user["name"] for user in next_page.json()["items"]] == ["борис Орлов", "Вера Ким"]


async def test_search_matches_part_of_a_name_in_any_case_or_an_exact_tgid(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 123456, "Иван Петров")
    await session.run_sync(make_user, 777, "Мария Иванова")
    await session.run_sync(make_user, 1234567, "Ольга Сидорова")

    by_name = await client.get("/users", params={"search": "ИВАН"}, headers=auth(boss))
    assert [user["tgid"] for user in by_name.json()["items"]] == [123456, 777]
    assert by_name.json()["total"] == 2

    by_tgid = await client.get("/users", params={"search": "123456"}, headers=auth(boss))
    assert [user["name"] for user in by_tgid.json()["items"]] == ["Иван Петров"]

    await session.run_sync(make_user, 555, "Семён Ёлкин")
    with_yo = await client.get("/users", params={"search": "семен ел"}, headers=auth(boss))
    assert [user["tgid"] for user in with_yo.json()["items"]] == [555]

    wildcard = await client.get("/users", params={"search": "%"}, headers=auth(boss))
    assert wildcard.json() == {"items": [], "total": 0}


async def test_listing_rejects_a_limit_out_of_range(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    response = await client.get("/users", params={"limit": 0}, headers=auth(boss))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


# --- POST /users, POST /users/managers ---------------------------------------------------------


async def test_a_manager_adds_an_employee_who_can_then_be_fetched(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    body = {"tgid": 424242, "name": "  Ольга Новикова ", "office": "Казань"}
    response = await client.post("/users", json=body, headers=auth(boss))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created | {"created_at": None} == {
        "tgid": 424242,
        "name": "Ольга Новикова",
        "office": "Казань",
        "role": "user",
        "is_active": True,
        "created_at": None,
    }
    fetched = await client.get("/users/424242", headers=auth(boss))
    assert fetched.json() == created


async def test_adding_an_existing_employee_is_a_conflict(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User, session: AsyncSession
) -> None:
    body = {"tgid": ivan.tgid, "name": "Двойник", "office": ""}
    response = await client.post("/users", json=body, headers=auth(boss))
    assert response.status_code == 409
    assert response.json()["code"] == "user_exists"
    await session.refresh(ivan)
    assert ivan.name == "Иван Петров"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tgid": 0, "name": "Ноль"}, "tgid"),
        ({"tgid": -5, "name": "Минус"}, "tgid"),
        ({"tgid": 5, "name": "   "}, "name"),
        ({"tgid": 5, "name": "x" * 201}, "name"),
        ({"name": "Без tgid"}, "tgid"),
        ({"tgid": 2**63, "name": "Слишком большой"}, "tgid"),
        ({"tgid": 5, "name": "Иван\u0000Петров"}, "name"),
        ({"tgid": 5, "name": "Иван", "office": "Москва\nКазань"}, "office"),
    ],
)
async def test_adding_an_employee_with_bad_fields_says_which_field(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    session: AsyncSession,
    body: dict[str, object],
    field: str,
) -> None:
    response = await client.post("/users", json=body, headers=auth(boss))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert await user_count(session) == 1


async def test_adding_someone_who_asked_for_access_settles_their_request(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    request = await session.run_sync(make_access_request, 424242, "Ольга")
    body = {"tgid": 424242, "name": "Ольга Новикова", "office": "Казань"}
    assert (await client.post("/users", json=body, headers=auth(boss))).status_code == 201
    await session.refresh(request)
    assert request.status == RequestStatus.APPROVED
    assert request.processed_at is not None


async def test_a_new_manager_is_created_with_201(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    body = {"tgid": 31337, "name": "Сергей Ким"}
    response = await client.post("/users/managers", json=body, headers=auth(boss))
    assert response.status_code == 201, response.text
    assert (response.json()["role"], response.json()["name"]) == ("manager", "Сергей Ким")
    new = await session.get(User, 31337)
    assert new is not None
    assert new.role == Role.MANAGER


async def test_an_existing_employee_is_promoted_with_200_and_keeps_their_profile(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User, session: AsyncSession
) -> None:
    body = {"tgid": ivan.tgid, "name": "Другое имя"}
    response = await client.post("/users/managers", json=body, headers=auth(boss))
    assert response.status_code == 200
    assert response.json()["role"] == "manager"
    assert (response.json()["name"], response.json()["office"]) == ("Иван Петров", "Москва")

    # The promotion takes effect at once: the same token now opens manager routes
    assert (await client.get("/users", headers=auth(ivan))).status_code == 200


# --- GET /users/{tgid} -------------------------------------------------------------------------


async def test_an_employee_sees_their_own_profile_but_not_anyone_elses(
    client: httpx.AsyncClient, auth: Auth, ivan: User, boss: User
) -> None:
    own = await client.get(f"/users/{ivan.tgid}", headers=auth(ivan))
    assert own.status_code == 200
    assert own.json()["name"] == "Иван Петров"

    other = await client.get(f"/users/{boss.tgid}", headers=auth(ivan))
    assert other.status_code == 403
    assert other.json()["code"] == "access_denied"
    # Someone who does not exist looks the same to an employee: existence is not revealed
    nobody = await client.get("/users/999999", headers=auth(ivan))
    assert (nobody.status_code, nobody.json()) == (403, other.json())


@pytest.mark.parametrize("path", ["/users/0", "/users/9223372036854775808/access"])
async def test_a_tgid_in_the_path_must_be_a_possible_telegram_id(
    client: httpx.AsyncClient, auth: Auth, boss: User, path: str
) -> None:
    response = await client.patch(path, json={"enabled": False}, headers=auth(boss))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "tgid"


async def test_a_body_that_is_not_json_is_a_documented_400(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    response = await client.post(
        "/users", content=b"\x0f\xff{", headers=auth(boss) | {"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_a_manager_asking_for_an_unknown_user_gets_404(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    response = await client.get("/users/999999", headers=auth(boss))
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"
    assert (await client.get("/users/999999")).status_code == 401


# --- PATCH /users/{tgid} -----------------------------------------------------------------------


async def test_a_manager_changes_only_the_fields_sent(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User
) -> None:
    response = await client.patch(
        f"/users/{ivan.tgid}", json={"office": "Санкт-Петербург"}, headers=auth(boss)
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["office"], response.json()["role"]) == (
        "Иван Петров",
        "Санкт-Петербург",
        "user",
    )
    renamed = await client.patch(
        f"/users/{ivan.tgid}", json={"name": "Иван П.", "role": "manager"}, headers=auth(boss)
    )
    assert (renamed.json()["name"], renamed.json()["role"]) == ("Иван П.", "manager")


async def test_patching_rejects_an_unknown_role_and_an_empty_name(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User
) -> None:
    bad_role = await client.patch(f"/users/{ivan.tgid}", json={"role": "admin"}, headers=auth(boss))
    assert bad_role.status_code == 422
    assert bad_role.json()["errors"][0]["field"] == "role"
    empty = await client.patch(f"/users/{ivan.tgid}", json={"name": ""}, headers=auth(boss))
    assert empty.status_code == 422


async def test_a_manager_cannot_demote_themself(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    response = await client.patch(f"/users/{boss.tgid}", json={"role": "user"}, headers=auth(boss))
    assert response.status_code == 400
    assert response.json()["code"] == "self_lockout"
    await session.refresh(boss)
    assert boss.role == Role.MANAGER


async def test_patching_an_unknown_user_is_404(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    response = await client.patch("/users/999999", json={"name": "X"}, headers=auth(boss))
    assert response.status_code == 404


# --- PATCH /users/{tgid}/access ----------------------------------------------------------------


async def test_blocking_shuts_an_employee_out_and_unblocking_lets_them_back(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User
) -> None:
    blocked = await client.patch(
        f"/users/{ivan.tgid}/access", json={"enabled": False}, headers=auth(boss)
    )
    assert blocked.status_code == 200
    assert blocked.json()["is_active"] is False
    refused = await client.get(f"/users/{ivan.tgid}", headers=auth(ivan))
    assert refused.json()["code"] == "user_blocked"

    unblocked = await client.patch(
        f"/users/{ivan.tgid}/access", json={"enabled": True}, headers=auth(boss)
    )
    assert unblocked.json()["is_active"] is True
    assert (await client.get(f"/users/{ivan.tgid}", headers=auth(ivan))).status_code == 200


async def test_a_manager_cannot_block_themself(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    response = await client.patch(
        f"/users/{boss.tgid}/access", json={"enabled": False}, headers=auth(boss)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "self_lockout"
    await session.refresh(boss)
    assert boss.is_active


async def test_blocking_needs_an_enabled_flag_and_a_known_user(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    missing = await client.patch("/users/1001/access", json={}, headers=auth(boss))
    assert missing.status_code == 422
    unknown = await client.patch(
        "/users/999999/access", json={"enabled": False}, headers=auth(boss)
    )
    assert unknown.status_code == 404


# --- DELETE /users/{tgid} ----------------------------------------------------------------------


async def test_deleting_an_employee_without_orders_removes_them_and_their_request(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 424242, "Ошибочно добавлен")
    await session.run_sync(make_access_request, 424242, "Ольга", status=RequestStatus.APPROVED)
    response = await client.delete("/users/424242", headers=auth(boss))
    assert response.status_code == 204
    assert response.content == b""
    session.expunge_all()
    assert await session.get(User, 424242) is None
    requests = select(func.count()).select_from(UserAccessRequest)
    assert await session.scalar(requests) == 0
    assert (await client.get("/users/424242", headers=auth(boss))).status_code == 404


async def test_an_employee_with_orders_is_not_deleted_but_can_be_blocked(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User, session: AsyncSession
) -> None:
    menu = await session.run_sync(make_cafe)
    await session.run_sync(make_placed_order, ivan, menu.cafe, date(2026, 11, 2), "450")
    response = await client.delete(f"/users/{ivan.tgid}", headers=auth(boss))
    assert response.status_code == 409
    assert response.json()["code"] == "user_has_orders"
    assert "Заблокируйте" in response.json()["detail"]
    assert await session.get(User, ivan.tgid) is not None
    assert await session.scalar(select(func.count()).select_from(Order)) == 1


async def test_cancelled_orders_do_not_keep_an_employee_from_being_deleted(
    client: httpx.AsyncClient, auth: Auth, boss: User, ivan: User, session: AsyncSession
) -> None:
    menu = await session.run_sync(make_cafe)
    await session.run_sync(
        make_placed_order,
        ivan,
        menu.cafe,
        date(2026, 11, 24),
        "450",
        status=OrderStatus.CANCELLED,
    )
    response = await client.delete(f"/users/{ivan.tgid}", headers=auth(boss))
    assert response.status_code == 204
    assert await session.scalar(select(func.count()).select_from(Order)) == 0


async def test_a_manager_cannot_delete_themself_nor_an_unknown_user(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    themself = await client.delete(f"/users/{boss.tgid}", headers=auth(boss))
    assert (themself.status_code, themself.json()["code"]) == (400, "self_lockout")
    unknown = await client.delete("/users/999999", headers=auth(boss))
    assert unknown.status_code == 404
