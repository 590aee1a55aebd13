"""The report's CSV: what Excel shows when a manager opens the downloaded file."""

import csv
import io
from datetime import date
from decimal import Decimal

from shared.reports.export import attachment, report_csv
from shared.reports.schemas import ReportFigures


def figures(**person: object) -> ReportFigures:
    line = {
        "order_id": 1,
        "order_date": date(2026, 11, 24),
        "user_tgid": 1001,
        "user_name": "Мария Иванова",
        "combo_name": None,
        "combo_price": None,
        "combo_items": [],
        "items": [
            {
                "category": "soup",
                "menu_item_name": "Борщ",
                "quantity": 2,
                "options": {"Размер порции": "Большая", "Сметана": "Да"},
                "price": Decimal("180"),
                "subtotal": Decimal("360"),
            }
        ],
        "extras": [],
        "notes": None,
        "total": Decimal("360.5"),
    } | person
    return ReportFigures.model_validate(
        {
            "cafe_id": 1,
            "cafe_name": "Столовая №1",
            "total_orders": 1,
            "total_amount": Decimal("360.5"),
            "combos_breakdown": [],
            "items_breakdown": [],
            "extras_breakdown": [],
            "orders_with_notes": [],
            "people": [line],
        }
    )


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_a_person_row_lists_dishes_with_options_and_quantity_and_a_decimal_comma() -> None:
    header, maria = rows(report_csv(figures()))
    assert header[-1] == "Сумма"
    assert maria == [
        "24.11.2026",
        "Мария Иванова",
        "",
        "",
        "Борщ (Большая, Да) ×2",
        "",
        "",
        "360,50",
    ]


def test_text_excel_would_run_as_a_formula_stays_text() -> None:
    _, row = rows(report_csv(figures(user_name="@SUM(A1)", notes="-2+3", combo_name="=1+1")))
    assert (row[1], row[2], row[6]) == ("'@SUM(A1)", "'=1+1", "'-2+3")


def test_a_semicolon_or_quote_in_a_note_does_not_break_the_row() -> None:
    _, row = rows(report_csv(figures(notes='без лука; "острое"\nк 13:00')))
    assert row[6] == 'без лука; "острое"\nк 13:00'
    assert len(row) == 8


def test_the_download_keeps_its_russian_name_and_an_ascii_fallback() -> None:
    value = attachment("Столовая №1 2026-11-24.csv")
    assert value.startswith('attachment; filename="')
    assert "2026-11-24.csv" in value
    assert "filename*=UTF-8''%D0%A1%D1%82%D0%BE" in value
    ascii_part = value.split(";")[1]
    assert ascii_part.isascii()
