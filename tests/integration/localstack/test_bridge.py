"""The LocalStack bridge reads the topics of a real Kafka broker and invokes the deployed
consumer function as an MSK event source mapping would: the same events, retries of the
records the function reports as failed, and nothing handed over twice once it succeeded.

A local HTTP server speaking the Lambda Invoke API stands in for LocalStack's Lambda."""

import asyncio
import base64
import importlib.util
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from aiokafka import AIOKafkaProducer
from aws_lambda_powertools.utilities.data_classes import KafkaEvent

BRIDGE_PATH = Path(__file__).resolve().parents[3] / "localstack" / "bridge.py"


def load_bridge() -> ModuleType:
    spec = importlib.util.spec_from_file_location("localstack_bridge", BRIDGE_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bridge = load_bridge()

type Answer = Callable[[dict[str, Any]], tuple[dict[str, Any] | str, bool]]


@dataclass
class FakeLambda:
    """POST /2015-03-31/functions/<name>/invocations, answering with a scripted function."""

    answer: Answer
    invocations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def fake_lambda(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLambda]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    fake = FakeLambda(answer=lambda _event: ({"batchItemFailures": []}, False))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            name = self.path.split("/functions/", 1)[1].split("/", 1)[0]
            event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.invocations.append((name, event))
            payload, failed = fake.answer(event)
            body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Amz-Executed-Version", "$LATEST")
            if failed:
                self.send_header("X-Amz-Function-Error", "Unhandled")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


def lambda_client(fake: FakeLambda) -> Any:
    return boto3.client("lambda", endpoint_url=fake.url, region_name="eu-central-1")


async def produce(bootstrap: str, topic: str, values: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, json.dumps(value).encode(), key=b"7")
    finally:
        await producer.stop()


async def bridge_until(
    bootstrap: str, topic: str, fake: FakeLambda, done: Callable[[], bool], **options: Any
) -> dict[str, Any]:
    stop = asyncio.Event()
    running = asyncio.create_task(
        bridge.run_bridge(
            bootstrap,
            {topic: "lunch-local-NotificationsConsumer-AbC123"},
            lambda_client(fake),
            stop,
            group_prefix=f"test-{uuid.uuid4().hex[:6]}",
            backoff_seconds=0.05,
            **options,
        )
    )
    for _ in range(300):
        if done():
            break
        await asyncio.sleep(0.1)
    stop.set()
    stats: dict[str, Any] = await running
    return stats


def values_in(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(record.decoded_value) for record in KafkaEvent(event).records]


async def test_records_reach_the_function_as_an_msk_event(
    kafka_bootstrap: str, fake_lambda: FakeLambda
) -> None:
    # Given two deadline announcements on the topic
    topic = f"bridge-{uuid.uuid4().hex[:8]}.deadlines"
    sent = [
        {"type": "deadline.passed", "cafe_id": 7, "date": "2026-11-24"},
        {"type": "deadline.passed", "cafe_id": 7, "date": "2026-11-25"},
    ]
    await produce(kafka_bootstrap, topic, sent)

    # When the bridge runs
    delivered = lambda: sum(len(values_in(e)) for _, e in fake_lambda.invocations) >= 2  # noqa: E731
    stats = await bridge_until(kafka_bootstrap, topic, fake_lambda, delivered)

    # Then the deployed function got them in an MSK event, in order, once
    name, event = fake_lambda.invocations[0]
    assert name == "lunch-local-NotificationsConsumer-AbC123"
    assert event["eventSource"] == "aws:kafka"
    assert event["eventSourceArn"].startswith("arn:aws:kafka:")
    assert event["bootstrapServers"] == kafka_bootstrap
    [(group, records)] = event["records"].items()
    assert group.startswith(topic + "-")
    assert base64.b64decode(records[0]["key"]) == b"7"
    assert [v for _, e in fake_lambda.invocations for v in values_in(e)] == sent
    assert stats[topic].delivered == 2
    assert stats[topic].retries == 0


async def test_a_reported_failure_is_retried_from_that_record_only(
    kafka_bootstrap: str, fake_lambda: FakeLambda
) -> None:
    topic = f"bridge-{uuid.uuid4().hex[:8]}.deadlines"
    await produce(
        kafka_bootstrap,
        topic,
        [{"type": "deadline.passed", "cafe_id": cafe, "date": "2026-11-24"} for cafe in (1, 2, 3)],
    )
    seen: list[int] = []

    # The function fails cafe 2 the first time it sees it (Telegram was down, say)
    def answer(event: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        failures = []
        for record in KafkaEvent(event).records:
            cafe = json.loads(record.decoded_value)["cafe_id"]
            if cafe == 2 and 2 not in seen:
                failures.append(
                    {
                        "itemIdentifier": {
                            "partition": f"{record.topic}-{record.partition}",
                            "offset": record.offset,
                        }
                    }
                )
            seen.append(cafe)
        return {"batchItemFailures": failures}, False

    fake_lambda.answer = answer
    stats = await bridge_until(kafka_bootstrap, topic, fake_lambda, lambda: seen.count(2) >= 2)

    # Cafe 1 went through once; 2 (and the 3 after it) came again, as Lambda's ESM does it
    assert seen[:3] == [1, 2, 3]
    assert seen[3:] == [2, 3]
    assert stats[topic].retries == 1
    assert stats[topic].given_up == 0


async def test_a_function_that_keeps_failing_is_given_up_after_the_retries(
    kafka_bootstrap: str, fake_lambda: FakeLambda
) -> None:
    topic = f"bridge-{uuid.uuid4().hex[:8]}.deadlines"
    await produce(kafka_bootstrap, topic, [{"type": "deadline.passed", "cafe_id": 9}])
    fake_lambda.answer = lambda _event: (
        '{"errorMessage": "database unreachable", "errorType": "OperationalError"}',
        True,
    )

    stats = await bridge_until(
        kafka_bootstrap,
        topic,
        fake_lambda,
        lambda: len(fake_lambda.invocations) >= 3,
        max_retries=2,
    )

    assert len(fake_lambda.invocations) == 3  # the first try and two retries
    assert stats[topic].given_up == 1
