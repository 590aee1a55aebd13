"""Telegram's flood control, as the fake applies it when asked to."""

from __future__ import annotations

import math
from collections import deque

from infra.local.fakes.telegram.protocol import ChatKey


class _RateLimiter:
    """Sliding windows: overall per second, per chat per second, per group per minute."""

    def __init__(
        self,
        per_second: int | None,
        per_chat_per_second: int | None,
        per_group_per_minute: int | None,
    ) -> None:
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.per_group_per_minute = per_group_per_minute
        self._all: deque[float] = deque()
        self._chat: dict[ChatKey, deque[float]] = {}
        self._group: dict[ChatKey, deque[float]] = {}

    @staticmethod
    def _wait(hits: deque[float], limit: int | None, window: float, now: float) -> float:
        while hits and hits[0] <= now - window:
            hits.popleft()
        if limit is None or len(hits) < limit:
            return 0.0
        return hits[0] + window - now

    def acquire(self, chat: ChatKey, is_group: bool, now: float) -> int | None:
        """Take a slot, or return the ``retry_after`` seconds Telegram would answer."""
        chat_hits = self._chat.setdefault(chat, deque())
        group_hits = self._group.setdefault(chat, deque())
        waits = [
            self._wait(self._all, self.per_second, 1.0, now),
            self._wait(chat_hits, self.per_chat_per_second, 1.0, now),
        ]
        if is_group:
            waits.append(self._wait(group_hits, self.per_group_per_minute, 60.0, now))
        longest = max(waits)
        if longest > 0:
            return max(1, math.ceil(longest))
        self._all.append(now)
        chat_hits.append(now)
        if is_group:
            group_hits.append(now)
        return None
