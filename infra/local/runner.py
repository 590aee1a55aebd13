"""`make run`: the whole system on one machine, on embedded defaults.

* PostgreSQL and Redis from pip-installed packages (or DATABASE_URL / REDIS_URL), migrations,
  demo data (cafes with Russian menus, people, linked cafe chats, two weeks of orders);
* the Mini App and the API on http://127.0.0.1:8000 (LUNCH_PORT), with the dev sign-in, served
  by the real `api` Lambda handler: each request becomes an API Gateway event (gateway.py);
* the schedules of template.yaml (deadline check every minute, recommendations at 03:00),
  firing the real handlers with EventBridge Scheduler events;
* the consumers fed MSK-shaped events from Kafka (KAFKA_BOOTSTRAP_SERVERS, or a broker started
  here when Java is present) or, failing that, from an in-process bus (LUNCH_KAFKA=bus forces it);
* Telegram: with a real TELEGRAM_BOT_TOKEN, real sends and the bot by long polling; otherwise
  the fake Telegram (infra/local/fakes/telegram), and every message a cafe would receive is
  printed and listed on http://127.0.0.1:8000/dev/cafe-messages, where "pass the deadline"
  buttons run the check now, and http://127.0.0.1:8000/dev/telegram plays the bot's chats.

The functions run in one worker thread, one invocation at a time, as a Lambda container runs
them. It refuses to start with ENVIRONMENT other than local; none of this is deployed
(infra/build.mk copies only functions/<name> and shared/ into an artifact).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import importlib.util
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from infra.local import services
from infra.local.fakes.telegram.inbox import LOCAL_TOKEN, CapturedMessage, local_telegram
from infra.local.system import FunctionHost, LocalSystem, TravellingClock, build_functions
from shared.kit.clock import Clock
from shared.kit.settings import PLACEHOLDER, Settings

HOST = "127.0.0.1"
STATE_DIR = services.REPO_ROOT / ".local"

type Handler = Callable[[dict[str, Any], Any], Any]


def step(message: str) -> None:
    print(f"▸ {message}", flush=True)


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def start_stores(state: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """URLs of PostgreSQL and Redis: given ones, or servers started here."""
    urls: dict[str, Any] = {}
    if environ.get("DATABASE_URL"):
        urls["database_url"] = environ["DATABASE_URL"]
        step("PostgreSQL: using DATABASE_URL")
    else:
        began = time.monotonic()
        postgres = services.start_postgres(state / "postgres")
        urls["database_url"] = postgres.url
        step(f"PostgreSQL started on {postgres.url} ({time.monotonic() - began:.1f} s)")
    if environ.get("REDIS_URL"):
        urls["redis_url"] = environ["REDIS_URL"]
        step("Redis: using REDIS_URL")
    else:
        redis = services.start_redis(state / "redis")
        urls["redis_url"] = redis.url
        step(f"Redis started on {redis.url}")
    return urls


def start_kafka(state: Path, environ: Mapping[str, str]) -> str | None:
    """Bootstrap servers of a broker (given or started here), or None for the in-process bus."""
    if environ.get("LUNCH_KAFKA", "").lower() == "bus":
        step("Kafka: the in-process bus (LUNCH_KAFKA=bus)")
        return None
    if environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        step(f"Kafka: using KAFKA_BOOTSTRAP_SERVERS={environ['KAFKA_BOOTSTRAP_SERVERS']}")
        return environ["KAFKA_BOOTSTRAP_SERVERS"]
    if shutil.which("java") is None and not environ.get("JAVA_HOME"):
        step("Kafka: no Java here, so the in-process bus carries the same events")
        return None
    step("Kafka: starting a local broker (the first time fetches its jars with Maven)…")
    try:
        kafka = services.start_kafka(state / "kafka")
    except services.ServiceStartError as error:
        first_line = str(error).splitlines()[0]
        step(f"Kafka could not start ({first_line}); using the in-process bus instead")
        return None
    step(f"Kafka started on {kafka.url} ({kafka.started_in:.1f} s)")
    return kafka.url


MINIAPP_SOURCES = ("src", "index.html", "package.json", "package-lock.json", "vite.config.ts")
SOURCE_STAMP = ".source-hash"


def miniapp_fingerprint(app: Path) -> str:
    """A hash of everything the Mini App's build reads, to tell a stale build after a pull."""
    digest = hashlib.sha256()
    for name in MINIAPP_SOURCES:
        path = app / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.relative_to(app).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def ensure_miniapp(root: Path, environ: Mapping[str, str]) -> None:
    """Build the Mini App (miniapp/dist-local, served at /) when Node.js is there and the build
    is missing or older than its sources.

    The local build carries the mock Telegram environment, so the app opens signed in as the
    demo employee in a plain browser (`?as=manager` for the manager).
    """
    app = root / "miniapp"
    stamp = app / "dist-local" / SOURCE_STAMP
    fingerprint = miniapp_fingerprint(app) if (app / "src").is_dir() else ""
    if (app / "dist-local" / "index.html").is_file() and (
        stamp.is_file() and stamp.read_text().strip() == fingerprint
    ):
        step("Mini App: miniapp/dist-local (up to date)")
        return
    if not (app / "package.json").is_file():
        step("Mini App: not in this checkout; serving the API alone")
        return
    npm = shutil.which("npm")
    if npm is None:
        step("Mini App: npm not found, serving the API alone (Node.js 20+ builds the app)")
        return
    step("Mini App: building it (npm ci, npm run build:local)…")
    environment = dict(environ) | {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    # `npm ci` installs exactly the lock file; should the lock and package.json disagree, an
    # install that neither reads nor writes the lock still gets the app built.
    for commands in (
        [[npm, "ci", *quiet], [npm, "install", "--no-package-lock", *quiet]],
        [[npm, "run", "--silent", "build:local"]],
    ):
        for command in commands:
            done = subprocess.run(
                command, cwd=app, env=environment, capture_output=True, text=True, check=False
            )
            if done.returncode == 0:
                break
        else:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            step(f"Mini App build failed at `npm {command[1]}`: " + " | ".join(tail))
            return
    stamp.write_text(fingerprint)
    step("Mini App built into miniapp/dist-local")


# ----------------------------------------------------------------------------- the system


def run_schedules(system: LocalSystem) -> None:
    """Fire the template's schedules (the same expressions, from settings) on the local clock."""
    from infra.local.events import scheduler_event
    from infra.local.schedules import Schedule

    settings = system.settings
    schedules = {
        "deadline_check": Schedule(settings.deadline_check_schedule, settings.company_timezone),
        "recommendations_batch": Schedule(
            settings.recommendations_schedule, settings.company_timezone
        ),
        "reminders_check": Schedule(settings.reminders_check_schedule, settings.company_timezone),
    }
    # What a run that found nothing to do answers: not worth a line in the console.
    idle = ({"recorded": 0, "produced": 0}, {"recorded": 0, "rounds": 0, "jobs": 0}, None)
    due = {name: s.next_after(system.clock.now()) for name, s in schedules.items()}
    while not system.stop.wait(1.0):
        now = system.clock.now()
        for name, schedule in schedules.items():
            if now < due[name] or name not in system.host.handlers:
                continue
            event = scheduler_event(name.replace("_", "-"), time=due[name])
            try:
                result = system.host.invoke(name, event).result(300)
            except Exception as error:
                result = f"failed: {error}"
            if result not in idle:
                print(f"⏰ {name} at {due[name]:%H:%M} UTC → {result}", flush=True)
            due[name] = schedule.next_after(now)


def run_consumers(system: LocalSystem) -> None:
    """Feed the consumer functions from Kafka or the bus, as event source mappings would."""
    from infra.local.bus import BusConsumer
    from infra.local.feed import Feed, Route, kafka_consumer

    routes = {
        system.settings.kafka_topic_deadlines: "notifications_consumer",
        system.settings.kafka_topic_recommendations: "recommendations_consumer",
        system.settings.kafka_topic_reminders: "reminders_consumer",
    }

    def invoker(function: str) -> Callable[[dict[str, Any]], Any]:
        async def invoke(event: dict[str, Any]) -> Any:
            return await asyncio.wrap_future(system.host.invoke(function, event))

        return invoke

    async def main() -> None:
        stop = asyncio.Event()
        feeds = []
        for topic, function in routes.items():
            if function not in system.host.handlers:
                continue
            if system.kafka_bootstrap is None:
                consumer: Any = BusConsumer(system.bus, topic)
            else:
                consumer = await kafka_consumer(system.kafka_bootstrap, topic, f"local-{function}")
            route = Route(topic, invoker(function), function)
            feeds.append(
                Feed(consumer, route, bootstrap=system.kafka_bootstrap or "in-process-bus")
            )
        tasks = [asyncio.create_task(feed.run(stop)) for feed in feeds]
        await asyncio.to_thread(system.stop.wait)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())


