"""Lambda SnapStart runtime hooks, kept in one registry the tests can run as Lambda would.

With SnapStart, Lambda runs a function's init once when a version is published, snapshots the
memory and starts later containers from that snapshot. What init left behind is then shared by
every container and may be hours old: open sockets (database pool, Redis, Kafka, Telegram's
HTTP pool) point at connections the network forgot, and random generators seeded at init would
hand every container the same sequence. So before the snapshot the clients close their
connections, and after a restore the random state is reseeded; the clients reconnect on first
use, as they do in a fresh container.

Lambda's Python runtimes ship `snapshot_restore_py`, which runs HOOKS; outside Lambda it is
absent and nothing runs them. Each handler module registers its module-level handler's clients
in HOOKS; handlers built elsewhere (tests, the local runner) register nothing unless given a
registry, so the registry never keeps their clients alive. Tests give their own and run
`before_snapshot()` and `after_restore()` as Lambda would.
"""

import os
import random
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from shared.kit import runtime

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncEngine
    from telegram import Bot

    from shared.kit.kafka import EventProducer

Hook = Callable[[], None]


class Hooks:
    """Hooks in Lambda's order: before the snapshot the last registered runs first."""

    def __init__(self) -> None:
        self._before: list[Hook] = []
        self._after: list[Hook] = []

    def on_snapshot(self, hook: Hook) -> Hook:
        self._before.append(hook)
        return hook

    def on_restore(self, hook: Hook) -> Hook:
        self._after.append(hook)
        return hook

    def before_snapshot(self) -> None:
        for hook in reversed(self._before):
            hook()

    def after_restore(self) -> None:
        for hook in self._after:
            hook()


def new_hooks() -> Hooks:
    """A registry that reseeds randomness after a restore, as every function needs."""
    hooks = Hooks()
    hooks.on_restore(reseed)
    return hooks


def _run_before_snapshot() -> None:
    HOOKS.before_snapshot()


def _run_after_restore() -> None:
    HOOKS.after_restore()


def reseed() -> None:
    """Fresh randomness after a restore: every container would otherwise repeat the snapshot's.

    `secrets` and `uuid.uuid4` read the OS (os.urandom), which Lambda makes unique per restore;
    the `random` module keeps its own state, seeded at import.
    """
    random.seed(os.urandom(32))


def _install() -> None:
    try:
        from snapshot_restore_py import (  # type: ignore[import-not-found]  # Lambda only
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:
        return  # Not in Lambda: the tests run HOOKS themselves.
    # Two trampolines, so what handlers register later still runs, in HOOKS' order.
    register_before_snapshot(_run_before_snapshot)
    register_after_restore(_run_after_restore)


HOOKS = new_hooks()
_install()


def release_before_snapshot(
    hooks: Hooks,
    *,
    engine: "AsyncEngine | None" = None,
    redis: "Redis | None" = None,
    producer: "EventProducer | None" = None,
    bot: "Bot | None" = None,
) -> None:
    """Close these clients' connections before the snapshot; each reconnects on its next use."""
    closers: list[Callable[[], Coroutine[Any, Any, None]]] = []
    if engine is not None:
        closers.append(engine.dispose)
    if redis is not None:
        closers.append(redis.connection_pool.disconnect)
    if producer is not None:
        closers.append(producer.close)
    if bot is not None:
        closers.append(lambda: renew_http_pool(bot))

    async def release() -> None:
        for close in closers:
            await close()

    hooks.on_snapshot(lambda: runtime.run(release()))


async def renew_http_pool(bot: "Bot") -> None:
    """Swap the bot's HTTP pool for an empty one; the bot stays usable."""
    # A fresh, empty HTTP pool: shutdown() closes the old one, initialize() only builds a new
    # client (no request to Telegram), so the bot stays usable and connects on its next call.
    await bot.request.shutdown()
    await bot.request.initialize()
