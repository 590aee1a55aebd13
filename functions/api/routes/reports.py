"""Reports for managers: the per-cafe report on demand, and saved summaries (JSON or CSV)."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response, status

from functions.api.deps import Manager, ReadingManager, ReadSessionDep, SessionDep
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.kit.errors import InvalidRequest
from shared.reports import service as reports
from shared.reports.export import attachment, people_csv, report_csv
from shared.reports.schemas import (
    DEFAULT_PEOPLE_PAGE,
    MAX_PEOPLE_PAGE,
    CafeReport,
    ReportFormat,
    SummaryCreate,
    SummaryList,
    SummaryOut,
)

router = Routes(prefix="/summaries", tags=["summaries"])

CSV_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {
        "description": "JSON, or with `format=csv` a CSV file (UTF-8 with BOM, `;`-separated)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
EXISTED: dict[int | str, dict[str, object]] = {
    200: {"description": "The summary for this cafe and date already existed"}
}
FormatQuery = Annotated[ReportFormat, Query(alias="format", description="json (default) or csv")]
PeopleOffset = Annotated[
    int, Query(ge=0, le=2**31 - 1, description="First people line of the page (0-based)")
]
PeopleLimit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_PEOPLE_PAGE,
        description="People lines per page: a report is paged so that no answer outgrows "
        "a synchronous Lambda response (6 MB)",
    ),
]
NEXT_PAGE_HEADER = "X-Next-People-Offset"


def _csv(
    content: bytes, people_total: int, next_people_offset: int | None, filename: str
) -> Response:
    headers = {"Content-Disposition": attachment(filename), "X-People-Total": str(people_total)}
    if next_people_offset is not None:
        headers[NEXT_PAGE_HEADER] = str(next_people_offset)
    return Response(content=content, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("", responses=error_responses(401, 403, 422))
async def list_summaries(
    _: ReadingManager,
    session: ReadSessionDep,
    cafe_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> SummaryList:
    """Saved summaries, newest date first, optionally for one cafe and a range of dates.

    Figures only: `people` is empty here (see `people_total`); GET /summaries/{id} pages them.
    """
    items = await reports.list_summaries(session, cafe_id=cafe_id, first=date_from, last=date_to)
    return SummaryList(items=items)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=EXISTED | error_responses(401, 403, 404, 422),
)
async def create_summary(
    body: SummaryCreate,
    manager: Manager,
    session: SessionDep,
    response: Response,
    people_limit: PeopleLimit = DEFAULT_PEOPLE_PAGE,
) -> SummaryOut:
    """Save the summary of a cafe's orders for a date (one per cafe and date) and return it
    with the first page of its people."""
    summary, created = await reports.create_summary(
        session, manager, body.cafe_id, body.date, people_limit=people_limit
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return summary


@router.get(
    "/report",
    response_model=CafeReport,
    responses=CSV_RESPONSE | error_responses(400, 401, 403, 404, 422),
)
async def cafe_report(
    _: ReadingManager,
    session: ReadSessionDep,
    cafe_id: int,
    day: Annotated[date | None, Query(alias="date", description="One day")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    report_format: FormatQuery = "json",
    people_offset: PeopleOffset = 0,
    people_limit: PeopleLimit = DEFAULT_PEOPLE_PAGE,
) -> CafeReport | Response:
    """A cafe's report for a date (or date_from..date_to): what to cook, for whom, totals.

    The people lines come a page at a time (`next_people_offset`, or the CSV's
    `X-Next-People-Offset` header, names the next page); the figures always cover every order.
    """
    first, last = day or date_from, day or date_to or date_from
    if first is None or last is None:
        raise InvalidRequest(
            "Укажите date или date_from (и, если нужно, date_to)",
            en="Give date or date_from (and date_to if needed)",
        )
    # No transaction: the figures and the page come from one statement, so one snapshot. Pages
    # are separate requests and see the orders as they are then, like any offset paging.
    report = await reports.report_data(
        session,
        cafe_id,
        first,
        last,
        people_offset=people_offset,
        people_limit=people_limit,
        breakdowns=report_format == "json",
    )
    if report_format == "csv":
        period = first.isoformat() if first == last else f"{first}_{last}"
        return _csv(
            people_csv(report.people_lines()),
            report.people_total,
            report.next_people_offset,
            f"{report.cafe_name} {period}.csv",
        )
    # Sent as built: the rows come from our own database, and validating and serialising
    # thousands of people lines through the model cost several times the query. The body is
    # what CafeReport (response_model, so the OpenAPI document) describes.
    return Response(content=report.json(), media_type="application/json")


@router.get(
    "/{summary_id}",
    response_model=SummaryOut,
    responses=CSV_RESPONSE | error_responses(401, 403, 404, 422),
)
async def get_summary(
    summary_id: int,
    _: ReadingManager,
    session: ReadSessionDep,
    report_format: FormatQuery = "json",
    people_offset: PeopleOffset = 0,
    people_limit: PeopleLimit = DEFAULT_PEOPLE_PAGE,
) -> SummaryOut | Response:
    """One saved summary with figures as of now and a page of its people; `format=csv`
    downloads that page of the per-person list."""
    summary = await reports.get_summary(
        session, summary_id, people_offset=people_offset, people_limit=people_limit
    )
    if report_format == "csv":
        return _csv(
            report_csv(summary),
            summary.people_total,
            summary.next_people_offset,
            f"{summary.cafe_name} {summary.date.isoformat()}.csv",
        )
    return summary


@router.delete(
    "/{summary_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_summary(summary_id: int, _: Manager, session: SessionDep) -> Response:
    """Forget a saved summary (the orders stay)."""
    await reports.delete_summary(session, summary_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
