"""A cafe's chat receives the day's orders after the deadline: once, readable, complete."""

from collections.abc import Callable
from itertools import pairwise

from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram
from shared.kit.settings import Settings
from shared.models import DeliveryState
from tests.factories import make_cafe, make_user
from tests.integration.notifications.stories import (
    AFTER_DEADLINE,
    CHAT,
    TUESDAY,
    consume,
    consumer,
    deadline_records,
    delivery,
    make_combo_order,
)


def test_the_cafe_gets_one_message_with_every_person_and_the_totals(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given two employees' orders at a linked cafe
    menu = make_cafe(db, chat_id=CHAT)
    ivan = make_user(db, 1001, "Иван Петров")
    maria = make_user(db, 1002, "Мария Сидорова")
    make_combo_order(db, ivan, menu, TUESDAY, notes="Без лука", mors=2)
    make_combo_order(db, maria, menu, TUESDAY, borscht=1)
    db.commit()
    settings = settings_factory(fake_telegram)

    # When the deadline record arrives
    failures = consume(
        consumer(settings, AFTER_DEADLINE), deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    )

    # Then the cafe's chat has one HTML message that lists both people and the totals
    assert failures == []
    [message] = fake_telegram.sent_messages(CHAT)
    assert message.parse_mode == "HTML"
    text = message.rendered_text
    assert text.startswith("📋 Столовая №1 — Заказ на 24.11.2026")
    assert "👤 Иван Петров:\n   • Салат + Суп + Горячее\n     - Салат Цезарь (салат)" in text
    assert "Морс клюквенный ×2" in text
    assert "📝 Без лука" in text
    assert "👤 Мария Сидорова:" in text
    assert "Борщ (Большая)" in text
    assert text.endswith("Итого: 2 заказа, 1\xa0200 ₽")
    assert delivery(db, menu.cafe.id).state == DeliveryState.DELIVERED


def test_the_same_record_twice_still_gives_one_message(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given an order at a linked cafe
    menu = make_cafe(db, chat_id=CHAT)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, TUESDAY)
    db.commit()
    settings = settings_factory(fake_telegram)
    handler = consumer(settings, AFTER_DEADLINE)

    # When Kafka hands the record over twice in one batch (the copy waits for the first to
    # finish delivering, then finds it done), and then once more
    twice = deadline_records(settings, [(menu.cafe.id, TUESDAY), (menu.cafe.id, TUESDAY)])
    assert consume(handler, twice) == []
    assert consume(handler, deadline_records(settings, [(menu.cafe.id, TUESDAY)])) == []

    # Then the cafe has exactly one message
    assert len(fake_telegram.sent_messages(CHAT)) == 1
    assert delivery(db, menu.cafe.id).parts_sent == 1


def test_a_note_with_markup_arrives_as_the_employee_typed_it(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given an employee whose name and note contain HTML and an ampersand
    menu = make_cafe(db, chat_id=CHAT)
    user = make_user(db, 1001, "Том & <i>Джерри</i>")
    make_combo_order(db, user, menu, TUESDAY, notes="<b>без соли</b> & без перца")
    db.commit()
    settings = settings_factory(fake_telegram)

    # When the deadline passes
    consume(
        consumer(settings, AFTER_DEADLINE), deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    )

    # Then the cafe reads the text literally; only our own markup (names, the cook's category
    # headings) is bold
    [message] = fake_telegram.sent_messages(CHAT)
    assert "<b>без соли</b> & без перца" in message.rendered_text
    assert "Том & <i>Джерри</i>" in message.rendered_text
    bold = {
        message.rendered_text.encode("utf-16-le")[
            e["offset"] * 2 : (e["offset"] + e["length"]) * 2
        ].decode("utf-16-le")
        for e in message.entities
        if e["type"] == "bold"
    }
    assert bold == {"Столовая №1", "Том & <i>Джерри</i>", "Салат", "Суп", "Горячее"}


def test_sixty_people_are_split_into_several_messages_that_hold_everyone(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given sixty employees who each ordered with a long note
    menu = make_cafe(db, chat_id=CHAT)
    names = [f"Сотрудник {n:02d} Длиннофамильный" for n in range(60)]
    for n, name in enumerate(names):
        note = f"Пожалуйста, без лука и без чеснока, соус отдельно ({n})"
        make_combo_order(db, make_user(db, 2000 + n, name), menu, TUESDAY, notes=note, mors=1)
    db.commit()
    settings = settings_factory(fake_telegram)

    # When the deadline passes
    failures = consume(
        consumer(settings, AFTER_DEADLINE), deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    )

    # Then several numbered messages together list every person exactly once
    assert failures == []
    sent = fake_telegram.sent_messages(CHAT)
    assert len(sent) >= 2
    for n, message in enumerate(sent, start=1):
        assert len(message.rendered_text) <= 4096
        assert f"Заказ на 24.11.2026 ({n}/{len(sent)})" in message.rendered_text
    everything = "\n".join(message.rendered_text for message in sent)
    for name in names:
        assert everything.count(f"👤 {name}:") == 1
    assert sent[-1].rendered_text.endswith("Итого: 60 заказов, 30\xa0600 ₽")
    # And Telegram's one-message-a-second per chat was kept between the parts
    times = fake_telegram.send_times(CHAT)
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(times))


def test_a_day_without_orders_sends_nothing_and_a_cafe_without_chat_is_skipped(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given a linked cafe nobody ordered from, and an unlinked cafe with an order
    quiet = make_cafe(db, "Тихое кафе", chat_id=CHAT)
    unlinked = make_cafe(db, "Без чата", chat_id=None, notifications=False)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), unlinked, TUESDAY)
    muted = make_cafe(db, "Выключенное", chat_id=-100777, notifications=False)
    make_combo_order(db, make_user(db, 1002, "Мария"), muted, TUESDAY)
    db.commit()
    settings = settings_factory(fake_telegram)

    # When their deadlines pass
    pairs = [(quiet.cafe.id, TUESDAY), (unlinked.cafe.id, TUESDAY), (muted.cafe.id, TUESDAY)]
    assert consume(consumer(settings, AFTER_DEADLINE), deadline_records(settings, pairs)) == []

    # Then nothing is sent, and each is recorded as skipped with why
    assert fake_telegram.sent_messages() == []
    assert (delivery(db, quiet.cafe.id).state, delivery(db, quiet.cafe.id).reason) == (
        DeliveryState.SKIPPED,
        "no orders",
    )
    assert delivery(db, unlinked.cafe.id).reason == "no linked chat"
    assert delivery(db, muted.cafe.id).reason == "notifications disabled"
