"""`make run`: the whole system on one machine, on embedded defaults.

Starts PostgreSQL and Redis from pip-installed packages (unless DATABASE_URL / REDIS_URL are
given), applies the migrations, loads demo data into an empty database and serves the API on
http://127.0.0.1:8000. Refuses to run with ENVIRONMENT other than local.
"""

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

import uvicorn

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import SystemClock
from shared.kit.db import create_engine, create_sessionmaker, unit_of_work
from shared.kit.settings import Settings
from shared.local import services
from shared.local.demo import load_demo_data
from shared.migrations import upgrade

HOST = "127.0.0.1"
PORT = int(os.environ.get("LUNCH_PORT", "8000"))
STATE_DIR = services.REPO_ROOT / ".local"


def step(message: str) -> None:
    print(f"▸ {message}", flush=True)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def start_stores(state: Path) -> dict[str, str]:
    """URLs of PostgreSQL and Redis: given ones, or servers started here."""
    urls: dict[str, str] = {}
    if os.environ.get("DATABASE_URL"):
        urls["database_url"] = os.environ["DATABASE_URL"]
        step("PostgreSQL: using DATABASE_URL")
    else:
        began = time.monotonic()
        postgres = services.start_postgres(state / "postgres")
        urls["database_url"] = postgres.url
        step(f"PostgreSQL started on {postgres.url} ({time.monotonic() - began:.1f} s)")
    if os.environ.get("REDIS_URL"):
        urls["redis_url"] = os.environ["REDIS_URL"]
        step("Redis: using REDIS_URL")
    else:
        redis = services.start_redis(state / "redis")
        urls["redis_url"] = redis.url
        step(f"Redis started on {redis.url}")
    return urls


async def prepare(settings: Settings) -> None:
    sessions = create_sessionmaker(create_engine(settings))
    async with unit_of_work(sessions) as session:
        loaded = await load_demo_data(session)
    step("demo data loaded" if loaded else "demo data already present")


def main() -> int:
    if not port_is_free(PORT):
        print(
            f"✗ Port {PORT} on {HOST} is taken: stop what uses it, or run with LUNCH_PORT=8001.",
            file=sys.stderr,
        )
        return 1
    step("starting the local system")
    urls = start_stores(STATE_DIR)
    settings = Settings(environment="local", **urls)  # type: ignore[arg-type]
    if settings.environment != "local":
        print("✗ The local runner only runs with ENVIRONMENT=local", file=sys.stderr)
        return 1
    upgrade(settings.database_url)
    step("migrations applied")
    asyncio.run(prepare(settings))
    app = create_app(
        AppContext(
            settings=settings,
            sessions=create_sessionmaker(create_engine(settings)),
            clock=SystemClock(),
        )
    )
    step(f"API on http://{HOST}:{PORT}/api/v1/health · docs http://{HOST}:{PORT}/api/v1/docs")
    uvicorn.run(app, host=HOST, port=PORT, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
