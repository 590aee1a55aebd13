"""Input the schema lets through but the database cannot hold is the caller's error: a 422 in
the one error shape, never a 500."""

from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Role, User
from tests.factories import make_user

Auth = Callable[[User], dict[str, str]]


async def test_an_id_beyond_the_database_range_is_a_422(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    response = await client.get("/cafes/2147483648/combos", headers=auth(manager))
    assert response.status_code == 422
    assert response.json()["code"] == "value_out_of_range"


async def test_a_nul_character_in_text_is_a_422(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    response = await client.post("/cafes", json={"name": "Кафе\u0000"}, headers=auth(manager))
    assert response.status_code == 422
    assert response.json()["code"] == "value_out_of_range"


async def test_a_body_that_is_not_json_gets_the_error_shape(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    response = await client.post(
        "/cafes",
        content=b"{not json",
        headers={**auth(manager), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["detail"] == "Тело запроса — не JSON"
