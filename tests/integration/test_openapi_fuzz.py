"""Schema-driven run: requests generated from our OpenAPI description, for every operation.

Every answer, to a manager and to an employee, must be a documented status (never a 5xx) with a
body that matches the documented schema. The app runs on the real, migrated database with a cafe,
a manager and an employee in it (committed, so the tables are emptied before and after).
Skip it locally with `-m "not fuzz"`; `make test` runs it.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.db import create_sessionmaker
from shared.kit.settings import Settings
from shared.models import Role
from tests.factories import make_cafe, make_user
from tests.harness.api import DEFAULT_NOW
from tests.harness.database import truncate_all
from tests.harness.lunch import JWT_SECRET

pytestmark = pytest.mark.fuzz

MANAGER_TGID = 9001
EMPLOYEE_TGID = 1001
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def bearer(tgid: int, role: Role) -> dict[str, str]:
    token = issue_token(
        TokenClaims(tgid=tgid, role=role), JWT_SECRET, now=DEFAULT_NOW, ttl=timedelta(hours=4)
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def fuzzed_app(
    sync_engine: Engine, database_url: str, redis_url: str, kafka_bootstrap: str
) -> Iterator[FastAPI]:
    """The real app on the real database (committing), with someone and something in it.

    One app for the whole run: what one operation creates, the next may stumble on.
    """
    truncate_all(sync_engine)
    with Session(sync_engine) as session:
        make_user(session, MANAGER_TGID, "Ольга Менеджер", role=Role.MANAGER)
        make_user(session, EMPLOYEE_TGID, "Иван Петров")
        make_cafe(session)
        session.commit()
    settings = Settings(
        _env_file=None,
        environment="test",
        # The run checks shapes, not speed: a busy test machine must not turn into 503s here,
        # nor the generated requests into 429s (tests/integration/api/test_edge_protection.py
        # covers the budget and the limits).
        api_request_budget_seconds=120,
        database_statement_timeout_ms=120_000,
        rate_limit_public_per_minute=1_000_000,
        rate_limit_sign_in_per_minute=1_000_000,
        database_url=database_url,
        redis_url=redis_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_deadlines="test-fuzz.deadlines",
        kafka_topic_recommendations="test-fuzz.recommendations",
        kafka_topic_dead_letters="test-fuzz.dead-letters",
        jwt_secret=JWT_SECRET,
    )
    # Schemathesis calls the app from its own event loop thread: connections are opened per
    # request (NullPool), so none outlives the loop that made it.
    engine = create_async_engine(database_url, poolclass=NullPool)
    context = AppContext(
        settings=settings, sessions=create_sessionmaker(engine), clock=FixedClock(DEFAULT_NOW)
    )
    yield create_app(context)
    truncate_all(sync_engine)


def published_schema() -> dict[str, Any]:
    """The OpenAPI document as /openapi.json serves it (it does not depend on the context)."""
    app = create_app(
        AppContext(
            settings=Settings(_env_file=None, environment="test"),
            sessions=async_sessionmaker(),
            clock=FixedClock(DEFAULT_NOW),
        )
    )
    return app.openapi()


# The coverage phase (every boundary of every parameter) multiplies the run time several times;
# the examples and the random phase keep it within a couple of minutes.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(published_schema(), config=CONFIG)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_every_answer_matches_the_published_schema(
    case: schemathesis.Case[Any], fuzzed_app: FastAPI
) -> None:
    for headers in (bearer(MANAGER_TGID, Role.MANAGER), bearer(EMPLOYEE_TGID, Role.USER)):
        response = case.call(app=fuzzed_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
