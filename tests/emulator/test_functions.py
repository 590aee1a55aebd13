"""The other built functions under the emulator, each with the event AWS sends it: a failed
migration tells CloudFormation why, the webhook answers a Telegram update, the nightly batch
and its consumer cache Gemini's advice, and the minute's reminder check and its consumer remind
a person who has not ordered."""

import json
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis as sync_redis
from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram, message_update
from shared.models import BotContact, MenuItem, ReminderSettings
from tests.emulator import events
from tests.emulator.conftest import (
    JWT_SECRET,
    WEBHOOK_SECRET,
    AwsStage,
    StartFunction,
    deploy_secrets,
)
from tests.factories import make_cafe, make_order, make_user
from tests.fakes.gemini import FakeGemini
from tests.harness.lunch import read_topic

MSK = ZoneInfo("Europe/Moscow")


def deployed(stage: AwsStage, redis_url: str, kafka_bootstrap: str) -> None:
    """A stack past its first deploy, on the harness's Redis and Kafka."""
    stage.parameters |= {"RedisUrl": redis_url, "KafkaBootstrapServers": kafka_bootstrap}
    stage.create_miniapp_url_parameter()


def test_a_migration_that_cannot_reach_the_database_fails_the_deploy_with_the_reason(
    start_function: StartFunction,
    aws_stage: AwsStage,
    fake_telegram: FakeTelegram,
    cloudformation: tuple[str, list[dict[str, Any]]],
) -> None:
    # Given a database secret whose server does not answer
    deploy_secrets(aws_stage, fake_telegram, "postgresql+psycopg://lunch:pw@127.0.0.1:1/lunch")
    response_url, answers = cloudformation

    # When CloudFormation asks the built migrate function to migrate
    migrate = start_function("MigrateFunction")
    migrate.invoke(events.custom_resource("Create", response_url))

    # Then it hears FAILED with a reason a deployer can act on, not silence
    assert [a["Status"] for a in answers] == ["FAILED"], migrate.log()
    assert "OperationalError" in answers[0]["Reason"]
    assert "127.0.0.1" in answers[0]["Reason"]


def test_the_webhook_answers_an_update_and_refuses_a_call_without_the_secret(
    start_function: StartFunction,
    aws_stage: AwsStage,
    database_url: str,
    db: Session,
    redis_url: str,
    kafka_bootstrap: str,
    fake_telegram: FakeTelegram,
) -> None:
    # Given the webhook function deployed with its secrets
    deploy_secrets(aws_stage, fake_telegram, database_url)
    deployed(aws_stage, redis_url, kafka_bootstrap)
    webhook = start_function(
        "TelegramWebhookFunction", {"TELEGRAM_API_BASE_URL": fake_telegram.base_url}
    )
    update = message_update(555001, "/help")

    # When Telegram posts an update with the webhook secret, and someone posts one without it
    signed = webhook.invoke(
        events.http(
            "POST",
            "/telegram/webhook",
            body=update,
            headers={"x-telegram-bot-api-secret-token": WEBHOOK_SECRET},
        )
    )
    forged = webhook.invoke(events.http("POST", "/telegram/webhook", body=update))

    # Then the user gets the bot's help, and the forged call gets 401 and no reply
    assert signed.payload["statusCode"] == 200, webhook.log()
    assert forged.payload["statusCode"] == 401
    sent = fake_telegram.sent_messages()
    assert [message.chat_id for message in sent] == [555001]
    assert sent[0].text


@pytest.fixture
def advice_cache(redis_url: str) -> Iterator[tuple[str, sync_redis.Redis]]:
    """A Redis database of the test's own for the advice cache and the key pool."""
    url = redis_url.rsplit("/", 1)[0] + "/11"
    client: sync_redis.Redis = sync_redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    yield url, client
    client.flushdb()
    client.close()


def past_weekdays(count: int) -> list[date]:
    today = datetime.now(MSK).date()
    days = [today - timedelta(days=n) for n in range(1, 40)]
    return [day for day in days if day.weekday() < 5][:count]


