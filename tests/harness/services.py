"""Pytest plugin: real PostgreSQL, Redis and Kafka for the tests.

Enable with ``pytest_plugins = ["tests.harness.services"]`` (root conftest) or
``pytest -p tests.harness.services``.

Session-scoped fixtures, each started lazily by the first test that asks for it:

* ``postgres_url``    -- ``$DATABASE_URL`` or a PostgreSQL started by the harness
  (SQLAlchemy URL ``postgresql+psycopg://postgres@127.0.0.1:PORT/lunch``);
* ``redis_url``       -- ``$REDIS_URL`` or a Redis started by the harness (``redis://...``);
* ``kafka_bootstrap`` -- ``$KAFKA_BOOTSTRAP_SERVERS`` or a Kafka broker started by the harness
  (``127.0.0.1:PORT``).

A service that cannot be started fails the tests that need it (never skips them), with the
reason and the server's log tail in the message.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from infra.local.services import (
    RunningService,
    ServiceStartError,
    start_kafka,
    start_postgres,
    start_redis,
)


@dataclass(frozen=True)
class _Spec:
    name: str
    env_var: str
    start: Callable[[Path], RunningService]


_SPECS = {
    "postgres": _Spec("postgres", "DATABASE_URL", start_postgres),
    "redis": _Spec("redis", "REDIS_URL", start_redis),
    "kafka": _Spec("kafka", "KAFKA_BOOTSTRAP_SERVERS", start_kafka),
}


@dataclass(frozen=True)
class _Used:
    name: str
    url: str
    how: str  # "configured by $VAR" or "started by the harness in N.Ns"


_used_key = pytest.StashKey[list[_Used]]()


def _masked(url: str) -> str:
    """``url`` without a password, safe to print."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


def _from_env(spec: _Spec) -> str | None:
    return os.environ.get(spec.env_var, "").strip() or None


def _provide(request: pytest.FixtureRequest, name: str) -> Iterator[str]:
    spec = _SPECS[name]
    used = request.config.stash.setdefault(_used_key, [])
    configured = _from_env(spec)
    if configured is not None:
        used.append(_Used(name, configured, f"configured by ${spec.env_var}"))
        yield configured
        return
    data_dir = Path(tempfile.mkdtemp(prefix=f"lunch-test-{name}-"))
    service: RunningService | None = None
    failure = ""
    try:
        service = spec.start(data_dir)
    except ServiceStartError as exc:
        failure = str(exc)
    except Exception as exc:
        failure = f"{type(exc).__name__}: {exc}"
    if service is None:
        shutil.rmtree(data_dir, ignore_errors=True)
        # fail, never skip: a test that needs a real server must not pass silently without one
        pytest.fail(
            f"could not start {name} for the tests (or set ${spec.env_var} to use a running "
            f"server):\n{failure}",
            pytrace=False,
        )
    used.append(_Used(name, service.url, f"started by the harness in {service.started_in:.1f}s"))
    try:
        yield service.url
    finally:
        service.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLAlchemy URL of a real PostgreSQL (``$DATABASE_URL`` or started on demand)."""
    yield from _provide(request, "postgres")


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """``redis://`` URL of a real Redis (``$REDIS_URL`` or started on demand)."""
    yield from _provide(request, "redis")


@pytest.fixture(scope="session")
def kafka_bootstrap(request: pytest.FixtureRequest) -> Iterator[str]:
    """Bootstrap servers of a real Kafka (``$KAFKA_BOOTSTRAP_SERVERS`` or started on demand)."""
    yield from _provide(request, "kafka")


def pytest_report_header(config: pytest.Config) -> list[str]:
    parts = []
    for spec in _SPECS.values():
        configured = _from_env(spec)
        if configured is not None:
            parts.append(f"{spec.name}={_masked(configured)} (${spec.env_var})")
        else:
            parts.append(f"{spec.name}=started on demand")
    return ["services: " + ", ".join(parts)]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    used = terminalreporter.config.stash.get(_used_key, [])
    if not used:
        terminalreporter.write_line("services used: none")
        return
    listed = ", ".join(f"{u.name}={_masked(u.url)} ({u.how})" for u in used)
    terminalreporter.write_line(f"services used: {listed}")
