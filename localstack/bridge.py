"""Kafka to the consumer functions deployed on LocalStack.

LocalStack's free plan runs Lambda but has no Kafka event source mappings, so this bridge plays
the mapping: it reads each topic with its own consumer group and invokes the deployed function
(Lambda Invoke API, RequestResponse) with the MSK-shaped event an event source mapping would
send, then commits, retries the reported failures or gives up after a few tries exactly as
`infra/local/feed.py` describes. Run it beside the stack (localstack/README.md):

    uv run python localstack/bridge.py --stack lunch-local

Function names come from the stack (`--stack`) or are given (`--route TOPIC=FUNCTION`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for `shared`

from infra.local.feed import Feed, FeedStats, InvocationFailedError, Invoke, Route, kafka_consumer

log = logging.getLogger("lunch.bridge")

# Topic settings (as in .env.example) and the template's logical ids of their consumers.
CONSUMERS = {
    "KAFKA_TOPIC_DEADLINES": ("lunch-bot.deadlines", "NotificationsConsumerFunction"),
    "KAFKA_TOPIC_RECOMMENDATIONS": (
        "lunch-bot.recommendations",
        "RecommendationsConsumerFunction",
    ),
}


def lambda_invoker(client: Any, function_name: str) -> Invoke:
    """Invoke a function and hand back its JSON answer; a function error raises."""

    async def invoke(event: dict[str, Any]) -> dict[str, Any] | None:
        answer = await asyncio.to_thread(
            client.invoke,
            FunctionName=function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        payload = answer["Payload"].read()
        if answer.get("FunctionError"):
            raise InvocationFailedError(f"{function_name}: {payload.decode(errors='replace')}")
        if not payload:
            return None
        loaded = json.loads(payload)
        return loaded if isinstance(loaded, dict) else None

    return invoke


def routes_from_stack(
    cloudformation: Any, stack: str, environ: Mapping[str, str]
) -> dict[str, str]:
    """topic -> deployed function name, from the stack's resources."""
    routes = {}
    for variable, (default_topic, logical_id) in CONSUMERS.items():
        resource = cloudformation.describe_stack_resource(
            StackName=stack, LogicalResourceId=logical_id
        )
        routes[environ.get(variable, default_topic)] = resource["StackResourceDetail"][
            "PhysicalResourceId"
        ]
    return routes


async def run_bridge(
    bootstrap: str,
    routes: Mapping[str, str],
    lambda_client: Any,
    stop: asyncio.Event,
    *,
    group_prefix: str = "lunch-bridge",
    max_retries: int = 3,
    backoff_seconds: float = 1.0,
) -> dict[str, FeedStats]:
    """Feed every topic to its function until `stop` is set; the feeds' counters."""
    feeds: list[Feed] = []
    consumers = []
    try:
        for topic, function in routes.items():
            consumer = await kafka_consumer(bootstrap, topic, f"{group_prefix}-{topic}")
            consumers.append(consumer)
            route = Route(topic, lambda_invoker(lambda_client, function), function)
            feeds.append(
                Feed(
                    consumer,
                    route,
                    bootstrap=bootstrap,
                    self_managed=False,
                    max_retries=max_retries,
                    backoff_seconds=backoff_seconds,
                )
            )
            log.info("bridging %s → %s", topic, function)
        await asyncio.gather(*(feed.run(stop) for feed in feeds))
    finally:
        for consumer in consumers:
            await consumer.stop()
    return {feed.route.topic: feed.stats for feed in feeds}


def main(argv: Sequence[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
    )
    parser.add_argument(
        "--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL", "http://localhost:4566")
    )
    parser.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"))
    parser.add_argument("--stack", default="lunch-local", help="the deployed SAM stack")
    parser.add_argument(
        "--route", action="append", default=[], help="TOPIC=FUNCTION (instead of --stack)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    session = boto3.session.Session(region_name=args.region)
    lambda_client = session.client("lambda", endpoint_url=args.endpoint_url)
    if args.route:
        routes = dict(route.split("=", 1) for route in args.route)
    else:
        cloudformation = session.client("cloudformation", endpoint_url=args.endpoint_url)
        routes = routes_from_stack(cloudformation, args.stack, os.environ)

    async def bridge() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_bridge(args.bootstrap, routes, lambda_client, stop)

    asyncio.run(bridge())
    return 0


if __name__ == "__main__":
    sys.exit(main())
