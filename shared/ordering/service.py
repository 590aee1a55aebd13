"""An order's life: placing, changing and cancelling it, every rule checked before anything is
written. Pending until its deadline is recorded (then shown as confirmed); cancelled orders stay
for history and free the date for a new order."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes import repository as cafes
from shared.cafes.categories import EXTRA_CATEGORY
from shared.cafes.deadlines import ClosedReason, DaySchedule, availability
from shared.kit.errors import NotFound
from shared.kit.money import to_money
from shared.kit.settings import Settings
from shared.models import (
    Cafe,
    Combo,
    ItemKind,
    MenuItem,
    Order,
    OrderExtra,
    OrderItem,
    OrderStatus,
    User,
)
from shared.ordering import budget
from shared.ordering import repository as orders
from shared.ordering.errors import (
    DuplicateOrder,
    InvalidOrder,
    OrderCancelled,
    OrderingClosed,
)
from shared.ordering.repository import OrderView
from shared.ordering.schemas import (
    ComboPickIn,
    ExtraIn,
    OrderCreate,
    OrderItemIn,
    OrderOut,
    OrderUpdate,
    StandaloneItemIn,
)
from shared.users import repository as users
from shared.users.service import can_see

# The unique partial index that allows one active order per user, cafe and date.
DUPLICATE_INDEX = "uq_orders_active_per_user_cafe_date"


@dataclass(frozen=True)
class PricedOrder:
    """The validated lines of an order with the prices copied from the menu."""

    combo_id: int | None
    combo_name: str | None
    combo_price: Decimal | None
    items: list[OrderItem]
    extras: list[OrderExtra]
    total: Decimal


async def place_order(
    session: AsyncSession, user: User, request: OrderCreate, settings: Settings, *, now: datetime
) -> Order:
    """Create the user's order for a cafe and date, if every rule allows it.

    The order is written in one statement, not through the session: it comes back with its id,
    lines and timestamps but detached (read it again to change it)."""
    return (await placed_order(session, user, request, settings, now=now)).order


async def placed_order(
    session: AsyncSession,
    user: User,
    request: OrderCreate,
    settings: Settings,
    *,
    now: datetime,
    user_locked: bool = False,
) -> OrderView:
    """Place the order like `place_order`, and answer it as its owner sees it, without a query
    (the INSERT returned the database's timestamps, the cafe was read to place it).

    `user_locked`: the caller already holds the user's row lock (the API loads the signed-in
    user FOR UPDATE), so it is not taken again.
    """
    # Lock the user's row: their orders are placed one at a time, so two concurrent requests
    # can neither both pass the budget check nor both create "the" order for a date.
    if not user_locked:
        await users.get_user(session, user.tgid, for_update=True)
    facts = await orders.placement_facts(
        session,
        user_tgid=user.tgid,
        cafe_id=request.cafe_id,
        order_date=request.order_date,
        week=budget.week_of(request.order_date),
        combo_id=request.combo_id,
        item_ids=[line.menu_item_id for line in [*request.items, *request.extras]],
    )
    if facts is None:
        raise NotFound(
            f"Кафе #{request.cafe_id} не найдено", en=f"Cafe #{request.cafe_id} was not found"
        )
    cafe = facts.cafe
    _check_open(cafe, facts.schedule, request.order_date, settings, now=now)
    duplicate = DuplicateOrder(
        f"У вас уже есть заказ в «{cafe.name}» на {request.order_date:%d.%m}: измените его",
        en=f"You already have an order at «{cafe.name}» for {request.order_date:%d.%m}: "
        "change it instead",
    )
    if facts.has_active_order:
        raise duplicate
    priced = price_lines(
        cafe, request.combo_id, facts.combo, facts.menu, request.items, request.extras
    )
    budget.check_spent(user, priced.total, spent=facts.spent_this_week)
    order = Order(
        user_tgid=user.tgid,
        cafe_id=cafe.id,
        order_date=request.order_date,
        status=OrderStatus.PENDING,
        combo_id=priced.combo_id,
        combo_name=priced.combo_name,
        combo_price=priced.combo_price,
        notes=_clean_notes(request.notes),
        total_price=priced.total,
        items=priced.items,
        extras=priced.extras,
    )
    try:
        await orders.insert_order(session, order)
    except IntegrityError as error:
        # A concurrent request (another container) won the race for the date: the unique
        # partial index decides, and the whole unit of work rolls back.
        if DUPLICATE_INDEX not in str(error.orig):
            raise
        raise duplicate from None
    return OrderView(order, OrderStatus.PENDING, user.name, cafe.name)


async def change_order(
    session: AsyncSession,
    user: User,
    order_id: int,
    change: OrderUpdate,
    settings: Settings,
    *,
    now: datetime,
) -> Order:
    """Replace what the owner sends of their order, re-checked and re-priced like a new one."""
    # The same lock order as place_order (user, then order): budget checks stay serial per user.
    await users.get_user(session, user.tgid, for_update=True)
    order = await orders.get_order(session, order_id, for_update=True)
    if order is None or order.user_tgid != user.tgid:
        raise _not_found(order_id)
    if order.status == OrderStatus.CANCELLED:
        raise OrderCancelled(
            "Этот заказ отменён: оформите новый",
            en="This order is cancelled: place a new one",
        )
    cafe = await _open_cafe(session, order.cafe_id, order.order_date, settings, now=now)
    sent = change.model_fields_set
    combo_id = change.combo_id if "combo_id" in sent else order.combo_id
    items = change.items if change.items is not None else _items_as_sent(order)
    extras = change.extras if change.extras is not None else _extras_as_sent(order)
    priced = await price_order(session, cafe, combo_id, items, extras)
    await budget.check_budget(session, user, order.order_date, priced.total, exclude_order=order.id)
    order.combo_id = priced.combo_id
    order.combo_name = priced.combo_name
    order.combo_price = priced.combo_price
    order.items = priced.items
    order.extras = priced.extras
    order.total_price = priced.total
    if "notes" in sent:
        order.notes = _clean_notes(change.notes)
    order.updated_at = func.now()
    await session.flush()
    return order


async def cancel_order(
    session: AsyncSession, actor: User, order_id: int, settings: Settings, *, now: datetime
) -> None:
    """Cancel an order: its owner until the deadline, a manager at any time; kept for history."""
    order = await orders.get_order(session, order_id, for_update=True)
    if order is None or not can_see(actor, order.user_tgid):
        raise _not_found(order_id)
    if order.status == OrderStatus.CANCELLED:
        return
    if not actor.is_manager:
        schedule = await cafes.day_schedule(session, order.cafe_id, order.order_date.weekday())
        verdict = availability(order.order_date, schedule, now=now, tz=settings.tz)
        if verdict.reason == ClosedReason.DEADLINE_PASSED:
            raise OrderingClosed(
                verdict.message or "Приём заказов на эту дату закончился",
                en=verdict.message_en or "Ordering for this date has closed",
            )
    order.status = OrderStatus.CANCELLED
    order.updated_at = func.now()
    await session.flush()


async def confirm_orders(session: AsyncSession, cafe_id: int, order_date: date) -> int:
    """The cafe's deadline for the date passed: its pending orders become confirmed (final)."""
    return await orders.confirm_pending(session, cafe_id, order_date)


