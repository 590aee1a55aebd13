"""Health checks: probes see each store answer, and a dead store as 503 within seconds."""

import socket
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings


def closed_port() -> int:
    """A local port nobody listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.fixture(params=["refused", "silent"])
async def client_of_a_broken_stack(
    request: pytest.FixtureRequest,
    silent_port: int,
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> AsyncIterator[httpx.AsyncClient]:
    """The API with Redis and Kafka settings pointing where nothing answers."""
    port = closed_port() if request.param == "refused" else silent_port
    settings = settings_factory(
        redis_url=f"redis://127.0.0.1:{port}/0",
        kafka_bootstrap_servers=f"127.0.0.1:{port}",
        # What is tested is the probe's own 3 s promise, not the request budget around it.
        api_request_budget_seconds=30,
    )
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        yield client


@pytest.mark.parametrize(
    ("path", "name"),
    [("/health/db", "postgresql"), ("/health/redis", "redis"), ("/health/kafka", "kafka")],
)
async def test_each_store_answers(client: httpx.AsyncClient, path: str, name: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "name": name}


async def test_the_function_answers_liveness(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(("path", "name"), [("/health/redis", "Redis"), ("/health/kafka", "Kafka")])
async def test_a_store_that_does_not_answer_is_reported_as_503(
    client_of_a_broken_stack: httpx.AsyncClient, path: str, name: str
) -> None:
    # A hung store must not hang the probe: it gives up after PROBE_TIMEOUT_SECONDS.
    response = await client_of_a_broken_stack.get(path)

    assert response.status_code == 503
    assert response.json()["code"] == "dependency_unavailable"
    assert response.json()["detail"].startswith(f"{name} is unavailable")
