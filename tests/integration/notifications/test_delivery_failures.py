"""When Telegram says no: flood control is waited out, refusals end visibly in the dead letters."""

import json
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from infra.local.events import KafkaRecordSpec, msk_event
from infra.local.fakes.telegram import BOT_KICKED_SUPERGROUP, FakeTelegram
from shared.kit.settings import Settings
from shared.models import Cafe, DeliveryState
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic
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


def test_a_chat_that_removed_the_bot_ends_in_the_dead_letters_with_its_reason(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given an order at a cafe whose group has kicked the bot
    menu = make_cafe(db, chat_id=CHAT)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, TUESDAY)
    db.commit()
    fake_telegram.block_chat(CHAT)
    settings = settings_factory(fake_telegram)
    handler = consumer(settings, AFTER_DEADLINE)

    # When the deadline record arrives, and arrives again
    record = deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    assert consume(handler, record) == []
    assert consume(handler, record) == []

    # Then it is dead-lettered once, at once, with Telegram's reason
    [letter] = read_topic(kafka_bootstrap, settings.kafka_topic_dead_letters, expect=1)
    body = json.loads(letter.value)
    assert letter.key == str(menu.cafe.id).encode()
    assert body["type"] == "notification.failed"
    assert (body["cafe_id"], body["date"], body["attempts"]) == (menu.cafe.id, "2026-11-24", 1)
    assert body["reason"] == BOT_KICKED_SUPERGROUP
    assert body["source"]["topic"] == settings.kafka_topic_deadlines
    # And the managers can see that the cafe's chat is unreachable
    failed = delivery(db, menu.cafe.id)
    assert failed.state == DeliveryState.FAILED
    assert failed.dead_lettered_at is not None
    assert "kicked" in (db.get(Cafe, menu.cafe.id) or menu.cafe).chat_unreachable_reason  # type: ignore[operator]


def test_telegram_failing_again_and_again_is_retried_then_dead_lettered(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given an order, and a Telegram that answers 502 to everything
    menu = make_cafe(db, chat_id=CHAT)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, TUESDAY)
    db.commit()
    fake_telegram.fail_next("sendMessage", 502, times=None)
    settings = settings_factory(
        fake_telegram, notification_max_attempts=3, notification_retry_backoff_seconds=0.01
    )
    handler = consumer(settings, AFTER_DEADLINE)
    record = deadline_records(settings, [(menu.cafe.id, TUESDAY)])

    # When the ESM keeps handing back the record the consumer reported as failed
    rounds = [consume(handler, record) for _ in range(3)]

    # Then the first two tries ask for a retry, the third gives up into the dead letters
    assert [len(failures) for failures in rounds] == [1, 1, 0]
    [letter] = read_topic(kafka_bootstrap, settings.kafka_topic_dead_letters, expect=1)
    body = json.loads(letter.value)
    assert body["attempts"] == 3
    assert "Bad Gateway" in body["reason"]
    assert delivery(db, menu.cafe.id).state == DeliveryState.FAILED
    assert fake_telegram.sent_messages() == []


