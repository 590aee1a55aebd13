"""The dev page of `make run` at phone size: playing Telegram chats with the bot.

The local system as `make run` builds it (the functions' real handlers, the local API Gateway,
the local Telegram, the in-process bus) is served on a free port; Chromium is a cafe's chat, the
manager and an employee in turn. Every message and press reaches the bot as an Update POSTed to
`/telegram/webhook` with the secret token.
"""

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock_time

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.orm import Session

from infra.local.bus import InProcessBus
from infra.local.demo import CAFE_CHAT_BASE, EMPLOYEE_TGID, MANAGER_TGID
from infra.local.devpage import create_local_app
from infra.local.fakes.telegram import FakeTelegram
from infra.local.fakes.telegram.inbox import LOCAL_TOKEN, local_telegram
from infra.local.runner import prepare, run_consumers
from infra.local.system import FunctionHost, LocalSystem, TravellingClock, build_functions
from infra.local.telegram_chats import NEW_CHAT_BASE
from shared.kit.settings import Settings
from tests.e2e.miniapp.conftest import screenshot

pytestmark = pytest.mark.e2e

WEBHOOK_SECRET = "local-webhook-secret-for-the-dev-page"


@dataclass
class DevPage:
    url: str
    system: LocalSystem
    telegram: FakeTelegram


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def dev_page(db: Session, database_url: str, redis_url: str) -> Iterator[DevPage]:
    """`make run` without a bot token or Kafka, on http://127.0.0.1:<port>."""
    telegram = local_telegram().start()
    suffix = uuid.uuid4().hex[:8]
    settings = Settings(
        _env_file=None,
        environment="local",
        dev_login_enabled=True,
        database_url=database_url,
        redis_url=redis_url,
        kafka_bootstrap_servers="in-process-bus",
        kafka_topic_deadlines=f"local-{suffix}.deadlines",
        kafka_topic_recommendations=f"local-{suffix}.recommendations",
        kafka_topic_reminders=f"local-{suffix}.reminders",
        kafka_topic_dead_letters=f"local-{suffix}.dead-letters",
        telegram_bot_token=LOCAL_TOKEN,
        telegram_api_base_url=telegram.base_url,
        telegram_webhook_secret=WEBHOOK_SECRET,
        jwt_secret="local-test-jwt-secret-0123456789",
        company_timezone="Europe/Moscow",
    )
    clock = TravellingClock()
    # A thread of its own: Playwright's sync API keeps an event loop on this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, prepare(settings, clock)).result()
    system = LocalSystem(settings, clock, FunctionHost(), telegram, None, InProcessBus())
    assert build_functions(system) == []
    system.host.start()
    consumers = threading.Thread(target=run_consumers, args=(system,), daemon=True)
    consumers.start()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_local_app(system), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = threading.Thread(target=server.run, name="dev-page", daemon=True)
    serving.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not serving.is_alive():
            pytest.fail("The local app did not start")
        time.sleep(0.05)
    yield DevPage(f"http://127.0.0.1:{port}", system, telegram)
    server.should_exit = True
    serving.join(10)
    system.stop.set()
    system.host.stop()
    consumers.join(10)
    telegram.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="ru-RU"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def be(page: Page, who: str) -> Locator:
    """Choose who you are in the Telegram panel; the chat's log."""
    page.get_by_label("Chat").select_option(label=who)
    expect(page.locator("#title")).to_have_text(who.split(" — ")[0])
    return page.get_by_role("log")


