"""Managers' reports: what a cafe cooks and packs for a date, as JSON and as a CSV Excel opens,
and the saved summaries of the contract."""

import csv
import io
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Role, User
from shared.reports.schemas import CafeReport
from tests.factories import CafeMenu, combo_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def place(
    client: httpx.AsyncClient, user_headers: dict[str, str], body: dict[str, Any]
) -> int:
    response = await client.post("/orders", json=body, headers=user_headers)
    assert response.status_code == 201, response.text
    order_id: int = response.json()["id"]
    return order_id


async def a_day_of_orders(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> tuple[CafeMenu, User]:
    """Ivan: combo + 2 mors + a note; Maria: 2 large borschts; Pyotr cancelled; noise elsewhere."""
    menu = await session.run_sync(make_cafe)
    other = await session.run_sync(make_cafe, "Пельменная")
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    maria = await session.run_sync(make_user, 1002, "Мария Иванова")
    pyotr = await session.run_sync(make_user, 1003, "Пётр Сидоров")
    boss = await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)
    await place(
        client,
        auth(ivan),
        combo_order(menu, extras=[{"menu_item_id": menu.mors.id, "quantity": 2}], notes="Без лука"),
    )
    borscht = {
        "type": "standalone",
        "menu_item_id": menu.borscht.id,
        "quantity": 2,
        "options": {"Размер порции": "Большая"},
    }
    await place(client, auth(maria), combo_order(menu, combo_id=None, items=[borscht]))
    cancelled = await place(client, auth(pyotr), combo_order(menu))
    assert (await client.delete(f"/orders/{cancelled}", headers=auth(pyotr))).status_code == 204
    await place(client, auth(pyotr), combo_order(other))
    await place(client, auth(pyotr), combo_order(menu, order_date="2026-11-25"))
    return menu, boss


async def test_the_report_says_what_to_cook_for_whom_and_what_it_costs(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)

    response = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, "date": "2026-11-24"},
        headers=auth(boss),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["cafe_name"], report["date_from"], report["date_to"]) == (
        "Столовая №1",
        "2026-11-24",
        "2026-11-24",
    )
    assert (report["total_orders"], report["total_amount"]) == (2, 570 + 360)
    assert report["combos_breakdown"] == [
        {"combo_name": "Салат + Суп + Горячее", "quantity": 1, "total": 450.0}
    ]
    assert report["items_breakdown"] == [
        {"category": "main", "menu_item_name": "Котлета с пюре", "quantity": 1},
        {"category": "salad", "menu_item_name": "Салат Цезарь", "quantity": 1},
        {"category": "soup", "menu_item_name": "Борщ", "quantity": 2},
        {"category": "soup", "menu_item_name": "Суп дня", "quantity": 1},
    ]
    assert report["extras_breakdown"] == [
        {"menu_item_name": "Морс клюквенный", "quantity": 2, "total": 120.0}
    ]
    assert report["orders_with_notes"] == [{"user_name": "Иван Петров", "notes": "Без лука"}]
    ivan, maria = report["people"]
    assert (ivan["user_name"], ivan["combo_name"], ivan["total"]) == (
        "Иван Петров",
        "Салат + Суп + Горячее",
        570.0,
    )
    assert [pick["menu_item_name"] for pick in ivan["combo_items"]] == [
        "Салат Цезарь",
        "Суп дня",
        "Котлета с пюре",
    ]
    assert ivan["extras"] == [
        {"menu_item_name": "Морс клюквенный", "quantity": 2, "price": 60.0, "subtotal": 120.0}
    ]
    assert maria["items"] == [
        {
            "category": "soup",
            "menu_item_name": "Борщ",
            "quantity": 2,
            "options": {"Размер порции": "Большая"},
            "price": 180.0,
            "subtotal": 360.0,
        }
    ]
    assert (maria["combo_name"], maria["notes"], maria["total"]) == (None, None, 360.0)

    # Over two days the next day's order joins in
    both = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, "date_from": "2026-11-24", "date_to": "2026-11-25"},
        headers=auth(boss),
    )
    assert both.json()["total_orders"] == 3
    assert both.json()["people"][-1]["order_date"] == "2026-11-25"


async def test_the_csv_opens_in_excel_with_one_row_per_person(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    sly = await session.run_sync(make_user, 1004, "=Хитрый")
    await place(client, auth(sly), combo_order(menu, notes='=HYPERLINK("http://x")'))

    response = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, "date": "2026-11-24", "format": "csv"},
        headers=auth(boss),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''" in disposition
    assert "2026-11-24.csv" in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Дата",
        "Сотрудник",
        "Комбо",
        "Блюда комбо",
        "Отдельные блюда",
        "Дополнения",
        "Комментарий",
        "Сумма",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert len(rows) == 1 + 3
    assert by_name["Иван Петров"] == [
        "24.11.2026",
        "Иван Петров",
        "Салат + Суп + Горячее",
        "Салат Цезарь (салат), Суп дня (суп), Котлета с пюре (горячее)",
        "",
        "Морс клюквенный ×2",
        "Без лука",
        "570,00",
    ]
    assert by_name["Мария Иванова"][4] == "Борщ (Большая) ×2"
    # Text that Excel would run as a formula is written as plain text
    assert by_name["'=Хитрый"][6] == '\'=HYPERLINK("http://x")'


