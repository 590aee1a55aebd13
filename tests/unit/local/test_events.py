"""The AWS event builders produce what AWS sends, as Powertools and Mangum read it."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import (
    APIGatewayProxyEventV2,
    EventBridgeEvent,
    KafkaEvent,
)
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventV2Model,
    EventBridgeModel,
    KafkaMskEventModel,
    KafkaSelfManagedEventModel,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import Cookie, FastAPI, Request
from mangum import Mangum

from infra.local.events import (
    KafkaRecordSpec,
    api_gateway_v2_http,
    kafka_header_bytes,
    lambda_context,
    msk_event,
    msk_event_from_consumer_records,
    scheduler_event,
    self_managed_kafka_event,
)

SAMPLES = Path(__file__).resolve().parents[2] / "events"


def load_sample(name: str) -> dict[str, Any]:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# ----------------------------------------------------------------------------- recipes
# The sample files under tests/events are exactly what these calls build.


def post_orders_event() -> dict[str, Any]:
    return api_gateway_v2_http(
        "POST",
        "/orders",
        body={"menu_item_id": 12, "quantity": 2, "date": "2025-03-14", "comment": "без лука"},
        headers={
            "Authorization": (
                "tma query_id=AAE1&user=%7B%22id%22%3A424242%7D&auth_date=1741857330&hash=0f1e"
            ),
            "Origin": "https://lunch.example.com",
        },
        source_ip="203.0.113.7",
        request_time=datetime(2025, 3, 13, 9, 15, 30, 123000, tzinfo=UTC),
        request_id="HJkQ2gXvliAEMtQ=",
    )


def deadline_check_event() -> dict[str, Any]:
    return scheduler_event(
        "deadline-check",
        time=datetime(2025, 3, 14, 11, 45, tzinfo=timezone(timedelta(hours=3))),
        event_id="0b9f5a8e-3c1d-4b7a-9e2f-6d4c8a1b2e3f",
    )


def deadlines_event() -> dict[str, Any]:
    at = datetime(2025, 3, 14, 8, 45, 0, 250000, tzinfo=UTC)
    return msk_event(
        [
            KafkaRecordSpec(
                topic="order-deadlines",
                key="cafe-7",
                value={"cafe_id": 7, "date": "2025-03-14", "kind": "deadline.reached"},
                offset=41,
                timestamp=at,
                headers=[("event-type", "deadline.reached"), ("cafe-name", "Ёлки-Палки")],
            ),
            KafkaRecordSpec(
                topic="order-deadlines",
                key="cafe-9",
                value={"cafe_id": 9, "date": "2025-03-14", "kind": "deadline.reached"},
                timestamp=at,
                headers=[("event-type", "deadline.reached")],
            ),
            KafkaRecordSpec(
                topic="order-deadlines",
                partition=2,
                key=None,
                value=b"\x00\x01binary",
                offset=7,
                timestamp=at,
            ),
        ]
    )


# ----------------------------------------------------------------------------- API Gateway


def test_post_orders_matches_sample() -> None:
    assert post_orders_event() == load_sample("api_gateway_v2_post_orders.json")


def test_post_orders_reads_back_through_powertools() -> None:
    event = APIGatewayProxyEventV2(load_sample("api_gateway_v2_post_orders.json"))

    assert event.version == "2.0"
    assert event.route_key == "$default"
    assert event.raw_path == "/orders"
    assert event.http_method == "POST"
    assert event.request_context.http.source_ip == "203.0.113.7"
    assert event.request_context.stage == "$default"
    assert event.request_context.time_epoch == 1741857330123
    assert event.headers["content-type"] == "application/json"
    assert event.headers["authorization"].startswith("tma ")
    assert int(event.headers["content-length"]) == len((event.body or "").encode())
    assert event.json_body["comment"] == "без лука"
    assert event.is_base64_encoded is False
    assert event.query_string_parameters == {}
    assert event.cookies == []

    model = parse(event=event.raw_event, model=APIGatewayProxyEventV2Model)
    assert model.requestContext.http.method == "POST"
    assert model.requestContext.requestId == "HJkQ2gXvliAEMtQ="


def test_get_with_query_cookies_stage_and_route_params() -> None:
    event = api_gateway_v2_http(
        "get",
        "/orders/93?include=items",
        headers={"Cookie": "session=abc; lang=ru", "Accept": ["application/json", "text/plain"]},
        query={"status": ["new", "confirmed"], "q": "суп"},
        stage="prod",
        route_key="GET /orders/{order_id}",
    )

    assert event["rawPath"] == "/prod/orders/93"
    assert event["requestContext"]["http"]["path"] == "/prod/orders/93"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "GET /orders/{order_id}"
    assert event["pathParameters"] == {"order_id": "93"}
    assert event["cookies"] == ["session=abc", "lang=ru"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["accept"] == "application/json,text/plain"
    assert (
        event["rawQueryString"] == "include=items&status=new&status=confirmed&q=%D1%81%D1%83%D0%BF"
    )
    assert event["queryStringParameters"] == {
        "include": "items",
        "status": "new,confirmed",
        "q": "суп",
    }
    assert "body" not in event
    assert "content-length" not in event["headers"]
    parsed = APIGatewayProxyEventV2(event)
    assert parsed.get_query_string_value("q") == "суп"
    assert parse(event=event, model=APIGatewayProxyEventV2Model).pathParameters == {
        "order_id": "93"
    }


# Mangum calls asyncio.get_event_loop() outside a running loop, which Python 3.13 warns about.
mangum_loop_warning = pytest.mark.filterwarnings(
    "ignore:There is no current event loop:DeprecationWarning"
)


@mangum_loop_warning
def test_proxy_route_and_binary_body() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00"
    event = api_gateway_v2_http(
        "PUT",
        "/cafes/7/logo.png",
        body=png,
        headers={"Content-Type": "image/png"},
        route_key="ANY /{proxy+}",
    )

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == png
    assert event["headers"]["content-type"] == "image/png"
    assert event["headers"]["content-length"] == str(len(png))
    assert event["pathParameters"] == {"proxy": "cafes/7/logo.png"}
    assert parse(event=event, model=APIGatewayProxyEventV2Model).isBase64Encoded is True

    response = Mangum(make_app(), lifespan="off")(event, lambda_context("api"))
    assert json.loads(response["body"]) == {"cafe": 7, "size": len(png), "head": "89504e47"}


def make_app() -> FastAPI:
    app = FastAPI()

    @app.post("/orders", status_code=201)
    async def create_order(request: Request) -> dict[str, Any]:
        return {
            "received": await request.json(),
            "client": request.client.host if request.client else None,
            "auth": request.headers.get("authorization", "")[:4],
            "scheme": request.url.scheme,
        }

    @app.put("/cafes/{cafe_id}/logo.png")
    async def upload_logo(cafe_id: int, request: Request) -> dict[str, Any]:
        body = await request.body()
        return {"cafe": cafe_id, "size": len(body), "head": body[:4].hex()}

    @app.get("/orders/{order_id}")
    async def get_order(order_id: int, status: str, session: str = Cookie()) -> dict[str, Any]:
        return {"id": order_id, "status": status, "session": session}

    return app


@mangum_loop_warning
def test_mangum_runs_fastapi_with_the_sample() -> None:
    handler = Mangum(make_app(), lifespan="off")

    response = handler(load_sample("api_gateway_v2_post_orders.json"), lambda_context("api"))

    assert response["statusCode"] == 201
    assert response["headers"]["content-type"] == "application/json"
    assert json.loads(response["body"]) == {
        "received": {
            "menu_item_id": 12,
            "quantity": 2,
            "date": "2025-03-14",
            "comment": "без лука",
        },
        "client": "203.0.113.7",
        "auth": "tma ",
        "scheme": "https",
    }


@mangum_loop_warning
def test_mangum_with_named_stage_query_and_cookies() -> None:
    event = api_gateway_v2_http(
        "GET",
        "/orders/93",
        query={"status": "new"},
        headers={"Cookie": "session=abc"},
        stage="prod",
    )

    stripped = Mangum(make_app(), lifespan="off", api_gateway_base_path="/prod")
    response = stripped(event, lambda_context("api"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"id": 93, "status": "new", "session": "abc"}

    # Without stripping the stage, the app sees /prod/orders/93: a real deployment gotcha.
    unstripped = Mangum(make_app(), lifespan="off")
    assert unstripped(event, lambda_context("api"))["statusCode"] == 404


# ----------------------------------------------------------------------------- Scheduler


def test_scheduler_default_notification_matches_sample() -> None:
    sample = load_sample("scheduler_deadline_check.json")
    assert deadline_check_event() == sample
    assert sample["detail"] == "{}"  # a string, not an object
    assert sample["time"] == "2025-03-14T08:45:00Z"  # UTC, whole seconds


def test_scheduler_event_reads_back_through_powertools() -> None:
    sample = load_sample("scheduler_deadline_check.json")
    event = EventBridgeEvent(sample)
    assert event.source == "aws.scheduler"
    assert event.detail_type == "Scheduled Event"
    assert event.resources == [
        "arn:aws:scheduler:eu-central-1:123456789012:schedule/default/deadline-check"
    ]

    model = parse(event=sample, model=EventBridgeModel)
    assert model.detail == {}
    assert model.time == datetime(2025, 3, 14, 8, 45, tzinfo=UTC)


def test_scheduler_event_with_input_substitutes_context_attributes() -> None:
    event = scheduler_event(
        "reminder-cafe-7",
        time=datetime(2025, 3, 14, 8, 30, 15, 999, tzinfo=UTC),
        group="lunch",
        input={
            "action": "remind",
            "cafe_id": 7,
            "meta": {
                "arn": "<aws.scheduler.schedule-arn>",
                "at": "<aws.scheduler.scheduled-time>",
                "attempt": "<aws.scheduler.attempt-number>",
            },
        },
        execution_id="d32c5kddcf5bb8c3",
    )
    assert event == {
        "action": "remind",
        "cafe_id": 7,
        "meta": {
            "arn": "arn:aws:scheduler:eu-central-1:123456789012:schedule/lunch/reminder-cafe-7",
            "at": "2025-03-14T08:30:15Z",
            "attempt": "1",
        },
    }


def test_scheduler_event_requires_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        scheduler_event("x", time=datetime(2025, 3, 14, 8, 45))  # noqa: DTZ001


# ----------------------------------------------------------------------------- Kafka


def test_msk_event_matches_sample() -> None:
    sample = load_sample("msk_deadlines.json")
    assert deadlines_event() == sample
    assert list(sample["records"]) == ["order-deadlines-0", "order-deadlines-2"]
    assert [r["offset"] for r in sample["records"]["order-deadlines-0"]] == [41, 42]
    # Non-ASCII header bytes arrive as signed Java bytes.
    assert min(sample["records"]["order-deadlines-0"][0]["headers"][1]["cafe-name"]) < 0
    assert "key" not in sample["records"]["order-deadlines-2"][0]


def test_msk_event_reads_back_through_powertools() -> None:
    event = KafkaEvent(load_sample("msk_deadlines.json"))

    assert event.event_source == "aws:kafka"
    assert event.event_source_arn is not None
    assert event.event_source_arn.startswith("arn:aws:kafka:")
    assert len(event.decoded_bootstrap_servers) == 3
    first, second, binary = list(event.records)
    assert first.topic == "order-deadlines"
    assert first.partition == 0
    assert first.timestamp == 1741941900250
    assert first.timestamp_type == "CREATE_TIME"
    assert first.decoded_key == b"cafe-7"
    assert first.json_value == {"cafe_id": 7, "date": "2025-03-14", "kind": "deadline.reached"}
    assert first.decoded_headers["event-type"] == b"deadline.reached"
    assert first.decoded_headers["cafe-name"].decode() == "Ёлки-Палки"
    assert second.json_value["cafe_id"] == 9
    assert binary.decoded_key is None
    assert binary.decoded_value == b"\x00\x01binary"

    model = parse(event=load_sample("msk_deadlines.json"), model=KafkaMskEventModel)
    assert model.records["order-deadlines-0"][1].offset == 42


def test_self_managed_kafka_event_shape() -> None:
    event = self_managed_kafka_event(
        [KafkaRecordSpec(topic="orders", value="hello", key=b"k", partition=3, timestamp=5)]
    )
    assert event["eventSource"] == "SelfManagedKafka"
    assert "eventSourceArn" not in event
    assert event["records"]["orders-3"][0]["value"] == base64.b64encode(b"hello").decode()
    model = parse(event=event, model=KafkaSelfManagedEventModel)
    assert model.records["orders-3"][0].key == b"k"


class FakeConsumerRecord:
    """The attributes of aiokafka's ConsumerRecord (a frozen dataclass in aiokafka)."""

    def __init__(
        self,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes | None,
        headers: list[tuple[str, bytes]],
        timestamp_type: int = 0,
    ) -> None:
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = 1741941900000 + offset
        self.timestamp_type = timestamp_type
        self.key = key
        self.value = value
        self.headers = headers


