"""Signed report links: Telegram downloads the CSV without our token, for one minute only."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import Role, User
from tests.integration.api.test_reports import a_day_of_orders

Auth = Callable[[User], dict[str, str]]
DAY = {"date": "2026-11-24"}


async def a_link(client: httpx.AsyncClient, boss: User, cafe_id: int, auth: Auth) -> dict[str, str]:
    response = await client.post(
        "/reports/export-link", params={"cafe_id": cafe_id, **DAY}, headers=auth(boss)
    )
    assert response.status_code == 200, response.text
    link: dict[str, str] = response.json()
    return link


def changed(url: str, **values: str) -> str:
    """The link with some of its parameters changed, its signature kept."""
    parts = urlsplit(url)
    query = [(key, values.get(key, value)) for key, value in parse_qsl(parts.query)]
    return parts._replace(query=urlencode(query)).geturl()


async def test_the_link_downloads_the_same_csv_without_a_token(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)

    link = await a_link(client, boss, menu.cafe.id, auth)
    by_link = await client.get(link["url"])  # no Authorization header, as Telegram fetches it
    by_token = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, **DAY, "format": "csv"},
        headers=auth(boss),
    )

    assert link["file_name"] == "Столовая №1 2026-11-24.csv"
    assert link["expires_at"] == (clock.now() + timedelta(seconds=60)).isoformat().replace(
        "+00:00", "Z"
    )
    assert urlsplit(link["url"]).path == "/api/v1/reports/export"
    assert by_link.status_code == 200, by_link.text
    assert by_link.content == by_token.content
    assert "Иван Петров" in by_link.content.decode("utf-8-sig")
    assert by_link.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_link.headers["content-disposition"] == by_token.headers["content-disposition"]
    # The name handed to Telegram is the one the CSV itself carries (RFC 5987 filename*)
    encoded = by_token.headers["content-disposition"].split("filename*=UTF-8''")[1]
    assert unquote(encoded.split(";")[0]) == link["file_name"]


async def test_an_expired_link_is_gone_and_says_to_press_again(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    link = await a_link(client, boss, menu.cafe.id, auth)

    clock.set(clock.now() + timedelta(seconds=60))
    last_second = await client.get(link["url"])
    clock.set(clock.now() + timedelta(seconds=1))
    expired = await client.get(link["url"], headers={"Accept-Language": "en"})

    assert last_second.status_code == 200
    assert expired.status_code == 410
    assert expired.json() == {
        "detail": "This report link has expired: press «Download CSV» again",
        "code": "download_link_expired",
    }


async def test_a_changed_or_unsigned_link_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    link = await a_link(client, boss, menu.cafe.id, auth)
    expires = str(int((clock.now() + timedelta(days=1)).timestamp()))

    tampered = [
        changed(link["url"], cafe_id=str(menu.cafe.id + 1)),  # another cafe's report
        changed(link["url"], expires=expires),  # a longer life
        changed(link["url"], people_limit="1"),
        changed(link["url"], signature="0" * 64),
        link["url"] + "&date_to=2026-12-31",  # an extra parameter
        link["url"] + "&signature=" + "0" * 64,  # a second signature
        link["url"].split("&signature=")[0],  # none at all
        changed(link["url"], signature="\u0080" * 64),  # not even hexadecimal
    ]
    answers = [await client.get(url) for url in tampered]

    assert [answer.status_code for answer in answers] == [403] * len(tampered)
    assert {answer.json()["code"] for answer in answers} == {"download_link_invalid"}
    assert answers[0].json()["detail"] == (
        "Ссылка на отчёт недействительна: скачайте отчёт заново из приложения"
    )


async def test_a_demoted_manager_s_link_stops_working(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    link = await a_link(client, boss, menu.cafe.id, auth)

    boss.role = Role.USER
    await session.flush()
    refused = await client.get(link["url"])

    assert refused.status_code == 403
    assert "без доступа" in refused.json()["detail"]


async def test_only_managers_get_links_and_the_query_is_checked_first(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, boss = await a_day_of_orders(client, session, auth)
    ivan = await session.get(User, 1001)
    assert ivan is not None

    employee = await client.post(
        "/reports/export-link", params={"cafe_id": menu.cafe.id, **DAY}, headers=auth(ivan)
    )
    no_date = await client.post(
        "/reports/export-link", params={"cafe_id": menu.cafe.id}, headers=auth(boss)
    )
    no_cafe = await client.post(
        "/reports/export-link", params={"cafe_id": 999999, **DAY}, headers=auth(boss)
    )

    assert employee.status_code == 403
    assert no_date.status_code == 400
    assert no_date.json()["detail"].startswith("Укажите date")
    assert no_cafe.status_code == 404
