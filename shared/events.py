"""Every message on Kafka: one pydantic model per event, with the topic it travels on.

The side that writes an event and the side that reads it use the same class. Topic names come
from settings (template.yaml sets them per stage); each event names the setting it goes to.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, TypeAdapter

from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings


class KafkaEvent(BaseModel):
    """A record on one of our topics: the JSON value, and the key that orders it in a partition."""

    topic_setting: ClassVar[str]

    @classmethod
    def topic(cls, settings: Settings) -> str:
        return str(getattr(settings, cls.topic_setting))

    @property
    def key(self) -> str:
        raise NotImplementedError


class DeadlinePassed(KafkaEvent):
    """`deadline.passed`: ordering for the cafe and date has closed; its orders go to the cafe."""

    topic_setting = "kafka_topic_deadlines"

    type: Literal["deadline.passed"] = "deadline.passed"
    cafe_id: int
    date: date
    deadline: datetime | None = None
    timestamp: datetime | None = None

    @property
    def key(self) -> str:
        return str(self.cafe_id)


RECOMMENDATION_JOB = "recommendations.requested"


class RecommendationJob(KafkaEvent):
    """`recommendations.requested`: make one person's nutrition tips (key = their tgid)."""

    topic_setting = "kafka_topic_recommendations"

    # Any string: a record of another type on the topic is skipped, not retried for ever.
    type: str = RECOMMENDATION_JOB
    tgid: int
    date: date
    timestamp: datetime

    @property
    def key(self) -> str:
        return str(self.tgid)


class ReminderDue(KafkaEvent):
    """`reminder.due`: remind this person, who has not ordered, about this date (key = tgid)."""

    topic_setting = "kafka_topic_reminders"

    type: Literal["reminder.due"] = "reminder.due"
    tgid: int
    date: date
    round_id: int | None = None
    timestamp: datetime

    @property
    def key(self) -> str:
        return str(self.tgid)


class DeliveryFailed(KafkaEvent):
    """`notification.failed` (dead letter): a cafe's orders could not be delivered, and why."""

    topic_setting = "kafka_topic_dead_letters"

    type: Literal["notification.failed"] = "notification.failed"
    cafe_id: int
    date: date
    chat_id: int | None
    reason: str | None
    attempts: int
    parts_sent: int
    failed_at: datetime
    event: DeadlinePassed
    source: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return str(self.cafe_id)


class UnreadableRecord(KafkaEvent):
    """`notification.unreadable` (dead letter): a record on the deadlines topic nobody can read."""

    topic_setting = "kafka_topic_dead_letters"

    type: Literal["notification.unreadable"] = "notification.unreadable"
    reason: str
    value: str
    failed_at: datetime
    source: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return "unreadable"


type DeadLetter = Annotated[DeliveryFailed | UnreadableRecord, Field(discriminator="type")]

DEAD_LETTER: TypeAdapter[DeadLetter] = TypeAdapter(DeadLetter)


async def publish(
    producer: EventProducer, settings: Settings, events: Iterable[KafkaEvent]
) -> None:
    """Send the events to their topics and wait until Kafka has acknowledged all of them."""
    by_topic: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for event in events:
        by_topic.setdefault(event.topic(settings), []).append(
            (event.key, event.model_dump(mode="json"))
        )
    for topic, records in by_topic.items():
        await producer.send_many(topic, records)
