"""The built Mini App (miniapp/dist) served at "/" from the same origin as /api/v1.

Hashed files under assets/ never change, so browsers keep them for a year; index.html and the
other top-level files are revalidated on every load so a deploy reaches users at once. Any path
that is not a file and not under /api gets index.html: the app routes on the client.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response

MINIAPP_DIST = Path(__file__).resolve().parents[2] / "miniapp" / "dist"
# The local runner's build (`npm run build:local`): the same app plus the mock Telegram
# environment that signs in through /api/v1/dev/sign-in when opened in a plain browser.
MINIAPP_LOCAL_DIST = MINIAPP_DIST.with_name("dist-local")


def miniapp_dist(*, dev_login_enabled: bool) -> Path:
    """The build to serve: the local one only where dev sign-in exists (local and test)."""
    if dev_login_enabled and (MINIAPP_LOCAL_DIST / "index.html").is_file():
        return MINIAPP_LOCAL_DIST
    return MINIAPP_DIST


IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _file_in(root: Path, path: str) -> Path | None:
    """The file `path` names inside `root`, or None (also for paths escaping `root`)."""
    try:
        candidate = (root / path).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name too long for the file system, and the like
        return None
    return candidate


def install_miniapp(app: FastAPI, dist: Path = MINIAPP_DIST) -> bool:
    """Serve `dist` at "/" with an SPA fallback; does nothing when the app is not built."""
    root = dist.resolve()
    index = root / "index.html"
    if not index.is_file():
        return False

    async def miniapp(request: Request, path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            detail = f"No such endpoint: {request.method} {request.url.path}"
            return JSONResponse({"detail": detail, "code": "not_found"}, status_code=404)
        if "\x00" in path:  # no file name holds a NUL; Path refuses it with ValueError
            detail = "Путь содержит недопустимый символ (NUL)"
            return JSONResponse({"detail": detail, "code": "malformed_request"}, status_code=400)
        found = _file_in(root, path) if path else None
        if found is None:
            return FileResponse(index, headers={"Cache-Control": REVALIDATE})
        cache = IMMUTABLE if found.parent.name == "assets" else REVALIDATE
        return FileResponse(found, headers={"Cache-Control": cache})

    app.add_api_route("/{path:path}", miniapp, methods=["GET", "HEAD"], include_in_schema=False)
    return True
