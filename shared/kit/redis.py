"""The Redis client (redis.asyncio), configured from settings: one per process."""

from redis.asyncio import Redis

from shared.kit.settings import Settings


def create_redis(settings: Settings) -> Redis:
    """A client on `REDIS_URL` that answers `str` (not bytes); connections open lazily."""
    return Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_timeout=5,
        socket_connect_timeout=5,
        health_check_interval=30,
    )
