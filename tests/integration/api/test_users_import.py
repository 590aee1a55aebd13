"""Importing a staff list: good rows go in, bad rows are reported, a wrong file changes nothing."""

from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import RequestStatus, Role, User
from tests.factories import make_access_request, make_user

Auth = Callable[[User], dict[str, str]]


@pytest.fixture
async def boss(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes
) -> httpx.Response:
    files = {"file": ("staff.csv", content, "text/csv")}
    return await client.post("/users/import", files=files, headers=headers)


async def people(session: AsyncSession) -> dict[int, tuple[str, str]]:
    rows = await session.execute(select(User.tgid, User.name, User.office).where(User.tgid != 9))
    return {tgid: (name, office) for tgid, name, office in rows}


async def test_an_excel_file_with_semicolons_and_a_bom_creates_and_updates_employees(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров", office="Москва")
    await session.run_sync(make_user, 1002, "Пётр Сидоров", office="Казань")
    staff = (
        "tgid;name;office\r\n"
        "1001;Иван Петров;Санкт-Петербург\r\n"
        "1002;Пётр Сидоров;Казань\r\n"
        "2001;Ольга Новикова;Москва\r\n"
        '2002;"Мария ""Маша"" Ким";\r\n'
    )
    response = await upload(client, auth(boss), "\ufeff".encode() + staff.encode())
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 2, "updated": 1, "unchanged": 1, "rejected": []}
    session.expunge_all()
    assert await people(session) == {
        1001: ("Иван Петров", "Санкт-Петербург"),
        1002: ("Пётр Сидоров", "Казань"),
        2001: ("Ольга Новикова", "Москва"),
        2002: ('Мария "Маша" Ким', ""),
    }
    ivan = await session.get(User, 1001)
    assert ivan is not None
    assert ivan.role == Role.USER


async def test_bad_rows_are_reported_while_good_rows_go_in(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    staff = (
        "tgid,name,office\n"
        "2001,Ольга Новикова,Москва\n"
        "abc,Без номера,Москва\n"
        ",Пустой tgid,Москва\n"
        "2003,,Москва\n"
        "-5,Минус,Москва\n"
        "\n"
        "2004,Дубль Первый,Москва\n"
        "2004,Дубль Второй,Казань\n"
        "1.23457E+11,Из Excel,Москва\n"
        "2005,Фёдор Иванов\n"
    )
    response = await upload(client, auth(boss), staff.encode())
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"]) == (2, 0)
    rejected = {item["row"]: item for item in report["rejected"]}
    assert sorted(rejected) == [3, 4, 5, 6, 8, 9, 10]
    assert rejected[3]["tgid"] is None
    assert "abc" in rejected[3]["reason"]
    assert rejected[4]["reason"] == "не указан tgid"
    assert (rejected[5]["tgid"], rejected[5]["reason"]) == (2003, "не указано имя")
    assert "1.23457E+11" in rejected[10]["reason"]
    assert rejected[8]["tgid"] == 2004
    assert "9" in rejected[8]["reason"]
    assert "8" in rejected[9]["reason"]
    session.expunge_all()
    assert await people(session) == {
        2001: ("Ольга Новикова", "Москва"),
        2005: ("Фёдор Иванов", ""),
    }


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "пуст"),
        (b"\n \n", "пуст"),
        (b"tgid,name,office\n", "заголов"),
        ("id,фио,офис\n1001,Иван,Москва\n".encode(), "tgid,name,office"),
        ("1001,Иван Петров,Москва\n".encode(), "tgid,name,office"),
        ("tgid;name;office\n1001;Иван Петров;Москва\n".encode("cp1251"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "UTF-8"),
    ],
    ids=["empty", "blank", "header-only", "wrong-header", "no-header", "cp1251", "png"],
)
async def test_a_file_of_the_wrong_shape_is_refused_whole(
    client: httpx.AsyncClient,
    auth: Auth,
    boss: User,
    session: AsyncSession,
    content: bytes,
    says: str,
) -> None:
    response = await upload(client, auth(boss), content)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_import_file"
    assert says in response.json()["detail"]
    assert await people(session) == {}


async def test_too_many_rows_or_bytes_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    rows = "".join(f"{10_000 + n},Сотрудник {n},Москва\n" for n in range(5001))
    too_many = await upload(client, auth(boss), f"tgid,name,office\n{rows}".encode())
    assert too_many.status_code == 400
    assert "5000" in too_many.json()["detail"]

    padding = "x" * 250
    big_rows = "".join(f"{10_000 + n},{padding},Москва\n" for n in range(4500))
    too_big = await upload(client, auth(boss), f"tgid,name,office\n{big_rows}".encode())
    assert too_big.status_code == 400
    assert "КБ" in too_big.json()["detail"]
    assert await people(session) == {}


async def test_five_thousand_rows_go_in_at_once(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    rows = "".join(f"{10_000 + n},Сотрудник {n},Офис {n % 3}\n" for n in range(5000))
    response = await upload(client, auth(boss), f"tgid,name,office\n{rows}".encode())
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 5000
    total = await session.scalar(select(func.count()).select_from(User))
    assert total == 5001


async def test_importing_someone_who_asked_for_access_approves_their_request(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    request = await session.run_sync(make_access_request, 2001, "Ольга")
    response = await upload(client, auth(boss), "tgid,name\n2001,Ольга Новикова\n".encode())
    assert response.json()["created"] == 1
    await session.refresh(request)
    assert request.status == RequestStatus.APPROVED


async def test_only_managers_import_and_a_file_is_required(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    content = "tgid,name,office\n2001,Ольга,Москва\n".encode()
    assert (await upload(client, {}, content)).status_code == 401
    employee = await upload(client, auth(ivan), content)
    assert (employee.status_code, employee.json()["code"]) == (403, "manager_only")
    no_file = await client.post("/users/import", headers=auth(boss))
    assert no_file.status_code == 422
    assert no_file.json()["errors"][0]["field"] == "file"
    assert await session.get(User, 2001) is None


async def test_the_optional_weekly_limit_column_sets_limits(
    client: httpx.AsyncClient, auth: Auth, boss: User, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров", office="Москва")
    staff = (
        "tgid;name;office;weekly_limit\r\n"
        "1001;Иван Петров;Москва;3000\r\n"
        "2001;Ольга Новикова;Москва;2500,50\r\n"
        "2002;Мария Ким;Москва;\r\n"
        "2003;Пётр Сидоров;Москва;много\r\n"
    )
    response = await upload(client, auth(boss), staff.encode())
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"]) == (2, 1)
    assert [(row["row"], row["tgid"]) for row in report["rejected"]] == [(5, 2003)]
    assert "weekly_limit" in report["rejected"][0]["reason"]
    session.expunge_all()
    limits = {
        tgid: (await session.get(User, tgid)).weekly_limit  # type: ignore[union-attr]
        for tgid in (1001, 2001, 2002)
    }
    assert limits == {1001: Decimal("3000.00"), 2001: Decimal("2500.50"), 2002: None}
