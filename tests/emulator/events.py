"""Events as AWS sends them, made from the recorded samples in tests/events."""

import base64
import copy
import json
import time
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from aiokafka.structs import ConsumerRecord

EVENTS = Path(__file__).resolve().parents[1] / "events"


@cache
def _sample(name: str) -> dict[str, Any]:
    sample: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return sample


def sample(name: str) -> dict[str, Any]:
    """A fresh copy of tests/events/<name>."""
    return copy.deepcopy(_sample(name))


def custom_resource(request_type: str, response_url: str) -> dict[str, Any]:
    """What CloudFormation sends the MigrationRun custom resource's function."""
    event = sample("cloudformation_migration_create.json")
    event |= {"RequestType": request_type, "ResponseURL": response_url}
    event["RequestId"] = str(uuid.uuid4())
    return event


def http(
    method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) request, as API Gateway hands it to the function."""
    event = sample("api_gateway_v2_post_orders.json")
    raw = "" if body is None else json.dumps(body, ensure_ascii=False)
    kept = {
        k: v for k, v in event["headers"].items() if k not in ("authorization", "content-length")
    }
    event["headers"] = kept | {"content-length": str(len(raw.encode()))} | (headers or {})
    event["rawPath"] = path
    event["requestContext"]["http"] |= {"method": method, "path": path}
    event["requestContext"]["requestId"] = uuid.uuid4().hex[:16]
    now = datetime.now(UTC)
    event["requestContext"]["timeEpoch"] = int(now.timestamp() * 1000)
    event["requestContext"]["time"] = now.strftime("%d/%b/%Y:%H:%M:%S +0000")
    event["body"] = raw or None
    return event


def scheduled(when: datetime) -> dict[str, Any]:
    """EventBridge Scheduler's event for a run at `when`."""
    event = sample("scheduler_deadline_check.json")
    event["id"] = str(uuid.uuid4())
    event["time"] = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def msk(records: list[ConsumerRecord[bytes, bytes]]) -> dict[str, Any]:
    """The event an MSK event source mapping sends for records read from the topic."""
    event = sample("msk_deadlines.json")
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        grouped.setdefault(f"{record.topic}-{record.partition}", []).append(
            {
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "timestamp": record.timestamp or int(time.time() * 1000),
                "timestampType": "CREATE_TIME",
                "key": base64.b64encode(record.key or b"").decode(),
                "value": base64.b64encode(record.value or b"").decode(),
                "headers": [],
            }
        )
    event["records"] = grouped
    return event