def send(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_a_new_cafe_chat_links_with_the_cafe_s_link_and_the_manager_approves_it(
    dev_page: DevPage, phone: Page
) -> None:
    phone.goto(f"{dev_page.url}/dev/telegram")

    # A new group with the bot in it: Telegram tells the bot with my_chat_member
    phone.get_by_role("button", name="+ New cafe chat").click()
    log = phone.get_by_role("log")
    expect(phone.locator("#title")).to_have_text("Новое кафе 1")
    expect(log.locator(".service")).to_have_text("Анна added the bot")

    # Opening the cafe's link to the bot sends "/start cafe_2" in the chat
    send(phone, "https://t.me/lunch_local_bot?start=cafe_2")
    expect(log.locator(".me")).to_have_text("/start cafe_2")
    expect(log.locator(".bot").last).to_contain_text(
        "Заявка на привязку к кафе «Грузинский дворик» отправлена"
    )
    # In a group the bot answers as a reply, shown above its text as Telegram shows it
    expect(log.locator(".bot").last.locator(".quote")).to_have_text("Анна/start cafe_2")
    screenshot(phone, "dev-page-telegram-new-chat")
    expect(phone.locator("#update")).to_contain_text('"type": "bot_command"')

    # The manager gets the request with buttons and approves it in their chat
    log = be(phone, "Ольга Смирнова — manager, private chat with the bot")
    request = log.locator(".bot").filter(has_text="Новая заявка на привязку чата")
    expect(request).to_contain_text("«Грузинский дворик»")
    expect(request).to_contain_text("Чат: Новое кафе 1")
    request.get_by_role("button", name="✅ Одобрить").click()
    expect(request).to_contain_text("✅ Одобрено")
    expect(request.locator(".edited")).to_be_visible()
    expect(request.get_by_role("button")).to_have_count(0)
    expect(phone.locator("#update")).to_contain_text('"callback_query"')
    screenshot(phone, "dev-page-telegram-manager")

    # The new chat is the cafe's now, and the bot said so there
    log = be(phone, "Новое кафе 1 — linked to «Грузинский дворик»")
    linked = log.locator(".bot").filter(has_text="Готово! Чат привязан к кафе «Грузинский дворик»")
    expect(linked).to_be_visible()
    linked.evaluate("element => element.scrollIntoView({block: 'start'})")
    screenshot(phone, "dev-page-telegram-linked")

    # All of it went through the webhook route with the secret, as in a deployment
    webhook = dev_page.telegram.webhook
    assert webhook is not None
    assert webhook["url"] == f"{dev_page.url}/telegram/webhook"
    assert webhook["secret_token"] == WEBHOOK_SECRET
    manager = sign_in(dev_page, MANAGER_TGID)
    cafe = httpx.get(f"{dev_page.url}/api/v1/cafes/2", headers=manager).json()
    assert cafe["tg_chat_id"] == NEW_CHAT_BASE - 1
    # The chat it replaced was told
    old_chat = dev_page.telegram.sent_messages(CAFE_CHAT_BASE - 2)
    assert "больше не получает заказы" in old_chat[-1].text


def test_the_cafe_presses_arrived_under_the_day_s_orders_and_the_employee_hears_it(
    dev_page: DevPage, phone: Page
) -> None:
    system = dev_page.system
    morning = next_monday_morning(system)
    system.clock.travel_to(morning)
    phone.goto(f"{dev_page.url}/dev/telegram")

    # The employee has started the bot (Telegram lets it write to them only after that)
    log = be(phone, "Иван Петров — employee, private chat with the bot")
    send(phone, "/start")
    expect(log.locator(".bot").last).to_contain_text("Привет, Иван!")

    # They ordered for Monday, and the cafe's deadline is passed from the dev page
    employee = sign_in(dev_page, EMPLOYEE_TGID)
    order = httpx.post(
        f"{dev_page.url}/api/v1/orders",
        headers=employee,
        json={
            "cafe_id": 1,
            "order_date": morning.date().isoformat(),
            "combo_id": 1,
            "items": [
                {"type": "combo", "category": "salad", "menu_item_id": 1},
                {"type": "combo", "category": "soup", "menu_item_id": 4},
            ],
        },
    )
    assert order.status_code == 201, order.text
    passed = httpx.post(
        f"{dev_page.url}/dev/pass-deadline",
        data={"cafe_id": "1"},
        headers={"Accept": "application/json"},
    )
    assert passed.status_code == 200, passed.text

    # The cafe's chat has the day's orders with «Привезли»; pressing it tells the employee
    log = be(phone, "Столовая №1 · заказы — linked to «Столовая №1»")
    arrived = log.get_by_role("button", name="🚚 Привезли")
    expect(log).to_contain_text("Иван Петров")
    arrived.click()
    expect(log.get_by_role("status")).to_have_text("🔔 Спасибо! Сообщаем сотрудникам 🙌")
    expect(log.locator(".bot").last).to_contain_text("привезли")
    expect(log.locator(".bot").last).to_contain_text("(Анна Кузнецова)")
    expect(log.locator(".bot").last).to_contain_text("Сообщили сотрудникам: 1")
    expect(arrived).to_have_count(0)
    screenshot(phone, "dev-page-telegram-arrived")

    log = be(phone, "Иван Петров — employee, private chat with the bot")
    expect(log.locator(".bot").last).to_contain_text("Обед из «Столовая №1» привезли!")


def test_commands_are_tappable_and_bad_input_gets_a_message_a_person_can_act_on(
    dev_page: DevPage, phone: Page
) -> None:
    phone.goto(f"{dev_page.url}/dev/telegram?chat={MANAGER_TGID}")
    expect(phone.locator("#title")).to_have_text("Ольга Смирнова")
    send(phone, "   ")
    expect(phone.get_by_role("alert")).to_have_text("Type a message or a command first")

    # A /command in the bot's answer is tappable, as in Telegram's apps: it sends the command
    send(phone, "/help")
    log = phone.get_by_role("log")
    log.locator(".bot").last.get_by_role("link", name="/start").click()
    expect(log.locator(".me").last).to_have_text("/start")
    expect(log.locator(".bot").last).to_contain_text("Привет, Ольга!")

    too_long = httpx.post(
        f"{dev_page.url}/dev/telegram/chats/{MANAGER_TGID}/messages", json={"text": "я" * 4097}
    )
    assert too_long.status_code == 400
    assert too_long.json()["detail"] == "A Telegram message holds at most 4096 characters"
    unknown = httpx.get(f"{dev_page.url}/dev/telegram/chats/-42")
    assert unknown.status_code == 404
    assert "pick one from the list" in unknown.json()["detail"]
    stale = httpx.post(
        f"{dev_page.url}/dev/telegram/chats/{MANAGER_TGID}/presses",
        json={"message_id": 999, "data": "approve:1"},
    )
    assert stale.status_code == 409
    # The webhook route is the bot's, and refuses a caller without Telegram's secret
    forged = httpx.post(f"{dev_page.url}/telegram/webhook", json={"update_id": 1})
    assert forged.status_code == 401


def sign_in(dev_page: DevPage, tgid: int) -> dict[str, str]:
    init_data = httpx.post(f"{dev_page.url}/api/v1/dev/sign-in", json={"tgid": tgid}).json()
    signed_in = httpx.post(f"{dev_page.url}/api/v1/auth/telegram", json=init_data)
    assert signed_in.status_code == 200, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['access_token']}"}


