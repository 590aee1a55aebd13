"""Per-cafe reports and the managers' saved summaries (a cafe and date; figures computed when
read, so a cancellation after the deadline shows at once)."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes import repository as cafes
from shared.kit.errors import InvalidRequest, NotFound
from shared.kit.money import to_money
from shared.models import Cafe, Summary, User
from shared.reports import repository as reports
from shared.reports.export import ReportBody
from shared.reports.schemas import SummaryOut

MAX_REPORT_DAYS = 366


async def report_data(
    session: AsyncSession,
    cafe_id: int,
    first: date,
    last: date,
    *,
    people_offset: int = 0,
    people_limit: int | None = None,
    breakdowns: bool = True,
) -> ReportBody:
    """What a cafe cooks and packs for the dates first..last, with totals and notes: a
    CafeReport as the JSON it is sent as.

    The figures cover every order; the people lines (and their notes) are one page from
    `people_offset`, at most `people_limit` (None: all), so an answer never outgrows a
    synchronous Lambda response. Built from the database's rows without a model: they are
    trusted, and validating tens of thousands of lines cost more than fetching them.
    Without `breakdowns` (for a CSV, which has none) the combos, dishes and extras are empty.
    """
    if last < first:
        raise InvalidRequest(
            "Начало периода позже его конца: поменяйте даты местами",
            en="The period starts after it ends: swap the dates",
        )
    if last - first >= timedelta(days=MAX_REPORT_DAYS):
        raise InvalidRequest(
            f"Отчёт строится не больше чем за {MAX_REPORT_DAYS} дней",
            en=f"A report covers at most {MAX_REPORT_DAYS} days",
        )
    cafe = await _cafe(session, cafe_id)
    figures, rows = await reports.report_rows(
        session,
        cafe.id,
        first,
        last,
        offset=people_offset,
        limit=people_limit,
        breakdowns=breakdowns,
    )
    count, amount, combos, dishes, extras = figures
    following = people_offset + len(rows)
    return ReportBody(
        head={
            "cafe_id": cafe.id,
            "cafe_name": cafe.name,
            "total_orders": count,
            "total_amount": _money(amount),
            "combos_breakdown": [
                {"combo_name": name, "quantity": quantity, "total": _money(total)}
                for name, quantity, total in combos
            ],
            "items_breakdown": [
                {"category": category, "menu_item_name": name, "quantity": quantity}
                for category, name, quantity in dishes
            ],
            "extras_breakdown": [
                {"menu_item_name": name, "quantity": quantity, "total": _money(total)}
                for name, quantity, total in extras
            ],
            "orders_with_notes": [
                {"user_name": row.user_name, "notes": row.notes} for row in rows if row.notes
            ],
        },
        people=[row.json for row in rows],
        tail={
            "people_total": count,
            "next_people_offset": following if following < count and people_limit else None,
            "date_from": first.isoformat(),
            "date_to": last.isoformat(),
        },
    )


async def create_summary(
    session: AsyncSession, manager: User, cafe_id: int, day: date, *, people_limit: int | None
) -> tuple[SummaryOut, bool]:
    """The summary for a cafe and date, saved once; True when it was created just now."""
    cafe = await _cafe(session, cafe_id)
    created = await reports.save_summary(session, cafe.id, day, manager.tgid)
    summary = await reports.summary_for(session, cafe.id, day)
    if summary is None:  # pragma: no cover - the row was written or found a line above
        raise NotFound("Сводка не найдена", en="The summary was not found")
    return await summary_out(session, summary, people_limit=people_limit), created


async def get_summary(
    session: AsyncSession, summary_id: int, *, people_offset: int = 0, people_limit: int | None
) -> SummaryOut:
    summary = await reports.get_summary(session, summary_id)
    if summary is None:
        raise NotFound(
            f"Сводка #{summary_id} не найдена", en=f"Summary #{summary_id} was not found"
        )
    return await summary_out(
        session, summary, people_offset=people_offset, people_limit=people_limit
    )


async def list_summaries(
    session: AsyncSession, *, cafe_id: int | None, first: date | None, last: date | None
) -> list[SummaryOut]:
    """Saved summaries with their figures; their people lines are left to GET one summary."""
    rows = await reports.list_summaries(session, cafe_id=cafe_id, first=first, last=last)
    return [await summary_out(session, summary, people_limit=0) for summary in rows]


async def delete_summary(session: AsyncSession, summary_id: int) -> None:
    if not await reports.delete_summary(session, summary_id):
        raise NotFound(
            f"Сводка #{summary_id} не найдена", en=f"Summary #{summary_id} was not found"
        )


async def summary_out(
    session: AsyncSession,
    summary: Summary,
    *,
    people_offset: int = 0,
    people_limit: int | None = None,
) -> SummaryOut:
    body = await report_data(
        session,
        summary.cafe_id,
        summary.order_date,
        summary.order_date,
        people_offset=people_offset,
        people_limit=people_limit,
    )
    figures = body.data()
    del figures["date_from"], figures["date_to"]
    return SummaryOut.model_validate(
        figures | {"id": summary.id, "date": summary.order_date, "created_at": summary.created_at}
    )


async def _cafe(session: AsyncSession, cafe_id: int) -> Cafe:
    cafe = await cafes.get_cafe(session, cafe_id)
    if cafe is None:
        raise NotFound(f"Кафе #{cafe_id} не найдено", en=f"Cafe #{cafe_id} was not found")
    return cafe


def _money(value: Decimal) -> float:
    # What the Money type writes to JSON, at two places as it is stored.
    return float(to_money(value))
