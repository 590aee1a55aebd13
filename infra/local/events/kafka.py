"""Kafka event source mapping events (Amazon MSK and self-managed), as the consumers get them.

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
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from infra.local.events.common import (
    DEFAULT_BOOTSTRAP_SERVERS,
    DEFAULT_MSK_CLUSTER_ARN,
    JSONDict,
)


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
