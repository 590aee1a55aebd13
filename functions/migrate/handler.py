"""The `migrate` Lambda: brings the database schema to the newest Alembic revision.

Invoked on every deploy by the `MigrationRun` custom resource in template.yaml (CloudFormation
passes a custom resource request and waits for the answer at its pre-signed `ResponseURL`), or
by hand: `sam remote invoke MigrateFunction --event '{}'` answers with the revision reached.
Upgrading is idempotent, so a repeated run changes nothing. Deleting the stack leaves the data.
"""

import json
import urllib.request
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from sqlalchemy import create_engine, pool

from shared.kit.settings import Settings, get_settings
from shared.migrations import upgrade

logger = Logger(service="migrate")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
Respond = Callable[[str, dict[str, Any]], None]


def current_revision(database_url: str) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            revision: str | None = MigrationContext.configure(connection).get_current_revision()
            return revision
    finally:
        engine.dispose()


def put_response(url: str, body: dict[str, Any]) -> None:
    """Answer CloudFormation at the request's pre-signed S3 URL (an empty content type)."""
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(data))}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


def build_handler(
    load_settings: Callable[[], Settings], respond: Respond = put_response
) -> Handler:
    """The migrate handler; `load_settings` runs on each request, not when the module loads."""
    # A setting that cannot be read (a secret missing, a parameter not created yet) must fail
    # the deploy with a reason: raised at import time it would leave CloudFormation waiting.

    def migrate() -> dict[str, Any]:
        settings = load_settings()
        before = current_revision(settings.database_url)
        upgrade(settings.database_url)
        after = current_revision(settings.database_url)
        logger.info("schema migrated", extra={"from": before, "to": after})
        return {"from_revision": before, "revision": after}

    @logger.inject_lambda_context
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if "RequestType" not in event:  # invoked by hand
            return migrate()
        answer: dict[str, Any] = {
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "PhysicalResourceId": event.get("PhysicalResourceId") or "schema-migrations",
        }
        try:
            data = {} if event["RequestType"] == "Delete" else migrate()
        except Exception as error:
            logger.exception("migration failed")
            reason = f"{type(error).__name__}: {error}"[:500]
            answer |= {"Status": "FAILED", "Reason": f"{reason} (log {context.log_stream_name})"}
        else:
            answer |= {"Status": "SUCCESS", "Data": {"Revision": data.get("revision") or ""}}
        respond(event["ResponseURL"], answer)
        return answer

    return handle


handler = build_handler(get_settings)
