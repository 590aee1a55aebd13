"""Two people press «Привезли» at the same moment: each employee is still told once."""

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup

from shared.deliveries.service import report_arrival
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings
from shared.models import BotContact
from tests.factories import make_cafe, make_user
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
LUNCHTIME = datetime(2026, 11, 24, 12, 40, tzinfo=MSK)
GROUP = -1001234567890


class SlowTelegram:
    """Takes a while per message, so that the two presses overlap; remembers who got what."""

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()

    async def __call__(
        self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> int:
        await asyncio.sleep(0.05)
        self.sent[chat_id] += 1
        return sum(self.sent.values())


def test_two_presses_at_once_tell_each_person_once(
    db: Session, settings_factory: Callable[..., Settings]
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    people = [make_user(db, 2000 + n, f"Сотрудник {n}") for n in range(8)]
    for person in people:
        make_combo_order(db, person, menu, LUNCHTIME.date())
    db.add_all(BotContact(tgid=person.tgid, started_at=LUNCHTIME) for person in people)
    db.commit()
    telegram = SlowTelegram()

    async def two_presses() -> list[int]:
        engine = create_engine(settings_factory())
        sessions = create_sessionmaker(engine)
        try:
            outcomes = await asyncio.gather(
                *(
                    report_arrival(
                        sessions,
                        telegram,
                        cafe_id=menu.cafe.id,
                        order_date=LUNCHTIME.date(),
                        chat_id=GROUP,
                        reporter_id=presser,
                        reporter_name=f"Повар {presser}",
                        now=LUNCHTIME,
                    )
                    for presser in (555, 556)
                )
            )
        finally:
            await engine.dispose()
        return [outcome.sent for outcome in outcomes]

    sent_by_each_press = asyncio.run(two_presses())

    assert telegram.sent == Counter({person.tgid: 1 for person in people})
    assert sum(sent_by_each_press) == len(people)
