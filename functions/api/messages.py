"""Validation errors as messages a person can act on, per field, in the caller's language.

Pydantic describes a refused value in English for programmers ("Input should be a valid
decimal"). The Mini App shows each message next to the field it is about, so here every error
type gets a sentence in Russian (the default) and English (chosen by `Accept-Language`, which the
Mini App fills from Telegram's `language_code`).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Literal

Language = Literal["ru", "en"]


def language_of(accept_language: str | None) -> Language:
    """English when the caller's first preference is English; Russian otherwise (the default)."""
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "ru"


NUMBER = ("Введите число, например 450 или 450.50", "Enter a number, e.g. 450 or 450.50")
WHOLE = ("Введите целое число", "Enter a whole number")
YES_NO = ("Нужно да или нет", "Must be yes or no")
TIME = ("Время в виде ЧЧ:ММ, например 10:30", "Time as HH:MM, e.g. 10:30")
DATE = ("Дата в виде ГГГГ-ММ-ДД", "Date as YYYY-MM-DD")
TOO_BIG = ("Слишком большое число", "The number is too large")
ONE_OF = ("Допустимо: {expected}", "Allowed: {expected}")

# One sentence (Russian, English) per pydantic error type; `{...}` come from the error's `ctx`.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Заполните это поле", "Fill in this field"),
    "string_too_short": ("Не короче {min_length} символов", "At least {min_length} characters"),
    "string_too_short_1": ("Заполните это поле", "Fill in this field"),
    "string_too_long": ("Не длиннее {max_length} символов", "At most {max_length} characters"),
    "string_pattern_mismatch": (
        "Уберите переводы строк и служебные символы",
        "Remove line breaks and control characters",
    ),
    "category_pattern_mismatch": (
        "Начните с буквы; дальше буквы, цифры, пробел или дефис",
        "Start with a letter; then letters, digits, spaces or hyphens",
    ),
    "string_type": ("Нужен текст", "Enter text"),
    "decimal_parsing": NUMBER,
    "decimal_type": NUMBER,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "decimal_max_places": (
        "Не больше {decimal_places} знаков после точки",
        "At most {decimal_places} digits after the point",
    ),
    "decimal_max_digits": TOO_BIG,
    "decimal_whole_digits": TOO_BIG,
    "greater_than": ("Должно быть больше {gt}", "Must be greater than {gt}"),
    "greater_than_equal": ("Не меньше {ge}", "Must be at least {ge}"),
    "less_than": ("Должно быть меньше {lt}", "Must be less than {lt}"),
    "less_than_equal": ("Не больше {le}", "Must be at most {le}"),
    "int_parsing": WHOLE,
    "int_type": WHOLE,
    "int_from_float": WHOLE,
    "bool_parsing": YES_NO,
    "bool_type": YES_NO,
    "too_short": ("Нужно хотя бы {min_length}", "At least {min_length} needed"),
    "too_short_1": ("Выберите хотя бы один вариант", "Choose at least one"),
    "too_long": ("Не больше {max_length}", "At most {max_length}"),
    "list_type": ("Нужен список", "Must be a list"),
    "time_parsing": TIME,
    "time_type": TIME,
    "date_parsing": DATE,
    "date_type": DATE,
    "date_from_datetime_parsing": DATE,
    "literal_error": ONE_OF,
    "enum": ONE_OF,
    "extra_forbidden": ("Такого поля нет", "There is no such field"),
    "json_invalid": ("Тело запроса — не JSON", "The body is not JSON"),
    # Our own validators (PydanticCustomError types in the schemas).
    "not_null": ("Это поле нельзя очистить", "This field cannot be cleared"),
    "duplicate_value": ("Вариант «{value}» указан дважды", "«{value}» is listed twice"),
    "duplicate_category": ("Каждая категория — один раз", "Each category only once"),
    "duplicate_weekday": ("Каждый день недели — один раз", "Each weekday only once"),
    "whole_minutes": ("Время в виде ЧЧ:ММ, без секунд", "Time as HH:MM, without seconds"),
}

