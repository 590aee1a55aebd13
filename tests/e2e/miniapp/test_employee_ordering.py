"""An employee orders lunch in the Mini App: a combo with extras, changes it, finds it in the
history; after the deadline the app refuses, and the controls to change an order are gone."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from infra.local.demo import EMPLOYEE_TGID
from tests.e2e.miniapp.conftest import MSK, LiveApp, Telegram, main_button, press_back

pytestmark = pytest.mark.e2e

EMPLOYEE = (EMPLOYEE_TGID, "Иван Петров")
AFTER_DEADLINE = datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK)


def haptics(page: Page) -> list[object]:
    events: list[dict[str, object]] = page.evaluate("window.__tg.events")
    return [e["payload"] for e in events if e["name"] == "web_app_trigger_haptic_feedback"]


def choose(page: Page, text: str) -> None:
    page.get_by_role("button", name=re.compile(re.escape(text))).first.click()


def test_an_employee_orders_a_combo_with_extras_edits_it_and_finds_it_in_history(
    telegram: Telegram,
) -> None:
    # Given Иван opens the app on Tuesday at 09:15 (Столовая №1 takes orders until 11:00)
    page = telegram.open(*EMPLOYEE)
    today = page.get_by_test_id("slot-1-2026-11-24")
    expect(today).to_contain_text("Столовая №1")
    expect(today).to_contain_text("Заказ до 11:00")
    expect(today.get_by_test_id("countdown")).to_contain_text("осталось 1 ч 45 мин")

    # When he picks the full combo, one dish per category, two cranberry drinks and a note
    today.click()
    choose(page, "Салат + Суп + Горячее")
    main_button(page).click()
    choose(page, "Винегрет")
    choose(page, "Куриная лапша")
    expect(main_button(page)).to_be_disabled()  # a category is still missing
    choose(page, "Гречка с грибами")
    main_button(page).click()
    expect(page.get_by_test_id("wizard-standalone")).to_be_visible()
    main_button(page).click()
    page.get_by_role("button", name="Морс клюквенный: больше").click()
    page.get_by_role("button", name="Морс клюквенный: больше").click()
    main_button(page).click()
    page.get_by_label("Комментарий").fill("Без лука, пожалуйста")

    # Then the summary shows the price and what is left of his 3 000 ₽ week
    expect(page.get_by_test_id("total")).to_have_text("570\u00a0₽")
    expect(page.get_by_test_id("budget-left")).to_have_text("2\u00a0430\u00a0₽")
    expect(main_button(page)).to_have_text("Подтвердить заказ · 570\u00a0₽")

    # When he confirms, the order is placed, with a haptic tick
    main_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Заказ принят")
    expect(page.get_by_test_id("total")).to_have_text("570\u00a0₽")
    assert {"type": "notification", "notification_type": "success"} in haptics(page)

    # When he changes it before the deadline: a focaccia on top
    main_button(page).click()  # "Изменить заказ"
    expect(page.get_by_test_id("wizard-combo")).to_be_visible()
    for _ in range(3):
        main_button(page).click()
    page.get_by_role("button", name="Фокачча с пряным маслом: больше").click()
    main_button(page).click()
    expect(page.get_by_label("Комментарий")).to_have_value("Без лука, пожалуйста")
    main_button(page).click()  # "Сохранить изменения"
    expect(page.get_by_role("status")).to_contain_text("Заказ изменён")
    expect(page.get_by_test_id("total")).to_have_text("620\u00a0₽")

    # Then the history lists it with the new total
    press_back(page)
    page.get_by_role("button", name="История").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Вторник, 24 ноября · Столовая №1")
    expect(history).to_contain_text("620\u00a0₽")
    expect(history).to_contain_text("Фокачча с пряным маслом")


def test_after_the_deadline_the_app_refuses_the_order_and_hides_the_controls(
    telegram: Telegram, live_app: LiveApp
) -> None:
    # Given Иван has an order at Столовая №1 for today and is at the summary of an order at
    # Грузинский дворик, which takes today's orders until 10:30
    token = live_app.token(*EMPLOYEE)
    placed = live_app.api(
        "POST",
        "/orders",
        token,
        json={
            "cafe_id": 1,
            "order_date": "2026-11-24",
            "combo_id": 1,
            "items": [
                {"type": "combo", "category": "salad", "menu_item_id": 1},
                {"type": "combo", "category": "soup", "menu_item_id": 4},
            ],
        },
    )
    assert placed.status_code == 201, placed.text
    page = telegram.open(*EMPLOYEE)
    page.get_by_test_id("slot-2-2026-11-24").click()
    choose(page, "Суп + Горячее")
    main_button(page).click()
    choose(page, "Харчо")
    choose(page, "Чахохбили")
    main_button(page).click()
    main_button(page).click()
    main_button(page).click()
    expect(page.get_by_test_id("wizard-summary")).to_be_visible()

    # When the clock passes that cafe's deadline for the day and he confirms
    live_app.clock.set(datetime(2026, 11, 24, 10, 30, 30, tzinfo=MSK))
    main_button(page).click()

    # Then the app shows why, in words, and stays on the summary
    expect(page.get_by_role("alert")).to_contain_text("закончился в 10:30")
    expect(page.get_by_test_id("wizard-summary")).to_be_visible()

    # And today's order, after 11:00, can no longer be changed or cancelled
    live_app.clock.set(AFTER_DEADLINE)
    page.evaluate(f"window.location.hash = '/orders/{placed.json()['id']}'")
    expect(page.get_by_text("Дедлайн прошёл")).to_be_visible()
    expect(page.get_by_role("button", name="Отменить заказ")).to_have_count(0)
    expect(main_button(page)).to_be_hidden()
