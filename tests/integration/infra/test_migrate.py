"""The migrate function brings a new database to the newest schema when CloudFormation asks."""

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from functions.migrate.handler import build_handler, current_revision
from infra.local.events import lambda_context
from infra.local.services import create_database, drop_database
from shared.kit.secrets import SecretNotFoundError
from shared.kit.settings import Settings


class _CloudFormationResponses(BaseHTTPRequestHandler):
    """Stands in for the pre-signed S3 URL CloudFormation waits on."""

    received: list[dict[str, Any]]

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def response_url() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []
    handler = type("Responses", (_CloudFormationResponses,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/response?X-Amz-Signature=abc", received
    server.shutdown()


@pytest.fixture
def empty_database(postgres_url: str) -> Iterator[str]:
    name = f"migrate_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_url, name)
    yield url
    drop_database(postgres_url, name)


def custom_resource_event(request_type: str, response_url: str) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ServiceToken": "arn:aws:lambda:eu-central-1:123456789012:function:lunch-migrate:live",
        "ResponseURL": response_url,
        "StackId": "arn:aws:cloudformation:eu-central-1:123456789012:stack/lunch-dev/abc",
        "RequestId": str(uuid.uuid4()),
        "ResourceType": "AWS::CloudFormation::CustomResource",
        "LogicalResourceId": "MigrationRun",
        "ResourceProperties": {"ServiceToken": "...", "CodeVersion": "7"},
    }


def test_a_deploy_migrates_an_empty_database_and_tells_cloudformation(
    empty_database: str, response_url: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = response_url
    migrate = build_handler(lambda: Settings(environment="test", database_url=empty_database))
    assert current_revision(empty_database) is None

    migrate(custom_resource_event("Create", url), lambda_context("migrate"))

    assert len(received) == 1
    assert received[0]["Status"] == "SUCCESS"
    assert received[0]["LogicalResourceId"] == "MigrationRun"
    revision = current_revision(empty_database)
    assert revision is not None
    assert received[0]["Data"] == {"Revision": revision}


def test_a_failed_migration_fails_the_deploy_with_the_reason(
    response_url: tuple[str, list[dict[str, Any]]],
) -> None:
    url, received = response_url
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/lunch?connect_timeout=2"
    migrate = build_handler(lambda: Settings(environment="test", database_url=unreachable))

    migrate(custom_resource_event("Update", url), lambda_context("migrate"))

    assert received[0]["Status"] == "FAILED"
    assert "OperationalError" in received[0]["Reason"]


def test_deleting_the_stack_leaves_the_schema_alone(
    empty_database: str, response_url: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = response_url
    migrate = build_handler(lambda: Settings(environment="test", database_url=empty_database))

    migrate(custom_resource_event("Delete", url), lambda_context("migrate"))

    assert received[0]["Status"] == "SUCCESS"
    assert current_revision(empty_database) is None


def test_invoked_by_hand_it_answers_with_the_revision_reached(empty_database: str) -> None:
    migrate = build_handler(lambda: Settings(environment="test", database_url=empty_database))

    first = migrate({}, lambda_context("migrate"))
    again = migrate({}, lambda_context("migrate"))

    assert first["from_revision"] is None
    assert first["revision"] == again["revision"] == again["from_revision"]


def test_a_setting_that_cannot_be_read_fails_the_deploy_instead_of_leaving_it_waiting(
    response_url: tuple[str, list[dict[str, Any]]],
) -> None:
    # Given a secret the function cannot read (a parameter the stack has not created yet)
    url, received = response_url

    def unreadable() -> Settings:
        raise SecretNotFoundError("cannot read SSM parameter /lunch/lunch-dev/miniapp-url")

    # When CloudFormation asks for the migration
    migrate = build_handler(unreadable)
    migrate(custom_resource_event("Create", url), lambda_context("migrate"))

    # Then it hears FAILED with the reason, at once
    assert received[0]["Status"] == "FAILED"
    assert "miniapp-url" in received[0]["Reason"]
