"""EventBridge Scheduler events, as the deadline check and the recommendations batch get them.

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
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from infra.local.events.common import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    JSONDict,
)


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
