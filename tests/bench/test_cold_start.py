"""Cold start of each function: a fresh Python process, the handler module imported (which builds
the handler, as Lambda's init phase does) and one invocation with a real event, against real
PostgreSQL, Redis and Kafka. Next to it, baselines: a bare Mangum app and a bare Powertools
handler show what the platform itself costs; a bare stack (FastAPI, Mangum, SQLAlchemy, psycopg,
pydantic-settings and Powertools' Logger, nothing of ours) shows what the named libraries cost.
Then each function as `sam build` built it, under the Lambda Runtime Interface Emulator with only
its artifact and layer (tests/emulator; run `make sam-build lambda-runtime` first): the
emulator's REPORT lines give Lambda's own Init Duration. Prints a table and `BENCH cold_start
...` lines; asserts only that every function answered.

    make bench        # or: uv run pytest tests/bench/test_cold_start.py -s -o addopts=""
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from infra.local.events import KafkaRecordSpec, api_gateway_v2_http, msk_event, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from infra.local.fakes.telegram.inbox import LOCAL_TOKEN, local_telegram
from tests.emulator.conftest import (  # noqa: F401  (fixtures, used by name)
    AwsStage,
    StartFunction,
    aws_stage,
    deploy_secrets,
    layer_dir,
    moto_endpoint,
    rie,
    runtime_dir,
    sam_build_dir,
    stack_template,
    start_function,
)

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("COLD_START_RUNS", "5"))
WEBHOOK_SECRET = "bench-webhook-secret"
NOW = datetime(2026, 11, 24, 8, 1, tzinfo=UTC)

# The child: time the import (init) and the first invocation, print them as JSON.
PROBE = """
import json, sys, time
began = time.perf_counter()
module_name, attribute, event_path = sys.argv[1:4]
import importlib
module = importlib.import_module(module_name)
handler = getattr(module, attribute)
imported = time.perf_counter()
from infra.local.events import lambda_context
event = json.load(open(event_path))
answer = handler(event, lambda_context(module_name))
answered = time.perf_counter()
print(json.dumps({"import_ms": (imported - began) * 1000,
                  "invoke_ms": (answered - imported) * 1000,
                  "answer": str(answer)[:200]}))