def test_the_nightly_batch_queues_jobs_and_the_consumer_caches_geminis_advice(
    start_function: StartFunction,
    aws_stage: AwsStage,
    database_url: str,
    db: Session,
    kafka_bootstrap: str,
    fake_telegram: FakeTelegram,
    fake_gemini: FakeGemini,
    advice_cache: tuple[str, sync_redis.Redis],
) -> None:
    # Given Ivan ordered six times in the last weeks, and a salad he never tried is on the menu
    menu = make_cafe(db)
    db.add(MenuItem(cafe_id=menu.cafe.id, name="Салат Греческий", category="salad", price=200))
    ivan = make_user(db, 1001, "Иван Петров")
    for day in past_weekdays(6):
        make_order(db, ivan, menu, day, dishes=[(menu.borscht, 1)], extras=[(menu.mors, 2)])
    db.commit()
    redis_url, cache = advice_cache
    deploy_secrets(aws_stage, fake_telegram, database_url)
    deployed(aws_stage, redis_url, kafka_bootstrap)
    gemini = {"GEMINI_API_BASE_URL": fake_gemini.base_url}

    # When the 03:00 schedule fires the batch
    batch = start_function("RecommendationsBatchFunction")
    queued = batch.invoke(events.scheduled(datetime.now(MSK)))
    assert queued.payload == {"jobs": 1}, batch.log()
    records = read_topic(kafka_bootstrap, aws_stage.parameters["RecommendationsTopic"], expect=1)
    assert [record.key for record in records] == [b"1001"]

    # And the consumer gets the job as the event source mapping sends it
    consumer = start_function("RecommendationsConsumerFunction", gemini)
    answer = consumer.invoke(events.msk(records))

    # Then Ivan's advice, written by Gemini with the key from Parameter Store, is cached a day
    assert answer.payload == {"batchItemFailures": []}, consumer.log()
    cached = json.loads(cache.get("recommendations:user:1001") or "{}")
    assert cached["source"] == "gemini", consumer.log()
    assert 86_000 < cache.ttl("recommendations:user:1001") <= 86_400
    assert [request.key for request in fake_gemini.requests] == ["gemini-key-one"]
    assert JWT_SECRET not in consumer.log()


def a_deadline_minutes_away() -> datetime:
    """A deadline three minutes from now, on today's date in Moscow (not across midnight)."""
    now = datetime.now(MSK)
    if (now + timedelta(minutes=4)).date() != now.date():
        time.sleep((timedelta(minutes=4, seconds=5)).total_seconds())
        now = datetime.now(MSK)
    return (now + timedelta(minutes=3)).replace(second=0, microsecond=0)


def test_the_minute_check_queues_a_reminder_and_the_consumer_sends_it(
    start_function: StartFunction,
    aws_stage: AwsStage,
    database_url: str,
    db: Session,
    redis_url: str,
    kafka_bootstrap: str,
    fake_telegram: FakeTelegram,
) -> None:
    # Given a cafe taking today's orders for three more minutes, reminders five minutes before
    # the deadline, and Ivan, who started the bot and has not ordered
    deadline = a_deadline_minutes_away()
    make_cafe(db, deadline=deadline.time(), advance_days=0, weekdays=tuple(range(7)))
    make_user(db, 1001, "Иван Петров")
    db.add(BotContact(tgid=1001, started_at=datetime.now(MSK)))
    db.merge(ReminderSettings(id=1, is_enabled=True, minutes_before=5))
    db.commit()
    deploy_secrets(aws_stage, fake_telegram, database_url)
    deployed(aws_stage, redis_url, kafka_bootstrap)

    # When the every-minute schedule fires the check
    check = start_function("RemindersCheckFunction")
    checked = check.invoke(events.scheduled(datetime.now(MSK)))

    # Then today's round is recorded and one job is queued, for Ivan
    assert checked.payload == {"recorded": 1, "rounds": 1, "jobs": 1}, check.log()
    records = read_topic(kafka_bootstrap, aws_stage.parameters["RemindersTopic"], expect=1)
    job = json.loads(records[0].value)
    assert (job["type"], job["tgid"]) == ("reminder.due", 1001)

    # When the consumer gets the job as the event source mapping sends it, twice over
    consumer = start_function(
        "RemindersConsumerFunction", {"TELEGRAM_API_BASE_URL": fake_telegram.base_url}
    )
    for _ in range(2):
        answer = consumer.invoke(events.msk(records))
        assert answer.payload == {"batchItemFailures": []}, consumer.log()

    # Then Ivan has one reminder with the deadline and a button into the stack's Mini App
    [reminder] = fake_telegram.sent_messages(1001)
    assert "Вы ещё не заказали обед" in reminder.text
    assert f"до {deadline:%H:%M}" in reminder.text
    miniapp = {"url": "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/"}
    assert [button.get("web_app") for button in reminder.buttons] == [miniapp]


def test_each_artifact_holds_its_own_function_and_the_core_only(
    sam_build_dir: Path, stack_template: dict[str, Any]
) -> None:
    functions = {
        name: resource["Properties"]["Handler"].split(".")[1]
        for name, resource in stack_template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    for name, directory in functions.items():
        artifact = sam_build_dir / name
        # The local runner, dev sign-in helpers and embedded servers cannot be switched on in a
        # deployed stack because they are not there; third-party packages come from the layer.
        assert not (artifact / "shared" / "local").exists(), name
        # (__pycache__: the bytecode the build compiles; /var/task is read-only in Lambda)
        assert sorted(p.name for p in (artifact / "functions").iterdir()) == [
            "__init__.py",
            "__pycache__",
            directory,
        ]
        assert {p.name for p in artifact.iterdir()} <= {"functions", "shared", "miniapp"}, name
    assert (sam_build_dir / "ApiFunction" / "miniapp" / "dist" / "index.html").is_file()
