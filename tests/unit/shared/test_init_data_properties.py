"""Property-based: whatever a signer puts in initData's fields, verifying it either yields a
well-typed user or refuses it with NotAuthenticated (a 401), never another exception (a 500)."""

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.auth.init_data import sign_init_data, verify_init_data
from shared.kit.errors import NotAuthenticated

TOKEN = "123456:TEST-token"
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
user_objects = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers() | json_values,
        "first_name": st.text(max_size=30) | json_values,
        "last_name": st.text(max_size=30) | json_values,
        "username": st.text(max_size=30) | json_values,
        "language_code": st.text(max_size=5) | json_values,
    },
)
auth_dates = (
    st.integers(min_value=-(10**25), max_value=10**25).map(str)
    | st.just(str(int(NOW.timestamp())))
    | st.text(max_size=12)
)


def check(fields: dict[str, str]) -> None:
    raw = sign_init_data(fields, TOKEN)
    try:
        data = verify_init_data(raw, TOKEN, now=NOW, max_age_seconds=3600)
    except NotAuthenticated:
        return
    user = data.user
    assert isinstance(user.id, int)
    assert user.id > 0
    assert isinstance(user.first_name, str)
    for optional in (user.last_name, user.username, user.language_code):
        assert optional is None or isinstance(optional, str)
    assert isinstance(user.full_name, str)


@settings(max_examples=300, deadline=None)
@given(user=user_objects | json_values, auth_date=auth_dates)
def test_any_signed_user_and_auth_date_is_read_or_refused_with_401(
    user: Any, auth_date: str
) -> None:
    check({"user": json.dumps(user), "auth_date": auth_date})


@settings(max_examples=200, deadline=None)
@given(user=st.text(max_size=40), auth_date=st.text(max_size=30))
def test_signed_fields_that_are_not_json_are_refused_with_401(user: str, auth_date: str) -> None:
    check({"user": user, "auth_date": auth_date})


def test_the_reported_cases_are_refused() -> None:
    now = str(int(NOW.timestamp()))
    for fields in (
        {"user": '{"id":1,"first_name":"A"}', "auth_date": "99999999999999999999"},
        {"user": '{"id":1,"first_name":"A","last_name":5}', "auth_date": now},
        {"user": '{"id":1,"first_name":"A","username":{"x":1}}', "auth_date": now},
        {"user": '{"id":true,"first_name":"A"}', "auth_date": now},
        {"user": '{"id":-5,"first_name":"A"}', "auth_date": now},
    ):
        raw = sign_init_data(fields, TOKEN)
        try:
            verify_init_data(raw, TOKEN, now=NOW, max_age_seconds=3600)
        except NotAuthenticated:
            continue
        raise AssertionError(f"accepted {fields}")
