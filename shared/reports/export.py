"""The report's bodies: the JSON the API sends, and a CSV file Excel opens as is: UTF-8 with a
BOM, `;` between fields and decimal commas (what Excel expects in a Russian locale), one row per
person."""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from shared.cafes.categories import category_name
from shared.reports.schemas import ReportFigures

BOM = "\ufeff"
HEADER = (
    "Дата",
    "Сотрудник",
    "Комбо",
    "Блюда комбо",
    "Отдельные блюда",
    "Дополнения",
    "Комментарий",
    "Сумма",
)
# A cell starting with one of these is a formula to Excel; user text must never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ReportBody:
    """A CafeReport as the JSON the API sends: its fields before and after `people` as
    JSON-ready values (money as numbers), the people lines as JSON text PostgreSQL wrote."""

    head: dict[str, Any]
    people: list[str]
    tail: dict[str, Any]

    @property
    def cafe_name(self) -> str:
        return str(self.head["cafe_name"])

    @property
    def people_total(self) -> int:
        return int(self.tail["people_total"])

    @property
    def next_people_offset(self) -> int | None:
        following: int | None = self.tail["next_people_offset"]
        return following

    def json(self) -> bytes:
        """The body FastAPI would write for the model: compact UTF-8, fields in order."""
        head, tail = _json(self.head), _json(self.tail)
        return f'{head[:-1]},"people":[{",".join(self.people)}],{tail[1:]}'.encode()

    def people_lines(self) -> list[dict[str, Any]]:
        """The people lines as JSON-ready values (what `people_csv` takes)."""
        lines: list[dict[str, Any]] = json.loads(f"[{','.join(self.people)}]")
        return lines

    def data(self) -> dict[str, Any]:
        """Every field as JSON-ready values, for a model to validate."""
        return self.head | {"people": self.people_lines()} | self.tail


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def report_csv(report: ReportFigures) -> bytes:
    """The per-person lines of a report as CSV bytes."""
    return people_csv(person.model_dump(mode="json") for person in report.people)


def people_csv(people: Iterable[dict[str, Any]]) -> bytes:
    """People lines as the API sends them in JSON (PersonLine's fields) as CSV bytes."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([_safe(cell) for cell in person_row(person)] for person in people)
    return buffer.getvalue().encode("utf-8")


def person_row(person: dict[str, Any]) -> list[str]:
    picks = ", ".join(
        f"{pick['menu_item_name']} ({category_name(pick['category'])})"
        for pick in person["combo_items"]
    )
    dishes = ", ".join(
        _dish(dish["menu_item_name"], dish["options"], dish["quantity"]) for dish in person["items"]
    )
    extras = ", ".join(
        f"{extra['menu_item_name']} ×{extra['quantity']}" for extra in person["extras"]
    )
    year, month, day = person["order_date"].split("-")
    return [
        f"{day}.{month}.{year}",
        person["user_name"],
        person["combo_name"] or "",
        picks,
        dishes,
        extras,
        person["notes"] or "",
        excel_number(person["total"]),
    ]


def excel_number(value: Decimal | float) -> str:
    # A float here is a Money value as JSON carries it: two places print it exactly.
    return f"{value:.2f}".replace(".", ",")


def attachment(filename: str) -> str:
    """A Content-Disposition value with an ASCII name and the full UTF-8 one (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _dish(name: str, options: dict[str, str], quantity: int) -> str:
    text = name
    if options:
        text += f" ({', '.join(options.values())})"
    if quantity > 1:
        text += f" ×{quantity}"
    return text


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