def print_cafe_message(message: CapturedMessage) -> None:
    rule = "─" * 60
    print(f"\n📨 to chat {message.chat_id} ({message.method})\n{rule}")
    print(message.plain_text())
    print(rule, flush=True)


def start_bot_polling(settings: Settings) -> subprocess.Popen[bytes] | None:
    """The bot by long polling, in its own process, when the polling module is there."""
    if importlib.util.find_spec("functions.telegram_webhook.polling") is None:
        step("bot polling: functions.telegram_webhook.polling is not there yet; skipped")
        return None
    environment = os.environ | {
        "ENVIRONMENT": "local",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "MINIAPP_URL": settings.miniapp_url,
    }
    step("bot: long polling Telegram with your token")
    return subprocess.Popen(
        [sys.executable, "-m", "functions.telegram_webhook.polling"], env=environment
    )


def dev_today(clock: Clock, settings: Settings) -> date:
    return clock.now().astimezone(settings.tz).date()


async def prepare(settings: Settings, clock: Clock) -> None:
    from infra.local.demo import load_demo_data, load_order_history
    from shared.kit.db import create_engine, create_sessionmaker, unit_of_work

    engine = create_engine(settings)
    sessions = create_sessionmaker(engine)
    async with unit_of_work(sessions) as session:
        loaded = await load_demo_data(session)
        placed = (
            await load_order_history(session, settings, today=dev_today(clock, settings))
            if loaded
            else 0
        )
    await engine.dispose()
    step(f"demo data loaded ({placed} past orders)" if loaded else "demo data already present")


