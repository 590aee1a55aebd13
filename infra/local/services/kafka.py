"""An Apache Kafka broker in KRaft combined mode (broker + controller, no ZooKeeper).

Its jars are fetched once from Maven Central with ``mvn`` (``infra/local/kafka/pom.xml`` is the
one place that names the Kafka version) into the cache directory.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from infra.local.services.process import (
    LOOPBACK,
    RunningService,
    ServiceStartError,
    cache_dir,
    free_port,
    launch,
    rotate,
    start_error,
    tail,
    with_port_retry,
)

KAFKA_DIR = Path(__file__).resolve().parents[1] / "kafka"
KAFKA_POM = KAFKA_DIR / "pom.xml"
KAFKA_LOG4J_CONFIG = KAFKA_DIR / "log4j2.xml"
_POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


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
            raise start_error(
                f"fetching the Kafka jars with Maven failed ({result.returncode})", log
            )
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
    rotate(log_path, console_log)
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
                raise start_error(
                    f"formatting Kafka storage failed ({result.returncode})", console_log
                )

        def ready() -> bool:
            return _kafka_api_versions_ok(chosen) and "Kafka Server started" in tail(log_path, 400)

        return launch(
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

    service = with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service


# --------------------------------------------------------------------------- CLI
