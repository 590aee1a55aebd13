"""Telegram's send budget is shared through Redis: however many consumers ask at once, the
slots they get never exceed the limits."""

import asyncio
import time
from itertools import pairwise

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from shared.kit.ratelimit import KEY_PREFIX, TelegramRateLimiter


@pytest.fixture(autouse=True)
async def fresh_windows(redis_url: str) -> None:
    # One Redis serves the whole run: a test starts with no slot left by the one before.
    redis = Redis.from_url(redis_url)
    try:
        if keys := [key async for key in redis.scan_iter(match=f"{KEY_PREFIX}:*")]:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


def limiter(redis_url: str, *, margin: float = 0.05, **limits: int) -> TelegramRateLimiter:
    values = {"per_second": 30, "per_chat_per_second": 1, "per_group_per_minute": 20} | limits
    return TelegramRateLimiter(
        Redis.from_url(redis_url),
        margin=margin,
        per_second=values["per_second"],
        per_chat_per_second=values["per_chat_per_second"],
        per_group_per_minute=values["per_group_per_minute"],
    )


async def test_a_second_message_to_the_same_chat_waits_about_a_second(redis_url: str) -> None:
    shared = limiter(redis_url, margin=0.0)

    assert await shared.try_acquire(4242) == 0
    wait = await shared.try_acquire(4242)

    assert 0.9 < wait <= 1.0
    assert await shared.try_acquire(4343) == 0  # another chat is not held up


async def test_a_group_gets_twenty_messages_a_minute(redis_url: str) -> None:
    shared = limiter(redis_url, margin=0.0, per_chat_per_second=100)
    granted = [await shared.try_acquire(-100777) for _ in range(21)]

    assert granted[:20] == [0] * 20
    assert 59 < granted[20] <= 60


async def test_consumers_asking_at_once_share_the_overall_budget(redis_url: str) -> None:
    # Given four consumers with their own Redis connections and a budget of 10 a second
    consumers = [limiter(redis_url, per_second=10) for _ in range(4)]
    granted: list[float] = []

    async def send_to(consumer: TelegramRateLimiter, chat_id: int) -> None:
        await consumer.acquire(chat_id)
        granted.append(time.monotonic())

    # When they send 25 messages to 25 chats as fast as they are let
    started = time.monotonic()
    await asyncio.gather(*(send_to(consumers[n % 4], 900_000 + n) for n in range(25)))

    # Then no second ever held more than 10, and all went out in about 2 s, not much more
    granted.sort()
    assert max(sum(1 for t in granted if start <= t < start + 1.0) for start in granted) <= 10
    assert 2.0 <= granted[-1] - started < 3.5


async def test_one_chat_gets_one_message_a_second_from_any_number_of_consumers(
    redis_url: str,
) -> None:
    consumers = [limiter(redis_url) for _ in range(3)]
    granted: list[float] = []

    async def send(consumer: TelegramRateLimiter) -> None:
        await consumer.acquire(5151)
        granted.append(time.monotonic())

    await asyncio.gather(*(send(consumer) for consumer in consumers))

    granted.sort()
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(granted))


async def test_spread_slots_are_apart_and_still_thirty_a_window(redis_url: str) -> None:
    # Given the consumers' limiter, which spreads the overall slots, shared by three consumers
    consumers = [
        TelegramRateLimiter(
            Redis.from_url(redis_url),
            per_second=30,
            per_chat_per_second=1,
            per_group_per_minute=20,
            spread=True,
        )
        for _ in range(3)
    ]
    granted: list[float] = []

    async def send_to(consumer: TelegramRateLimiter, chat_id: int) -> None:
        await consumer.acquire(chat_id)
        granted.append(time.monotonic())

    # When 45 messages to 45 chats are sent as fast as they are let
    await asyncio.gather(*(send_to(consumers[n % 3], 910_000 + n) for n in range(45)))

    # Then the first thirty went out over about half a second rather than at once, and the rest
    # only after the window
    granted.sort()
    assert 0.4 <= granted[29] - granted[0] < 1.0
    assert granted[30] - granted[0] >= 1.0


async def test_a_held_slot_counts_from_its_answer_not_its_grant(redis_url: str) -> None:
    # Given a budget of 2 a second, and two sends whose answers take 0.3 s
    shared = limiter(redis_url, per_second=2)
    entered: list[float] = []
    answered: list[float] = []

    async def send_to(chat_id: int, travel: float) -> None:
        async with shared.sending(chat_id):
            entered.append(time.monotonic())
            await asyncio.sleep(travel)
        answered.append(time.monotonic())

    # When a third send asks while both are on their way
    await asyncio.gather(send_to(920_001, 0.3), send_to(920_002, 0.3))
    await send_to(920_003, 0.0)

    # Then it goes a second after the first answer, not a second after the first grant
    assert entered[2] - min(answered) >= 0.99
    assert entered[2] - entered[0] >= 1.25


async def test_a_held_slot_never_lets_more_than_the_limit_arrive_in_a_second(
    redis_url: str,
) -> None:
    # Given three consumers at 10 a second whose requests reach "Telegram" after a random delay
    consumers = [limiter(redis_url, per_second=10) for _ in range(3)]
    arrived: list[float] = []
    delays = [0.0, 0.12, 0.03, 0.2, 0.07]

    async def send_to(n: int) -> None:
        async with consumers[n % 3].sending(930_000 + n):
            await asyncio.sleep(delays[n % len(delays)])
            arrived.append(time.monotonic())  # counted here, as Telegram counts arrivals
            await asyncio.sleep(0.01)  # the answer travelling back

    # When 35 messages go as fast as they are let
    await asyncio.gather(*(send_to(n) for n in range(35)))

    # Then no second of arrivals ever held more than 10, however late each one travelled
    arrived.sort()
    assert max(sum(1 for t in arrived if start <= t < start + 1.0) for start in arrived) <= 10


async def test_a_slot_that_cannot_be_settled_does_not_fail_an_accepted_send(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a limiter whose Redis goes away while the message is on its way
    shared = limiter(redis_url, per_second=2)

    async def unreachable(**_: object) -> None:
        raise RedisConnectionError("Redis went away")

    monkeypatch.setattr(shared, "_settle", unreachable)

    # When the send is answered, the body's result stands (a raise would resend the message)
    async with shared.sending(940_001):
        accepted = True
    assert accepted

    # Then the slot stays held: it still counts against the overall window
    assert await shared.try_acquire(940_002) == 0
    assert await Redis.from_url(redis_url).zcard(f"{KEY_PREFIX}:all") == 2
