"""The Redis client (redis.asyncio), configured from settings: one per process."""

from redis.asyncio import Redis

from shared.kit.settings import Settings


def create_redis(settings: Settings) -> Redis:
    """A client on `REDIS_URL` that answers `str` (not bytes); connections open lazily."""
    return Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        # A Redis that stops answering fails a call within this, never hangs it.
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=30,
    )
