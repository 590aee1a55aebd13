"""Queries about arrivals of lunch and the notices sent to employees."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import (
    ArrivalNotice,
    Cafe,
    CafeArrival,
    NoticeState,
    Order,
    OrderStatus,
)


async def record_arrival(
    session: AsyncSession,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
    reported_by: int | None,
    reported_by_name: str | None,
    chat_id: int | None,
) -> tuple[CafeArrival, bool]:
    """The cafe's arrival for the date, recorded now unless it already was; (row, recorded)."""
    inserted = await session.execute(
        insert(CafeArrival)
        .values(
            cafe_id=cafe_id,
            order_date=order_date,
            arrived_at=now,
            reported_by=reported_by,
            reported_by_name=reported_by_name,
            chat_id=chat_id,
        )
        .on_conflict_do_nothing(index_elements=["cafe_id", "order_date"])
        .returning(CafeArrival.id)
    )
    recorded = inserted.scalar_one_or_none() is not None
    arrival = (
        await session.execute(
            select(CafeArrival).where(
                CafeArrival.cafe_id == cafe_id, CafeArrival.order_date == order_date
            )
        )
    ).scalar_one()
    return arrival, recorded


async def add_notices(session: AsyncSession, arrival: CafeArrival) -> None:
    """One notice per active order of the cafe and date; orders that have one keep it."""
    orders = select(Order.id, Order.user_tgid).where(
        Order.cafe_id == arrival.cafe_id,
        Order.order_date == arrival.order_date,
        Order.status != OrderStatus.CANCELLED,
    )
    rows = [
        {"arrival_id": arrival.id, "order_id": order_id, "user_tgid": tgid}
        for order_id, tgid in (await session.execute(orders)).all()
    ]
    if rows:
        await session.execute(
            insert(ArrivalNotice).values(rows).on_conflict_do_nothing(index_elements=["order_id"])
        )


async def unsent_notice_ids(session: AsyncSession, arrival_id: int) -> list[int]:
    statement = (
        select(ArrivalNotice.id)
        .where(ArrivalNotice.arrival_id == arrival_id, ArrivalNotice.state.is_(None))
        .order_by(ArrivalNotice.id)
    )
    return list((await session.execute(statement)).scalars())


async def claim_notice(session: AsyncSession, notice_id: int) -> ArrivalNotice | None:
    """The notice, locked, if nobody sent it yet and nobody is sending it right now."""
    statement = (
        select(ArrivalNotice)
        .where(ArrivalNotice.id == notice_id, ArrivalNotice.state.is_(None))
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def notice_counts(session: AsyncSession, arrival_id: int) -> dict[str | None, int]:
    statement = (
        select(ArrivalNotice.state, func.count())
        .where(ArrivalNotice.arrival_id == arrival_id)
        .group_by(ArrivalNotice.state)
    )
    return {
        str(state) if state else None: int(count)
        for state, count in (await session.execute(statement)).all()
    }


@dataclass(frozen=True)
class CafeDay:
    cafe_id: int
    cafe_name: str
    orders: int
    arrival: CafeArrival | None
    notified: int
    not_reachable: int


async def cafe_days(session: AsyncSession, order_date: date) -> list[CafeDay]:
    """Every cafe with active orders for the date, with its arrival and notices if any."""
    counts = (
        select(Order.cafe_id, func.count().label("orders"))
        .where(Order.order_date == order_date, Order.status != OrderStatus.CANCELLED)
        .group_by(Order.cafe_id)
        .subquery()
    )
    statement = (
        select(Cafe.id, Cafe.name, counts.c.orders, CafeArrival)
        .join(counts, counts.c.cafe_id == Cafe.id)
        .outerjoin(
            CafeArrival,
            (CafeArrival.cafe_id == Cafe.id) & (CafeArrival.order_date == order_date),
        )
        .order_by(Cafe.name)
    )
    days = []
    for cafe_id, name, orders, arrival in (await session.execute(statement)).all():
        states = await notice_counts(session, arrival.id) if arrival is not None else {}
        days.append(
            CafeDay(
                cafe_id=cafe_id,
                cafe_name=name,
                orders=int(orders),
                arrival=arrival,
                notified=states.get(NoticeState.SENT, 0),
                not_reachable=states.get(NoticeState.SKIPPED, 0),
            )
        )
    return days
