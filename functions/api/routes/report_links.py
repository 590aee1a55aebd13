"""Short-lived signed links to a cafe's CSV report, for Telegram's `downloadFile`.

Telegram's clients fetch a `downloadFile` URL themselves, without our `Authorization` header.
So a manager first asks for a link (with their token); the link carries the report's query, who
asked and an expiry, signed with HMAC-SHA256. The GET behind it checks the signature and the
expiry instead of a token, then answers exactly what GET /summaries/report?format=csv answers.
"""

import hashlib
import hmac
from datetime import date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from pydantic import BaseModel

from functions.api.deps import Manager, NowDep, ReadSessionDep, SessionDep, SettingsDep
from functions.api.errors import ErrorOut, error_responses
from functions.api.routes import reports as report_routes
from functions.api.routing import Routes
from shared.cafes import repository as cafes
from shared.kit.errors import AccessDenied, DomainError, InvalidRequest, NotFound
from shared.kit.settings import Settings
from shared.reports.schemas import DEFAULT_PEOPLE_PAGE
from shared.users import service as users

router = Routes(prefix="/reports", tags=["reports"])

# Long enough for Telegram to start the download after the tap, short enough that a link
# forwarded or left in a log is useless a minute later.
LINK_TTL = timedelta(seconds=60)
SIGNATURE = "signature"
EXPIRED: dict[int | str, dict[str, object]] = {
    410: {"model": ErrorOut, "description": "The link has expired: ask for a new one"}
}


class ExportLinkOut(BaseModel):
    """Where to download the CSV without a token, under which name, until when."""

    url: str
    file_name: str
    expires_at: datetime


class DownloadLinkInvalid(AccessDenied):
    code = "download_link_invalid"


class DownloadLinkExpired(DomainError):
    status_code = 410
    code = "download_link_expired"


def _key(settings: Settings) -> bytes:
    # Derived from the API's token secret with a label of its own: no second secret to deploy,
    # and a link's signature can never pass for a token's (or the other way round).
    secret = settings.jwt_secret.get_secret_value().encode()
    return hmac.new(secret, b"report download links", hashlib.sha256).digest()


def _canonical(items: list[tuple[str, str]]) -> bytes:
    """The signed form of a query: every parameter but the signature, sorted."""
    return urlencode(sorted(item for item in items if item[0] != SIGNATURE)).encode()


def sign_query(items: list[tuple[str, str]], settings: Settings) -> str:
    """The query string with its signature appended."""
    signature = hmac.new(_key(settings), _canonical(items), hashlib.sha256).hexdigest()
    return urlencode([*items, (SIGNATURE, signature)])


def _refuse_unless_signed(items: list[tuple[str, str]], settings: Settings) -> None:
    given = [value for key, value in items if key == SIGNATURE]
    expected = hmac.new(_key(settings), _canonical(items), hashlib.sha256).hexdigest()
    if len(given) != 1 or not hmac.compare_digest(given[0].encode(), expected.encode()):
        raise DownloadLinkInvalid(
            "Ссылка на отчёт недействительна: скачайте отчёт заново из приложения",
            en="This report link is not valid: download the report again from the app",
        )


@router.post("/export-link", responses=error_responses(400, 401, 403, 404, 422))
async def create_export_link(
    request: Request,
    manager: Manager,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    cafe_id: int,
    day: Annotated[date | None, Query(alias="date", description="One day")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    people_offset: report_routes.PeopleOffset = 0,
    people_limit: report_routes.PeopleLimit = DEFAULT_PEOPLE_PAGE,
) -> ExportLinkOut:
    """A link to the cafe's CSV report (same query as GET /summaries/report?format=csv) that
    works without a token for 60 seconds: for Telegram's `downloadFile`."""
    first, last = day or date_from, day or date_to or date_from
    if first is None or last is None:
        raise InvalidRequest(
            "Укажите date или date_from (и, если нужно, date_to)",
            en="Give date or date_from (and date_to if needed)",
        )
    cafe = await cafes.get_cafe(session, cafe_id)
    if cafe is None:
        raise NotFound(f"Кафе #{cafe_id} не найдено", en=f"Cafe #{cafe_id} was not found")
    expires_at = now + LINK_TTL
    items = [("cafe_id", str(cafe_id))]
    items += [(name, value.isoformat()) for name, value in _dates(day, date_from, date_to)]
    items += [("people_offset", str(people_offset)), ("people_limit", str(people_limit))]
    items += [("by", str(manager.tgid)), ("expires", str(int(expires_at.timestamp())))]
    url = f"{request.url_for('download_report_csv')}?{sign_query(items, settings)}"
    period = first.isoformat() if first == last else f"{first}_{last}"
    # The same name GET /summaries/report gives the file in its Content-Disposition.
    return ExportLinkOut(url=url, file_name=f"{cafe.name} {period}.csv", expires_at=expires_at)


def _dates(
    day: date | None, date_from: date | None, date_to: date | None
) -> list[tuple[str, date]]:
    named = (("date", day), ("date_from", date_from), ("date_to", date_to))
    return [(name, value) for name, value in named if value is not None]


@router.get(
    "/export",
    name="download_report_csv",
    response_class=Response,
    responses=report_routes.CSV_RESPONSE | EXPIRED | error_responses(403, 404, 422),
)
async def download_report_csv(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    cafe_id: int,
    by: Annotated[int, Query(description="The manager who asked for the link")],
    expires: Annotated[int, Query(description="Unix time the link stops working")],
    day: Annotated[date | None, Query(alias="date", description="One day")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    people_offset: report_routes.PeopleOffset = 0,
    people_limit: report_routes.PeopleLimit = DEFAULT_PEOPLE_PAGE,
    # Optional here so that a link cut short gets the same clear 403 as a forged one.
    signature: Annotated[str | None, Query(description="HMAC-SHA256 of the others")] = None,
) -> Response:
    """The CSV report behind a link from POST /reports/export-link: no token, the signature
    and the expiry instead; 403 for a changed link, 410 once it has expired."""
    del signature  # checked over the raw query below, with every other parameter
    _refuse_unless_signed(request.query_params.multi_items(), settings)
    if now.timestamp() > expires:
        raise DownloadLinkExpired(
            "Ссылка на отчёт устарела: нажмите «Скачать CSV» ещё раз",
            en="This report link has expired: press «Download CSV» again",
        )
    manager = await users.find_user(session, by)
    if manager is None or not manager.is_active or not manager.is_manager:
        # The link outlived its author's rights: a blocked or demoted manager's links stop.
        raise DownloadLinkInvalid(
            "Ссылка на отчёт больше не действует: её выдали менеджеру без доступа",
            en="This report link no longer works: the manager who made it has no access",
        )
    answer = await report_routes.cafe_report(
        manager,
        session,
        cafe_id,
        day=day,
        date_from=date_from,
        date_to=date_to,
        report_format="csv",
        people_offset=people_offset,
        people_limit=people_limit,
    )
    assert isinstance(answer, Response)  # format=csv always answers a file
    return answer
