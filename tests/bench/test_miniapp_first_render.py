"""How fast the Mini App's first screen appears on the local stack (printed, not asserted).

Budget: the home screen with real content within 1 s of navigation. Measured from the
navigation start to the first cafe row on the home screen (sign-in and data included).
"""

import statistics

import pytest

from infra.local.demo import EMPLOYEE_TGID
from tests.e2e.miniapp.conftest import (  # noqa: F401 (fixtures)
    Telegram,
    browser,
    built_miniapp,
    live_app,
    miniapp_build,
    playwright,
    telegram,
)

pytestmark = pytest.mark.bench

RUNS = 5


def test_first_screen_render_time(telegram: Telegram) -> None:  # noqa: F811
    timings = []
    for _ in range(RUNS):
        page = telegram.open(EMPLOYEE_TGID, "Иван Петров")
        page.wait_for_selector("[data-testid^='slot-']")
        timings.append(page.evaluate("performance.now()"))
        page.context.close()
    print(
        f"\nMini App first screen: median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms over {RUNS} cold loads (budget 1000 ms)"
    )
