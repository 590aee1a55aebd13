"""Reports for managers: the per-cafe report on demand, and saved summaries (JSON or CSV)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from functions.api.deps import Manager, SessionDep
from functions.api.errors import error_responses
from shared.kit.errors import InvalidRequest
from shared.reports import service as reports
from shared.reports.export import attachment, report_csv
from shared.reports.schemas import (
    CafeReport,
    ReportFigures,
    ReportFormat,
    SummaryCreate,
    SummaryList,
    SummaryOut,
)

router = APIRouter(prefix="/summaries", tags=["summaries"])

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


def _csv(report: ReportFigures, filename: str) -> Response:
    return Response(
        content=report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(filename)},
    )


@router.get("", responses=error_responses(401, 403, 422))
async def list_summaries(
    _: Manager,
    session: SessionDep,
    cafe_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> SummaryList:
    """Saved summaries, newest date first, optionally for one cafe and a range of dates."""
    items = await reports.list_summaries(session, cafe_id=cafe_id, first=date_from, last=date_to)
    return SummaryList(items=items)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=EXISTED | error_responses(401, 403, 404, 422),
)
async def create_summary(
    body: SummaryCreate, manager: Manager, session: SessionDep, response: Response
) -> SummaryOut:
    """Save the summary of a cafe's orders for a date (one per cafe and date) and return it."""
    summary, created = await reports.create_summary(session, manager, body.cafe_id, body.date)
    if not created:
        response.status_code = status.HTTP_200_OK
    return summary


@router.get(
    "/report",
    response_model=CafeReport,
    responses=CSV_RESPONSE | error_responses(400, 401, 403, 404, 422),
)
async def cafe_report(
    _: Manager,
    session: SessionDep,
    cafe_id: int,
    day: Annotated[date | None, Query(alias="date", description="One day")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    report_format: FormatQuery = "json",
) -> CafeReport | Response:
    """A cafe's report for a date (or date_from..date_to): what to cook, for whom, totals."""
    first, last = day or date_from, day or date_to or date_from
    if first is None or last is None:
        raise InvalidRequest("Укажите date или date_from (и, если нужно, date_to)")
    report = await reports.cafe_report(session, cafe_id, first, last)
    if report_format == "csv":
        period = first.isoformat() if first == last else f"{first}_{last}"
        return _csv(report, f"{report.cafe_name} {period}.csv")
    return report


@router.get(
    "/{summary_id}",
    response_model=SummaryOut,
    responses=CSV_RESPONSE | error_responses(401, 403, 404, 422),
)
async def get_summary(
    summary_id: int,
    _: Manager,
    session: SessionDep,
    report_format: FormatQuery = "json",
) -> SummaryOut | Response:
    """One saved summary with figures as of now; `format=csv` downloads the per-person list."""
    summary = await reports.get_summary(session, summary_id)
    if report_format == "csv":
        return _csv(summary, f"{summary.cafe_name} {summary.date.isoformat()}.csv")
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
