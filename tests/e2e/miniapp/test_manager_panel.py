"""A manager runs the office from the same Mini App: adds an employee, approves a cafe's chat
link, downloads the cafe's CSV report."""

import httpx
import pytest
from playwright.sync_api import expect

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import LiveApp, Telegram, main_button

pytestmark = pytest.mark.e2e

MANAGER = (MANAGER_TGID, "Ольга Смирнова")


def test_a_manager_adds_an_employee_who_can_then_sign_in(
    telegram: Telegram, live_app: LiveApp
) -> None:
    # Given Ольга, a manager, opens the app
    page = telegram.open(*MANAGER)
    page.get_by_role("button", name="Управление").click()
    page.get_by_role("button", name="Сотрудники").click()

    # When she adds Пётр Новиков with his Telegram ID
    page.get_by_role("button", name="Новый сотрудник").click()
    expect(main_button(page)).to_be_disabled()
    page.get_by_label("Telegram ID").fill("555000111")
    page.get_by_label("Имя и фамилия").fill("Пётр Новиков")
    page.get_by_label("Офис").fill("Москва, Центральный")
    main_button(page).click()

    # Then his card opens, and he is in the list when she searches for him
    expect(page.get_by_role("heading", name="Пётр Новиков")).to_be_visible()
    page.get_by_role("button", name="Telegram: назад").click()
    page.get_by_label("Поиск").fill("Новиков")
    expect(page.get_by_test_id("employees")).to_contain_text("Пётр Новиков")
    expect(page.get_by_test_id("employees")).not_to_contain_text("Иван Петров")

    # And Пётр can sign in
    signed_in = httpx.post(
        f"{live_app.base_url}/api/v1/auth/telegram",
        json={"init_data": live_app.init_data(555000111, "Пётр Новиков")},
    )
    assert signed_in.status_code == 200, signed_in.text


def test_a_manager_approves_a_cafe_link_request(telegram: Telegram, live_app: LiveApp) -> None:
    # Given the chat of Столовая №1 asked the bot to be linked
    asked = live_app.chat_asks_to_link(1, -1001234567890, "stolovaya1")

    # When Ольга opens the link requests and approves it
    page = telegram.open(*MANAGER, route="/manage/links")
    request = page.get_by_test_id(f"link-request-{asked}")
    expect(request).to_contain_text("Столовая №1")
    expect(request).to_contain_text("@stolovaya1")
    request.get_by_role("button", name="Одобрить").click()

    # Then the request is processed and the cafe shows its linked chat with notifications on
    expect(page.get_by_text("Заявок на подключение нет.")).to_be_visible()
    expect(page.get_by_test_id("toast")).to_have_text("✓ Заявка одобрена")
    expect(page.get_by_text("Одобрена", exact=True)).to_be_visible()
    page.evaluate("window.location.hash = '/manage/cafes/1'")
    expect(page.get_by_text("@stolovaya1")).to_be_visible()
    expect(page.get_by_role("switch", name="Уведомления в чат кафе")).to_have_attribute(
        "aria-checked", "true"
    )


def test_a_manager_downloads_the_cafe_report_as_csv(telegram: Telegram, live_app: LiveApp) -> None:
    # Given Иван ordered a combo with two drinks at Столовая №1 for today
    token = live_app.token(EMPLOYEE_TGID, "Иван Петров")
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
            "extras": [{"menu_item_id": 7, "quantity": 2}],
        },
    )
    assert placed.status_code == 201, placed.text

    # When Ольга opens the report for the cafe and the day
    page = telegram.open(*MANAGER, route="/manage/reports")
    page.get_by_label("Дата").fill("2026-11-24")
    page.get_by_role("radio", name="Столовая №1").click()

    # Then she sees the totals, and the CSV she downloads lists Иван's lunch: Telegram (8.0)
    # downloads it itself, from a signed link that needs no token
    report = page.get_by_test_id("report")
    expect(report).to_contain_text("470\u00a0₽")
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Скачать CSV").click()
    asked = page.evaluate("window.__tg.downloads")
    assert len(asked) == 1
    assert asked[0]["file_name"] == "Столовая №1 2026-11-24.csv"
    assert "/api/v1/reports/export?" in asked[0]["url"]
    assert "signature=" in asked[0]["url"]
    assert downloaded.value.url == asked[0]["url"]
    # Named by the server's UTF-8 filename*, not its ASCII fallback of underscores
    assert downloaded.value.suggested_filename.endswith(".csv")
    assert "Столовая" in downloaded.value.suggested_filename
    text = downloaded.value.path().read_text(encoding="utf-8-sig")
    assert "Иван Петров" in text
    assert "Морс клюквенный" in text


def test_an_older_telegram_gets_the_csv_from_the_page_itself(
    telegram: Telegram, live_app: LiveApp
) -> None:
    # Given a Telegram client older than Mini Apps 8.0, which has no downloadFile
    page = telegram.open(*MANAGER, route="/manage/reports", version="7.10")
    page.get_by_label("Дата").fill("2026-11-24")
    page.get_by_role("radio", name="Столовая №1").click()
    expect(page.get_by_test_id("report")).to_be_visible()

    # When Ольга downloads the CSV, the page fetches it with her token and saves it
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Скачать CSV").click()

    # Then no signed link was asked of Telegram, and the file still has its Cyrillic name
    assert page.evaluate("window.__tg.downloads || []") == []
    assert downloaded.value.url.startswith("blob:")
    assert "Столовая" in downloaded.value.suggested_filename


def test_declining_telegram_s_download_is_not_an_error(telegram: Telegram) -> None:
    # Given Ольга's Telegram asks before downloading, and she says no
    page = telegram.open(*MANAGER, route="/manage/reports")
    page.evaluate("window.__tg.downloadAnswer = 'cancel'")
    page.get_by_label("Дата").fill("2026-11-24")
    page.get_by_role("radio", name="Столовая №1").click()
    expect(page.get_by_test_id("report")).to_be_visible()

    with page.expect_response(lambda answer: "/reports/export-link" in answer.url):
        page.get_by_role("button", name="Скачать CSV").click()

    # Then Telegram was asked once, and the page shows no error box
    for _ in range(50):  # the app asks Telegram right after the link arrives
        if page.evaluate("(window.__tg.downloads || []).length"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__tg.downloads.length") == 1
    expect(page.get_by_role("alert")).to_have_count(0)
