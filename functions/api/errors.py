"""One JSON shape for every error: `{"detail": "<for a person>", "code": "<for a program>"}`."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from functions.api.messages import Language, detail_of, language_of, problems_of
from shared.kit.errors import DependencyUnavailable, DomainError

logger = logging.getLogger(__name__)


class ErrorOut(BaseModel):
    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None


def _error(
    status: int, detail: str, code: str, errors: list[dict[str, Any]] | None = None
) -> JSONResponse:
    body = ErrorOut(detail=detail, code=code, errors=errors).model_dump(exclude_none=True)
    return JSONResponse(status_code=status, content=body)


def domain_error_response(error: DomainError, language: Language = "ru") -> JSONResponse:
    """The response for a domain refusal, in the caller's language; also for routes that answer
    one without raising it."""
    message = error.message_in(language)
    problems = [{"field": error.field, "message": message}] if error.field else None
    return _error(error.status_code, message, error.code, problems)


def store_unavailable_error() -> DependencyUnavailable:
    """What a request is told when a store (PostgreSQL, Redis) is down or stalled."""
    return DependencyUnavailable(
        "Сервис временно недоступен: хранилище данных не отвечает. "
        "Повторите попытку через несколько секунд",
        en="The service is briefly unavailable: the data store does not answer. "
        "Try again in a few seconds",
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return domain_error_response(error, language_of(request.headers.get("accept-language")))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        # Each problem readable beside its field, in the caller's language (messages.py).
        language = language_of(request.headers.get("accept-language"))
        problems = problems_of(error.errors(), language)
        for problem in problems:
            if problem["code"] == "json_invalid":
                problem["field"] = ""
        return _error(422, detail_of(problems, language), "validation_error", problems)

    @app.exception_handler(DataError)
    async def data_error(_: Request, error: DataError) -> JSONResponse:
        # The database refused a value the schema let through: a number beyond its column's
        # range, a NUL character in text. It is the caller's input, so a 422, not a 500.
        logger.warning("value refused by the database: %s", error.orig)
        detail = "Значение вне допустимого диапазона или содержит недопустимые символы"
        return _error(422, detail, "value_out_of_range")

    async def store_unavailable(_: Request, error: Exception) -> JSONResponse:
        # A store that is down, stalled or out of connections: the request can be retried,
        # nothing was committed (the unit of work rolled back), so 503 rather than 500.
        logger.warning("dependency unavailable: %r", error)
        return domain_error_response(store_unavailable_error())

    # Redis's errors are turned into the same answer where Redis is used (the routes' RedisDep):
    # naming them here would load redis on every cold start.
    for unavailable in (OperationalError, InterfaceError, PoolTimeout, TimeoutError):
        app.add_exception_handler(unavailable, store_unavailable)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(error.status_code, "http_error")
        return _error(error.status_code, str(error.detail), code)


# Shown in the OpenAPI description of every route that can fail this way.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The request breaks a business rule"},
    401: {"model": ErrorOut, "description": "Not signed in, or the token expired"},
    403: {"model": ErrorOut, "description": "Signed in but not allowed"},
    404: {"model": ErrorOut, "description": "No such object"},
    409: {"model": ErrorOut, "description": "Conflicts with what exists"},
    413: {"model": ErrorOut, "description": "The request body is over the size limit"},
    422: {"model": ErrorOut, "description": "The request body or query is malformed"},
    429: {"model": ErrorOut, "description": "Too many requests: retry after `Retry-After` s"},
    503: {"model": ErrorOut, "description": "A store did not answer in time: retry shortly"},
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer with these error statuses."""
    return {code: ERROR_RESPONSES[code] for code in codes}