async def confirm_orders_many(session: AsyncSession, pairs: Sequence[tuple[int, date]]) -> int:
    """`confirm_orders` for many cafes' passed deadlines at once (one statement)."""
    return await orders.confirm_pending_many(session, pairs)


async def visible_order(session: AsyncSession, viewer: User, order_id: int) -> OrderView:
    """The order if the viewer may see it (its owner or a manager); otherwise it does not exist."""
    view = await orders.order_view(session, order_id)
    if view is None or not can_see(viewer, view.order.user_tgid):
        raise _not_found(order_id)
    return view


async def saved_order(session: AsyncSession, viewer: User, order: Order) -> OrderView:
    """An order just placed or changed, as its reader sees it (with the database's timestamps)."""
    if order in session:  # a placed order is written without the session and read afresh
        await session.refresh(order, ["created_at", "updated_at"])
    return await visible_order(session, viewer, order.id)


async def shown_order(session: AsyncSession, viewer: User, order_id: int) -> OrderOut:
    """The order as the API shows it, if the viewer may see it; otherwise it does not exist."""
    shown = await orders.order_out(session, order_id)
    if shown is None or not can_see(viewer, shown.user_tgid):
        raise _not_found(order_id)
    return shown


async def visible_orders(
    session: AsyncSession,
    viewer: User,
    *,
    order_date: date | None,
    cafe_id: int | None,
    status: OrderStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[OrderOut], int]:
    """One page of the orders the viewer may see (a manager: everyone's) and the total."""
    return await orders.list_orders(
        session,
        user_tgid=None if viewer.is_manager else viewer.tgid,
        order_date=order_date,
        cafe_id=cafe_id,
        status=status,
        limit=limit,
        offset=offset,
    )


def _not_found(order_id: int) -> NotFound:
    # Someone else's order answers exactly like a missing one: ids reveal nothing.
    return NotFound(f"Заказ #{order_id} не найден", en=f"Order #{order_id} was not found")


