"""The Mini App in a real browser against the real API on real PostgreSQL.

The built app (miniapp/dist) is served by the API function's own app, started with uvicorn in a
thread on a free port with demo data and a clock that stands still. Chromium comes from the
system (Debian's package), driven by the Python Playwright package; the page is opened the way
Telegram opens a Mini App — launch parameters in the URL hash, a client speaking the Mini Apps
protocol around it (telegram_client.js).
"""

import asyncio
import json
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
import pytest
import redis
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright, sync_playwright
from sqlalchemy import Engine

from functions.api.app import create_app
from functions.api.deps import AppContext
from functions.api.routes.dev import launch_init_data
from functions.api.static import MINIAPP_DIST
from infra.local.demo import load_demo_data
from shared.auth.init_data import TelegramUser
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine, create_sessionmaker, unit_of_work
from shared.kit.settings import Settings
from shared.links import service as links
from tests.harness.database import truncate_all
from tests.harness.lunch import JWT_SECRET

MSK = ZoneInfo("Europe/Moscow")
# A Tuesday morning: Столовая №1 takes orders for today until 11:00.
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 15, tzinfo=MSK)
BOT_TOKEN = "123456:TEST-miniapp-bot-token"
REPO_ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "miniapp"
CLIENT_JS = (Path(__file__).parent / "telegram_client.js").read_text(encoding="utf-8")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LIGHT = {
    "bg_color": "#ffffff",
    "secondary_bg_color": "#efeff4",
    "section_bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#8e8e93",
    "subtitle_text_color": "#8e8e93",
    "link_color": "#2481cc",
    "accent_text_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "header_bg_color": "#f7f7f7",
    "section_header_text_color": "#6d6d72",
    "section_separator_color": "#c8c7cc",
    "destructive_text_color": "#ff3b30",
    "bottom_bar_bg_color": "#f7f7f7",
}
DARK = {
    "bg_color": "#212121",
    "secondary_bg_color": "#0f0f0f",
    "section_bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "subtitle_text_color": "#aaaaaa",
    "link_color": "#8774e1",
    "accent_text_color": "#8774e1",
    "button_color": "#8774e1",
    "button_text_color": "#ffffff",
    "header_bg_color": "#212121",
    "section_header_text_color": "#8774e1",
    "section_separator_color": "#2f2f2f",
    "destructive_text_color": "#ff595a",
    "bottom_bar_bg_color": "#212121",
}


def _chromium() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is missing: `apt-get install chromium` (CI installs it)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveApp:
    base_url: str
    clock: FixedClock
    settings: Settings

    def init_data(self, tgid: int, name: str, language: str = "ru") -> str:
        first, _, last = name.partition(" ")
        return launch_init_data(
            TelegramUser(id=tgid, first_name=first, last_name=last or None, language_code=language),
            BOT_TOKEN,
            auth_date=self.clock.now(),
        )

    def token(self, tgid: int, name: str) -> str:
        response = httpx.post(
            f"{self.base_url}/api/v1/auth/telegram",
            json={"init_data": self.init_data(tgid, name)},
        )
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token

    def chat_asks_to_link(self, cafe_id: int, chat_id: int, username: str | None) -> int:
        """A cafe's chat asks the bot to be linked (the only place a chat is proven): the id of
        the waiting request, made by the same domain function the bot calls."""

        async def ask() -> int:
            engine = create_engine(self.settings)
            try:
                async with unit_of_work(create_sessionmaker(engine)) as session:
                    request = await links.request_link(
                        session, cafe_id, chat_id, username, now=self.clock.now()
                    )
            finally:
                await engine.dispose()
            return request.id

        # A thread of its own: Playwright's sync API keeps an event loop on this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, ask()).result()

    def api(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.base_url}/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"},
            **kwargs,
        )


@pytest.fixture(scope="session")
def built_miniapp() -> Path:
    if not (MINIAPP_DIST / "index.html").is_file():
        pytest.fail("The Mini App is not built: run `make miniapp` first")
    return MINIAPP_DIST


@pytest.fixture
def miniapp_build(built_miniapp: Path) -> Path:
    """Which build the live app serves: the deployed one unless a test module says otherwise."""
    return built_miniapp


