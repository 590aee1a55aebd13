"""Builders of real AWS Lambda event payloads, as plain ``dict`` objects.

Tests and the local runner use these to call the real Lambda handlers with exactly what
AWS would hand them. Every shape below follows the AWS documentation and payloads
captured from real invocations; the notes say where reality differs from what one
might guess.

API Gateway HTTP API (payload format 2.0) — :func:`api_gateway_v2_http`
    * header names arrive lower-cased; repeated headers are joined with ``,``;
    * the ``Cookie`` header is removed from ``headers`` and delivered as the
      ``cookies`` list;
    * repeated query parameters are joined with ``,`` in ``queryStringParameters``
      while ``rawQueryString`` keeps them as sent;
    * ``body``, ``cookies``, ``queryStringParameters``, ``pathParameters`` and
      ``stageVariables`` are *absent* (not ``null``) when there is nothing to send;
    * with a named stage (anything but ``$default``) the stage name is a prefix of
      ``rawPath`` and ``requestContext.http.path`` (``/prod/orders``): the ASGI adapter
      must strip it (Mangum's ``api_gateway_base_path``);
    * binary bodies arrive base64-encoded with ``isBase64Encoded: true``.

EventBridge Scheduler — :func:`scheduler_event`
    A schedule whose Lambda target has **no** ``Input`` does not deliver ``{}``: the
    Scheduler API reference says that without ``Input`` "EventBridge Scheduler delivers
    a default notification to the target", and that notification is an EventBridge-style
    envelope::

        {"version": "0", "id": "<uuid>", "detail-type": "Scheduled Event",
         "source": "aws.scheduler", "account": "<account>",
         "time": "2025-02-20T16:03:00Z", "region": "<region>",
         "resources": ["arn:aws:scheduler:<region>:<account>:schedule/<group>/<name>"],
         "detail": "{}"}

    Note ``detail`` is the *string* ``"{}"``, not an object (unlike EventBridge rules,
    whose ``source`` is ``aws.events`` and ``detail`` is ``{}``). Sources: the Scheduler
    API reference for ``Target.Input``; the captured payloads in
    aws-powertools/powertools-lambda-python issue #6112 (fixed by PR #6134, whose test
    event ``tests/events/eventBridgeSchedulerEvent.json`` is this shape — Powertools'
    ``EventBridgeModel`` now turns ``"{}"`` into ``{}`` for ``aws.scheduler``),
    aws/aws-lambda-dotnet issue #1864 and aws/aws-lambda-java-libs issue #479. ``time`` is
    the scheduled time in UTC with second precision. When a schedule *does* set
    ``Input``, the function receives exactly that JSON, with the context attributes
    ``<aws.scheduler.schedule-arn>``, ``<aws.scheduler.scheduled-time>``,
    ``<aws.scheduler.execution-id>`` and ``<aws.scheduler.attempt-number>`` substituted
    (Scheduler User Guide, "Adding context attributes"); pass ``input=`` for that case.

Kafka (Amazon MSK and self-managed) — :func:`msk_event`, :func:`self_managed_kafka_event`
    * records are grouped under ``"<topic>-<partition>"``;
    * ``key`` and ``value`` are base64; ``key`` is absent for records without a key and
      ``value`` is absent for tombstones;
    * header values are arrays of **signed** Java bytes: a non-ASCII header value such as
      ``"ë"`` arrives as ``[-61, -85]`` (powertools-lambda-python issue #6862,
      aws-lambda-go PR #506), so ``bytes(values)`` fails on them — decode with
      ``bytes(b & 0xFF for b in values)``;
    * MSK events carry ``eventSourceArn`` (the cluster ARN); self-managed events have
      ``"eventSource": "SelfManagedKafka"`` and no ``eventSourceArn``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlencode

from aws_lambda_powertools.utilities.typing import LambdaContext

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_API_ID",
    "DEFAULT_BOOTSTRAP_SERVERS",
    "DEFAULT_MSK_CLUSTER_ARN",
    "DEFAULT_REGION",
    "ConsumerRecordLike",
    "KafkaRecordSpec",
    "LocalLambdaContext",
    "api_gateway_v2_http",
    "kafka_header_bytes",
    "lambda_context",
    "msk_event",
    "msk_event_from_consumer_records",
    "schedule_arn",
    "scheduler_event",
    "self_managed_kafka_event",
]

type JSONDict = dict[str, Any]
type HeaderValue = str | Sequence[str]
type QueryValue = str | Sequence[str]

DEFAULT_REGION = "eu-central-1"
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_API_ID = "a1b2c3d4e5"
DEFAULT_MSK_CLUSTER_ARN = (
    f"arn:aws:kafka:{DEFAULT_REGION}:{DEFAULT_ACCOUNT_ID}:cluster/lunch-events/"
    "7f3c1a2b-4d5e-6f70-8192-a3b4c5d6e7f8-3"
)
DEFAULT_BOOTSTRAP_SERVERS = ",".join(
    f"b-{n}.lunchevents.abc123.c3.kafka.{DEFAULT_REGION}.amazonaws.com:9098" for n in (1, 2, 3)
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DEFAULT_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
_TEXT_BODY_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


# --------------------------------------------------------------------------------------
# API Gateway HTTP API, payload format 2.0
# --------------------------------------------------------------------------------------


def api_gateway_v2_http(
    method: str,
    path: str,
    *,
    body: str | bytes | Mapping[str, Any] | Sequence[Any] | None = None,
    headers: Mapping[str, HeaderValue] | None = None,
    query: Mapping[str, QueryValue] | None = None,
    path_params: Mapping[str, str] | None = None,
    stage: str = "$default",
    route_key: str | None = None,
    source_ip: str = "127.0.0.1",
    cookies: Sequence[str] | None = None,
    authorizer: Mapping[str, Any] | None = None,
    stage_variables: Mapping[str, str] | None = None,
    request_time: datetime | None = None,
    request_id: str | None = None,
    api_id: str = DEFAULT_API_ID,
    region: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> JSONDict:
    """Build the event API Gateway HTTP API (payload 2.0) sends to a Lambda integration.

    ``path`` is the path the client requested, without the stage; it may carry a query
    string (``"/orders?date=2025-01-01"``), merged with ``query``. ``body`` may be text,
    bytes (sent base64-encoded, as API Gateway does for binary payloads) or a JSON-able
    ``dict``/``list`` (serialised, with ``content-type: application/json`` unless given).
    ``route_key`` defaults to ``"$default"``; with an explicit key such as
    ``"GET /orders/{order_id}"`` or ``"ANY /{proxy+}"`` the path parameters are derived
    from the path unless ``path_params`` is given. ``request_time`` and ``request_id``
    make the event deterministic (otherwise: now, random).
    """
    http_method = method.upper()
    bare_path, _, inline_query = path.partition("?")
    if not bare_path.startswith("/"):
        bare_path = "/" + bare_path

    query_pairs: list[tuple[str, str]] = parse_qsl(inline_query, keep_blank_values=True)
    for name, value in (query or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        query_pairs.extend((name, v) for v in values)

    raw_path = bare_path if stage == "$default" else f"/{stage}{bare_path}"
    key = route_key or "$default"

    when = (request_time or datetime.now(UTC)).astimezone(UTC)
    epoch_ms = int(when.timestamp() * 1000)
    req_id = request_id or _api_request_id()
    domain_name = f"{api_id}.execute-api.{region}.amazonaws.com"

    body_text, is_base64, content_type = _encode_http_body(body)

    event_headers: dict[str, str] = {
        "accept": "*/*",
        "host": domain_name,
        "user-agent": _DEFAULT_USER_AGENT,
        "x-amzn-trace-id": _trace_id(when, req_id),
        "x-forwarded-for": source_ip,
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if content_type is not None:
        event_headers["content-type"] = content_type
    if body_text is not None:
        raw_len = len(base64.b64decode(body_text)) if is_base64 else len(body_text.encode())
        event_headers["content-length"] = str(raw_len)

    event_cookies: list[str] = list(cookies or [])
    for name, value in (headers or {}).items():
        lower = name.lower()
        joined = value if isinstance(value, str) else ",".join(value)
        if lower == "cookie":
            event_cookies.extend(c.strip() for c in joined.split(";") if c.strip())
            continue
        event_headers[lower] = joined

    event: JSONDict = {
        "version": "2.0",
        "routeKey": key,
        "rawPath": raw_path,
        "rawQueryString": urlencode(query_pairs, quote_via=quote),
    }
    if event_cookies:
        event["cookies"] = event_cookies
    event["headers"] = event_headers
    if query_pairs:
        joined_query: dict[str, list[str]] = {}
        for name, value in query_pairs:
            joined_query.setdefault(name, []).append(value)
        event["queryStringParameters"] = {k: ",".join(v) for k, v in joined_query.items()}

    request_context: JSONDict = {
        "accountId": account_id,
        "apiId": api_id,
    }
    if authorizer is not None:
        request_context["authorizer"] = dict(authorizer)
    request_context |= {
        "domainName": domain_name,
        "domainPrefix": api_id,
        "http": {
            "method": http_method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": event_headers.get("user-agent", ""),
        },
        "requestId": req_id,
        "routeKey": key,
        "stage": stage,
        "time": _clf_time(when),
        "timeEpoch": epoch_ms,
    }
    event["requestContext"] = request_context

    if body_text is not None:
        event["body"] = body_text

    params = dict(path_params) if path_params is not None else _route_params(key, bare_path)
    if params:
        event["pathParameters"] = params
    event["isBase64Encoded"] = is_base64
    if stage_variables:
        event["stageVariables"] = dict(stage_variables)
    return event


def _encode_http_body(
    body: str | bytes | Mapping[str, Any] | Sequence[Any] | None,
) -> tuple[str | None, bool, str | None]:
    """Return (body as put in the event, isBase64Encoded, default content type)."""
    if body is None:
        return None, False, None
    if isinstance(body, bytes):
        return base64.b64encode(body).decode("ascii"), True, "application/octet-stream"
    if isinstance(body, str):
        return body, False, None
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")), False, "application/json"


def _api_request_id() -> str:
    # API Gateway request ids look like "JKJaXmPLvHcESHA=": 11 random bytes in base64.
    return base64.b64encode(secrets.token_bytes(11)).decode("ascii")


def _trace_id(when: datetime, request_id: str) -> str:
    digest = hashlib.sha256(request_id.encode()).hexdigest()[:24]
    return f"Root=1-{int(when.timestamp()):08x}-{digest}"


def _clf_time(when: datetime) -> str:
    # "12/Mar/2020:19:03:58 +0000", with English month names whatever the locale.
    return (
        f"{when.day:02d}/{_MONTHS[when.month - 1]}/{when.year}:"
        f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000"
    )


def _route_params(route_key: str, path: str) -> dict[str, str]:
    """Derive ``pathParameters`` from a route key such as ``GET /orders/{id}``."""
    if route_key == "$default" or " " not in route_key:
        return {}
    template = route_key.split(" ", 1)[1]
    pattern = ""
    names: list[str] = []
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            greedy = name.endswith("+")
            name = name.rstrip("+")
            names.append(name)
            pattern += f"(?P<{_group(name)}>.+)" if greedy else f"(?P<{_group(name)}>[^/]+)"
        else:
            pattern += re.escape(part)
    match = re.fullmatch(pattern, path)
    if match is None:
        return {}
    return {name: unquote(match.group(_group(name))) for name in names}


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


# --------------------------------------------------------------------------------------
# EventBridge Scheduler
# --------------------------------------------------------------------------------------


def scheduler_event(
    schedule_name: str,
    *,
    time: datetime,
    group: str = "default",
    input: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    execution_id: str | None = None,
    attempt: int = 1,
    region: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> JSONDict:
    """Build what EventBridge Scheduler delivers to a Lambda target.

    Without ``input`` this is the default notification (see the module docstring):
    ``source`` ``"aws.scheduler"``, ``detail-type`` ``"Scheduled Event"``, the schedule
    ARN in ``resources`` and ``detail`` as the string ``"{}"``. With ``input`` (the
    schedule target's ``Input`` JSON) the function receives that JSON with the Scheduler
    context attributes substituted. ``time`` is the scheduled time and must be
    timezone-aware.
    """
    if time.tzinfo is None:
        msg = "scheduler_event(time=...) must be timezone-aware"
        raise ValueError(msg)
    scheduled = time.astimezone(UTC).replace(microsecond=0)
    scheduled_text = scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
    arn = schedule_arn(schedule_name, group=group, region=region, account_id=account_id)

    if input is not None:
        substitutions = {
            "<aws.scheduler.schedule-arn>": arn,
            "<aws.scheduler.scheduled-time>": scheduled_text,
            "<aws.scheduler.execution-id>": execution_id or secrets.token_hex(8),
            "<aws.scheduler.attempt-number>": str(attempt),
        }
        substituted = _substitute(dict(input), substitutions)
        assert isinstance(substituted, dict)
        return substituted

    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": account_id,
        "time": scheduled_text,
        "region": region,
        "resources": [arn],
        "detail": "{}",
    }


def schedule_arn(
    schedule_name: str,
    *,
    group: str = "default",
    region: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> str:
    """The ARN of an EventBridge Scheduler schedule."""
    return f"arn:aws:scheduler:{region}:{account_id}:schedule/{group}/{schedule_name}"


def _substitute(value: Any, substitutions: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, replacement in substitutions.items():
            value = value.replace(placeholder, replacement)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, substitutions) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, substitutions) for v in value]
    return value


# --------------------------------------------------------------------------------------
# Kafka: Amazon MSK and self-managed event source mappings
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KafkaRecordSpec:
    """One Kafka record to put into a Lambda Kafka event.

    ``value`` may be bytes, text (UTF-8) or a JSON-able mapping/list (serialised to
    JSON); ``None`` makes a tombstone (no ``value`` in the event). ``offset`` ``None``
    means "next offset in this topic-partition within the event, from 0".
    ``timestamp`` is a datetime or epoch milliseconds (default: now).
    """

    topic: str
    value: bytes | str | Mapping[str, Any] | Sequence[Any] | None
    key: bytes | str | None = None
    partition: int = 0
    offset: int | None = None
    timestamp: datetime | int | None = None
    timestamp_type: Literal["CREATE_TIME", "LOG_APPEND_TIME"] = "CREATE_TIME"
    headers: Sequence[tuple[str, bytes | str]] = field(default_factory=tuple)


class ConsumerRecordLike(Protocol):
    """The attributes of ``aiokafka.ConsumerRecord`` that a Lambda event carries."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def timestamp(self) -> int: ...
    @property
    def timestamp_type(self) -> int: ...
    @property
    def key(self) -> Any: ...
    @property
    def value(self) -> Any: ...
    @property
    def headers(self) -> Sequence[tuple[str, bytes]]: ...


def msk_event(
    records: Sequence[KafkaRecordSpec],
    *,
    bootstrap: str = DEFAULT_BOOTSTRAP_SERVERS,
    cluster_arn: str = DEFAULT_MSK_CLUSTER_ARN,
) -> JSONDict:
    """Build the event an Amazon MSK event source mapping sends to a function."""
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": cluster_arn,
        "bootstrapServers": bootstrap,
        "records": _group_records(_spec_to_record(records)),
    }


