"""The migrate function brings a new database to the newest schema when CloudFormation asks."""

import uuid
from typing import Any

from functions.migrate.handler import build_handler, current_revision
from infra.local.events import lambda_context
from shared.kit.secrets import SecretNotFoundError
from shared.kit.settings import Settings


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
    empty_database: str, cloudformation: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = cloudformation
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
    cloudformation: tuple[str, list[dict[str, Any]]],
) -> None:
    url, received = cloudformation
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/lunch?connect_timeout=2"
    migrate = build_handler(lambda: Settings(environment="test", database_url=unreachable))

    migrate(custom_resource_event("Update", url), lambda_context("migrate"))

    assert received[0]["Status"] == "FAILED"
    assert "OperationalError" in received[0]["Reason"]


def test_deleting_the_stack_leaves_the_schema_alone(
    empty_database: str, cloudformation: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = cloudformation
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
    cloudformation: tuple[str, list[dict[str, Any]]],
) -> None:
    # Given a secret the function cannot read (a parameter the stack has not created yet)
    url, received = cloudformation

    def unreadable() -> Settings:
        raise SecretNotFoundError("cannot read SSM parameter /lunch/lunch-dev/miniapp-url")

    # When CloudFormation asks for the migration
    migrate = build_handler(unreadable)
    migrate(custom_resource_event("Create", url), lambda_context("migrate"))

    # Then it hears FAILED with the reason, at once
    assert received[0]["Status"] == "FAILED"
    assert "miniapp-url" in received[0]["Reason"]
