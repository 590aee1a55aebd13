"""Real Redis (a database of its own, emptied per test) and the fake Gemini for the key pool."""

from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis.asyncio import Redis

from shared.kit.clock import Clock
from shared.kit.settings import Settings
from shared.recommendations.gemini import GeminiAdvisor
from shared.recommendations.keypool import KeyPool
from tests.fakes.gemini import FakeGemini

# The pool's keys (gemini:*) are global names: keep these tests in a Redis database of their own.
POOL_DB = 9

KEY_A = "AIzaSyA-test-key-from-project-alpha-000001"
KEY_B = "AIzaSyB-test-key-from-project-bravo-000002"
KEY_C = "AIzaSyC-test-key-from-project-charlie-0003"


def with_db(url: str, db: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


@pytest.fixture
def pool_redis_url(redis_url: str) -> str:
    return with_db(redis_url, POOL_DB)


@pytest.fixture
async def redis(pool_redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(pool_redis_url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def gemini_settings(fake_gemini: FakeGemini, pool_redis_url: str) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        redis_url=pool_redis_url,
        gemini_api_base_url=fake_gemini.base_url,
        gemini_timeout_seconds=1.0,
        gemini_max_attempts=3,
        gemini_backoff_seconds=0.1,
        gemini_rate_limit_cooldown_seconds=30,
    )


Advisors = Callable[..., GeminiAdvisor]


@pytest.fixture
def advisor_for(redis: Redis, gemini_settings: Settings, clock: Clock) -> Advisors:
    """A Gemini advisor over a pool of `keys` with `limit` requests per key per day."""

    def make(keys: list[str], limit: int, *, client: Redis | None = None) -> GeminiAdvisor:
        pool = KeyPool(client or redis, keys, max_requests_per_key=limit, clock=clock)
        return GeminiAdvisor(pool, gemini_settings)

    return make
