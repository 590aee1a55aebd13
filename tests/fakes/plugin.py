"""Pytest plugin with the fakes' fixtures; list ``"tests.fakes.plugin"`` in ``pytest_plugins``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.fakes.telegram import FakeTelegram


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A started :class:`~infra.local.fakes.telegram.FakeTelegram`, stopped after the test.

    Point the code under test at ``fake_telegram.base_url`` (PTB's ``Bot(base_url=...)``)
    with ``fake_telegram.token``.
    """
    with FakeTelegram() as fake:
        yield fake
        errors = list(fake.server_errors)
    if errors:
        raise AssertionError(f"the fake Telegram server failed: {errors!r}") from errors[0]
