"""Access requests: a manager sees who asked to join, and lets them in or turns them away."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import RequestStatus, Role, User, UserAccessRequest
from tests.factories import make_access_request, make_user

Auth = Callable[[User], dict[str, str]]
EARLIER = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
async def boss(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)


@pytest.fixture
async def olga(session: AsyncSession) -> UserAccessRequest:
    return await session.run_sync(
        make_access_request,
        777,
        "Ольга Новикова",
        username="olga_n",
        office="Москва",
        created_at=EARLIER,
    )


async def test_a_manager_lists_requests_newest_first_and_filters_by_status(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    for day, (tgid, status) in enumerate(
        [(701, RequestStatus.PENDING), (702, RequestStatus.REJECTED), (703, RequestStatus.PENDING)]
    ):
        await session.run_sync(
            make_access_request,
            tgid,
            f"Человек {tgid}",
            status=status,
            created_at=EARLIER + timedelta(days=day),
        )
    everyone = await client.get("/user-requests", headers=auth(boss))
    assert everyone.status_code == 200
    assert everyone.json()["total"] == 3
    assert [item["tgid"] for item in everyone.json()["items"]] == [703, 702, 701]

    pending = await client.get("/user-requests", params={"status": "pending"}, headers=auth(boss))
    assert [item["tgid"] for item in pending.json()["items"]] == [703, 701]
    assert pending.json()["total"] == 2

    page = await client.get("/user-requests", params={"skip": 1, "limit": 1}, headers=auth(boss))
    assert ([item["tgid"] for item in page.json()["items"]], page.json()["total"]) == ([702], 3)


async def test_a_request_reads_as_the_contract_describes(
    client: httpx.AsyncClient, auth: Auth, boss: User, olga: UserAccessRequest
) -> None:
    response = await client.get("/user-requests", headers=auth(boss))
    assert response.json()["items"] == [
        {
            "id": olga.id,
            "tgid": 777,
            "name": "Ольга Новикова",
            "office": "Москва",
            "username": "olga_n",
            "status": "pending",
            "created_at": "2026-11-20T09:00:00Z",
            "processed_at": None,
        }
    ]


async def test_an_unknown_status_filter_is_refused(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    response = await client.get("/user-requests", params={"status": "maybe"}, headers=auth(boss))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


async def test_approving_creates_the_account_from_the_request(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    olga: UserAccessRequest,
    session: AsyncSession,
    clock: FixedClock,
) -> None:
    response = await client.post(f"/user-requests/{olga.id}/approve", headers=auth(boss))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert response.json()["processed_at"] == "2026-11-24T06:15:00Z"
    user = await session.get(User, 777)
    assert user is not None
    assert (user.name, user.office, user.role, user.is_active) == (
        "Ольга Новикова",
        "Москва",
        Role.USER,
        True,
    )
    assert user.created_at == clock.now()


async def test_the_manager_may_set_the_office_when_approving(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    olga: UserAccessRequest,
    session: AsyncSession,
) -> None:
    response = await client.post(
        f"/user-requests/{olga.id}/approve", json={"office": " Казань "}, headers=auth(boss)
    )
    assert response.status_code == 200
    assert response.json()["office"] == "Казань"
    user = await session.get(User, 777)
    assert user is not None
    assert user.office == "Казань"


async def test_approving_someone_already_added_keeps_their_account(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    olga: UserAccessRequest,
    session: AsyncSession,
) -> None:
    await session.run_sync(make_user, 777, "Ольга Н.", office="Самара")
    response = await client.post(f"/user-requests/{olga.id}/approve", headers=auth(boss))
    assert response.status_code == 200
    user = await session.get(User, 777)
    assert user is not None
    assert (user.name, user.office) == ("Ольга Н.", "Самара")


async def test_rejecting_records_when_and_creates_no_account(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    olga: UserAccessRequest,
    session: AsyncSession,
) -> None:
    response = await client.post(f"/user-requests/{olga.id}/reject", headers=auth(boss))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["processed_at"]) == (
        "rejected",
        "2026-11-24T06:15:00Z",
    )
    assert await session.get(User, 777) is None


@pytest.mark.parametrize(
    ("first", "then", "says"),
    [
        ("approve", "approve", "уже одобрена"),
        ("approve", "reject", "уже одобрена"),
        ("reject", "approve", "уже отклонена"),
        ("reject", "reject", "уже отклонена"),
    ],
)
async def test_a_processed_request_cannot_be_processed_again(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    olga: UserAccessRequest,
    session: AsyncSession,
    first: str,
    then: str,
    says: str,
) -> None:
    done = await client.post(f"/user-requests/{olga.id}/{first}", headers=auth(boss))
    assert done.status_code == 200
    again = await client.post(f"/user-requests/{olga.id}/{then}", headers=auth(boss))
    assert again.status_code == 409
    assert again.json()["code"] == "access_request_processed"
    assert says in again.json()["detail"]
    await session.refresh(olga)
    assert olga.status == (RequestStatus.APPROVED if first == "approve" else RequestStatus.REJECTED)


async def test_an_unknown_request_is_404(client: httpx.AsyncClient, auth: Auth, boss: User) -> None:
    for action in ("approve", "reject"):
        response = await client.post(f"/user-requests/424242/{action}", headers=auth(boss))
        assert response.status_code == 404
        assert response.json()["code"] == "access_request_not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/user-requests"),
        ("POST", "/user-requests/{id}/approve"),
        ("POST", "/user-requests/{id}/reject"),
    ],
)
async def test_only_managers_handle_requests(
    client: httpx.AsyncClient,
    auth: Auth,
    olga: UserAccessRequest,
    session: AsyncSession,
    method: str,
    path: str,
) -> None:
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    url = path.format(id=olga.id)
    assert (await client.request(method, url)).status_code == 401
    employee = await client.request(method, url, headers=auth(ivan))
    assert (employee.status_code, employee.json()["code"]) == (403, "manager_only")
    await session.refresh(olga)
    assert olga.status == RequestStatus.PENDING
    assert await session.get(User, 777) is None


async def test_ids_and_offsets_beyond_the_database_range_are_malformed_not_errors(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    approve = await client.post("/user-requests/2147483648/approve", headers=auth(boss))
    assert approve.status_code == 422
    listing = await client.get("/user-requests", params={"skip": 2**63}, headers=auth(boss))
    assert listing.status_code == 422
