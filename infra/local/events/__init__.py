"""Builders of real AWS Lambda event payloads, as plain ``dict`` objects.

Tests and the local runner use these to call the real Lambda handlers with exactly what
AWS would hand them. Every shape follows the AWS documentation and payloads captured from
real invocations; each module's notes say where reality differs from what one might guess:
``http`` (API Gateway), ``scheduler`` (EventBridge Scheduler), ``kafka`` (MSK and
self-managed Kafka), ``context`` (the Lambda context).
"""

from infra.local.events.common import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_API_ID,
    DEFAULT_BOOTSTRAP_SERVERS,
    DEFAULT_MSK_CLUSTER_ARN,
    DEFAULT_REGION,
)
from infra.local.events.context import (
    LocalLambdaContext,
    lambda_context,
)
from infra.local.events.http import api_gateway_v2_http
from infra.local.events.kafka import (
    ConsumerRecordLike,
    KafkaRecordSpec,
    kafka_header_bytes,
    msk_event,
    msk_event_from_consumer_records,
    self_managed_kafka_event,
)
from infra.local.events.scheduler import (
    schedule_arn,
    scheduler_event,
)

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
