"""The local system's core: a clock the dev page can move, and one thread that plays every
Lambda container, calling the real handlers with AWS-shaped events one at a time."""

from __future__ import annotations

import concurrent.futures
import importlib
import inspect
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from infra.local.events import lambda_context, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.settings import Settings

type Handler = Callable[[dict[str, Any], Any], Any]

# Every function the runner hosts; `api` serves the Mini App and the API through Mangum, as
# API Gateway's integration does, and `telegram_webhook` the bot's updates (the dev page's chats).
FUNCTIONS = (
    "api",
    "deadline_check",
    "notifications_consumer",
    "recommendations_batch",
    "recommendations_consumer",
    "reminders_check",
    "reminders_consumer",
    "telegram_webhook",
)


class TravellingClock:
    """The system clock plus an offset the dev page can move: "pass the deadline now"."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def travel_to(self, instant: datetime) -> None:
        self._offset = max(timedelta(0), instant - datetime.now(UTC))

    def reset(self) -> None:
        self._offset = timedelta(0)

    @property
    def offset(self) -> timedelta:
        return self._offset


@dataclass
class _Invocation:
    function: str
    event: dict[str, Any]
    done: concurrent.futures.Future[Any] = field(default_factory=concurrent.futures.Future)


class FunctionHost:
    """One thread that plays every Lambda container: invocations run one at a time on the
    process's event loop (shared.kit.runtime), as in Lambda."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self._queue: queue.Queue[_Invocation | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="functions", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)

    def invoke(self, function: str, event: dict[str, Any]) -> concurrent.futures.Future[Any]:
        invocation = _Invocation(function, event)
        self._queue.put(invocation)
        return invocation.done

    def _work(self) -> None:
        while (invocation := self._queue.get()) is not None:
            handler = self.handlers.get(invocation.function)
            if handler is None:
                invocation.done.set_exception(LookupError(f"no function {invocation.function}"))
                continue
            try:
                result = handler(invocation.event, lambda_context(invocation.function))
            except Exception as error:
                print(f"✗ {invocation.function} failed: {type(error).__name__}: {error}")
                invocation.done.set_exception(error)
            else:
                invocation.done.set_result(result)


@dataclass
class LocalSystem:
    settings: Settings
    clock: TravellingClock
    host: FunctionHost
    capture: FakeTelegram | None
    kafka_bootstrap: str | None
    bus: Any = None
    stop: threading.Event = field(default_factory=threading.Event)
    schedule_log: list[str] = field(default_factory=list)

    def run_function(self, function: str, event: dict[str, Any], timeout: float = 120) -> Any:
        return self.host.invoke(function, event).result(timeout)

    def run_deadline_check(self) -> Any:
        event = scheduler_event("deadline-check", time=self.clock.now())
        return self.run_function("deadline_check", event)

    def run_recommendations_batch(self) -> Any:
        event = scheduler_event("recommendations-batch", time=self.clock.now())
        return self.run_function("recommendations_batch", event)


def build_functions(system: LocalSystem) -> list[str]:
    """Build each function's handler with the local settings and clock; names that failed."""
    settings, clock = system.settings, system.clock
    producer: Any = None
    if system.bus is not None:
        from infra.local.bus import BusProducer

        producer = BusProducer(settings, system.bus)
    missing: list[str] = []
    for function in FUNCTIONS:
        try:
            module = importlib.import_module(f"functions.{function}.handler")
        except ImportError as error:
            missing.append(f"{function} ({error})")
            continue
        build = module.build_handler
        if producer is not None and "producer" in inspect.signature(build).parameters:
            system.host.handlers[function] = build(settings, clock, producer=producer)
        else:
            system.host.handlers[function] = build(settings, clock)
    return missing
