"""The message a cafe receives after a deadline: HTML, every user string escaped, split at
Telegram's 4,096-character limit on person boundaries."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

from shared.cafes.categories import category_name
from shared.cafes.labels import icons
from shared.kit.money import format_rub
from shared.models import ItemKind, Order

TELEGRAM_LIMIT = 4096
# Room kept for the " (2/3)" that numbers the parts of a split message.
PART_MARK_ROOM = 16
RULE = "━━━━━━━━━━━━━━━━━━━━━"


@dataclass(frozen=True)
class PersonOrder:
    user_name: str
    order: Order
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


def person_block(person: PersonOrder) -> str:
    order = person.order
    lines = [f"👤 <b>{escape(person.user_name)}</b>:"]
    if order.combo_name:
        lines.append(f"   • {escape(order.combo_name)}")
        for item in order.items:
            if item.kind == ItemKind.COMBO:
                lines.append(
                    f"     - {escape(item.menu_item_name)}{person.marks(item.menu_item_id)}"
                    f" ({escape(category_name(item.category))})"
                )
    for item in order.items:
        if item.kind == ItemKind.STANDALONE:
            options = ", ".join(escape(value) for value in item.options.values())
            suffix = f" ({options})" if options else ""
            quantity = f" ×{item.quantity}" if item.quantity > 1 else ""
            marks = person.marks(item.menu_item_id)
            lines.append(f"   • {escape(item.menu_item_name)}{marks}{suffix}{quantity}")
    for extra in order.extras:
        lines.append(f"   • {escape(extra.menu_item_name)} ×{extra.quantity}")
    if order.notes:
        lines.append(f"   📝 {escape(order.notes)}")
    return "\n".join(lines)


def dish_counts(people: list[PersonOrder]) -> Counter[str]:
    """How many of each dish to cook, combos' picks and standalone dishes and extras alike."""
    counts: Counter[str] = Counter()
    for person in people:
        for item in person.order.items:
            counts[item.menu_item_name] += item.quantity
        for extra in person.order.extras:
            counts[extra.menu_item_name] += extra.quantity
    return counts


def cafe_order_messages(cafe_name: str, order_date: date, people: list[PersonOrder]) -> list[str]:
    """The whole day's orders as one or more messages, never splitting a person."""
    if not people:
        return []
    header = f"📋 <b>{escape(cafe_name)}</b> — Заказ на {order_date:%d.%m.%Y}\n{RULE}"
    total = sum((person.order.total_price for person in people), Decimal(0))
    counts = dish_counts(people)
    count = len(people)
    cook = "\n".join(f"   {escape(name)} — {qty}" for name, qty in sorted(counts.items()))
    footer = (
        f"{RULE}\n🍳 Приготовить:\n{cook}\n{RULE}\n"
        f"Итого: {count} {plural(count, 'заказ', 'заказа', 'заказов')}, {format_rub(total)}"
    )
    blocks = [person_block(person) for person in people]
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
        texts = [
            text.replace(header, f"{header[: -len(RULE) - 1]} ({n}/{total})\n{RULE}", 1)
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
