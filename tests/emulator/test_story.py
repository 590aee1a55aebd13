"""One story through the built functions only, each run by the Lambda Runtime Interface Emulator
with nothing on its path but its `sam build` artifact and the layer: the deploy migrates an empty
database, an employee signs in and orders, the deadline passes, and the cafe's chat gets the
order. Secrets come from SSM and Secrets Manager (a moto server) as in AWS; PostgreSQL, Redis
and Kafka are real; Telegram is the fake."""

import json
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram
from shared.auth.init_data import TelegramUser, user_init_data
from tests.emulator import events
from tests.emulator.conftest import AwsStage, StartFunction, deploy_secrets
from tests.emulator.emulator import Emulator
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic

MSK = ZoneInfo("Europe/Moscow")
CAFE_CHAT = -1001234567890


def call(api: Emulator, method: str, path: str, body: Any, token: str | None = None) -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    answer = api.invoke(events.http(method, path, body=body, headers=headers))
    assert answer.function_error is None, (answer.payload, api.log())
    return answer.payload["statusCode"], json.loads(answer.payload["body"])


def a_deadline_soon() -> datetime:
    """A deadline a few seconds from now, on today's date in Moscow (not across midnight)."""
    now = datetime.now(MSK)
    if (now + timedelta(seconds=60)).date() != now.date():
        time.sleep(61)
        now = datetime.now(MSK)
    return (now + timedelta(seconds=15)).replace(microsecond=0)


def test_an_order_reaches_the_cafe_chat_through_the_built_functions(
    start_function: StartFunction,
    aws_stage: AwsStage,
    empty_database: str,
    redis_url: str,
    kafka_bootstrap: str,
    fake_telegram: FakeTelegram,
    cloudformation: tuple[str, list[dict[str, Any]]],
) -> None:
    # Given a stage whose secrets the deployer created, on an empty database
    deploy_secrets(aws_stage, fake_telegram, empty_database)
    aws_stage.parameters |= {"RedisUrl": redis_url, "KafkaBootstrapServers": kafka_bootstrap}
    response_url, answers = cloudformation

    # When the first deploy runs the migration through the custom resource
    migrate = start_function("MigrateFunction")
    migrate.invoke(events.custom_resource("Create", response_url))

    # Then CloudFormation hears SUCCESS with the revision reached
    assert [a["Status"] for a in answers] == ["SUCCESS"], migrate.log()
    assert answers[0]["LogicalResourceId"] == "MigrationRun"
    assert answers[0]["Data"]["Revision"]

    # And the stack goes on to create the Mini App URL parameter (after the migration)
    aws_stage.create_miniapp_url_parameter()

    # And the api is up: the Mini App's page is served (its cold start is over before the clock
    # of the next step starts)
    api = start_function("ApiFunction")
    page = api.invoke(events.http("GET", "/", headers={"accept": "text/html"}))
    assert page.payload["statusCode"] == 200, api.log()

    # Given a cafe taking today's orders until a few seconds from now, and an employee
    deadline = a_deadline_soon()
    engine = create_engine(empty_database)
    with Session(engine, expire_on_commit=False) as db:
        menu = make_cafe(
            db,
            chat_id=CAFE_CHAT,
            deadline=deadline.time(),
            advance_days=0,
            weekdays=tuple(range(7)),
        )
        make_user(db, 1001, "Иван Петров")
        db.commit()
    engine.dispose()

    # When the employee signs in with the Mini App's initData and orders
    init_data = user_init_data(
        TelegramUser(id=1001, first_name="Иван", last_name="Петров"),
        fake_telegram.token,
        auth_date=datetime.now(MSK),
    )
    status, signed_in = call(api, "POST", "/api/v1/auth/telegram", {"init_data": init_data})
    assert status == 200, signed_in
    status, order = call(
        api,
        "POST",
        "/api/v1/orders",
        {
            "cafe_id": menu.cafe.id,
            "order_date": deadline.date().isoformat(),
            "combo_id": menu.full_combo.id,
            "items": [
                {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
                {"type": "combo", "category": "soup", "menu_item_id": menu.soup.id},
                {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
            ],
            "extras": [{"menu_item_id": menu.mors.id, "quantity": 2}],
            "notes": "Без лука",
        },
        token=signed_in["access_token"],
    )
    assert status == 201, order

    # And the deadline passes; the scheduled check runs
    time.sleep(max(0.0, (deadline - datetime.now(MSK)).total_seconds() + 1))
    deadline_check = start_function("DeadlineCheckFunction")
    checked = deadline_check.invoke(events.scheduled(datetime.now(MSK)))
    assert checked.payload == {"recorded": 1, "produced": 1}, deadline_check.log()
    records = read_topic(kafka_bootstrap, aws_stage.parameters["DeadlinesTopic"], expect=1)
    assert len(records) == 1

    # Then the consumer, handed the records as the event source mapping would, tells the cafe
    notifications = start_function(
        "NotificationsConsumerFunction", {"TELEGRAM_API_BASE_URL": fake_telegram.base_url}
    )
    delivered = notifications.invoke(events.msk(records))
    assert delivered.payload == {"batchItemFailures": []}, notifications.log()
    sent = fake_telegram.sent_messages()
    assert len(sent) == 1
    assert sent[0].chat_id == CAFE_CHAT
    assert "Иван Петров" in sent[0].text
    assert "Морс клюквенный ×2" in sent[0].text
    assert "Без лука" in sent[0].text
    assert "Итого: 1 заказ, 570 ₽" in sent[0].text

    # And every function started cold once, from its artifact and the layer alone
    for function in (migrate, api, deadline_check, notifications):
        assert len(function.init_durations_ms()) == 1, function.log()
