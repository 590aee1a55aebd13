"""Same as last time, favourite dishes first and dietary labels, driven in the Mini App at phone
size against the real API: a manager labels a dish, an employee filters by labels, repeats an
order in one tap and is told clearly which dish is gone."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import LiveApp, Telegram, main_button, screenshot

pytestmark = pytest.mark.e2e

MANAGER = (MANAGER_TGID, "Ольга Смирнова")
EMPLOYEE = (EMPLOYEE_TGID, "Иван Петров")
TODAY = "2026-11-24"


def menu(live: LiveApp, token: str, cafe_id: int = 1) -> dict[str, dict[str, Any]]:
    response = live.api("GET", f"/cafes/{cafe_id}/menu", token)
    response.raise_for_status()
    return {item["name"]: item for item in response.json()["items"]}


def next_open_date(live: LiveApp, token: str, cafe_id: int = 1) -> str:
    """The first date after today the cafe takes orders for."""
    week = live.api("GET", "/orders/availability", token).json()
    days = next(c["days"] for c in week["cafes"] if c["cafe"]["id"] == cafe_id)
    dates: list[str] = [d["date"] for d in days if d["can_order"] and d["date"] > TODAY]
    assert dates, "the demo cafe should take orders for a later date"
    return dates[0]


def place(live: LiveApp, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = live.api("POST", "/orders", token, json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def test_a_manager_labels_a_dish_on_its_screen(telegram: Telegram, live_app: LiveApp) -> None:
    # Given Ольга on the screen of «Борщ с курицей»
    page = telegram.open(*MANAGER, route="/manage/cafes/1")
    page.get_by_test_id("dishes").get_by_role("button", name=re.compile("Борщ с курицей")).click()
    labels = page.get_by_test_id("dish-labels")
    expect(labels).to_contain_text("Орехи, глютен, лактоза и рыба значат «содержит».")

    # When she marks it spicy and containing gluten and saves
    labels.get_by_role("button", name="🌶 Острое").click()
    labels.get_by_role("button", name="🌾 Глютен").click()
    expect(labels.get_by_role("button", name="🌶 Острое")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "labels-dish-light")
    main_button(page).click()

    # Then it is saved with both labels, and the menu list shows their icons after the name
    expect(page.get_by_test_id("toast").last).to_contain_text("Сохранено")
    token = live_app.token(*MANAGER)
    assert menu(live_app, token)["Борщ с курицей"]["labels"] == ["spicy", "gluten"]
    expect(page.get_by_test_id("dishes")).to_contain_text("Борщ с курицей🌶🌾")

    # And taking one off again is saved too
    page.get_by_test_id("dishes").get_by_role("button", name=re.compile("Борщ с курицей")).click()
    page.get_by_test_id("dish-labels").get_by_role("button", name="🌾 Глютен").click()
    main_button(page).click()
    expect(page.get_by_test_id("toast").last).to_contain_text("Сохранено")
    assert menu(live_app, token)["Борщ с курицей"]["labels"] == ["spicy"]

    dark = telegram.open(*MANAGER, dark=True, route="/manage/cafes/1")
    dark.get_by_test_id("dishes").get_by_role("button", name=re.compile("Борщ с курицей")).click()
    expect(dark.get_by_test_id("dish-labels")).to_be_visible()
    screenshot(dark, "labels-dish-dark")


def test_an_employee_sees_favourites_first_and_filters_dishes_by_labels(
    telegram: Telegram, live_app: LiveApp
) -> None:
    manager = live_app.token(*MANAGER)
    employee = live_app.token(*EMPLOYEE)
    dishes = menu(live_app, manager)
    borscht, cutlet = dishes["Борщ с курицей"], dishes["Котлета по-киевски с пюре"]
    live_app.api(
        "PATCH", f"/cafes/1/menu/{borscht['id']}", manager, json={"labels": ["spicy", "gluten"]}
    ).raise_for_status()
    live_app.api(
        "PATCH", f"/cafes/1/menu/{cutlet['id']}", manager, json={"labels": ["lactose"]}
    ).raise_for_status()
    # Иван has had the cutlet today: it is his favourite
    place(
        live_app,
        employee,
        {
            "cafe_id": 1,
            "order_date": TODAY,
            "items": [{"type": "standalone", "menu_item_id": cutlet["id"], "quantity": 1}],
        },
    )
    later = next_open_date(live_app, employee)

    # When he starts an order for the next date without a combo
    page = telegram.open(*EMPLOYEE, route=f"/order/1/{later}")
    expect(page.get_by_test_id("wizard-combo")).to_be_visible()
    main_button(page).click()
    expect(page.get_by_test_id("wizard-standalone")).to_be_visible()

    # Then his favourite comes first, marked, and each dish shows its labels with icons
    rows = page.locator("[data-testid^='dish-']")
    expect(rows.first).to_contain_text("Котлета по-киевски с пюре")
    expect(rows.first).to_contain_text("★ часто берёте")
    expect(page.get_by_test_id(f"dish-{borscht['id']}").get_by_test_id("labels")).to_have_text(
        "🌶 Острое🌾 Глютен"
    )
    screenshot(page, "labels-wizard-light")

    # When he asks for spicy dishes only
    bar = page.get_by_test_id("label-filter")
    bar.get_by_role("button", name="Острое", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Борщ с курицей")
    expect(page.get_by_test_id("hidden-count")).to_have_text("1 блюдо скрыто фильтром")

    # And a second tap turns it into "without spicy"
    bar.get_by_role("button", name="Острое: только").click()
    expect(bar.get_by_role("button", name="Острое: без")).to_have_attribute("aria-pressed", "true")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Котлета по-киевски с пюре")

    # And without lactose as well leaves nothing; reset brings both back
    bar.get_by_role("button", name="Лактоза", exact=True).click()
    bar.get_by_role("button", name="Лактоза: только").click()
    expect(rows).to_have_count(0)
    expect(page.get_by_test_id("hidden-count")).to_have_text("2 блюда скрыто фильтром")
    screenshot(page, "labels-filter-light")
    bar.get_by_role("button", name="Сбросить").click()
    expect(rows).to_have_count(2)

    dark = telegram.open(*EMPLOYEE, dark=True, route=f"/order/1/{later}")
    main_button(dark).click()
    dark.get_by_test_id("label-filter").get_by_role("button", name="Острое", exact=True).click()
    screenshot(dark, "labels-wizard-dark")


def test_an_employee_repeats_an_order_in_one_tap_and_is_told_which_dish_is_gone(
    telegram: Telegram, live_app: LiveApp
) -> None:
    manager = live_app.token(*MANAGER)
    employee = live_app.token(*EMPLOYEE)
    dishes = menu(live_app, manager)
    cutlet, drink = dishes["Котлета по-киевски с пюре"], dishes["Морс клюквенный"]
    first = place(
        live_app,
        employee,
        {
            "cafe_id": 1,
            "order_date": TODAY,
            "items": [{"type": "standalone", "menu_item_id": cutlet["id"], "quantity": 1}],
            "extras": [{"menu_item_id": drink["id"], "quantity": 2}],
            "notes": "Без лука",
        },
    )
    later = next_open_date(live_app, employee)

    # Given Иван on the home screen: the next date offers "Как в прошлый раз" with what it was
    page = telegram.open(*EMPLOYEE)
    repeat = page.get_by_test_id(f"repeat-1-{later}")
    expect(repeat).to_contain_text("Как в прошлый раз")
    expect(repeat).to_contain_text("Котлета по-киевски с пюре, Морс клюквенный × 2")
    screenshot(page, "repeat-home-light")

    # When he taps it, the same order is placed for that date in one request
    repeat.click()
    expect(page.get_by_role("status")).to_contain_text("Заказ принят")
    expect(page.get_by_test_id("total")).to_have_text("410\u00a0₽")
    orders = live_app.api("GET", "/orders", employee, params={"date": later}).json()["items"]
    assert [(o["cafe_id"], o["total_price"], o["notes"]) for o in orders] == [
        (1, 410.0, "Без лука")
    ]
    repeated = orders[0]
    assert [(e["menu_item_name"], e["quantity"]) for e in repeated["extras"]] == [
        ("Морс клюквенный", 2)
    ]

    # Given he cancels it and the cafe has run out of the cranberry drink
    live_app.api("DELETE", f"/orders/{repeated['id']}", employee).raise_for_status()
    live_app.api(
        "PATCH", f"/cafes/1/menu/{drink['id']}", manager, json={"is_available": False}
    ).raise_for_status()

    # When he repeats the first order from its screen (history → order)
    page.evaluate("route => { window.location.hash = route }", f"/orders/{first['id']}")
    section = page.get_by_test_id("repeat")
    expect(section).to_contain_text("Как в прошлый раз")
    section.get_by_test_id(f"repeat-on-{later}").click()

    # Then he is told plainly what is gone, and no order is placed
    refused = page.get_by_test_id("repeat-refused")
    expect(refused).to_contain_text("Повторить не получилось")
    expect(refused).to_contain_text("«Морс клюквенный»")
    screenshot(page, "repeat-refused-light")
    active = [
        o
        for o in live_app.api("GET", "/orders", employee, params={"date": later}).json()["items"]
        if o["status"] != "cancelled"
    ]
    assert active == []

    dark = telegram.open(*EMPLOYEE, dark=True, route=f"/orders/{first['id']}")
    dark.get_by_test_id("repeat").get_by_test_id(f"repeat-on-{later}").click()
    expect(dark.get_by_test_id("repeat-refused")).to_contain_text("«Морс клюквенный»")
    screenshot(dark, "repeat-refused-dark")
