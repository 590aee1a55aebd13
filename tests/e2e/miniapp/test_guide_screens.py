"""The screens the guides show, in both themes and both languages, on a 390 and a 320 pixel wide
phone (test artifacts in test-artifacts/miniapp/guide-*.png; docs/guides/img holds a few)."""

import re

import pytest
from playwright.sync_api import Page, expect

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import ARTIFACTS, LiveApp, Telegram, main_button, screenshot

pytestmark = pytest.mark.e2e

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
