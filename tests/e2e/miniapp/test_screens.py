"""Screenshots of every main screen in Telegram's light and dark themes (test artifacts in
test-artifacts/miniapp/), each taken once the screen shows its real content."""

import pytest
from playwright.sync_api import Page, expect

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import LiveApp, Telegram, main_button, screenshot

pytestmark = pytest.mark.e2e

EMPLOYEE = (EMPLOYEE_TGID, "Иван Петров")
MANAGER = (MANAGER_TGID, "Ольга Смирнова")


def go(page: Page, route: str, ready: str) -> None:
    page.evaluate("route => { window.location.hash = route }", route)
    expect(page.get_by_test_id(ready)).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_main_screen_renders_in_the_theme(
    telegram: Telegram, live_app: LiveApp, theme: str
) -> None:
    dark = theme == "dark"
    token = live_app.token(*EMPLOYEE)
    live_app.api(
        "POST",
        "/orders",
        token,
        json={
            "cafe_id": 1,
            "order_date": "2026-11-25",
            "combo_id": 2,
            "items": [
                {"type": "combo", "category": "salad", "menu_item_id": 1},
                {
                    "type": "combo",
                    "category": "soup",
                    "menu_item_id": 3,
                    "options": {"Размер порции": "Большая"},
                },
                {"type": "combo", "category": "main", "menu_item_id": 6},
            ],
            "extras": [{"menu_item_id": 8, "quantity": 1}],
            "notes": "Без лука",
        },
    ).raise_for_status()
    live_app.chat_asks_to_link(2, -100777, "gruzdvor")

    page = telegram.open(*EMPLOYEE, dark=dark)
    expect(page.get_by_test_id("slot-1-2026-11-24")).to_be_visible()
    screenshot(page, f"{theme}-01-home")

    page.get_by_test_id("slot-1-2026-11-24").click()
    page.get_by_role("button", name="Салат + Суп + Горячее").click()
    screenshot(page, f"{theme}-02-combo")
    main_button(page).click()
    page.get_by_role("button", name="Салат Цезарь").click()
    page.get_by_role("button", name="Борщ с курицей").click()
    # Борщ's portion size is required inside the combo too
    expect(main_button(page)).to_be_disabled()
    page.get_by_test_id("pick-options-soup").get_by_role("radio", name="Стандарт").click()
    page.get_by_role("button", name="Котлета по-киевски с пюре").click()
    screenshot(page, f"{theme}-03-dishes")
    main_button(page).click()
    page.get_by_role("button", name="Борщ с курицей: больше").click()
    page.get_by_role("radio", name="Большая").click()
    screenshot(page, f"{theme}-04-standalone")
    main_button(page).click()
    page.get_by_role("button", name="Морс клюквенный: больше").click()
    screenshot(page, f"{theme}-05-extras")
    main_button(page).click()
    page.get_by_label("Комментарий").fill("Приборы не нужны")
    screenshot(page, f"{theme}-06-summary")
    main_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Заказ принят")
    screenshot(page, f"{theme}-07-order")

    go(page, "/history", "history")
    screenshot(page, f"{theme}-08-history")
    go(page, "/profile", "recommendations")
    screenshot(page, f"{theme}-09-profile")

    manager = telegram.open(*MANAGER, dark=dark)
    expect(manager.get_by_test_id("page-home")).to_be_visible()
    go(manager, "/manage", "page-manage")
    screenshot(manager, f"{theme}-10-manage")
    go(manager, "/manage/employees", "employees")
    screenshot(manager, f"{theme}-11-employees")
    go(manager, "/manage/cafes/1", "page-cafe")
    screenshot(manager, f"{theme}-12-cafe")
    go(manager, "/manage/links", "page-links")
    screenshot(manager, f"{theme}-13-links")
    go(manager, "/manage/orders", "page-orders")
    manager.get_by_label("Дата").fill("2026-11-24")
    expect(manager.get_by_text("Иван Петров · Столовая №1")).to_be_visible()
    screenshot(manager, f"{theme}-14-orders")
    go(manager, "/manage/reports", "page-reports")
    manager.get_by_label("Дата").fill("2026-11-24")
    manager.get_by_role("radio", name="Столовая №1").click()
    expect(manager.get_by_test_id("report")).to_be_visible()
    screenshot(manager, f"{theme}-15-report")

    stranger = telegram.open(424242, "Новый Человек", dark=dark)
    expect(stranger.get_by_test_id("gate-pending")).to_be_visible()
    screenshot(stranger, f"{theme}-16-access-pending")
