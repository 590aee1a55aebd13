"""A server process we start and stop, on mirakuru's executors.

mirakuru owns the process's lifecycle: starting it in its own session, waiting until it is
ready or has died, stopping it with its signal and then killing it (and any child it left),
and killing what is still running at interpreter exit. What is ours: the readiness checks,
the log files and a start-up error that quotes them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from mirakuru import Executor
from mirakuru.exceptions import ExecutorError, ProcessExitedWithError, TimeoutExpired

REPO_ROOT = Path(__file__).resolve().parents[3]
LOOPBACK = "127.0.0.1"
LOG_TAIL_LINES = 40


class ServiceStartError(RuntimeError):
    """A local service could not be prepared or started; the message has the log tail."""


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


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
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


def rotate(*logs: Path) -> None:
    """Keep the previous run's log as ``<name>.1`` so each start has a log of its own."""
    for log in logs:
        if log.exists():
            log.replace(log.with_name(log.name + ".1"))


def start_error(message: str, *logs: Path) -> ServiceStartError:
    """An error whose message carries the first errors and the last lines of each log."""
    parts = [message]
    for log in logs:
        last = tail(log)
        errors = [line for line in _first_errors(log) if line not in last]
        if errors:
            parts.append(f"--- first errors in {log} ---\n" + "\n".join(errors))
        parts.append(f"--- last lines of {log} ---\n{last}")
    return ServiceStartError("\n".join(parts))


def _dies_with_us(stop_signal: int) -> list[str]:
    """A command prefix that has Linux signal the server when the thread starting it dies.

    mirakuru kills what is left at interpreter exit; this covers a test run killed outright.
    Only from the main thread: the signal follows the *thread* that forked, so a server
    started from a worker thread would die with that thread.
    """
    setpriv = shutil.which("setpriv")
    if (
        not sys.platform.startswith("linux")
        or setpriv is None
        or threading.current_thread() is not threading.main_thread()
    ):
        return []
    return [setpriv, f"--pdeathsig={signal.Signals(stop_signal).name}", "--"]


class ServerExecutor(Executor):
    """A server that is ready when `ready()` says so; none may already answer there."""

    def __init__(self, command: Sequence[str], *, ready: Callable[[], bool], **kwargs: Any) -> None:
        super().__init__(list(command), **kwargs)
        self._ready = ready

    def pre_start_check(self) -> bool:
        return False  # every server gets a port of its own: nothing else can be there

    def after_start_check(self) -> bool:
        return self._ready()


# Every service started and not stopped yet. A started server runs until it is stopped or the
# interpreter exits, whether or not the caller keeps its handle: mirakuru kills the process
# when its executor is garbage-collected, so this list keeps them alive.
_RUNNING: list[RunningService] = []
_RUNNING_LOCK = threading.Lock()


@dataclass(eq=False)
class RunningService:
    """A server process started here.

    ``url`` is what clients use: a SQLAlchemy URL for PostgreSQL, ``redis://`` for Redis,
    ``host:port`` bootstrap servers for Kafka.
    """

    name: str
    url: str
    executor: ServerExecutor
    data_dir: Path
    log_path: Path
    port: int
    # seconds from the start_* call until the server answered (with initdb / storage format,
    # without fetching the Kafka jars)
    started_in: float = 0.0
    extra_logs: tuple[Path, ...] = ()
    _stopped: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        process = self.executor.process
        return process.pid if process is not None else -1

    def is_running(self) -> bool:
        return self.executor.running()

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(tail(p, lines) for p in (self.log_path, *self.extra_logs))

    def stop(self) -> None:
        """Ask the server to shut down cleanly; mirakuru kills it if it does not in time."""
        if self._stopped:
            return
        self._stopped = True
        with _RUNNING_LOCK:
            if self in _RUNNING:
                _RUNNING.remove(self)
        # A server may exit with a code of its own choosing on the way down: still stopped.
        with contextlib.suppress(ExecutorError):
            self.executor.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def running() -> list[RunningService]:
    """The services started here and not stopped yet, oldest first."""
    with _RUNNING_LOCK:
        return list(_RUNNING)


def launch(
    name: str,
    argv: Sequence[str],
    *,
    data_dir: Path,
    log_path: Path,
    console_log: Path,
    port: int,
    url: str,
    stop_signal: int,
    ready: Callable[[], bool],
    timeout: float,
    popen_kwargs: dict[str, Any] | None = None,
    extra_logs: tuple[Path, ...] = (),
) -> RunningService:
    """Start ``argv`` with its output in ``console_log`` and wait until ``ready()`` is true."""
    logs = tuple(dict.fromkeys((log_path, console_log, *extra_logs)))
    with console_log.open("ab") as out:
        executor = ServerExecutor(
            [*_dies_with_us(stop_signal), *argv],
            ready=ready,
            cwd=str(data_dir),
            timeout=timeout,
            stop_signal=stop_signal,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            popen_kwargs=popen_kwargs,
        )
        try:
            executor.start()
        except ProcessExitedWithError as error:
            raise start_error(
                f"{name} exited with code {error.exit_code} during start-up", *logs
            ) from None
        except TimeoutExpired:
            raise start_error(
                f"{name} did not answer on {url} within {timeout:.0f}s", *logs
            ) from None
    service = RunningService(
        name=name,
        url=url,
        executor=executor,
        data_dir=data_dir,
        log_path=log_path,
        port=port,
        extra_logs=tuple(p for p in logs if p != log_path),
    )
    with _RUNNING_LOCK:
        _RUNNING.append(service)
    return service


def package_dir(package: str, hint: str) -> Path:
    """Where an installed package lives, found without importing (running) it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ServiceStartError(f"the {package} package ({hint}) is not installed")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def with_port_retry(port: int | None, start: Callable[[int], RunningService]) -> RunningService:
    """Call ``start(port)``; with an automatically chosen port, retry once on a port race."""
    if port is not None:
        return start(port)
    try:
        return start(free_port())
    except ServiceStartError as first:
        if "in use" not in str(first):
            raise
        return start(free_port())
