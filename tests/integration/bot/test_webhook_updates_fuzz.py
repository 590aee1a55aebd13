"""Property-based: an update the bot cannot use is logged and answered 200, so Telegram never
redelivers it (any other status makes Telegram retry it, holding back the chat's next updates)."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram, callback_query_update, message_update
from tests.integration.bot.conftest import Webhook

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def mangled(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` with some of its fields replaced by anything JSON can hold, or dropped."""
    return st.dictionaries(
        st.sampled_from(sorted(base)), json_values | st.just("<drop>"), max_size=4
    ).map(
        lambda changes: {
            key: value for key, value in {**base, **changes}.items() if changes.get(key) != "<drop>"
        }
    )


MESSAGE = message_update(-1009876543210, "/start")["message"]
CALLBACK = callback_query_update(-1009876543210, "link:1", message_id=5)["callback_query"]
updates = st.one_of(
    mangled(MESSAGE).map(lambda message: {"message": message}),
    mangled(CALLBACK).map(lambda query: {"callback_query": query}),
    st.dictionaries(
        st.sampled_from(["message", "callback_query", "edited_message", "my_chat_member"]),
        json_values,
        min_size=1,
        max_size=2,
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(update=updates, update_id=st.integers(min_value=1, max_value=2**31))
def test_any_update_with_an_id_is_answered_200(
    db: Session, webhook: Webhook, update: dict[str, Any], update_id: int
) -> None:
    assert webhook.post({"update_id": update_id, **update}) == 200


def test_the_reported_malformed_updates_are_acknowledged(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    for update in (
        {"update_id": 1, "message": {"chat": "not a chat", "text": "/start"}},
        {"update_id": 2, "message": "hello"},
        {"update_id": 3, "callback_query": {"id": 5, "data": {"x": 1}}},
        {"update_id": 4, "callback_query": []},
    ):
        assert webhook.post(update) == 200, update
    # and the bot still works afterwards
    assert webhook.say(1001, "/help") == 200
    assert "/link" in fake_telegram.last_message(1001).text
