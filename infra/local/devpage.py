"""The local runner's web app: the API and Mini App through the real `api` Lambda handler, the
bot's webhook through the real `telegram_webhook` one, plus a dev page that exists only here.

`/dev/cafe-messages` lists what every cafe chat received (from the fake Telegram) and has the
controls a person needs to see it happen without waiting: pass a cafe's deadline now (moves the
local clock to just after it and runs the deadline check), run the check or the recommendations
batch now, put the clock back. `/dev/telegram` plays the chats (telegram_chats.py). Every other
path goes to the function of its route as API Gateway would send it.
"""

import asyncio
import html
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from infra.local import telegram_chats
from infra.local.fakes.telegram.inbox import CapturedMessage, inbox
from infra.local.gateway import forward
from infra.local.system import LocalSystem
from infra.local.telegram_panel import STYLE, nav
from shared.cafes.service import upcoming_deadlines
from shared.kit.db import create_engine, create_sessionmaker
from shared.models import Cafe


def cafe_inbox(system: LocalSystem) -> list[CapturedMessage]:
    """What group chats received; people's private chats are on the Telegram chats tab."""
    if system.capture is None:
        return []
    return [m for m in inbox(system.capture) if isinstance(m.chat_id, int) and m.chat_id < 0]


def create_local_app(system: LocalSystem) -> FastAPI:
    """The dev routes, and in front of everything else the deployed `api` function."""
    sessions = create_sessionmaker(create_engine(system.settings))
    shell = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    settings = system.settings

    async def next_deadlines() -> list[tuple[Cafe, datetime]]:
        """Each active cafe's next ordering deadline after the local clock's now."""
        async with sessions() as session:
            return await upcoming_deadlines(session, now=system.clock.now(), tz=settings.tz)

    async def invoke(function: str, event: dict[str, Any]) -> Any:
        return await asyncio.wrap_future(system.host.invoke(function, event))

    async def run(function: str) -> Any:
        if function == "deadline_check":
            return await asyncio.to_thread(system.run_deadline_check)
        return await asyncio.to_thread(system.run_recommendations_batch)

    def done(request: Request, result: Any) -> Response:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"result": result, "now": system.clock.now().isoformat()})
        return RedirectResponse("/dev/cafe-messages", status_code=303)

    @shell.get("/dev", include_in_schema=False)
    async def dev_home() -> Response:
        return RedirectResponse("/dev/cafe-messages")

    @shell.get("/dev/cafe-messages.json")
    async def cafe_messages_json() -> JSONResponse:
        """Every message the cafes' chats (groups) received, oldest first."""
        messages = cafe_inbox(system)
        return JSONResponse(
            [
                {
                    "chat_id": m.chat_id,
                    "text": m.text,
                    "plain_text": m.plain_text(),
                    "parse_mode": m.parse_mode,
                    "method": m.method,
                    "sent_at": datetime.fromtimestamp(m.sent_at, tz=settings.tz).isoformat(),
                }
                for m in messages
            ]
        )

    @shell.post("/dev/run-deadline-check")
    async def run_deadline_check(request: Request) -> Response:
        """Run the deadline check now (on the local clock)."""
        return done(request, await run("deadline_check"))

    @shell.post("/dev/run-recommendations")
    async def run_recommendations(request: Request) -> Response:
        """Run the nightly recommendations batch now."""
        return done(request, await run("recommendations_batch"))

    @shell.post("/dev/pass-deadline")
    async def pass_deadline(request: Request, cafe_id: int = Form()) -> Response:
        """Move the local clock just past the cafe's next deadline and run the check."""
        for cafe, deadline in await next_deadlines():
            if cafe.id == cafe_id:
                system.clock.travel_to(deadline + timedelta(seconds=30))
        return done(request, await run("deadline_check"))

    @shell.post("/dev/clock/reset")
    async def reset_clock(request: Request) -> Response:
        """Back to the real time."""
        system.clock.reset()
        return done(request, None)

    @shell.get("/dev/cafe-messages", response_class=HTMLResponse)
    async def cafe_messages() -> HTMLResponse:
        now = system.clock.now().astimezone(settings.tz)
        deadlines = await next_deadlines()
        messages = list(reversed(cafe_inbox(system)))
        return HTMLResponse(_page(system, now, deadlines, messages))

    telegram_chats.register(shell, system, sessions)

    @shell.api_route(
        "/{path:path}",
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
    )
    async def through_api_gateway(request: Request) -> Response:
        return await forward(request, invoke)

    return shell


def _page(
    system: LocalSystem,
    now: datetime,
    deadlines: list[tuple[Cafe, datetime]],
    messages: list[CapturedMessage],
) -> str:
    esc = html.escape
    shifted = system.clock.offset > timedelta(seconds=1)
    clock_note = f" (moved forward by {str(system.clock.offset).split('.')[0]})" if shifted else ""
    rows = []
    for cafe, deadline in deadlines:
        rows.append(
            f'<div class="card"><b>{esc(cafe.name)}</b> · orders for {deadline:%a %d.%m} close '
            f"at {deadline:%H:%M} · chat {esc(str(cafe.tg_chat_id))} "
            '<form method="post" action="/dev/pass-deadline">'
            f'<input type="hidden" name="cafe_id" value="{cafe.id}">'
            "<button>Pass this deadline now</button></form></div>"
        )
    if system.capture is None:
        inbox = '<p class="empty">A real bot token is set: messages go to Telegram itself.</p>'
    elif not messages:
        inbox = (
            '<p class="empty">No messages yet. Order in the Mini App, then pass that '
            "cafe's deadline above.</p>"
        )
    else:
        inbox = "".join(
            f'<div class="card"><div class="meta">to chat {esc(str(m.chat_id))} · '
            f"{datetime.fromtimestamp(m.sent_at, tz=now.tzinfo):%H:%M:%S} · {esc(m.method)}</div>"
            f'<div class="message">{m.safe_html()}</div></div>'
            for m in messages
        )
    transport = (
        f"Kafka at {esc(system.kafka_bootstrap)}" if system.kafka_bootstrap else "in-process bus"
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="5"><title>Lunch · cafe messages (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style></head><body>
{nav("/dev/cafe-messages")}
<h1>What the cafes receive</h1>
<p class="meta">Local clock: {now:%a %d.%m.%Y %H:%M:%S} ({esc(system.settings.company_timezone)})
{esc(clock_note)} · events: {transport} · this page exists only under <code>make run</code>.</p>
<form method="post" action="/dev/run-deadline-check"><button>Run the deadline check now</button>
</form><form method="post" action="/dev/run-recommendations">
<button class="secondary">Run the recommendations batch</button></form>
<form method="post" action="/dev/clock/reset"><button class="secondary">Real time</button></form>
<h2>Next deadlines</h2>{"".join(rows) or '<p class="empty">No cafe takes orders.</p>'}
<h2>Messages (newest first)</h2>
<p class="meta">To cafes' group chats. What people's private chats got (reminders, the bot's
answers) is on <a href="/dev/telegram">Telegram chats</a>.</p>{inbox}
<p class="meta"><a href="/">Open the Mini App</a> · <a href="/api/v1/docs">API docs</a></p>
</body></html>"""
