"""Logs, metrics and traces, the same way in every function (aws-lambda-powertools).

* Logs: `Logger(service=...)` writes one JSON object per line; `inject_lambda_context` adds the
  request id, cold start and function name, and `correlation_id_path` the caller's id (the API
  Gateway request id for the HTTP functions, the Kafka record's topic/partition/offset for the
  consumers, logged with each record).
* Metrics: CloudWatch embedded metric format, namespace `POWERTOOLS_METRICS_NAMESPACE` (Lunch),
  dimension `service`; names below, one place, so dashboards and alarms (template.yaml) match.
* Traces: X-Ray through `Tracer`; it switches itself off outside Lambda.
"""

from __future__ import annotations

from enum import StrEnum

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

NAMESPACE = "Lunch"


class Metric(StrEnum):
    """Every business metric the functions publish."""

    ORDERS_PLACED = "OrdersPlaced"
    DEADLINES_ANNOUNCED = "DeadlinesAnnounced"
    NOTIFICATIONS_SENT = "NotificationsSent"
    NOTIFICATIONS_SKIPPED = "NotificationsSkipped"
    NOTIFICATIONS_FAILED = "NotificationsFailed"
    RECOMMENDATION_JOBS = "RecommendationJobs"
    # dimension `outcome`: ok | rules | keys_exhausted | unavailable
    GEMINI_CALLS = "GeminiCalls"
    GEMINI_KEY_ROTATIONS = "GeminiKeyRotations"


# What a cafe notification's final state counts as.
NOTIFICATION_METRICS = {
    "delivered": Metric.NOTIFICATIONS_SENT,
    "skipped": Metric.NOTIFICATIONS_SKIPPED,
    "failed": Metric.NOTIFICATIONS_FAILED,
}


def create_metrics(service: str) -> Metrics:
    """A metrics publisher for one function; flush with `@metrics.log_metrics` on the handler."""
    return Metrics(namespace=NAMESPACE, service=service)


def count(metrics: Metrics, metric: Metric, value: int = 1) -> None:
    """Add `value` to a counter for this invocation (no-op for zero)."""
    if value:
        metrics.add_metric(name=metric.value, unit=MetricUnit.Count, value=value)


def count_notification(metrics: Metrics, state: str) -> None:
    """Count one cafe notification by its final state (delivered, skipped, failed)."""
    metric = NOTIFICATION_METRICS.get(state)
    if metric is not None:
        count(metrics, metric)