def next_monday_morning(system: LocalSystem) -> datetime:
    today = system.clock.now().astimezone(system.settings.tz).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, clock_time(9, 0), tzinfo=system.settings.tz)


def test_a_cafe_removes_the_bot_from_its_group_and_the_managers_see_it(
    dev_page: DevPage, phone: Page
) -> None:
    phone.goto(f"{dev_page.url}/dev/telegram?chat={CAFE_CHAT_BASE - 1}")
    expect(phone.locator("#title")).to_have_text("Столовая №1 · заказы")
    manager = sign_in(dev_page, MANAGER_TGID)

    # Removed: Telegram tells the bot (my_chat_member), the cafe is marked for the managers
    phone.get_by_role("button", name="Remove the bot").click()
    log = phone.get_by_role("log")
    expect(log.locator(".service").last).to_have_text("Анна removed the bot")
    expect(phone.locator("#subtitle")).to_have_text("linked to «Столовая №1», bot removed")
    cafe = httpx.get(f"{dev_page.url}/api/v1/cafes/1", headers=manager).json()
    assert cafe["chat_unreachable_reason"]
    # The bot cannot write there now: a command reaches it, its answer is refused by Telegram
    send(phone, "/status")
    expect(log.locator(".me").last).to_have_text("/status")
    expect(log.locator(".bot")).to_have_count(0)

    # Added back: the mark goes
    phone.get_by_role("button", name="Add the bot back").click()
    expect(log.locator(".service").last).to_have_text("Анна added the bot")
    cafe = httpx.get(f"{dev_page.url}/api/v1/cafes/1", headers=manager).json()
    assert cafe["chat_unreachable_reason"] is None
    send(phone, "/status")
    expect(log.locator(".bot").last).to_contain_text("Столовая №1")


def test_a_manager_s_one_time_link_links_a_new_chat_at_once(dev_page: DevPage, phone: Page) -> None:
    manager = sign_in(dev_page, MANAGER_TGID)
    issued = httpx.post(f"{dev_page.url}/api/v1/cafes/1/link-code", headers=manager)
    assert issued.status_code == 201, issued.text
    phone.goto(f"{dev_page.url}/dev/telegram")
    phone.get_by_role("button", name="+ New cafe chat").click()
    expect(phone.locator("#title")).to_have_text("Новое кафе 1")

    send(phone, issued.json()["deep_link"])
    log = phone.get_by_role("log")
    expect(log.locator(".me")).to_have_text(f"/start {issued.json()['code']}")
    expect(log).to_contain_text("Готово! Чат привязан к кафе «Столовая №1» ✅")
    expect(phone.locator("#subtitle")).to_have_text("linked to «Столовая №1»")

    # Used once: the same link in another chat is refused in words a person can act on
    phone.get_by_role("button", name="+ New cafe chat").click()
    expect(phone.locator("#title")).to_have_text("Новое кафе 2")
    send(phone, issued.json()["deep_link"])
    expect(log.locator(".bot").last).to_contain_text("Попросите офис-менеджера прислать новую")
