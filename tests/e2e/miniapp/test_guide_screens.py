"""The screens the guides show, in both themes and both languages, on a 390 and a 320 pixel wide
phone (test artifacts in test-artifacts/miniapp/guide-*.png; docs/guides/img holds a few)."""

import re
from datetime import date, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, text

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import (
    ARTIFACTS,
    MSK,
    LiveApp,
    Telegram,
    main_button,
    screenshot,
)

pytestmark = pytest.mark.e2e

TODAY = "2026-11-24"
DATE_LABEL = {"ru": "Дата", "en": "Date"}
WORDS = {
    "ru": {"price": "Цена, ₽", "combo": "Салат + Суп + Горячее", "soup": "Борщ с курицей"},
    "en": {"price": "Price, ₽", "combo": "Салат + Суп + Горячее", "soup": "Борщ с курицей"},
}


def shot(page: Page, name: str) -> None:
    """The full-resolution artifact, and a small JPEG at CSS pixels as the guides embed it."""
    screenshot(page, name)
    small = ARTIFACTS / "guides" / f"{name}.jpg"
    small.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(small), scale="css", type="jpeg", quality=70)


def go(page: Page, route: str, ready: str) -> None:
    page.evaluate("route => { window.location.hash = route }", route)
    expect(page.get_by_test_id(ready)).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("theme", "language", "width"),
    [
        ("light", "ru", 390),
        ("dark", "ru", 390),
        ("light", "en", 390),
        ("dark", "en", 390),
        ("light", "ru", 320),
        ("dark", "en", 320),
    ],
)
def test_the_guides_screens(
    telegram: Telegram, live_app: LiveApp, theme: str, language: str, width: int
) -> None:
    dark = theme == "dark"
    words = WORDS[language]
    name = f"guide-{language}-{theme}-{width}"

    # An employee's combo: the soup's required size is asked inside it
    page = telegram.open(EMPLOYEE_TGID, "Иван Петров", dark=dark, language=language, width=width)
    expect(page.get_by_test_id("slot-1-2026-11-24")).to_be_visible()
    shot(page, f"{name}-01-home")
    page.get_by_test_id("slot-1-2026-11-24").click()
    page.get_by_role("button", name=words["combo"]).click()
    main_button(page).click()
    page.get_by_role("button", name=words["soup"]).click()
    expect(page.get_by_test_id("pick-options-soup")).to_be_visible()
    shot(page, f"{name}-02-combo-options")

    # A manager's cafe, a dish refused beside its price, a new combo, an employee
    manager = telegram.open(
        MANAGER_TGID, "Ольга Смирнова", dark=dark, language=language, width=width
    )
    expect(manager.get_by_test_id("page-home")).to_be_visible()
    go(manager, "/manage", "page-manage")
    shot(manager, f"{name}-03-manage")
    go(manager, "/manage/cafes/1", "page-cafe")
    shot(manager, f"{name}-04-cafe")
    manager.get_by_test_id("deadlines").scroll_into_view_if_needed()
    shot(manager, f"{name}-05-deadlines")
    manager.get_by_test_id("dishes").get_by_role("button", name=re.compile("Борщ")).click()
    manager.get_by_label(words["price"]).fill("сто")
    main_button(manager).click()
    expect(manager.get_by_test_id("field-error").first).to_be_visible()
    shot(manager, f"{name}-06-dish-error")
    go(manager, "/manage/cafes/1/combos/2", "page-combo")
    shot(manager, f"{name}-07-combo")
    go(manager, f"/manage/employees/{EMPLOYEE_TGID}", "page-employee")
    shot(manager, f"{name}-08-employee")


