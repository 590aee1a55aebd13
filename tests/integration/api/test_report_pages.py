"""A report over 50,000 orders through the api Lambda handler: every answer fits in a
synchronous Lambda response (6 MB), and the pages together hold every order."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from functions.api.handler import build_handler
from infra.local.events import api_gateway_v2_http, lambda_context
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Role
from shared.reports.schemas import MAX_PEOPLE_PAGE
from tests.bench.bench_reports import DAYS, FIRST_DAY, LAST_DAY, PEOPLE, fill
from tests.factories import make_cafe, make_user
from tests.harness.api import DEFAULT_NOW
from tests.harness.lunch import JWT_SECRET

LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024
MANAGER = 9001


@pytest.mark.e2e
def test_a_fifty_thousand_order_report_comes_in_pages_that_each_fit_a_lambda_response(
    db: Session, settings_factory: Callable[..., Settings]
) -> None:
    menu = make_cafe(db)
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    ids = {
        "combo": menu.full_combo.id,
        "salad": menu.salad.id,
        "soup": menu.soup.id,
        "main": menu.main.id,
        "borscht": menu.borscht.id,
        "mors": menu.mors.id,
    }
    db.commit()
    fill(db, menu.cafe.id, ids)
    handler = build_handler(settings_factory(), FixedClock(DEFAULT_NOW))
    token = issue_token(
        TokenClaims(tgid=MANAGER, role="manager"), JWT_SECRET, now=DEFAULT_NOW, ttl=_HOUR
    )

    def report(**query: str) -> tuple[dict[str, Any], int]:
        event = api_gateway_v2_http(
            "GET",
            "/api/v1/summaries/report",
            headers={"authorization": f"Bearer {token}"},
            query={"cafe_id": str(menu.cafe.id), "date_from": str(FIRST_DAY), **query}
            | {"date_to": str(LAST_DAY)},
        )
        response = handler(event, lambda_context("api"))
        # What Lambda sends back: the whole response object as JSON (non-ASCII escaped).
        return response, len(json.dumps(response).encode())

    first, first_size = report(people_limit=str(MAX_PEOPLE_PAGE))
    assert first["statusCode"] == 200, first["body"][:300]
    body = json.loads(first["body"])
    assert body["total_orders"] == PEOPLE * DAYS  # the figures cover every order
    assert body["people_total"] == PEOPLE * DAYS
    assert len(body["people"]) == MAX_PEOPLE_PAGE
    assert body["next_people_offset"] == MAX_PEOPLE_PAGE
    assert first_size < LAMBDA_RESPONSE_LIMIT

    last_offset = PEOPLE * DAYS - 700
    last, last_size = report(people_offset=str(last_offset), people_limit=str(MAX_PEOPLE_PAGE))
    last_body = json.loads(last["body"])
    assert len(last_body["people"]) == 700
    assert last_body["next_people_offset"] is None
    assert last_size < LAMBDA_RESPONSE_LIMIT

    csv, csv_size = report(format="csv", people_limit=str(MAX_PEOPLE_PAGE))
    assert csv["statusCode"] == 200
    assert csv["headers"]["x-next-people-offset"] == str(MAX_PEOPLE_PAGE)
    assert csv["headers"]["x-people-total"] == str(PEOPLE * DAYS)
    assert csv_size < LAMBDA_RESPONSE_LIMIT

    too_big = report(people_limit=str(MAX_PEOPLE_PAGE + 1))[0]
    assert too_big["statusCode"] == 422
    print(  # noqa: T201 - the figures for the report
        f"\nREPORT 50000 orders: JSON page of {MAX_PEOPLE_PAGE} = {first_size} B, "
        f"last page = {last_size} B, CSV page = {csv_size} B"
    )


_HOUR = __import__("datetime").timedelta(hours=1)