def _items_as_sent(order: Order) -> list[OrderItemIn]:
    """The order's lines as a request would send them, to re-check them against today's menu."""
    lines: list[OrderItemIn] = []
    for item in order.items:
        item_id = item.menu_item_id if item.menu_item_id is not None else 0
        options = {str(name): str(value) for name, value in item.options.items()}
        if item.kind == ItemKind.COMBO:
            lines.append(
                ComboPickIn(
                    type="combo", category=item.category, menu_item_id=item_id, options=options
                )
            )
        else:
            lines.append(
                StandaloneItemIn(
                    type="standalone",
                    menu_item_id=item_id,
                    quantity=item.quantity,
                    options=options,
                )
            )
    return lines


def _extras_as_sent(order: Order) -> list[ExtraIn]:
    return [
        ExtraIn(
            menu_item_id=extra.menu_item_id if extra.menu_item_id is not None else 0,
            quantity=extra.quantity,
        )
        for extra in order.extras
    ]


async def _open_cafe(
    session: AsyncSession, cafe_id: int, order_date: date, settings: Settings, *, now: datetime
) -> Cafe:
    cafe = await cafes.get_cafe(session, cafe_id)
    if cafe is None:
        raise NotFound(f"Кафе #{cafe_id} не найдено", en=f"Cafe #{cafe_id} was not found")
    schedule = await cafes.day_schedule(session, cafe.id, order_date.weekday())
    _check_open(cafe, schedule, order_date, settings, now=now)
    return cafe


def _check_open(
    cafe: Cafe,
    schedule: DaySchedule | None,
    order_date: date,
    settings: Settings,
    *,
    now: datetime,
) -> None:
    verdict = availability(
        order_date, schedule, now=now, tz=settings.tz, cafe_active=cafe.is_active
    )
    if not verdict.can_order:
        raise OrderingClosed(
            verdict.message or "Заказы на эту дату не принимаются",
            en=verdict.message_en or "No orders are taken for this date",
        )


async def price_order(
    session: AsyncSession,
    cafe: Cafe,
    combo_id: int | None,
    items: Sequence[ComboPickIn | StandaloneItemIn],
    extras: Sequence[ExtraIn],
) -> PricedOrder:
    """Check every line against the cafe's menu and price it; raise InvalidOrder otherwise."""
    if combo_id is None and not items and not extras:
        raise InvalidOrder(
            "Заказ пуст: выберите комбо, блюда или дополнения",
            en="The order is empty: choose a combo, dishes or extras",
        )
    menu = await cafes.menu_items_by_id(session, [line.menu_item_id for line in [*items, *extras]])
    combo = None if combo_id is None else await cafes.get_combo(session, combo_id)
    return price_lines(cafe, combo_id, combo, menu, items, extras)


def price_lines(
    cafe: Cafe,
    combo_id: int | None,
    combo: Combo | None,
    menu: dict[int, MenuItem],
    items: Sequence[ComboPickIn | StandaloneItemIn],
    extras: Sequence[ExtraIn],
) -> PricedOrder:
    """Price the lines against the cafe's dishes and combo already read; raise InvalidOrder."""
    if combo_id is None and not items and not extras:
        raise InvalidOrder(
            "Заказ пуст: выберите комбо, блюда или дополнения",
            en="The order is empty: choose a combo, dishes or extras",
        )
    lines: list[OrderItem] = []
    combo_name = None
    combo_price = None
    picks = [line for line in items if isinstance(line, ComboPickIn)]
    if combo_id is not None:
        if combo is None or combo.cafe_id != cafe.id:
            raise InvalidOrder(
                f"Комбо #{combo_id} нет в меню «{cafe.name}»",
                en=f"Combo #{combo_id} is not on «{cafe.name}»'s menu",
            )
        if not combo.is_available:
            raise InvalidOrder(
                f"Комбо «{combo.name}» сейчас недоступно",
                en=f"Combo «{combo.name}» is not available now",
            )
        chosen = Counter(pick.category for pick in picks)
        if chosen != Counter(combo.categories):
            wanted = ", ".join(combo.categories)
            raise InvalidOrder(
                f"В комбо «{combo.name}» нужно выбрать по одному блюду из категорий: {wanted}",
                en=f"Combo «{combo.name}» needs one dish from each category: {wanted}",
            )
        for pick in picks:
            dish = _dish(menu, pick.menu_item_id, cafe)
            if dish.category != pick.category:
                raise InvalidOrder(
                    f"«{dish.name}» — не {pick.category}: выберите блюдо этой категории",
                    en=f"«{dish.name}» is not a {pick.category}: choose a dish of that category",
                )
            lines.append(_combo_line(dish, pick, len(lines)))
        combo_name, combo_price = combo.name, to_money(combo.price)
    elif picks:
        raise InvalidOrder(
            "Блюда комбо указаны без комбо: выберите комбо или закажите блюда отдельно",
            en="Combo dishes without a combo: choose a combo or order the dishes on their own",
        )

    for line in items:
        if isinstance(line, StandaloneItemIn):
            dish = _dish(menu, line.menu_item_id, cafe)
            lines.append(_standalone_line(dish, line, len(lines)))

    extra_lines: list[OrderExtra] = []
    for extra in extras:
        dish = _dish(menu, extra.menu_item_id, cafe)
        if dish.category != EXTRA_CATEGORY or dish.price is None:
            raise InvalidOrder(
                f"«{dish.name}» нельзя добавить как дополнение",
                en=f"«{dish.name}» cannot be added as an extra",
            )
        extra_lines.append(
            OrderExtra(
                position=len(extra_lines),
                menu_item_id=dish.id,
                menu_item_name=dish.name,
                quantity=extra.quantity,
                unit_price=to_money(dish.price),
            )
        )
    total = (
        (combo_price or Decimal(0))
        # A combo's dish with a priced option (a large soup) costs the option on top of the combo.
        + sum((line.options_price for line in lines if line.kind == ItemKind.COMBO), Decimal(0))
        + sum((to_money(line.unit_price or 0) * line.quantity for line in lines), Decimal(0))
        + sum((line.unit_price * line.quantity for line in extra_lines), Decimal(0))
    )
    return PricedOrder(combo_id, combo_name, combo_price, lines, extra_lines, to_money(total))


