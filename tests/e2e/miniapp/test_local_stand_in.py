"""The build `make run` serves, opened in a plain browser: its stand-in for Telegram answers the
app's popups and links, so cancelling an order and unlinking a chat work in the demo too."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from functions.api.static import MINIAPP_LOCAL_DIST
from infra.local.demo import EMPLOYEE_TGID
from infra.local.runner import ensure_miniapp
from tests.e2e.miniapp.conftest import REPO_ROOT, LiveApp

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def local_build() -> Path:
    # The same step `make run` takes: build miniapp/dist-local when missing or stale.
    ensure_miniapp(REPO_ROOT, os.environ)
    if not (MINIAPP_LOCAL_DIST / "index.html").is_file():
        pytest.fail("The local Mini App build failed: see the step above")
    return MINIAPP_LOCAL_DIST


@pytest.fixture
def miniapp_build(local_build: Path) -> Path:
    return local_build


@pytest.fixture
def plain(live_app: LiveApp, browser: Browser) -> Iterator[list[Page]]:
    pages: list[Page] = []
    yield pages
    for page in pages:
        page.context.close()


def open_plain(browser: Browser, live: LiveApp, pages: list[Page], query: str) -> Page:
    """The app in a browser with no Telegram around it, as `make run` users open it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live.base_url}/{query}")
    pages.append(page)
    return page


def go(page: Page, route: str) -> None:
    page.wait_for_selector("[data-testid^='page-']")
    page.evaluate("route => { window.location.hash = route }", route)


def test_an_employee_cancels_an_order_through_the_stand_in_s_popup(
    live_app: LiveApp, browser: Browser, plain: list[Page]
) -> None:
    token = live_app.token(EMPLOYEE_TGID, "Иван Петров")
    order = live_app.api(
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
    assert order.status_code == 201, order.text

    page = open_plain(browser, live_app, plain, "")
    go(page, f"/orders/{order.json()['id']}")
    page.get_by_role("button", name="Отменить заказ").click()

    # The stand-in draws Telegram's popup; declining keeps the order
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Отменить заказ?")
    dialog.locator("[data-mock-popup-button='cancel']").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("page-order")).to_be_visible()

    # Confirming cancels it
    page.get_by_role("button", name="Отменить заказ").click()
    page.get_by_role("dialog").locator("[data-mock-popup-button='destructive']").click()
    expect(page.get_by_role("status").filter(has_text="Заказ отменён")).to_be_visible()
    assert live_app.api("GET", f"/orders/{order.json()['id']}", token).json()["status"] == (
        "cancelled"
    )


def test_a_manager_unlinks_a_cafe_chat_through_the_stand_in(
    live_app: LiveApp, browser: Browser, plain: list[Page]
) -> None:
    page = open_plain(browser, live_app, plain, "?as=manager")
    go(page, "/manage/cafes/1")
    expect(page.get_by_test_id("chat")).to_contain_text("Привязан чат")

    page.get_by_role("button", name="Отвязать чат").click()
    page.get_by_role("dialog").locator("[data-mock-popup-button='destructive']").click()

    expect(page.get_by_test_id("toast").last).to_have_text("✓ Чат отвязан")
    expect(page.get_by_test_id("chat")).to_contain_text("Чат кафе не привязан")


def test_a_manager_downloads_the_csv_through_the_stand_in_s_download_file(
    live_app: LiveApp, browser: Browser, plain: list[Page]
) -> None:
    page = open_plain(browser, live_app, plain, "?as=manager")
    go(page, "/manage/reports")
    page.get_by_label("Дата").fill("2026-11-24")
    page.get_by_role("radio", name="Столовая №1").click()
    expect(page.get_by_test_id("report")).to_be_visible()

    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Скачать CSV").click()

    # The stand-in answers downloadFile by fetching the signed link, as Telegram would
    assert "/api/v1/reports/export?" in downloaded.value.url
    assert "signature=" in downloaded.value.url
    assert downloaded.value.suggested_filename == "Столовая №1 2026-11-24.csv"
    assert downloaded.value.path().read_text(encoding="utf-8-sig").startswith("Дата;Сотрудник;")


def test_an_unknown_dev_user_is_told_what_to_open_and_english_is_one_parameter_away(
    live_app: LiveApp, browser: Browser, plain: list[Page]
) -> None:
    stranger = open_plain(browser, live_app, plain, "?tgid=424242")
    expect(stranger.get_by_test_id("gate-unknown-dev-user")).to_contain_text(
        "Пользователя с Telegram ID 424242 нет в демо-данных"
    )

    english = open_plain(browser, live_app, plain, "?lang=en")
    expect(english.get_by_role("heading", name="Lunch order")).to_be_visible()
    expect(english.get_by_role("button", name="History")).to_be_visible()
