from collections.abc import Iterator

import pytest
import redis

from shared.kit.ratelimit import KEY_PREFIX


@pytest.fixture(autouse=True)
def fresh_send_budget(redis_url: str) -> Iterator[None]:
    """Each story starts with Telegram's send windows empty, as after a quiet minute."""
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{KEY_PREFIX}:*"):
        client.delete(key)
    yield
    client.close()
