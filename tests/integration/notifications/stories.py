"""Arranging notification stories: orders as the API stores them, deadline records, consumers."""

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions.notifications_consumer.handler import build_handler
from infra.local.events import KafkaRecordSpec, lambda_context, msk_event
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import (
    ItemKind,
    NotificationDelivery,
    Order,
    OrderExtra,
    OrderItem,
    OrderStatus,
    User,
)
from tests.factories import CafeMenu

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
AFTER_DEADLINE = FixedClock(datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK))
CHAT = -1001234567890


def delivery(db: Session, cafe_id: int) -> NotificationDelivery:
    """The cafe's delivery row as it is in the database now."""
    db.expire_all()
    return db.execute(
        select(NotificationDelivery).where(NotificationDelivery.cafe_id == cafe_id)
    ).scalar_one()


def make_combo_order(
    session: Session,
    user: User,
    menu: CafeMenu,
    order_date: date,
    *,
    notes: str | None = None,
    mors: int = 0,
    borscht: int = 0,
) -> Order:
    """A combo (salad + soup + main), optionally large borscht and cranberry mors, as placed."""
    total = menu.full_combo.price + menu.mors.price * mors  # type: ignore[operator]
    items = [
        OrderItem(
            position=n,
            kind=ItemKind.COMBO,
            category=dish.category,
            menu_item_id=dish.id,
            menu_item_name=dish.name,
        )
        for n, dish in enumerate((menu.salad, menu.soup, menu.main))
    ]
    if borscht:
        total += Decimal("180.00") * borscht
        items.append(
            OrderItem(
                position=3,
                kind=ItemKind.STANDALONE,
                category="soup",
                menu_item_id=menu.borscht.id,
                menu_item_name=menu.borscht.name,
                quantity=borscht,
                options={"Размер порции": "Большая"},
                unit_price=Decimal("180.00"),
            )
        )
    extras = (
        [
            OrderExtra(
                menu_item_id=menu.mors.id,
                menu_item_name=menu.mors.name,
                quantity=mors,
                unit_price=menu.mors.price,
            )
        ]
        if mors
        else []
    )
    order = Order(
        user_tgid=user.tgid,
        cafe_id=menu.cafe.id,
        order_date=order_date,
        status=OrderStatus.CONFIRMED,
        combo_id=menu.full_combo.id,
        combo_name=menu.full_combo.name,
        combo_price=menu.full_combo.price,
        notes=notes,
        total_price=total,
        items=items,
        extras=extras,
    )
    session.add(order)
    session.flush()
    return order


def deadline_records(
    settings: Settings, pairs: Sequence[tuple[int, date]], *, first_offset: int = 0
) -> dict[str, Any]:
    """An MSK event with one `deadline.passed` per cafe and date, as the ESM hands it over."""
    return msk_event(
        [
            KafkaRecordSpec(
                topic=settings.kafka_topic_deadlines,
                key=str(cafe_id),
                value=json.dumps(
                    {"type": "deadline.passed", "cafe_id": cafe_id, "date": day.isoformat()}
                ),
                offset=first_offset + n,
            )
            for n, (cafe_id, day) in enumerate(pairs)
        ]
    )


def consume(handler: Handler, event: dict[str, Any]) -> list[str]:
    """Invoke the consumer as the ESM would; answer the ids of the records it asked to retry."""
    response = handler(event, lambda_context("notifications_consumer"))
    return [failure["itemIdentifier"] for failure in response["batchItemFailures"]]


def consumer(settings: Settings, clock: FixedClock) -> Handler:
    return build_handler(settings, clock)
