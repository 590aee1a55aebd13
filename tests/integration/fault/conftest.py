"""The fault-injection tier's own services: a PostgreSQL, a Redis and a Kafka started for this
tier alone, which its tests stall with SIGSTOP and resume with SIGCONT. The shared harness'
services are never touched."""

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from infra.local.services import RunningService, start_kafka, start_postgres, start_redis


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (PostgreSQL's backends are the postmaster's children)."""
    found = [pid]
    for parent in found:
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split() if task.exists() else []
            found.extend(int(child) for child in children if int(child) not in found)
    return found


@contextmanager
def stalled(service: RunningService) -> Iterator[None]:
    """The service's processes frozen (SIGSTOP) for the block, thawed (SIGCONT) after it."""
    pids = process_tree(service.pid)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@contextmanager
def _own(name: str, start: Callable[[Path], RunningService]) -> Iterator[RunningService]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"lunch-fault-{name}-"))
    service = start(data_dir)
    try:
        yield service
    finally:
        for pid in process_tree(service.pid):  # never leave a frozen server behind
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        service.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[RunningService]:
    with _own("postgres", start_postgres) as service:
        yield service


@pytest.fixture(scope="module")
def own_redis() -> Iterator[RunningService]:
    with _own("redis", start_redis) as service:
        yield service


@pytest.fixture(scope="module")
def own_kafka() -> Iterator[RunningService]:
    with _own("kafka", start_kafka) as service:
        yield service
