"""The weekly budget: what a person spent in a calendar week and what is left of their limit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.money import format_rub, to_money
from shared.kit.settings import Settings
from shared.models import User
from shared.ordering import repository as orders
from shared.ordering.errors import BudgetExceeded


def week_of(day: date) -> tuple[date, date]:
    """Monday..Sunday of the week that holds `day`: budgets are per calendar week."""
    monday = day - timedelta(days=day.weekday())
    # The calendar's last week is cut short by date.max (9999-12-31 is a Friday).
    sunday = monday + timedelta(days=6) if monday <= date.max - timedelta(days=6) else date.max
    return monday, sunday


@dataclass(frozen=True)
class Balance:
    weekly_limit: Decimal | None
    spent_this_week: Decimal
    remaining: Decimal | None
    week_start: date
    week_end: date


async def week_balance(
    session: AsyncSession, user: User, day: date, *, exclude_order: int | None = None
) -> Balance:
    """Spent and left in the week of `day`, leaving out `exclude_order` (the one being changed)."""
    first, last = week_of(day)
    spent = to_money(
        await orders.spent_between(session, user.tgid, first, last, exclude_order=exclude_order)
    )
    limit = None if user.weekly_limit is None else to_money(user.weekly_limit)
    remaining = None if limit is None else to_money(max(limit - spent, Decimal(0)))
    return Balance(limit, spent, remaining, first, last)


async def balance_of(
    session: AsyncSession, user: User, settings: Settings, *, now: datetime
) -> Balance:
    """What the user has spent this calendar week (company time) and what is left of the limit."""
    return await week_balance(session, user, now.astimezone(settings.tz).date())


def check_spent(user: User, total: Decimal, *, spent: Decimal) -> None:
    """Refuse an order of `total` when `spent` this week leaves less than that of the limit."""
    if user.weekly_limit is None:
        return
    limit = to_money(user.weekly_limit)
    remaining = to_money(max(limit - to_money(spent), Decimal(0)))
    if total <= remaining:
        return
    raise _over_budget(total, remaining, limit)


async def check_budget(
    session: AsyncSession, user: User, day: date, total: Decimal, *, exclude_order: int | None
) -> None:
    """Refuse an order of `total` that does not fit in what is left of the week's limit."""
    balance = await week_balance(session, user, day, exclude_order=exclude_order)
    if balance.weekly_limit is None or balance.remaining is None or total <= balance.remaining:
        return
    raise _over_budget(total, balance.remaining, balance.weekly_limit)


def _over_budget(total: Decimal, remaining: Decimal, limit: Decimal) -> BudgetExceeded:
    return BudgetExceeded(
        f"Заказ на {format_rub(total)} превышает недельный лимит: "
        f"осталось {format_rub(remaining)} из {format_rub(limit)}",
        en=f"An order of {format_rub(total)} exceeds the weekly limit: "
        f"{format_rub(remaining)} of {format_rub(limit)} left",
    )