@pytest.fixture
def live_app(
    miniapp_build: Path,
    sync_engine: Engine,
    database_url: str,
    redis_url: str,
) -> Iterator[LiveApp]:
    """The API and the built app on http://127.0.0.1:<port>, with the demo cafes and people."""
    truncate_all(sync_engine)
    # Every test signs in from 127.0.0.1: the sign-in limiter's counts must not carry over.
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    settings = Settings(
        _env_file=None,
        environment="test",
        database_url=database_url,
        redis_url=redis_url,
        jwt_secret=JWT_SECRET,
        telegram_bot_token=BOT_TOKEN,
        company_timezone="Europe/Moscow",
        dev_login_enabled=True,
    )

    clock = FixedClock(TUESDAY_MORNING)
    port = _free_port()
    holder: dict[str, Any] = {}

    def serve() -> None:
        # Its own thread and loop: Playwright's sync API keeps a loop running in the main thread.
        async def main() -> None:
            engine = create_engine(settings)
            async with unit_of_work(create_sessionmaker(engine)) as session:
                await load_demo_data(session)
            app = create_app(
                AppContext(settings, create_sessionmaker(engine), clock), miniapp=miniapp_build
            )
            server = uvicorn.Server(
                uvicorn.Config(
                    app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
                )
            )
            holder["server"] = server
            try:
                await server.serve()
            finally:
                await engine.dispose()

        asyncio.run(main())

    thread = threading.Thread(target=serve, name="miniapp-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not (holder.get("server") and holder["server"].started):
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("The API did not start")
        time.sleep(0.05)
    yield LiveApp(f"http://127.0.0.1:{port}", clock, settings)
    holder["server"].should_exit = True
    thread.join(timeout=10)
    truncate_all(sync_engine)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _log_console(message: ConsoleMessage) -> None:
    sys.stdout.write(f"[console] {message.type}: {message.text}\n")


def _log_page_error(error: Error) -> None:
    sys.stdout.write(f"[page error] {error}\n")


@dataclass
class Telegram:
    """Opens the Mini App as Telegram would, for a person, in a theme."""

    live: LiveApp
    browser: Browser
    pages: list[Page]

    def open(
        self,
        tgid: int,
        name: str,
        *,
        dark: bool = False,
        route: str = "",
        language: str = "ru",
        width: int = 390,
        version: str = "8.0",
    ) -> Page:
        """The app as a person whose Telegram speaks `language`, on a phone `width` wide, in a
        client of Mini Apps `version`."""
        theme = DARK if dark else LIGHT
        context = self.browser.new_context(
            viewport={"width": width, "height": 844},
            device_scale_factor=2,
            locale="en-GB" if language == "en" else "ru-RU",
            color_scheme="dark" if dark else "light",
            accept_downloads=True,
        )
        script = CLIENT_JS.replace("__THEME__", json.dumps(theme)).replace(
            "__DARK__", "true" if dark else "false"
        )
        context.add_init_script(script)
        page = context.new_page()
        page.set_default_timeout(10_000)
        # Shown with the test's output when it fails.
        page.on("console", _log_console)
        page.on("pageerror", _log_page_error)
        launch = urlencode(
            {
                "tgWebAppData": self.live.init_data(tgid, name, language),
                "tgWebAppVersion": version,
                "tgWebAppPlatform": "ios",
                "tgWebAppThemeParams": json.dumps(theme, separators=(",", ":")),
            }
        )
        page.goto(f"{self.live.base_url}/#{launch}")
        if route:
            page.wait_for_selector("[data-testid^='page-']")
            page.evaluate("route => { window.location.hash = route }", route)
        self.pages.append(page)
        return page


@pytest.fixture
def telegram(live_app: LiveApp, browser: Browser) -> Iterator[Telegram]:
    opened = Telegram(live_app, browser, [])
    yield opened
    for page in opened.pages:
        page.context.close()


def main_button(page: Page) -> Any:
    """Telegram's main button, drawn by the fake client from the app's setup events."""
    return page.locator("[data-telegram-main-button]")


def press_back(page: Page) -> None:
    page.get_by_role("button", name="Telegram: назад").click()


def screenshot(page: Page, name: str) -> Path:
    """Saves a screenshot of the whole screen as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=False)
    return path
