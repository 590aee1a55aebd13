"""The message a cafe receives after a deadline: HTML, every user string escaped, split at
Telegram's 4,096-character limit on person boundaries.

Header: the cafe, the date and where to deliver (the offices of the people who ordered). Then
each person with their combo's picks (category and options), dishes on their own, extras and
notes, each dish followed by the icons of its dietary labels. Then what to cook, grouped by
category in menu order (salads, soups, mains, the cafe's own categories, extras last), each dish
split by the options chosen, and the totals.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

from shared.cafes.categories import EXTRA_CATEGORY, category_name, menu_rank
from shared.cafes.labels import icons
from shared.kit.money import format_rub
from shared.models import ItemKind, Order

TELEGRAM_LIMIT = 4096
# Room kept for the " (2/3)" that numbers the parts of a split message.
PART_MARK_ROOM = 16
RULE = "━━━━━━━━━━━━━━━━━━━━━"


NO_OPTIONS = "без опций"


@dataclass(frozen=True)
class PersonOrder:
    user_name: str
    order: Order
    office: str = ""
    # Dietary labels of the dishes by menu item id, drawn as icons after the dish's name.
    labels: Mapping[int, list[str]] = field(default_factory=dict)

    def marks(self, menu_item_id: int | None) -> str:
        drawn = icons(self.labels.get(menu_item_id, [])) if menu_item_id is not None else ""
        return f" {drawn}" if drawn else ""


def plural(count: int, one: str, few: str, many: str) -> str:
    """Russian plural form for `count`: 1 заказ, 2 заказа, 5 заказов."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def _options(options: dict[str, str] | None) -> str:
    # A line built in memory (the sample a newly linked cafe gets) may have no options at all.
    return ", ".join(escape(str(value)) for value in (options or {}).values())


def _priced_options(options: dict[str, str] | None, prices: dict[str, str] | None) -> str:
    """The chosen values, each priced one with what it adds ("Большая +50 ₽"), so the cafe
    sees how a person's sum is made up."""
    shown = []
    for name, value in (options or {}).items():
        price = (prices or {}).get(name)
        extra = f" +{format_rub(Decimal(price))}" if price else ""
        shown.append(f"{escape(str(value))}{extra}")
    return ", ".join(shown)


def person_block(person: PersonOrder, *, show_office: bool = False) -> str:
    order = person.order
    office = f" ({escape(person.office)})" if show_office and person.office else ""
    lines = [f"👤 <b>{escape(person.user_name)}</b>{office}:"]
    if order.combo_name:
        lines.append(f"   • {escape(order.combo_name)}")
        for item in order.items:
            if item.kind == ItemKind.COMBO:
                options = _priced_options(item.options, item.option_prices)
                chosen = f": {options}" if options else ""
                category = escape(category_name(item.category))
                marks = person.marks(item.menu_item_id)
                lines.append(f"     - {escape(item.menu_item_name)}{marks} ({category}){chosen}")
    for item in order.items:
        if item.kind == ItemKind.STANDALONE:
            options = _priced_options(item.options, item.option_prices)
            suffix = f" ({options})" if options else ""
            quantity = f" ×{item.quantity}" if item.quantity > 1 else ""
            marks = person.marks(item.menu_item_id)
            lines.append(f"   • {escape(item.menu_item_name)}{marks}{suffix}{quantity}")
    for extra in order.extras:
        lines.append(f"   • {escape(extra.menu_item_name)} ×{extra.quantity}")
    if order.notes:
        lines.append(f"   📝 {escape(order.notes)}")
    return "\n".join(lines)


# category -> dish -> options as shown ("" for none) -> how many
CookList = dict[str, dict[str, Counter[str]]]


