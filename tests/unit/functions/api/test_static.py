"""The built Mini App is served at "/" next to the API: client routes fall back to index.html,
hashed assets are cached for good, index.html is revalidated, and /api paths never get HTML."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from functions.api.static import install_miniapp


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path.parent / "secret.txt").write_text("do not serve", encoding="utf-8")
    return tmp_path


async def get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_client_routes_get_the_app_and_assets_are_immutable(dist: Path) -> None:
    app = FastAPI()
    assert install_miniapp(app, dist)

    page = await get(app, "/history")
    asset = await get(app, "/assets/index-abc123.js")

    assert page.status_code == 200
    assert "id=root" in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_unknown_api_paths_answer_json_not_the_app(dist: Path) -> None:
    app = FastAPI()
    install_miniapp(app, dist)

    response = await get(app, "/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_paths_outside_the_build_are_not_served(dist: Path) -> None:
    app = FastAPI()
    install_miniapp(app, dist)

    response = await get(app, "/../secret.txt")

    assert "do not serve" not in response.text


def test_nothing_is_mounted_without_a_build(tmp_path: Path) -> None:
    app = FastAPI()
    assert not install_miniapp(app, tmp_path / "missing")
    assert all(getattr(route, "path", "") != "/{path:path}" for route in app.routes)


@pytest.mark.parametrize("path", ["/%00", "/index.html%00.js", "/assets/%00/x", "/" + "a" * 5000])
async def test_paths_no_file_can_have_get_a_clear_answer_not_a_500(dist: Path, path: str) -> None:
    app = FastAPI()
    install_miniapp(app, dist)

    response = await get(app, path)

    assert response.status_code < 500
    if "%00" in path:
        assert response.status_code == 400
        assert response.json()["code"] == "malformed_request"
    else:  # a name too long for the file system is just not a file: the app routes it
        assert response.status_code == 200
