from datetime import date
from decimal import Decimal

from shared.models import ItemKind, Order, OrderExtra, OrderItem
from shared.notifications.formatting import (
    TELEGRAM_LIMIT,
    PersonOrder,
    cafe_order_messages,
    plural,
)

DAY = date(2026, 11, 24)


def combo_order(notes: str | None = None, total: str = "510") -> Order:
    return Order(
        combo_name="Салат + Суп",
        combo_price=Decimal("450"),
        total_price=Decimal(total),
        notes=notes,
        items=[
            OrderItem(
                kind=ItemKind.COMBO,
                category="salad",
                menu_item_name="Цезарь",
                quantity=1,
                options={},
            ),
            OrderItem(
                kind=ItemKind.COMBO, category="soup", menu_item_name="Борщ", quantity=1, options={}
            ),
            OrderItem(
                kind=ItemKind.STANDALONE,
                category="main",
                menu_item_name="Котлета",
                quantity=2,
                options={"Гарнир": "Пюре"},
                unit_price=Decimal("150"),
            ),
        ],
        extras=[OrderExtra(menu_item_name="Морс", quantity=1, unit_price=Decimal("60"))],
    )


def test_one_message_lists_each_person_and_the_totals() -> None:
    people = [
        PersonOrder("Иван Петров", combo_order(notes="Без лука")),
        PersonOrder("Мария Сидорова", combo_order()),
    ]
    [text] = cafe_order_messages("Столовая №1", DAY, people)
    assert text.startswith("📋 <b>Столовая №1</b> — Заказ на 24.11.2026\n━")
    assert (
        "👤 <b>Иван Петров</b>:\n   • Салат + Суп\n     - Цезарь (салат)\n     - Борщ (суп)" in text
    )
    assert "   • Котлета (Пюре) ×2" in text
    assert "   • Морс ×1" in text
    assert "   📝 Без лука" in text
    assert "   Борщ — 2" in text
    assert "   Котлета (Пюре) — 4" in text
    assert text.endswith("Итого: 2 заказа, 1\u00a0020 ₽")


def test_the_cook_reads_categories_in_menu_order_with_options_apart_and_where_to_deliver() -> None:
    # Given Иван (Москва) took Борщ in his combo with a large portion, and Мария (Тверская)
    # a standard Борщ on its own and one without a size, plus Морс
    big_borscht = combo_order()
    big_borscht.items[1].options = {"Размер порции": "Большая"}
    standard = Order(
        combo_name=None,
        total_price=Decimal("420"),
        notes=None,
        items=[
            OrderItem(
                kind=ItemKind.STANDALONE,
                category="soup",
                menu_item_name="Борщ",
                quantity=2,
                options={"Размер порции": "Стандарт"},
                unit_price=Decimal("180"),
            ),
            OrderItem(
                kind=ItemKind.STANDALONE,
                category="напитки",
                menu_item_name="Компот",
                quantity=1,
                options={},
                unit_price=Decimal("60"),
            ),
        ],
        extras=[],
    )
    people = [
        PersonOrder("Иван Петров", big_borscht, office="Москва, Ленина 1"),
        PersonOrder("Мария Сидорова", standard, office="Тверская 7"),
    ]

    [text] = cafe_order_messages("Столовая №1", DAY, people)

    # Then the header says where to deliver and each person says where their lunch goes
    assert "\n📍 Доставка: Москва, Ленина 1; Тверская 7\n" in text
    assert "👤 <b>Иван Петров</b> (Москва, Ленина 1):" in text
    assert "     - Борщ (суп): Большая" in text
    # And the cook's list is salads, soups, mains, the cafe's own categories, extras last
    cook = text.split("🍳 Приготовить:\n")[1]
    headings = [line for line in cook.split("\n") if line.startswith("<b>")]
    assert headings == [
        "<b>Салат</b>",
        "<b>Суп</b>",
        "<b>Горячее</b>",
        "<b>Напитки</b>",
        "<b>Дополнительно</b>",
    ]
    # With Борщ split by the size chosen instead of a folded total
    assert "   Борщ — 3\n      · Большая — 1\n      · Стандарт — 2" in cook


def test_user_text_is_escaped_for_html() -> None:
    people = [PersonOrder("<b>Boss</b> & Co", combo_order(notes="<i>острое</i> & горячее"))]
    [text] = cafe_order_messages("Кафе <Уют>", DAY, people)
    assert "&lt;b&gt;Boss&lt;/b&gt; &amp; Co" in text
    assert "&lt;i&gt;острое&lt;/i&gt; &amp; горячее" in text
    assert "Кафе &lt;Уют&gt;" in text
    assert "<i>" not in text


def test_a_long_day_is_split_at_person_boundaries_and_nobody_is_lost() -> None:
    people = [PersonOrder(f"Сотрудник {n:02d}", combo_order(notes="x" * 80)) for n in range(60)]
    messages = cafe_order_messages("Столовая №1", DAY, people)
    assert len(messages) > 1
    for number, text in enumerate(messages, start=1):
        assert len(text.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
        assert f"({number}/{len(messages)})" in text.split("\n")[0]
    joined = "\n".join(messages)
    for n in range(60):
        assert joined.count(f"<b>Сотрудник {n:02d}</b>") == 1
        # a person's block is never torn across two messages
        assert sum(f"Сотрудник {n:02d}" in text for text in messages) == 1
    assert "Итого: 60 заказов" in messages[-1]


def test_no_orders_means_no_message() -> None:
    assert cafe_order_messages("Столовая №1", DAY, []) == []


def test_russian_plurals() -> None:
    forms = ("заказ", "заказа", "заказов")
    assert [plural(n, *forms) for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "заказ",
        "заказа",
        "заказов",
        "заказов",
        "заказ",
        "заказа",
        "заказов",
    ]


def test_a_priced_option_shows_what_it_adds_while_the_cook_list_counts_only_portions() -> None:
    # Given Мария took two large borschts (180 ₽ + 50 ₽ each) and Иван a regular one
    def borscht(quantity: int, *, large: bool) -> Order:
        chosen = {"Большая порция": "Да"} if large else {}
        unit = Decimal(230 if large else 180)
        return Order(
            total_price=unit * quantity,
            items=[
                OrderItem(
                    kind=ItemKind.STANDALONE,
                    category="soup",
                    menu_item_name="Борщ",
                    quantity=quantity,
                    options={"Размер порции": "Стандарт"} | chosen,
                    option_prices={"Большая порция": "50.00"} if large else {},
                    unit_price=unit,
                )
            ],
            extras=[],
        )

    people = [
        PersonOrder("Мария Сидорова", borscht(2, large=True)),
        PersonOrder("Иван Петров", borscht(1, large=False)),
    ]
    [text] = cafe_order_messages("Столовая №1", DAY, people)

    # Then the person's line says what the option adds; the kitchen's list has no prices
    assert "• Борщ (Стандарт, Да +50 ₽) ×2" in text
    assert "• Борщ (Стандарт)\n" in text
    assert "· Стандарт, Да — 2" in text
    assert "Итого: 2 заказа, 640 ₽" in text
