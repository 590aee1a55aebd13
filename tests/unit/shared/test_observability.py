"""Operators see cafe notifications counted by outcome, under the names the alarms use."""

from typing import Any

from shared.kit.observability import Metric, count, count_notification, create_metrics


def test_notifications_are_counted_by_their_final_state() -> None:
    metrics = create_metrics("notifications_consumer")
    count_notification(metrics, "delivered")
    count_notification(metrics, "delivered")
    count_notification(metrics, "failed")
    count_notification(metrics, "pending")  # not final: not counted

    emitted: dict[str, Any] = dict(metrics.serialize_metric_set())
    metrics.clear_metrics()

    assert emitted["NotificationsSent"] == [1.0, 1.0]
    assert emitted["NotificationsFailed"] == [1.0]
    assert "NotificationsSkipped" not in emitted
    assert emitted["service"] == "notifications_consumer"
    [directive] = emitted["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Lunch"


def test_nothing_is_published_for_a_zero_count() -> None:
    metrics = create_metrics("deadline_check")
    count(metrics, Metric.DEADLINES_ANNOUNCED, 0)

    assert metrics.metric_set == {}
