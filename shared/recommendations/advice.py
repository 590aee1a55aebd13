"""Advice without Gemini: the prompt Gemini is asked with, and the fixed rules used when it
cannot be asked. Kept free of the Gemini SDK so that the API imports none of it."""

from collections.abc import Sequence

from shared.cafes import categories
from shared.recommendations.repository import MenuDish
from shared.recommendations.schemas import Advice, OrderStats


def category_name(category: str) -> str:
    return categories.category_name(category, many=True)


def build_prompt(stats: OrderStats, untried: Sequence[MenuDish]) -> str:
    """The prompt of the design (seed 001, section 2.3) with the user's real menu dishes."""
    categories = ", ".join(
        f"{category_name(category)} {share.percent:g}%"
        for category, share in stats.categories.items()
    )
    favorites = "; ".join(f"{dish.name} ({dish.count})" for dish in stats.favorite_dishes)
    new_dishes = "; ".join(f"{dish.name} ({category_name(dish.category)})" for dish in untried)
    return f"""Проанализируй привычки питания сотрудника и дай персональные рекомендации.

Статистика за 30 дней:
- Всего заказов: {stats.orders_count}
- Распределение по категориям: {categories or "нет данных"}
- Уникальных блюд: {stats.unique_dishes} из {stats.total_dishes_available}
- Любимые блюда (порций): {favorites or "нет"}
- Не пробовали: {new_dishes or "все блюда меню уже пробовали"}

Дай краткое резюме (1 предложение) и 2-3 совета:
1. По сбалансированности питания
2. По разнообразию рациона
3. Новые блюда для пробы — только из списка «Не пробовали», называй их точно как в списке

Пиши по-русски, обращайся на «вы». Ответ — JSON по схеме: summary (строка), tips (2-3 строки).
"""


def rule_based_advice(stats: OrderStats, untried: Sequence[MenuDish]) -> Advice:
    """Deterministic advice from the same stats, for when Gemini cannot be asked."""
    shares = {category: share.percent for category, share in stats.categories.items()}
    if shares:
        top = max(shares, key=lambda category: (shares[category], category))
        summary = (
            f"За 30 дней {stats.orders_count} заказов, чаще всего — "
            f"{category_name(top)} ({shares[top]:g}% блюд)."
        )
    else:
        summary = f"За 30 дней {stats.orders_count} заказов."

    def untried_in(category: str) -> MenuDish | None:
        return next((dish for dish in untried if dish.category == category), None)

    tips: list[str] = []
    for category in ("salad", "soup"):
        if shares.get(category, 0.0) < 15:
            dish = untried_in(category)
            named = f" — например, «{dish.name}»" if dish else ""
            tips.append(f"Добавляйте {category_name(category)} к обеду чаще{named}.")
            break
    else:
        tips.append("Баланс категорий у вас хороший: продолжайте сочетать супы, салаты и горячее.")
    if stats.total_dishes_available and stats.unique_dishes < stats.total_dishes_available / 3:
        tips.append(
            f"Вы пробовали {stats.unique_dishes} из {stats.total_dishes_available} блюд меню — "
            f"разнообразие рациона полезно, выбирайте новое хотя бы раз в неделю."
        )
    else:
        tips.append("Рацион у вас разнообразный — так держать.")
    fresh = [dish for dish in untried if not any(dish.name in tip for tip in tips)]
    if fresh:
        names = " и ".join(f"«{dish.name}»" for dish in fresh[:2])
        tips.append(f"Попробуйте {names} — это есть в меню ваших кафе.")
    return Advice(summary=summary, tips=tips[:3])