def test_a_failure_half_way_through_a_split_message_resumes_with_the_next_part(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given sixty orders (several messages) and Telegram failing the second part once
    menu = make_cafe(db, chat_id=CHAT)
    for n in range(60):
        user = make_user(db, 2000 + n, f"Сотрудник {n:02d} Длиннофамильный")
        make_combo_order(db, user, menu, TUESDAY, notes="Соус отдельно, пожалуйста " * 2, mors=1)
    db.commit()
    settings = settings_factory(fake_telegram, notification_retry_backoff_seconds=0.01)
    handler = consumer(settings, AFTER_DEADLINE)
    record = deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    fake_telegram.delay_next("sendMessage", 0, times=1)  # the first part goes through
    fake_telegram.fail_next("sendMessage", 500, times=1)  # the second does not

    # When the first try stops after one part and the record comes back
    assert len(consume(handler, record)) == 1
    assert len(fake_telegram.sent_messages(CHAT)) == 1
    assert consume(handler, record) == []

    # Then every part arrived exactly once, in order
    sent = fake_telegram.sent_messages(CHAT)
    total = delivery(db, menu.cafe.id).parts_total
    assert total >= 2
    assert len(sent) == total
    assert [m.rendered_text.split("\n")[0][-5:] for m in sent] == [
        f"({n}/{total})"[-5:] for n in range(1, total + 1)
    ]
    assert delivery(db, menu.cafe.id).attempts == 2


def test_a_storm_of_429_answers_is_waited_out_and_every_message_arrives(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given five cafes with orders and a Telegram in flood control for a while
    cafes = [make_cafe(db, f"Кафе {n}", chat_id=-100500 - n) for n in range(5)]
    for n, menu in enumerate(cafes):
        make_combo_order(db, make_user(db, 3000 + n, f"Гость {n}"), menu, TUESDAY)
    db.commit()
    fake_telegram.enforce_rate_limits()
    fake_telegram.fail_next("sendMessage", 429, retry_after=1, times=6)
    settings = settings_factory(fake_telegram)

    # When all five deadlines pass in one batch
    pairs = [(menu.cafe.id, TUESDAY) for menu in cafes]
    assert consume(consumer(settings, AFTER_DEADLINE), deadline_records(settings, pairs)) == []

    # Then every cafe got its message, and Telegram only refused what the storm refused
    assert len(fake_telegram.sent_messages()) == 5
    assert {m.chat_id for m in fake_telegram.sent_messages()} == {
        menu.cafe.tg_chat_id for menu in cafes
    }
    refused = [r for r in fake_telegram.requests("sendMessage") if r.status == 429]
    assert len(refused) == 6


def test_the_pace_stays_within_the_limits_when_many_cafes_close_at_once(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given twenty-five cafes and a bot allowed ten messages a second, enforced by Telegram
    cafes = [make_cafe(db, f"Кафе {n}", chat_id=-100600 - n) for n in range(25)]
    for n, menu in enumerate(cafes):
        make_combo_order(db, make_user(db, 4000 + n, f"Гость {n}"), menu, TUESDAY)
    db.commit()
    fake_telegram.enforce_rate_limits(per_second=10)
    settings = settings_factory(fake_telegram, telegram_messages_per_second=10)
    handler = consumer(settings, AFTER_DEADLINE)

    # When two consumers take half of the records each
    pairs = [(menu.cafe.id, TUESDAY) for menu in cafes]
    assert consume(handler, deadline_records(settings, pairs[:12])) == []
    assert consume(handler, deadline_records(settings, pairs[12:], first_offset=12)) == []

    # Then every message arrived without Telegram ever having to slow the bot down
    assert len(fake_telegram.sent_messages()) == 25
    assert [r for r in fake_telegram.requests("sendMessage") if r.status == 429] == []
    times = fake_telegram.send_times()
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 10


def test_a_record_nobody_can_read_is_dead_lettered_not_retried_forever(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    settings = settings_factory(fake_telegram)
    event = msk_event([KafkaRecordSpec(topic=settings.kafka_topic_deadlines, value="{oops")])

    assert consume(consumer(settings, AFTER_DEADLINE), event) == []

    [letter] = read_topic(kafka_bootstrap, settings.kafka_topic_dead_letters, expect=1)
    assert json.loads(letter.value)["value"] == "{oops"


def test_a_chat_in_flood_control_waits_without_holding_up_other_cafes(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given four cafes, a consumer with one delivery slot (a pool of one connection and its
    # overflow, one kept for reading ahead), and Telegram asking the first two chats to wait
    # two seconds
    cafes = [make_cafe(db, f"Кафе {n}", chat_id=-100700 - n) for n in range(4)]
    for n, menu in enumerate(cafes):
        make_combo_order(db, make_user(db, 5000 + n, f"Гость {n}"), menu, TUESDAY)
    db.commit()
    refused = [menu.cafe.tg_chat_id for menu in cafes[:2]]
    for chat_id in refused:
        fake_telegram.fail_next("sendMessage", 429, retry_after=2, chat_id=chat_id)
    settings = settings_factory(fake_telegram, database_pool_size=1)

    # When the four deadlines pass in one batch
    pairs = [(menu.cafe.id, TUESDAY) for menu in cafes]
    assert consume(consumer(settings, AFTER_DEADLINE), deadline_records(settings, pairs)) == []

    # Then the other two cafes were served while both refused chats waited
    sent = fake_telegram.sent_messages()
    assert len(sent) == 4
    assert {m.chat_id for m in sent} == {menu.cafe.tg_chat_id for menu in cafes}
    first_retry = min(m.at for m in sent if m.chat_id in refused)
    assert all(m.at < first_retry for m in sent if m.chat_id not in refused)
    # And each refused chat got nothing before its wait was out, and counts one attempt
    requests = fake_telegram.requests("sendMessage")
    for chat_id in refused:
        asked = [r.at for r in requests if r.chat_id == chat_id]
        assert len(asked) == 2
        assert asked[1] - asked[0] >= 2 - 0.05
    assert [delivery(db, menu.cafe.id).attempts for menu in cafes] == [1, 1, 1, 1]
    # And no pooled connection still holds a delivery's lock
    assert db.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0


def test_a_group_that_became_a_supergroup_gets_its_message_at_the_new_id(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    # Given an order at a cafe whose group Telegram has just upgraded to a supergroup
    menu = make_cafe(db, chat_id=-4001)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, TUESDAY)
    db.commit()
    supergroup = -1004001
    fake_telegram.fail_next(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=-4001,
        parameters={"migrate_to_chat_id": supergroup},
    )
    settings = settings_factory(fake_telegram)

    # When the deadline record arrives
    records = deadline_records(settings, [(menu.cafe.id, TUESDAY)])
    assert consume(consumer(settings, AFTER_DEADLINE), records) == []

    # Then the message went to the supergroup, and the cafe and its delivery follow the chat
    [message] = fake_telegram.sent_messages()
    assert message.chat_id == supergroup
    done = delivery(db, menu.cafe.id)
    assert (done.state, done.chat_id, done.attempts) == (DeliveryState.DELIVERED, supergroup, 1)
    assert (db.get(Cafe, menu.cafe.id) or menu.cafe).tg_chat_id == supergroup
    assert db.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0