def self_managed_kafka_event(
    records: Sequence[KafkaRecordSpec],
    *,
    bootstrap: str = "broker-1.kafka.internal:9092,broker-2.kafka.internal:9092",
) -> JSONDict:
    """Build the event a self-managed Apache Kafka event source mapping sends."""
    return {
        "eventSource": "SelfManagedKafka",
        "bootstrapServers": bootstrap,
        "records": _group_records(_spec_to_record(records)),
    }


def msk_event_from_consumer_records(
    records: Iterable[ConsumerRecordLike],
    *,
    bootstrap: str = DEFAULT_BOOTSTRAP_SERVERS,
    cluster_arn: str = DEFAULT_MSK_CLUSTER_ARN,
    self_managed: bool = False,
) -> JSONDict:
    """Wrap records read from a real broker (aiokafka) into a Lambda Kafka event.

    This is how tests hand real broker records to a consumer Lambda "as Lambda would":
    records are grouped by topic-partition in the order given. Keys and values must be
    raw bytes (a consumer without deserializers) or text. With ``self_managed`` the
    event is the self-managed Kafka shape (``bootstrap`` should then be the broker
    address actually used).
    """
    converted: list[JSONDict] = []
    for record in records:
        item: JSONDict = {
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "timestamp": record.timestamp,
            "timestampType": "LOG_APPEND_TIME" if record.timestamp_type == 1 else "CREATE_TIME",
        }
        if record.key is not None:
            item["key"] = _b64(_as_bytes(record.key, "key"))
        if record.value is not None:
            item["value"] = _b64(_as_bytes(record.value, "value"))
        item["headers"] = [{name: kafka_header_bytes(raw)} for name, raw in record.headers or ()]
        converted.append(item)
    grouped = _group_records(converted)
    if self_managed:
        return {
            "eventSource": "SelfManagedKafka",
            "bootstrapServers": bootstrap,
            "records": grouped,
        }
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": cluster_arn,
        "bootstrapServers": bootstrap,
        "records": grouped,
    }