def _place(live: LiveApp, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = live.api("POST", "/orders", token, json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def _dishes(live: LiveApp, token: str) -> dict[str, dict[str, Any]]:
    response = live.api("GET", "/cafes/1/menu", token)
    response.raise_for_status()
    return {item["name"]: item for item in response.json()["items"]}


def _next_open_date(live: LiveApp, token: str) -> str:
    week = live.api("GET", "/orders/availability", token).json()
    days = next(c["days"] for c in week["cafes"] if c["cafe"]["id"] == 1)
    return str(next(d["date"] for d in days if d["can_order"] and d["date"] > TODAY))


@pytest.mark.parametrize(
    ("theme", "language", "width"),
    [("light", "ru", 390), ("dark", "en", 390), ("light", "ru", 320)],
)
def test_the_guides_newer_screens(
    telegram: Telegram,
    live_app: LiveApp,
    sync_engine: Engine,
    theme: str,
    language: str,
    width: int,
) -> None:
    """Repeat an order, dietary labels, the reminders switch, deliveries and the delivered badge."""
    dark = theme == "dark"
    name = f"guide-{language}-{theme}-{width}"
    manager_token = live_app.token(MANAGER_TGID, "Ольга Смирнова")
    employee_token = live_app.token(EMPLOYEE_TGID, "Иван Петров")
    dishes = _dishes(live_app, manager_token)
    borscht, cutlet = dishes["Борщ с курицей"], dishes["Котлета по-киевски с пюре"]
    drink = dishes["Морс клюквенный"]
    for dish, labels in ((borscht, ["spicy", "gluten"]), (cutlet, ["lactose"])):
        live_app.api(
            "PATCH", f"/cafes/1/menu/{dish['id']}", manager_token, json={"labels": labels}
        ).raise_for_status()
    today = _place(
        live_app,
        employee_token,
        {
            "cafe_id": 1,
            "order_date": TODAY,
            "items": [{"type": "standalone", "menu_item_id": cutlet["id"], "quantity": 1}],
            "extras": [{"menu_item_id": drink["id"], "quantity": 2}],
        },
    )
    later = _next_open_date(live_app, employee_token)
    maria = live_app.token(100003, "Мария Сидорова")
    khachapuri = next(
        item
        for item in live_app.api("GET", "/cafes/2/menu", maria).json()["items"]
        if item["price"] is not None
        and item["category"] != "extra"
        and not any(option["is_required"] for option in item["options"])
    )
    _place(
        live_app,
        maria,
        {
            "cafe_id": 2,
            "order_date": TODAY,
            "items": [{"type": "standalone", "menu_item_id": khachapuri["id"], "quantity": 1}],
        },
    )
    with sync_engine.begin() as connection:  # the cafe pressed «Привезли» at 12:40
        connection.execute(
            text(
                "INSERT INTO cafe_arrivals (cafe_id, order_date, arrived_at, reported_by_name)"
                " VALUES (1, :d, :at, 'Анна')"
            ),
            {"d": date(2026, 11, 24), "at": datetime(2026, 11, 24, 12, 40, tzinfo=MSK)},
        )

    # The home screen offers the last order again for the next open date
    page = telegram.open(
        EMPLOYEE_TGID, "Иван Петров", dark=dark, language=language, width=width
    )
    expect(page.get_by_test_id(f"repeat-1-{later}")).to_be_visible()
    shot(page, f"{name}-09-repeat")

    # Dishes with their labels, the favourite first, and the filter above them
    go(page, f"/order/1/{later}", "wizard-combo")
    main_button(page).click()
    expect(page.get_by_test_id("wizard-standalone")).to_be_visible()
    expect(page.get_by_test_id(f"dish-{borscht['id']}").get_by_test_id("labels")).to_be_visible()
    shot(page, f"{name}-10-labels")

    # The order delivered, and the reminders switch in the profile
    go(page, f"/orders/{today['id']}", "delivered")
    shot(page, f"{name}-11-delivered")
    go(page, "/profile", "reminders")
    # The switch and its hint sit at the end of the profile: scroll them clear of the tab bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, f"{name}-12-reminders")

    # The manager's deliveries per cafe
    manager = telegram.open(
        MANAGER_TGID, "Ольга Смирнова", dark=dark, language=language, width=width
    )
    expect(manager.get_by_test_id("page-home")).to_be_visible()
    go(manager, "/manage/deliveries", "page-deliveries")
    manager.get_by_label(DATE_LABEL[language]).fill(TODAY)
    manager.get_by_label(DATE_LABEL[language]).blur()  # no focus ring in the picture
    expect(manager.get_by_test_id("delivery-1")).to_contain_text("12:40")
    expect(manager.get_by_test_id("delivery-2")).to_be_visible()
    shot(manager, f"{name}-13-deliveries")
