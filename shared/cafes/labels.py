"""Dietary and allergen labels of dishes: a fixed set, so the app can filter and draw icons.

`nuts`, `gluten`, `lactose` and `fish` mean "contains"; the others describe the dish. The
database refuses any other value (a check constraint on `menu_items.labels`).
"""

from collections.abc import Iterable
from typing import Literal, get_args

DietaryLabel = Literal["vegetarian", "vegan", "spicy", "nuts", "gluten", "lactose", "fish"]

LABELS: tuple[str, ...] = get_args(DietaryLabel)

ICONS: dict[str, str] = {
    "vegetarian": "🥦",
    "vegan": "🌱",
    "spicy": "🌶",
    "nuts": "🥜",
    "gluten": "🌾",
    "lactose": "🥛",
    "fish": "🐟",
}

NAMES_RU: dict[str, str] = {
    "vegetarian": "вегетарианское",
    "vegan": "веганское",
    "spicy": "острое",
    "nuts": "содержит орехи",
    "gluten": "содержит глютен",
    "lactose": "содержит лактозу",
    "fish": "содержит рыбу",
}


def ordered(labels: Iterable[str]) -> list[str]:
    """The labels in the set's fixed order, each once."""
    chosen = set(labels)
    return [label for label in LABELS if label in chosen]


def icons(labels: Iterable[str]) -> str:
    """The labels' icons in the fixed order, e.g. "🌱🌶"."""
    return "".join(ICONS[label] for label in ordered(labels) if label in ICONS)