def kafka_header_bytes(value: bytes | str) -> list[int]:
    """Encode a header value the way Lambda does: a list of signed (Java) bytes."""
    raw = value.encode() if isinstance(value, str) else value
    return [b - 256 if b > 127 else b for b in raw]


def _spec_to_record(specs: Sequence[KafkaRecordSpec]) -> list[JSONDict]:
    next_offset: dict[tuple[str, int], int] = {}
    now_ms = int(time.time() * 1000)
    out: list[JSONDict] = []
    for spec in specs:
        tp = (spec.topic, spec.partition)
        offset = spec.offset if spec.offset is not None else next_offset.get(tp, 0)
        next_offset[tp] = offset + 1
        if isinstance(spec.timestamp, datetime):
            if spec.timestamp.tzinfo is None:
                msg = "KafkaRecordSpec.timestamp must be timezone-aware"
                raise ValueError(msg)
            ts = int(spec.timestamp.timestamp() * 1000)
        else:
            ts = spec.timestamp if spec.timestamp is not None else now_ms
        item: JSONDict = {
            "topic": spec.topic,
            "partition": spec.partition,
            "offset": offset,
            "timestamp": ts,
            "timestampType": spec.timestamp_type,
        }
        if spec.key is not None:
            item["key"] = _b64(_as_bytes(spec.key, "key"))
        if spec.value is not None:
            item["value"] = _b64(_value_bytes(spec.value))
        item["headers"] = [{name: kafka_header_bytes(raw)} for name, raw in spec.headers]
        out.append(item)
    return out


