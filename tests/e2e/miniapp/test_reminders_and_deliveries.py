"""Reminders, «Привезли», on-demand advice and a newcomer's office in the Mini App at phone size,
against the real API on real PostgreSQL and Redis: the profile switch (with the hint to press
Start), the manager's reminder setting, who has not ordered with «Напомнить сейчас», deliveries
per cafe and the delivered badge, «Обновить рекомендации» refused and granted, the office field.

The «Привезли» press itself (the cafe's chat, the notices) is driven in
tests/e2e/test_lunch_arrived.py; here the arrival is recorded in its table, as the press leaves
it, to show what the app makes of it."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

import pytest
import redis
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, text

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID, load_order_history
from shared.kit.db import create_engine, create_sessionmaker, unit_of_work
from tests.e2e.miniapp.conftest import MSK, LiveApp, Telegram, main_button, screenshot

pytestmark = pytest.mark.e2e

MANAGER = (MANAGER_TGID, "Ольга Смирнова")
EMPLOYEE = (EMPLOYEE_TGID, "Иван Петров")
MARIA = (100003, "Мария Сидорова")
ALEXEY = (100004, "Алексей Козлов")
TODAY = "2026-11-24"


def started_the_bot(engine: Engine, tgid: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO bot_contacts (tgid, started_at) VALUES (:tgid, now())"),
            {"tgid": tgid},
        )


def order_today(live: LiveApp, token: str, cafe_id: int = 1) -> dict[str, Any]:
    items = live.api("GET", f"/cafes/{cafe_id}/menu", token).json()["items"]
    dish = next(
        i
        for i in items
        if i["price"] is not None
        and i["category"] != "extra"
        and not any(o["is_required"] for o in i["options"])
    )
    response = live.api(
        "POST",
        "/orders",
        token,
        json={
            "cafe_id": cafe_id,
            "order_date": TODAY,
            "items": [{"type": "standalone", "menu_item_id": dish["id"], "quantity": 1}],
        },
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def order_history(live: LiveApp) -> None:
    """Ten working days of demo orders before today, through the ordering rules."""

    async def load() -> None:
        engine = create_engine(live.settings)
        try:
            async with unit_of_work(create_sessionmaker(engine)) as session:
                await load_order_history(session, live.settings, today=date(2026, 11, 24))
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, load()).result()


def toast(page: Page) -> Any:
    return page.get_by_test_id("toast").last


def test_an_employee_switches_reminders_and_is_told_to_press_start(
    telegram: Telegram, live_app: LiveApp, sync_engine: Engine
) -> None:
    # Given Иван, who has never started the bot, on his profile
    page = telegram.open(*EMPLOYEE, route="/profile")
    section = page.get_by_test_id("reminders")
    switch = section.get_by_role("switch", name="Напоминать о заказе")
    expect(switch).to_have_attribute("aria-checked", "true")
    # Then he is told the bot cannot write to him until he presses Start
    expect(page.get_by_test_id("start-bot")).to_have_text(
        "Чтобы бот мог писать вам, откройте чат с ботом и нажмите «Старт»."
    )
    section.scroll_into_view_if_needed()
    screenshot(page, "reminders-profile-light")

    # When he switches reminders off, it is saved
    switch.click()
    expect(toast(page)).to_contain_text("Напоминания выключены")
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.get_by_test_id("start-bot")).to_have_count(0)
    token = live_app.token(*EMPLOYEE)
    assert live_app.api("GET", f"/users/{EMPLOYEE_TGID}/reminders", token).json() == {
        "enabled": False,
        "bot_started": False,
    }

    # Given Мария started the bot: her profile has the switch and no hint
    started_the_bot(sync_engine, MARIA[0])
    dark = telegram.open(*MARIA, dark=True, route="/profile")
    expect(dark.get_by_test_id("reminders").get_by_role("switch")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(dark.get_by_test_id("reminders")).to_contain_text("Бот напишет, если до дедлайна")
    expect(dark.get_by_test_id("start-bot")).to_have_count(0)
    dark.get_by_test_id("reminders").scroll_into_view_if_needed()
    screenshot(dark, "reminders-profile-dark")


def test_recommendations_on_demand_are_refused_readably_then_refreshed(
    telegram: Telegram, live_app: LiveApp, redis_url: str
) -> None:
    # Given Иван with no orders yet: a refresh is refused with the reason
    page = telegram.open(*EMPLOYEE, route="/profile")
    page.get_by_test_id("refresh-advice").click()
    expect(page.get_by_test_id("advice-refused")).to_have_text(
        "Нужно хотя бы 5 заказов за 30 дней — тогда будет из чего советовать."
    )

    # Given two weeks of orders: the refresh makes advice at once, with category counts
    order_history(live_app)
    page.get_by_test_id("refresh-advice").click()
    expect(toast(page)).to_contain_text("Рекомендации обновлены")
    expect(page.get_by_test_id("advice-refused")).to_have_count(0)
    stats = page.get_by_test_id("category-stats")
    expect(stats).to_contain_text(re.compile(r"Суп \d+ · \d+%"))
    token = live_app.token(*EMPLOYEE)
    categories = live_app.api("GET", f"/users/{EMPLOYEE_TGID}/recommendations", token).json()[
        "stats"
    ]["categories"]
    soup = categories["soup"]
    expect(stats).to_contain_text(f"Суп {soup['count']} · {round(soup['percent'])}%")
    screenshot(page, "advice-profile-light")

    # Given Мария has used up today's refreshes: she is told to come back tomorrow
    redis.Redis.from_url(redis_url).set(f"recommendations:generate:{MARIA[0]}:{TODAY}", 3)
    dark = telegram.open(*MARIA, dark=True, route="/profile")
    dark.get_by_test_id("refresh-advice").click()
    expect(dark.get_by_test_id("advice-refused")).to_have_text(
        "На сегодня обновления закончились — попробуйте завтра."
    )
    dark.get_by_test_id("advice-refused").scroll_into_view_if_needed()
    screenshot(dark, "advice-refused-dark")


def test_a_manager_sets_reminders_sees_who_has_not_ordered_and_reminds_them_now(
    telegram: Telegram, live_app: LiveApp, sync_engine: Engine
) -> None:
    manager = live_app.token(*MANAGER)
    order_today(live_app, live_app.token(*EMPLOYEE))
    started_the_bot(sync_engine, MARIA[0])

    # Given Ольга on the reminder setting: a number out of range is refused beside the field
    page = telegram.open(*MANAGER, route="/manage")
    page.get_by_role("button", name=re.compile("Напоминания сотрудникам")).click()
    page.get_by_role("switch", name="Напоминать").click()
    page.get_by_label("За сколько минут до дедлайна").fill("1000")
    main_button(page).click()
    expect(page.get_by_test_id("field-error")).to_be_visible()
    screenshot(page, "reminders-settings-light")

    # When she asks for 45 minutes, it is saved
    page.get_by_label("За сколько минут до дедлайна").fill("45")
    main_button(page).click()
    expect(toast(page)).to_contain_text("Сохранено")
    saved = live_app.api("GET", "/reminders/settings", manager).json()
    assert (saved["is_enabled"], saved["minutes_before"]) == (True, 45)

    # When she opens who has not ordered for today
    page.goto(page.url.split("#")[0] + page.url[page.url.index("#") :])  # the same launch
    page.evaluate("route => { window.location.hash = route }", "/manage/not-ordered")
    page.get_by_label("Дата").fill(TODAY)
    listed = page.get_by_test_id("not-ordered")
    # Then exactly the active people without an order are listed, Иван (ordered) is not
    expect(listed.locator("[data-testid^='person-']")).to_have_count(3)
    expect(listed).not_to_contain_text("Иван Петров")
    expect(page.get_by_test_id(f"person-{ALEXEY[0]}")).to_contain_text("не запускал бота")
    expect(page.get_by_test_id(f"person-{MARIA[0]}")).not_to_contain_text("не запускал бота")
    screenshot(page, "not-ordered-light")

    # When she presses «Напомнить сейчас», a round is recorded for the next check to send
    page.get_by_role("button", name=re.compile("Напомнить сейчас")).click()
    expect(page.get_by_test_id("reminded")).to_contain_text(
        re.compile(r"Напоминание уйдёт \d+ сотрудник")
    )
    with sync_engine.connect() as connection:
        rounds = connection.execute(
            text("SELECT count(*) FROM reminder_rounds WHERE order_date = :d"),
            {"d": date(2026, 11, 24)},
        ).scalar_one()
    assert rounds == 1

    dark = telegram.open(*MANAGER, dark=True, route="/manage/not-ordered")
    dark.get_by_label("Дата").fill(TODAY)
    expect(dark.get_by_test_id("not-ordered")).to_be_visible()
    screenshot(dark, "not-ordered-dark")


def test_deliveries_per_cafe_for_managers_and_the_delivered_badge_for_employees(
    telegram: Telegram, live_app: LiveApp, sync_engine: Engine
) -> None:
    order = order_today(live_app, live_app.token(*EMPLOYEE))
    order_today(live_app, live_app.token(*MARIA), cafe_id=2)
    # Столовая №1 pressed «Привезли» at 12:40
    with sync_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cafe_arrivals (cafe_id, order_date, arrived_at, reported_by_name)"
                " VALUES (1, :d, :at, 'Анна')"
            ),
            {"d": date(2026, 11, 24), "at": datetime(2026, 11, 24, 12, 40, tzinfo=MSK)},
        )

    # Then Иван's order shows it was delivered, in the history and on its screen
    page = telegram.open(*EMPLOYEE, route="/history")
    expect(page.get_by_test_id(f"order-{order['id']}").get_by_test_id("delivered")).to_contain_text(
        "Привезли"
    )
    page.get_by_test_id(f"order-{order['id']}").click()
    # on the company's clock (12:40 in Moscow), whatever the phone's time zone
    expect(page.get_by_test_id("delivered")).to_have_text("✓ Привезли в 12:40")
    screenshot(page, "delivered-order-light")

    # And Ольга sees per cafe: Столовая №1 delivered, Грузинский дворик not yet
    manager = telegram.open(*MANAGER, route="/manage")
    manager.get_by_role("button", name=re.compile("Доставка")).click()
    manager.get_by_label("Дата").fill(TODAY)
    expect(manager.get_by_test_id("delivery-1")).to_contain_text("✓ 12:40")
    expect(manager.get_by_test_id("delivery-1")).to_contain_text("1 заказ")
    expect(manager.get_by_test_id("delivery-1")).to_contain_text("Анна")
    expect(manager.get_by_test_id("delivery-2")).to_contain_text("ещё не привезли")
    screenshot(manager, "deliveries-light")
    dark = telegram.open(*MANAGER, dark=True, route="/manage/deliveries")
    dark.get_by_label("Дата").fill(TODAY)
    expect(dark.get_by_test_id("delivery-1")).to_be_visible()
    screenshot(dark, "deliveries-dark")


def test_a_newcomer_gives_their_office_while_waiting_for_approval(
    telegram: Telegram, live_app: LiveApp
) -> None:
    # Given a stranger opens the app: the request is sent, and the office is asked
    newcomer = (555001, "Пётр Новиков")
    page = telegram.open(*newcomer)
    expect(page.get_by_test_id("gate-pending")).to_be_visible()
    page.get_by_label("Ваш офис").fill("Москва, Тверская 7")
    screenshot(page, "newcomer-office-light")
    page.get_by_role("button", name="Отправить менеджеру").click()
    expect(page.get_by_role("status")).to_contain_text("Офис передан менеджеру")

    # Then the manager sees it on the request
    manager = live_app.token(*MANAGER)
    requests = live_app.api("GET", "/user-requests", manager, params={"status": "pending"}).json()[
        "items"
    ]
    assert [(r["tgid"], r["office"]) for r in requests] == [(555001, "Москва, Тверская 7")]

    dark = telegram.open(*newcomer, dark=True)
    expect(dark.get_by_label("Ваш офис")).to_be_visible()
    screenshot(dark, "newcomer-office-dark")


def test_the_new_screens_speak_english_when_telegram_does(telegram: Telegram) -> None:
    # Given Иван's Telegram speaks English: the profile's new parts are in English
    page = telegram.open(*EMPLOYEE, language="en", route="/profile")
    expect(page.get_by_test_id("reminders")).to_contain_text("Remind me to order")
    expect(page.get_by_test_id("start-bot")).to_have_text(
        "For the bot to write to you, open the chat with the bot and press «Start»."
    )
    page.get_by_test_id("refresh-advice").click()
    expect(page.get_by_test_id("advice-refused")).to_have_text(
        "At least 5 orders in 30 days are needed to advise from."
    )
    screenshot(page, "profile-en-light")

    # And the manager's not-ordered screen
    manager = telegram.open(*MANAGER, language="en", dark=True, route="/manage")
    expect(manager.get_by_role("button", name=re.compile("Who has not ordered"))).to_be_visible()
    expect(manager.get_by_role("button", name=re.compile("Reminders to employees"))).to_be_visible()
    expect(manager.get_by_role("button", name=re.compile("Deliveries"))).to_be_visible()
    screenshot(manager, "manage-en-dark")