# What the fields are called on the screens, for the one-line `detail`.
LABELS: dict[str, dict[Language, str]] = {
    "name": {"ru": "Название", "en": "Name"},
    "description": {"ru": "Описание", "en": "Description"},
    "address": {"ru": "Адрес", "en": "Address"},
    "price": {"ru": "Цена", "en": "Price"},
    "category": {"ru": "Категория", "en": "Category"},
    "categories": {"ru": "Категории", "en": "Categories"},
    "values": {"ru": "Варианты", "en": "Choices"},
    "tgid": {"ru": "Telegram ID", "en": "Telegram ID"},
    "office": {"ru": "Офис", "en": "Office"},
    "role": {"ru": "Роль", "en": "Role"},
    "weekly_limit": {"ru": "Недельный лимит", "en": "Weekly limit"},
    "deadline_time": {"ru": "Время дедлайна", "en": "Deadline time"},
    "advance_days": {"ru": "Дней вперёд", "en": "Days ahead"},
    "weekday": {"ru": "День недели", "en": "Weekday"},
    "schedules": {"ru": "Расписание", "en": "Schedule"},
    "date": {"ru": "Дата", "en": "Date"},
    "order_date": {"ru": "Дата заказа", "en": "Order date"},
    "quantity": {"ru": "Количество", "en": "Quantity"},
    "notes": {"ru": "Комментарий", "en": "Note"},
    "file": {"ru": "Файл", "en": "File"},
    "status": {"ru": "Статус", "en": "Status"},
    "format": {"ru": "Формат", "en": "Format"},
}

GENERIC: dict[Language, str] = {"ru": "Недопустимое значение", "en": "This value is not allowed"}


def field_of(location: Sequence[Any]) -> str:
    """`("body", "schedules", 5, "deadline_time")` -> `"schedules.5.deadline_time"`."""
    return ".".join(str(part) for part in location if part not in ("body", "query", "path"))


def label_of(field: str, language: Language) -> str:
    """The screen name of the last named part of a field path, or the path itself."""
    named = [part for part in field.split(".") if part and not part.isdigit()]
    if not named:
        return ""
    label = LABELS.get(named[-1])
    return label[language] if label else named[-1]


def readable(item: Mapping[str, Any], field: str, language: Language) -> str:
    """One pydantic error as a sentence in `language`."""
    kind = str(item.get("type", ""))
    ctx = defaultdict(str, {key: str(value) for key, value in (item.get("ctx") or {}).items()})
    if kind == "string_pattern_mismatch" and "categor" in field:
        kind = "category_pattern_mismatch"
    elif kind in ("string_too_short", "too_short") and ctx["min_length"] == "1":
        kind = f"{kind}_1"
    sentences = MESSAGES.get(kind)
    if sentences is None:
        return GENERIC[language]
    return sentences[0 if language == "ru" else 1].format_map(ctx)


def problems_of(items: Sequence[Mapping[str, Any]], language: Language) -> list[dict[str, Any]]:
    """`errors` items: the field path, a readable message and pydantic's type as `code`."""
    problems = []
    for item in items:
        # A check across fields (a model validator) names its field in `ctx`.
        field = field_of(tuple(item.get("loc", ()))) or str(
            (item.get("ctx") or {}).get("field", "")
        )
        problems.append(
            {
                "field": field,
                "message": readable(item, field, language),
                "code": str(item.get("type", "")),
            }
        )
    return problems


def detail_of(problems: Sequence[Mapping[str, Any]], language: Language) -> str:
    """The one-line summary: the first problem, with its field's screen name."""
    if not problems:
        return GENERIC[language]
    first = problems[0]
    label = label_of(str(first["field"]), language)
    return f"{label}: {first['message']}" if label else str(first["message"])