def dish_counts(people: list[PersonOrder]) -> CookList:
    """How many of each dish to cook, by category and by the options chosen: combos' picks,
    standalone dishes and extras alike."""
    counts: CookList = defaultdict(lambda: defaultdict(Counter))
    for person in people:
        for item in person.order.items:
            shown = _options(item.options)
            counts[item.category][item.menu_item_name][shown] += item.quantity
        for extra in person.order.extras:
            counts[EXTRA_CATEGORY][extra.menu_item_name][""] += extra.quantity
    return counts


def cook_list(people: list[PersonOrder]) -> str:
    """What to cook: a heading per category, each dish with its total, then one line per choice
    of options when they differ (2 Стандарт + 1 Большая, never a folded "Борщ — 3")."""
    lines: list[str] = []
    counts = dish_counts(people)
    for category in sorted(counts, key=menu_rank):
        lines.append(f"<b>{escape(category_name(category).capitalize())}</b>")
        for name, by_options in sorted(counts[category].items()):
            total = sum(by_options.values())
            if set(by_options) == {""}:
                lines.append(f"   {escape(name)} — {total}")
            elif len(by_options) == 1:
                [(options, _)] = by_options.items()
                lines.append(f"   {escape(name)} ({options}) — {total}")
            else:
                lines.append(f"   {escape(name)} — {total}")
                for options, qty in sorted(by_options.items(), key=lambda pair: pair[0] or "~"):
                    lines.append(f"      · {options or NO_OPTIONS} — {qty}")
    return "\n".join(lines)


def cafe_order_messages(cafe_name: str, order_date: date, people: list[PersonOrder]) -> list[str]:
    """The whole day's orders as one or more messages, never splitting a person."""
    if not people:
        return []
    offices = sorted({person.office.strip() for person in people if person.office.strip()})
    where = f"\n📍 Доставка: {escape('; '.join(offices))}" if offices else ""
    header = f"📋 <b>{escape(cafe_name)}</b> — Заказ на {order_date:%d.%m.%Y}{where}\n{RULE}"
    total = sum((person.order.total_price for person in people), Decimal(0))
    count = len(people)
    footer = (
        f"{RULE}\n🍳 Приготовить:\n{cook_list(people)}\n{RULE}\n"
        f"Итого: {count} {plural(count, 'заказ', 'заказа', 'заказов')}, {format_rub(total)}"
    )
    # With several offices each person says where their lunch goes.
    blocks = [person_block(person, show_office=len(offices) > 1) for person in people]
    return _pack(header, blocks, footer)


def _length(text: str) -> int:
    # Telegram counts UTF-16 code units; the HTML source is never shorter than the parsed text.
    return len(text.encode("utf-16-le")) // 2


def _pack(header: str, blocks: list[str], footer: str) -> list[str]:
    messages: list[list[str]] = [[header]]
    for block in [*_fit(blocks, header), footer]:
        current = messages[-1]
        if _length("\n\n".join([*current, block])) <= TELEGRAM_LIMIT - PART_MARK_ROOM:
            current.append(block)
        else:
            messages.append([header, block])
    texts = ["\n\n".join(parts) for parts in messages]
    if len(texts) > 1:
        total = len(texts)
        # The part number ends the header's first line ("Заказ на 24.11.2026 (1/3)").
        first, _, rest = header.partition("\n")
        texts = [
            text.replace(header, f"{first} ({n}/{total})\n{rest}", 1)
            for n, text in enumerate(texts, start=1)
        ]
    return texts


def _fit(blocks: list[str], header: str) -> list[str]:
    """Blocks that alone would exceed a message (absurdly long orders) are cut at lines."""
    room = TELEGRAM_LIMIT - PART_MARK_ROOM - _length(header) - 4
    fitted: list[str] = []
    for block in blocks:
        if _length(block) <= room:
            fitted.append(block)
            continue
        chunk: list[str] = []
        for line in block.split("\n"):
            if chunk and _length("\n".join([*chunk, line])) > room:
                fitted.append("\n".join(chunk))
                chunk = []
            chunk.append(line[:room])
        fitted.append("\n".join(chunk))
    return fitted
