"""An option's extra price at phone size: the manager prices a large borscht (a refused price
shown beside its field), the employee sees «+50 ₽» beside the option and pays it in the total."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from infra.local.demo import EMPLOYEE_TGID, MANAGER_TGID
from tests.e2e.miniapp.conftest import Telegram, main_button, screenshot

pytestmark = pytest.mark.e2e

MANAGER = (MANAGER_TGID, "Ольга Смирнова")
EMPLOYEE = (EMPLOYEE_TGID, "Иван Петров")


def field(page: Page, label: str) -> Locator:
    """The cell of a form field: the input and the refusal shown under it."""
    return page.locator(".cell", has=page.get_by_label(label, exact=True))


def test_the_manager_prices_an_option_and_the_employee_pays_it_in_the_total(
    telegram: Telegram,
) -> None:
    # Given Ольга on Борщ с курицей (180 ₽) at Столовая №1, on a phone
    page = telegram.open(*MANAGER, route="/manage/cafes/1")
    page.get_by_test_id("dishes").get_by_role("button", name=re.compile("Борщ с курицей")).click()
    options = page.get_by_test_id("options")
    expect(options).to_contain_text("Стандарт / Большая · без доплаты")

    # When she adds an optional large portion at a price below zero
    new_option = page.get_by_test_id("new-option")
    new_option.get_by_label("Название опции").fill("Большая порция")
    new_option.get_by_label("Варианты через запятую").fill("Да")
    new_option.get_by_label("Доплата, ₽").fill("-10")
    new_option.get_by_role("switch", name="Обязательная").click()
    new_option.get_by_role("button", name="Добавить").click()

    # Then the refusal is beside the price, and nothing was added
    expect(field(page, "Доплата, ₽").get_by_test_id("field-error")).to_have_text("Не меньше 0")
    expect(options).not_to_contain_text("Большая порция")

    # When she gives 40 ₽, then changes it to 50 ₽ on the option itself
    new_option.get_by_label("Доплата, ₽").fill("40")
    new_option.get_by_role("button", name="Добавить").click()
    expect(options).to_contain_text("Да · +40\u00a0₽")
    options.get_by_role("button", name="Изменить доплату: Большая порция").click()
    options.get_by_label("Большая порция, ₽").fill("50")
    options.get_by_role("button", name="Сохранить доплату").click()

    # Then the option shows its new price
    expect(options).to_contain_text("Да · +50\u00a0₽")
    expect(options.get_by_label("Большая порция, ₽")).to_have_count(0)
    options.scroll_into_view_if_needed()
    screenshot(page, "option-prices-manager")

    # When Иван orders a borscht on his phone
    page = telegram.open(*EMPLOYEE)
    page.get_by_test_id("slot-1-2026-11-24").click()
    main_button(page).click()  # no combo
    expect(page.get_by_test_id("wizard-standalone")).to_be_visible()
    page.get_by_role("button", name="Борщ с курицей: больше").click()
    borscht = page.get_by_test_id(re.compile(r"^dish-\d+$")).filter(has_text="Борщ с курицей")
    borscht.get_by_role("radiogroup", name="Размер порции").get_by_role(
        "radio", name="Стандарт"
    ).click()

    # Then the large portion says what it adds
    expect(borscht).to_contain_text("Большая порция · +50\u00a0₽")
    screenshot(page, "option-prices-employee")

    # When he takes it, the summary's total includes it and his budget shows what is left
    large = borscht.get_by_role("radiogroup", name="Большая порция").get_by_role("radio", name="Да")
    large.click()
    expect(large).to_have_attribute("aria-checked", "true")
    large.click()  # an optional option can be taken back
    expect(large).to_have_attribute("aria-checked", "false")
    large.click()
    main_button(page).click()
    expect(page.get_by_test_id("wizard-extras")).to_be_visible()
    main_button(page).click()
    summary = page.get_by_test_id("summary")
    expect(summary).to_contain_text("Стандарт, Да +50\u00a0₽")
    expect(page.get_by_test_id("total")).to_have_text("230\u00a0₽")
    expect(page.get_by_test_id("budget-left")).to_have_text("2\u00a0770\u00a0₽")
    screenshot(page, "option-prices-summary")

    # And once confirmed, the server priced it the same, the option's price shown on the order
    main_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Заказ принят")
    expect(page.get_by_test_id("total")).to_have_text("230\u00a0₽")
    expect(page.get_by_text("Стандарт, Да +50\u00a0₽")).to_be_visible()