def _group_records(records: Iterable[JSONDict]) -> dict[str, list[JSONDict]]:
    grouped: dict[str, list[JSONDict]] = {}
    for record in records:
        grouped.setdefault(f"{record['topic']}-{record['partition']}", []).append(record)
    return grouped


def _value_bytes(value: bytes | str | Mapping[str, Any] | Sequence[Any]) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _as_bytes(value: Any, what: str) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    msg = f"Kafka record {what} must be bytes or str, got {type(value).__name__}"
    raise TypeError(msg)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# --------------------------------------------------------------------------------------
# Lambda context
# --------------------------------------------------------------------------------------


class LocalLambdaContext(LambdaContext):
    """A Lambda context object for local invocations.

    It is a Powertools ``LambdaContext`` (handlers annotated with it accept it) and also
    satisfies Mangum's ``LambdaContext`` protocol, whose attributes are plain settable
    ones: hence the class attributes below, which shadow Powertools' read-only
    properties. ``identity`` and ``client_context`` are ``None`` as for any invocation
    that does not come from the AWS Mobile SDK. ``get_remaining_time_in_millis()``
    counts down from the timeout, starting when the context is created (as Lambda's
    does from the start of the invocation).
    """

    function_name: str = ""
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: int = 128
    aws_request_id: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: Any = None
    client_context: Any = None

    def __init__(
        self,
        function_name: str,
        *,
        timeout_ms: int = 30000,
        memory_limit_in_mb: int = 512,
        function_version: str = "$LATEST",
        aws_request_id: str | None = None,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{account_id}:function:{function_name}"
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = aws_request_id or str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        today = datetime.now(UTC).strftime("%Y/%m/%d")
        self.log_stream_name = f"{today}/[{function_version}]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._tenant_id = None
        self.timeout_ms = timeout_ms
        self._deadline = time.monotonic() + timeout_ms / 1000

    # Powertools declares this a staticmethod returning 0; a real context's is per
    # invocation, so it has to be an instance method here.
    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]
        """Milliseconds left before the configured timeout, never below zero."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (
            f"LocalLambdaContext(function_name={self.function_name!r}, "
            f"aws_request_id={self.aws_request_id!r})"
        )


def lambda_context(
    function_name: str,
    *,
    timeout_ms: int = 30000,
    memory_limit_in_mb: int = 512,
    aws_request_id: str | None = None,
) -> LocalLambdaContext:
    """A context object with what Powertools and Mangum read from a Lambda context."""
    return LocalLambdaContext(
        function_name,
        timeout_ms=timeout_ms,
        memory_limit_in_mb=memory_limit_in_mb,
        aws_request_id=aws_request_id,
    )
