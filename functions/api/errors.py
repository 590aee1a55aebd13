"""One JSON shape for every error: `{"detail": "<for a person>", "code": "<for a program>"}`."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from functions.api.messages import detail_of, language_of, problems_of
from shared.kit.errors import DomainError

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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        message = error.message_in(language_of(request.headers.get("accept-language")))
        problems = [{"field": error.field, "message": message}] if error.field else None
        return _error(error.status_code, message, error.code, problems)

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
    422: {"model": ErrorOut, "description": "The request body or query is malformed"},
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer with these error statuses."""
    return {code: ERROR_RESPONSES[code] for code in codes}
