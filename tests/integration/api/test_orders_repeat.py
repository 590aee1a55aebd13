"""Ordering "as last time": the same order for another open date, re-priced and re-checked,
refused with the names of what is gone; favourite dishes come first."""

from collections.abc import Callable
from decimal import Decimal

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import User
from tests.factories import combo_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
TUESDAY, WEDNESDAY = "2026-11-24", "2026-11-25"


def with_borscht_and_mors(
    body: dict[str, object], borscht_id: int, mors_id: int
) -> dict[str, object]:
    items = [
        *body["items"],
        {  # type: ignore[misc]
            "type": "standalone",
            "menu_item_id": borscht_id,
            "quantity": 2,
            "options": {"Размер порции": "Большая"},
        },
    ]
    return body | {
        "items": items,
        "extras": [{"menu_item_id": mors_id, "quantity": 1}],
        "notes": "Без лука",
    }


async def test_repeat_places_the_same_order_for_the_next_day_at_todays_prices(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given Ivan's Tuesday order: a combo, two large borschts, a mors and a note
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    body = with_borscht_and_mors(combo_order(menu), menu.borscht.id, menu.mors.id)
    placed = await client.post("/orders", json=body, headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    assert placed.json()["total_price"] == 450 + 2 * 180 + 60
    # and the borscht became dearer since
    menu.borscht.price = Decimal("200.00")
    await session.flush()

    # When he repeats it for Wednesday
    repeated = await client.post(
        f"/orders/{placed.json()['id']}/repeat", json={"order_date": WEDNESDAY}, headers=auth(ivan)
    )

    # Then Wednesday has the same order at today's prices
    assert repeated.status_code == 201, repeated.text
    order = repeated.json()
    assert order["order_date"] == WEDNESDAY
    assert order["id"] != placed.json()["id"]
    assert order["combo"]["combo_name"] == "Салат + Суп + Горячее"
    assert [item["menu_item_name"] for item in order["items"]] == [
        "Салат Цезарь",
        "Суп дня",
        "Котлета с пюре",
        "Борщ",
    ]
    assert order["items"][3]["options"] == {"Размер порции": "Большая"}
    assert order["items"][3]["quantity"] == 2
    assert order["extras"][0]["menu_item_name"] == "Морс клюквенный"
    assert order["notes"] == "Без лука"
    assert order["total_price"] == 450 + 2 * 200 + 60

    # And repeating it for Wednesday again is the duplicate it would be by hand
    again = await client.post(
        f"/orders/{placed.json()['id']}/repeat", json={"order_date": WEDNESDAY}, headers=auth(ivan)
    )
    assert again.status_code == 409
    assert again.json()["code"] == "order_exists"

    # And the dishes he orders most come first
    favourites = (
        await client.get(f"/users/{ivan.tgid}/favourite-dishes", headers=auth(ivan))
    ).json()
    assert favourites["items"][0] == {
        "menu_item_id": menu.borscht.id,
        "name": "Борщ",
        "category": "soup",
        "cafe_id": menu.cafe.id,
        "count": 4,
    }
    assert favourites["total"] == 4  # borscht and the three combo dishes; extras are not dishes


async def test_repeat_is_refused_naming_every_dish_that_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    body = with_borscht_and_mors(combo_order(menu), menu.borscht.id, menu.mors.id)
    placed = (await client.post("/orders", json=body, headers=auth(ivan))).json()
    # When the borscht is deleted and the mors is off the menu
    await session.delete(menu.borscht)
    menu.mors.is_available = False
    await session.flush()

    refused = await client.post(
        f"/orders/{placed['id']}/repeat", json={"order_date": WEDNESDAY}, headers=auth(ivan)
    )

    assert refused.status_code == 409
    assert refused.json()["code"] == "dishes_gone"
    assert "«Борщ»" in refused.json()["detail"]
    assert "«Морс клюквенный»" in refused.json()["detail"]
    listed = (await client.get("/orders", params={"date": WEDNESDAY}, headers=auth(ivan))).json()
    assert listed["total"] == 0


async def test_repeat_needs_an_open_date_and_ones_own_order(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    maria = await session.run_sync(make_user, 1002, "Мария Иванова")
    placed = (await client.post("/orders", json=combo_order(menu), headers=auth(ivan))).json()

    saturday = await client.post(
        f"/orders/{placed['id']}/repeat", json={"order_date": "2026-11-28"}, headers=auth(ivan)
    )
    assert saturday.status_code == 400
    assert saturday.json()["code"] == "ordering_closed"
    not_hers = await client.post(
        f"/orders/{placed['id']}/repeat", json={"order_date": WEDNESDAY}, headers=auth(maria)
    )
    assert not_hers.status_code == 404
    others = await client.get(f"/users/{ivan.tgid}/favourite-dishes", headers=auth(maria))
    assert others.status_code == 403