def test_msk_event_from_consumer_records_groups_by_partition() -> None:
    records = [
        FakeConsumerRecord("orders", 1, 10, b"o-1", b'{"id":1}', [("trace", b"t1")]),
        FakeConsumerRecord("orders", 0, 3, None, b'{"id":2}', []),
        FakeConsumerRecord("orders", 1, 11, b"o-1", None, [], timestamp_type=1),
    ]

    event = msk_event_from_consumer_records(records)

    assert list(event["records"]) == ["orders-1", "orders-0"]
    tombstone = event["records"]["orders-1"][1]
    assert "value" not in tombstone
    assert tombstone["timestampType"] == "LOG_APPEND_TIME"
    first = KafkaEvent(event).record
    assert first.decoded_headers["trace"] == b"t1"
    assert first.json_value == {"id": 1}
    assert msk_event_from_consumer_records(records[:1], self_managed=True)["eventSource"] == (
        "SelfManagedKafka"
    )


def test_msk_event_from_real_aiokafka_consumer_record() -> None:
    from aiokafka.structs import ConsumerRecord

    record = ConsumerRecord(
        topic="orders",
        partition=0,
        offset=5,
        timestamp=1741941900000,
        timestamp_type=0,
        key=b"k",
        value=b"v",
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=1,
        headers=(("h", b"\xff"),),
    )
    event = msk_event_from_consumer_records([record])
    assert event["records"]["orders-0"][0]["headers"] == [{"h": [-1]}]


def test_kafka_header_bytes_are_signed() -> None:
    assert kafka_header_bytes("ë") == [-61, -85]
    assert kafka_header_bytes(b"ok") == [111, 107]


# ----------------------------------------------------------------------------- context


def test_powertools_logger_reads_the_context(capsys: pytest.CaptureFixture[str]) -> None:
    logger = Logger(service="lunch-test")
    context = lambda_context(
        "deadline-check", aws_request_id="c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    )

    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: LambdaContext) -> str:
        logger.info("tick")
        return "done"

    assert handler({}, context) == "done"
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["function_name"] == "deadline-check"
    assert line["function_request_id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert line["function_memory_size"] == 512
    assert line["function_arn"] == context.invoked_function_arn


def test_lambda_context_counts_down() -> None:
    context = lambda_context("deadline-check", timeout_ms=1000)
    assert context.function_name == "deadline-check"
    assert context.invoked_function_arn.endswith(":function:deadline-check")
    assert context.memory_limit_in_mb == 512
    assert len(context.aws_request_id) == 36
    assert 0 < context.get_remaining_time_in_millis() <= 1000
    assert isinstance(context, LambdaContext)
    assert context.identity is None
    assert context.client_context is None