async def test_the_report_body_is_exactly_what_its_model_writes(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    """The body is written without the model (PostgreSQL writes the people lines): it must stay
    byte for byte what CafeReport, the documented response, would write."""
    menu, boss = await a_day_of_orders(client, session, auth)
    odd = await session.run_sync(make_user, 1005, 'О\'Брайен "Кью" \\ 😀 </script>')
    borscht = {
        "type": "standalone",
        "menu_item_id": menu.borscht.id,
        "quantity": 3,
        "options": {"Размер порции": "Большая"},
    }
    await place(
        client,
        auth(odd),
        combo_order(
            menu,
            items=[*combo_order(menu)["items"], borscht],
            extras=[{"menu_item_id": menu.mors.id, "quantity": 3}],
            notes='строка 1\nстрока 2\t"в кавычках" \\',
        ),
    )

    pages: list[dict[str, str | int]] = [
        {"date": "2026-11-24"},
        {"date_from": "2026-11-24", "date_to": "2026-11-25"},
        {"date": "2026-11-24", "people_offset": 1, "people_limit": 1},
        {"date": "2026-12-01"},
    ]
    for params in pages:
        response = await client.get(
            "/summaries/report", params={"cafe_id": menu.cafe.id, **params}, headers=auth(boss)
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        model = CafeReport.model_validate_json(response.content)
        assert response.content == model.model_dump_json().encode()
    assert len(CafeReport.model_validate_json(response.content).people) == 0
    odd_line = next(
        line
        for line in (
            await client.get(
                "/summaries/report",
                params={"cafe_id": menu.cafe.id, "date": "2026-11-24"},
                headers=auth(boss),
            )
        ).json()["people"]
        if line["user_tgid"] == 1005
    )
    assert odd_line["items"][0]["subtotal"] == 540.0
    assert odd_line["extras"][0]["subtotal"] == 180.0
    assert odd_line["notes"] == 'строка 1\nстрока 2\t"в кавычках" \\'


async def test_a_summary_is_saved_once_per_cafe_and_date_and_shows_current_figures(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    body = {"cafe_id": menu.cafe.id, "date": "2026-11-24"}

    created = await client.post("/summaries", json=body, headers=auth(boss))
    assert created.status_code == 201, created.text
    summary = created.json()
    assert (summary["cafe_name"], summary["date"], summary["total_orders"]) == (
        "Столовая №1",
        "2026-11-24",
        2,
    )
    assert summary["total_amount"] == 930.0
    again = await client.post("/summaries", json=body, headers=auth(boss))
    assert (again.status_code, again.json()["id"]) == (200, summary["id"])
    await client.post(
        "/summaries", json={"cafe_id": menu.cafe.id, "date": "2026-11-25"}, headers=auth(boss)
    )

    listed = await client.get(
        "/summaries",
        params={"cafe_id": menu.cafe.id, "date_from": "2026-11-24", "date_to": "2026-11-24"},
        headers=auth(boss),
    )
    assert [item["id"] for item in listed.json()["items"]] == [summary["id"]]
    everything = await client.get("/summaries", headers=auth(boss))
    assert [item["date"] for item in everything.json()["items"]] == ["2026-11-25", "2026-11-24"]

    # A manager cancels Maria's order: the saved summary reads the orders as they are now
    orders = await client.get(
        "/orders", params={"cafe_id": menu.cafe.id, "date": "2026-11-24"}, headers=auth(boss)
    )
    maria = next(o for o in orders.json()["items"] if o["user_name"] == "Мария Иванова")
    assert (await client.delete(f"/orders/{maria['id']}", headers=auth(boss))).status_code == 204
    fresh = (await client.get(f"/summaries/{summary['id']}", headers=auth(boss))).json()
    assert (fresh["total_orders"], fresh["total_amount"]) == (1, 570.0)

    as_csv = await client.get(
        f"/summaries/{summary['id']}", params={"format": "csv"}, headers=auth(boss)
    )
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.content.decode("utf-8-sig").count("\r\n") == 2  # header and Ivan

    assert (
        await client.delete(f"/summaries/{summary['id']}", headers=auth(boss))
    ).status_code == 204
    gone = await client.get(f"/summaries/{summary['id']}", headers=auth(boss))
    assert (gone.status_code, gone.json()["code"]) == (404, "not_found")
    assert (
        await client.delete(f"/summaries/{summary['id']}", headers=auth(boss))
    ).status_code == 404


async def test_reports_are_for_managers_and_bad_requests_say_what_to_fix(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    boss = await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)
    params: dict[str, Any] = {"cafe_id": menu.cafe.id, "date": "2026-11-24"}

    refused = await client.get("/summaries/report", params=params, headers=auth(ivan))
    assert (refused.status_code, refused.json()["code"]) == (403, "manager_only")
    assert (await client.get("/summaries", headers=auth(ivan))).status_code == 403
    assert (await client.get("/summaries/report", params=params)).status_code == 401

    empty = (await client.get("/summaries/report", params=params, headers=auth(boss))).json()
    assert (empty["total_orders"], empty["total_amount"], empty["people"]) == (0, 0.0, [])

    backwards = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, "date_from": "2026-11-25", "date_to": "2026-11-24"},
        headers=auth(boss),
    )
    assert backwards.status_code == 400
    assert "поменяйте даты местами" in backwards.json()["detail"]
    no_date = await client.get(
        "/summaries/report", params={"cafe_id": menu.cafe.id}, headers=auth(boss)
    )
    assert no_date.status_code == 400
    missing = await client.get(
        "/summaries/report", params={"cafe_id": 999999, "date": "2026-11-24"}, headers=auth(boss)
    )
    assert (missing.status_code, missing.json()["detail"]) == (404, "Кафе #999999 не найдено")
    pdf = await client.get(
        "/summaries/report", params=params | {"format": "pdf"}, headers=auth(boss)
    )
    assert (pdf.status_code, pdf.json()["errors"][0]["field"]) == (422, "format")
    no_cafe = await client.post(
        "/summaries", json={"cafe_id": 999999, "date": "2026-11-24"}, headers=auth(boss)
    )
    assert no_cafe.status_code == 404
