"""Pytest plugin with the fake Gemini's fixture (listed in the root conftest's plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.gemini import FakeGemini


@pytest.fixture
def fake_gemini() -> Iterator[FakeGemini]:
    """A started :class:`~tests.fakes.gemini.FakeGemini` accepting any key, stopped after the test.

    Point google-genai at ``fake_gemini.base_url`` (``GEMINI_API_BASE_URL``); set
    ``fake_gemini.keys`` to make every other key ``API_KEY_INVALID``.
    """
    with FakeGemini() as fake:
        yield fake
        errors = list(fake.server_errors)
    if errors:
        raise AssertionError(f"the fake Gemini server failed: {errors!r}") from errors[0]