def _dish(menu: dict[int, MenuItem], item_id: int, cafe: Cafe) -> MenuItem:
    dish = menu.get(item_id)
    if dish is None or dish.cafe_id != cafe.id:
        raise InvalidOrder(
            f"Блюда #{item_id} нет в меню «{cafe.name}»",
            en=f"Dish #{item_id} is not on «{cafe.name}»'s menu",
        )
    if not dish.is_available:
        raise InvalidOrder(
            f"«{dish.name}» сейчас недоступно", en=f"«{dish.name}» is not available now"
        )
    return dish


def _combo_line(dish: MenuItem, pick: ComboPickIn, position: int) -> OrderItem:
    return OrderItem(
        position=position,
        kind=ItemKind.COMBO,
        category=dish.category,
        menu_item_id=dish.id,
        menu_item_name=dish.name,
        quantity=1,
        # A dish's required options are asked inside a combo too (Харчо's spice level).
        options=_checked_options(dish, pick.options),
        option_prices=_option_prices(dish, pick.options),
        unit_price=None,
    )


def _option_prices(dish: MenuItem, chosen: dict[str, str]) -> dict[str, str]:
    """The extra price of each chosen option that has one, as copied into the order line
    (JSON has no decimals: "50.00")."""
    return {
        option.name: str(to_money(option.price))
        for option in dish.options
        if option.name in chosen and option.price
    }


def _checked_options(dish: MenuItem, chosen: dict[str, str]) -> dict[str, str]:
    """The options chosen for a dish, each known and allowed, every required one present."""
    options_by_name = {option.name: option for option in dish.options}
    unknown = sorted(set(chosen) - set(options_by_name))
    if unknown:
        raise InvalidOrder(
            f"У блюда «{dish.name}» нет опции «{unknown[0]}»",
            en=f"«{dish.name}» has no option «{unknown[0]}»",
        )
    for option in dish.options:
        value = chosen.get(option.name)
        if value is None:
            if option.is_required:
                raise InvalidOrder(
                    f"Для «{dish.name}» выберите «{option.name}»",
                    en=f"Choose «{option.name}» for «{dish.name}»",
                )
            continue
        if value not in option.values:
            allowed = ", ".join(option.values)
            raise InvalidOrder(
                f"«{option.name}» для «{dish.name}»: выберите одно из: {allowed}",
                en=f"«{option.name}» for «{dish.name}»: choose one of: {allowed}",
            )
    return dict(chosen)


def _standalone_line(dish: MenuItem, line: StandaloneItemIn, position: int) -> OrderItem:
    if dish.price is None:
        raise InvalidOrder(
            f"«{dish.name}» продаётся только в комбо",
            en=f"«{dish.name}» is sold only in a combo",
        )
    _checked_options(dish, line.options)
    option_prices = _option_prices(dish, line.options)
    # One portion's price is the dish's and its chosen options' together, so that the
    # contract's `subtotal = price × quantity` and the reports' sums stay true.
    options_price = sum((Decimal(price) for price in option_prices.values()), Decimal(0))
    return OrderItem(
        position=position,
        kind=ItemKind.STANDALONE,
        category=dish.category,
        menu_item_id=dish.id,
        menu_item_name=dish.name,
        quantity=line.quantity,
        options=dict(line.options),
        option_prices=option_prices,
        unit_price=to_money(dish.price + options_price),
    )


def _clean_notes(notes: str | None) -> str | None:
    if notes is None:
        return None
    stripped = notes.strip()
    return stripped or None