"""

BARE_MANGUM = """
from fastapi import FastAPI
from mangum import Mangum
app = FastAPI()
@app.get("/api/v1/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
handler = Mangum(app, lifespan="off")
"""

# The libraries the design names for the API's data and logs, and nothing of ours: the part of the
# api's import that no change of our own code can remove.
BARE_STACK = """
from fastapi import FastAPI
from mangum import Mangum
import sqlalchemy.orm
from sqlalchemy.ext.asyncio import create_async_engine
import psycopg
import pydantic_settings
from aws_lambda_powertools import Logger
engine = create_async_engine("postgresql+psycopg://bench@127.0.0.1:1/bench")
logger = Logger(service="bare")
app = FastAPI()
@app.get("/api/v1/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
handler = Mangum(app, lifespan="off")
"""

BARE_POWERTOOLS = """
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
logger = Logger(service="bare")
@logger.inject_lambda_context
@event_source(data_class=EventBridgeEvent)
def handler(event, context):
    return {"ok": True}
"""


def webhook_update() -> dict[str, Any]:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(NOW.timestamp()),
            "chat": {"id": 555, "type": "private", "first_name": "Кафе"},
            "from": {"id": 555, "is_bot": False, "first_name": "Кафе"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    return api_gateway_v2_http(
        "POST",
        "/telegram/webhook",
        body=update,
        headers={"x-telegram-bot-api-secret-token": WEBHOOK_SECRET},
        route_key="POST /telegram/webhook",
    )


CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "api": (
        "functions.api.handler",
        api_gateway_v2_http("GET", "/api/v1/health", route_key="ANY /{proxy+}"),
    ),
    "telegram_webhook": ("functions.telegram_webhook.handler", webhook_update()),
    "deadline_check": (
        "functions.deadline_check.handler",
        scheduler_event("deadline-check", time=NOW),
    ),
    "notifications_consumer": (
        "functions.notifications_consumer.handler",
        msk_event(
            [
                KafkaRecordSpec(
                    "lunch-bot.deadlines",
                    {"type": "deadline.passed", "cafe_id": 1, "date": "2026-11-24"},
                    key="1",
                )
            ]
        ),
    ),
    "recommendations_batch": (
        "functions.recommendations_batch.handler",
        scheduler_event("recommendations-batch", time=NOW),
    ),
    "recommendations_consumer": (
        "functions.recommendations_consumer.handler",
        msk_event(
            [
                KafkaRecordSpec(
                    "lunch-bot.recommendations",
                    {
                        "type": "recommendations.requested",
                        "tgid": 100002,
                        "date": "2026-11-24",
                        "timestamp": NOW.isoformat(),
                    },
                    key="100002",
                )
            ]
        ),
    ),
    "reminders_check": (
        "functions.reminders_check.handler",
        scheduler_event("reminders-check", time=NOW),
    ),
    "reminders_consumer": (
        "functions.reminders_consumer.handler",
        msk_event(
            [
                KafkaRecordSpec(
                    "lunch-bot.reminders",
                    {
                        "type": "reminder.due",
                        "tgid": 100002,
                        "date": "2026-11-24",
                        "timestamp": NOW.isoformat(),
                    },
                    key="100002",
                )
            ]
        ),
    ),
    "migrate": ("functions.migrate.handler", {}),
}


@pytest.fixture(scope="module")
def capture() -> Iterator[FakeTelegram]:
    server = local_telegram().start()
    yield server
    server.stop()


def measure(module: str, event: dict[str, Any], env: dict[str, str], tmp: Path) -> dict[str, Any]:
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(event))
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module, "handler", str(event_path)],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    total = (time.perf_counter() - began) * 1000
    assert done.returncode == 0, done.stderr[-2000:]
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_ms"] = total
    return figures


def test_cold_start_of_every_function(
    database_url: str,
    redis_url: str,
    kafka_bootstrap: str,
    capture: FakeTelegram,
    tmp_path: Path,
) -> None:
    (tmp_path / "bare_mangum.py").write_text(BARE_MANGUM)
    (tmp_path / "bare_powertools.py").write_text(BARE_POWERTOOLS)
    (tmp_path / "bare_stack.py").write_text(BARE_STACK)
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}",
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "TELEGRAM_BOT_TOKEN": LOCAL_TOKEN,
        "TELEGRAM_API_BASE_URL": capture.base_url,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "JWT_SECRET": "bench-jwt-secret-0123456789abcdef",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "LOG_LEVEL": "WARNING",
    }
    cases = {
        "bare Mangum (baseline)": (
            "bare_mangum",
            api_gateway_v2_http("GET", "/api/v1/health"),
        ),
        "bare stack (baseline)": (
            "bare_stack",
            api_gateway_v2_http("GET", "/api/v1/health"),
        ),
        "bare Powertools (baseline)": (
            "bare_powertools",
            scheduler_event("bare", time=NOW),
        ),
        **CASES,
    }
    # Rounds over every case, not every run of one case in a row: on a shared machine a busy
    # minute then slows all cases alike instead of the one that happened to run in it.
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in cases}
    for _round in range(RUNS):
        for name, (module, event) in cases.items():
            runs[name].append(measure(module, event, env, tmp_path))
    rows = []
    for name, measured in runs.items():
        best = min(measured, key=lambda r: r["process_ms"])
        rows.append((name, best["import_ms"], best["invoke_ms"], best["process_ms"]))
    print(f"\nCold start, best of {RUNS} (ms): process start → first answer")
    print(f"{'function':<28}{'import+init':>12}{'1st invoke':>12}{'total':>10}")
    for name, imported, invoked, total in rows:
        print(f"{name:<28}{imported:>12.0f}{invoked:>12.0f}{total:>10.0f}")
    for name, imported, invoked, total in rows:
        slug = name.removesuffix(" (baseline)").replace(" ", "_").lower()
        print(
            f"BENCH cold_start_process function={slug} import_ms={imported:.0f} "
            f"first_invoke_ms={invoked:.0f} total_ms={total:.0f}"
        )
    assert len(rows) == len(cases)
    # Each figure's own best run: the least disturbed measurement of it.
    imports = {name: min(r["import_ms"] for r in measured) for name, measured in runs.items()}
    answered = {
        name: min(r["import_ms"] + r["invoke_ms"] for r in measured)
        for name, measured in runs.items()
    }
    ratio = imports["api"] / imports["bare Mangum (baseline)"]
    # Import plus the first answer: work moved from init to the first request shows up here.
    first_answer = answered["api"] / answered["bare Mangum (baseline)"]
    # The floor: FastAPI and Mangum with SQLAlchemy, psycopg, pydantic-settings and Powertools'
    # Logger imported and an engine made, no route or model of ours.
    floor = imports["bare stack (baseline)"] / imports["bare Mangum (baseline)"]
    over_floor = imports["api"] / imports["bare stack (baseline)"]
    print(
        f"BENCH cold_start_api ratio_to_bare_mangum={ratio:.2f} "
        f"first_answer_ratio_to_bare_mangum={first_answer:.2f} "
        f"bare_stack_ratio_to_bare_mangum={floor:.2f} ratio_to_bare_stack={over_floor:.2f}"
    )


EMULATED = {
    "api": "ApiFunction",
    "telegram_webhook": "TelegramWebhookFunction",
    "deadline_check": "DeadlineCheckFunction",
    "notifications_consumer": "NotificationsConsumerFunction",
    "recommendations_batch": "RecommendationsBatchFunction",
    "recommendations_consumer": "RecommendationsConsumerFunction",
    "reminders_check": "RemindersCheckFunction",
    "reminders_consumer": "RemindersConsumerFunction",
    "migrate": "MigrateFunction",
}


def test_cold_start_of_every_built_function_under_the_lambda_emulator(
    start_function: StartFunction,  # noqa: F811
    aws_stage: AwsStage,  # noqa: F811
    database_url: str,
    redis_url: str,
    kafka_bootstrap: str,
    fake_telegram: FakeTelegram,
) -> None:
    deploy_secrets(aws_stage, fake_telegram, database_url)
    aws_stage.parameters |= {"RedisUrl": redis_url, "KafkaBootstrapServers": kafka_bootstrap}
    aws_stage.create_miniapp_url_parameter()
    # The webhook event below carries this benchmark's secret.
    aws_stage.put_parameter(aws_stage.parameters["TelegramWebhookSecretParameter"], WEBHOOK_SECRET)
    extra = {"TELEGRAM_API_BASE_URL": fake_telegram.base_url, "POWERTOOLS_LOG_LEVEL": "WARNING"}
    rows = []
    for name, function in EMULATED.items():
        _module, event = CASES[name]
        emulator = start_function(function, extra)
        answer = emulator.invoke(event)
        assert answer.function_error is None, (name, answer.payload, emulator.log())
        (init_ms,) = emulator.init_durations_ms()
        (first_ms,) = emulator.durations_ms()
        rows.append((name, init_ms, first_ms))
        emulator.stop()
    print("\nUnder the Lambda Runtime Interface Emulator (ms), the built artifact and layer only")
    print(f"{'function':<28}{'Init Duration':>14}{'1st invoke':>12}")
    for name, init_ms, first_ms in rows:
        print(f"{name:<28}{init_ms:>14.0f}{first_ms:>12.0f}")
    for name, init_ms, first_ms in rows:
        figures = f"init_ms={init_ms:.0f} first_invoke_ms={first_ms:.0f}"
        print(f"BENCH cold_start_emulator function={name} {figures}")
    assert len(rows) == len(EMULATED)
