"""``python -m infra.local.services``: fetch the Kafka jars, or run the three servers.

python -m infra.local.services fetch-kafka   # pre-fetch the Kafka jars, print where
python -m infra.local.services up            # start all three, print URLs, wait for Ctrl-C
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from infra.local.services import (
    RunningService,
    ServiceStartError,
    cache_dir,
    fetch_kafka,
    kafka_version,
    start_kafka,
    start_postgres,
    start_redis,
)


def _up(data_dir: Path, only: Sequence[str]) -> int:
    starters: dict[str, tuple[str, Callable[[Path], RunningService]]] = {
        "postgres": ("DATABASE_URL", start_postgres),
        "redis": ("REDIS_URL", start_redis),
        "kafka": ("KAFKA_BOOTSTRAP_SERVERS", start_kafka),
    }
    services: list[RunningService] = []
    try:
        for name in only:
            env_name, starter = starters[name]
            service = starter(data_dir / name)
            services.append(service)
            print(
                f"{env_name}={service.url}  # {name} pid {service.pid}, "
                f"started in {service.started_in:.1f}s, log {service.log_path}",
                flush=True,
            )
        print("Services are up; Ctrl-C stops them.", flush=True)
        # also when started where SIGINT is ignored (e.g. in the background of a script)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(s.is_running() for s in services):
            time.sleep(0.5)
        dead = [s for s in services if not s.is_running()]
        for service in dead:
            print(f"{service.name} exited:\n{service.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except ServiceStartError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        for service in reversed(services):
            service.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local.services",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fetch-kafka", help="fetch the Kafka jars into the cache, print the dir")
    up = commands.add_parser("up", help="start the services, print their URLs, wait for Ctrl-C")
    up.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the servers keep their data (default: <cache>/local-services)",
    )
    up.add_argument(
        "--only",
        default="postgres,redis,kafka",
        help="comma-separated subset of postgres,redis,kafka",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch-kafka":
            started = time.monotonic()
            libs = fetch_kafka()
            print(f"Kafka {kafka_version()} jars: {libs} ({time.monotonic() - started:.1f}s)")
            return 0
        only = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(only) - {"postgres", "redis", "kafka"})
        if unknown:
            parser.error(f"unknown service(s): {', '.join(unknown)}")
        data_dir: Path = args.data_dir or cache_dir() / "local-services"
        return _up(data_dir, only)
    except ServiceStartError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