def main() -> int:
    port = int(os.environ.get("LUNCH_PORT", "8000"))
    if not port_is_free(port):
        print(
            f"✗ Port {port} on {HOST} is taken (another `make run`?). Stop what uses it "
            f"(`lsof -i :{port}` shows it), or run on another port: LUNCH_PORT=8001 make run",
            file=sys.stderr,
        )
        return 1
    if os.environ.get("ENVIRONMENT", "local") != "local":
        print("✗ The local runner only runs with ENVIRONMENT=local", file=sys.stderr)
        return 1
    step("starting the local system")
    # aiokafka narrates topic auto-creation and group joins; the feed reports real failures.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    ensure_miniapp(services.REPO_ROOT, os.environ)
    urls = start_stores(STATE_DIR, os.environ)
    bootstrap = start_kafka(STATE_DIR, os.environ)

    token = os.environ.get("TELEGRAM_BOT_TOKEN", "")
    real_telegram = bool(token) and token != PLACEHOLDER
    capture = None
    telegram: dict[str, Any] = {}
    if not real_telegram:
        capture = local_telegram(print_cafe_message).start()
        telegram = {"telegram_bot_token": LOCAL_TOKEN, "telegram_api_base_url": capture.base_url}
        step("Telegram: no TELEGRAM_BOT_TOKEN, cafe messages are captured (console, dev page)")

    settings = Settings(
        environment="local",
        dev_login_enabled=True,
        miniapp_url=f"http://{HOST}:{port}/",
        kafka_bootstrap_servers=bootstrap or "in-process-bus",
        **urls,
        **telegram,
    )
    clock = TravellingClock()

    from shared.migrations import upgrade

    upgrade(settings.database_url)
    step("migrations applied")
    asyncio.run(prepare(settings, clock))

    bus = None
    if bootstrap is None:
        from infra.local.bus import InProcessBus

        bus = InProcessBus()
    system = LocalSystem(settings, clock, FunctionHost(), capture, bootstrap, bus)
    missing = build_functions(system)
    for name in missing:
        step(f"function not available yet: {name}")
    system.host.start()
    threading.Thread(target=run_schedules, args=(system,), name="schedules", daemon=True).start()
    threading.Thread(target=run_consumers, args=(system,), name="consumers", daemon=True).start()
    step(
        f"schedules: deadline check {settings.deadline_check_schedule}, reminders "
        f"{settings.reminders_check_schedule}, recommendations "
        f"{settings.recommendations_schedule} ({settings.company_timezone})"
    )
    polling = start_bot_polling(settings) if real_telegram else None

    import uvicorn

    from infra.local.devpage import create_local_app

    app = create_local_app(system)
    base = f"http://{HOST}:{port}"
    step(f"Mini App {base}/ · API {base}/api/v1/health · docs {base}/api/v1/docs")
    step(f"cafe messages and dev controls: {base}/dev/cafe-messages · Ctrl-C stops everything")
    if capture is not None:
        step(f"talk to the bot as a cafe, the manager or an employee: {base}/dev/telegram")
    try:
        uvicorn.run(app, host=HOST, port=port, log_level="warning")
    finally:
        system.stop.set()
        system.host.stop()
        if polling is not None:
            polling.terminate()
        if capture is not None:
            capture.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
