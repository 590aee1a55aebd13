"""Dish categories: the codes the menu uses and how each reads in Russian.

A category is a free lower-case code (`CATEGORY_PATTERN` in schemas); these are the ones the
system knows by name. `extra` is special: extras are priced add-ons, never part of a combo.
"""

from dataclasses import dataclass

EXTRA_CATEGORY = "extra"


@dataclass(frozen=True)
class CategoryName:
    one: str  # "суп": a line of a cafe's message names one dish's category
    many: str  # "супы": advice speaks of the category as a whole


CATEGORY_NAMES = {
    "soup": CategoryName("суп", "супы"),
    "salad": CategoryName("салат", "салаты"),
    "main": CategoryName("горячее", "горячее"),
    EXTRA_CATEGORY: CategoryName("дополнительно", "дополнения"),
    "drink": CategoryName("напиток", "напитки"),
    "dessert": CategoryName("десерт", "десерты"),
}


def category_name(category: str, *, many: bool = False) -> str:
    """The Russian name of a category; an unknown code reads as itself."""
    name = CATEGORY_NAMES.get(category)
    if name is None:
        return category
    return name.many if many else name.one


# The order a cook reads categories in: these first, the cafe's own by name, extras last.
MENU_ORDER = ("salad", "soup", "main")


def menu_rank(category: str) -> tuple[int, str]:
    """Sort key for categories in menu order."""
    if category in MENU_ORDER:
        return (MENU_ORDER.index(category), "")
    return (len(MENU_ORDER) + (category == EXTRA_CATEGORY), category_name(category))
