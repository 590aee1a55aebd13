"""Route tables: each route module lists its operations, `create_app` builds each one once.

FastAPI builds a route (its dependencies, a pydantic adapter per parameter and response) when
it is declared on an APIRouter, builds it again for every router it is included in, and builds
it a third time on the first request when routers are nested. The API has some seventy
routes, so that was most of the time `create_app` and the first request took. A `Routes`
table only records what its decorators are given; `install` declares every route directly on
the app, with its full path, so each is built exactly once and the app is ready when built.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.constants import REF_PREFIX

from functions.api.errors import ErrorOut

type Endpoint = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class _Operation:
    path: str
    endpoint: Endpoint
    method: str
    options: dict[str, Any]


@dataclass
class Routes:
    """An APIRouter's decorators (get, post, put, patch, delete) that only record."""

    prefix: str = ""
    tags: list[str | Enum] = field(default_factory=list)
    responses: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    operations: list[_Operation] = field(default_factory=list)

    def _record(
        self, method: str, path: str, options: dict[str, Any]
    ) -> Callable[[Endpoint], Endpoint]:
        def decorator(endpoint: Endpoint) -> Endpoint:
            self.operations.append(_Operation(path, endpoint, method, options))
            return endpoint

        return decorator

    def get(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._record("GET", path, options)

    def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._record("POST", path, options)

    def put(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._record("PUT", path, options)

    def patch(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._record("PATCH", path, options)

    def delete(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._record("DELETE", path, options)

    def install(
        self, app: FastAPI, *, prefix: str, responses: dict[int | str, dict[str, Any]]
    ) -> None:
        """Declare every operation on `app` under `prefix`, as include_router would."""
        for operation in self.operations:
            options = dict(operation.options)
            tags = [*self.tags, *options.pop("tags", [])]
            answers = {**responses, **self.responses, **options.pop("responses", {})}
            media_type = getattr(options.get("response_class"), "media_type", None)
            app.router.add_api_route(
                f"{prefix}{self.prefix}{operation.path}",
                operation.endpoint,
                methods=[operation.method],
                tags=tags,
                responses=_shared_errors(app, answers, media_type or "application/json"),
                **options,
            )


def _shared_errors(
    app: FastAPI, responses: dict[int | str, dict[str, Any]], media_type: str
) -> dict[int | str, dict[str, Any]]:
    """Error responses after the app's first refer to ErrorOut's definition in the document.

    FastAPI builds a pydantic adapter for every `model` in `responses`, per route and status,
    only to write the model's schema into the OpenAPI document: some 480 adapters of ErrorOut,
    half of create_app's time. The first route keeps the model (so the document defines
    ErrorOut); the others give the reference FastAPI would have written. The document is the
    same (miniapp/scripts/openapi.py --check compares it with the committed one).
    """
    if not getattr(app.state, "error_model_defined", False):
        app.state.error_model_defined = any(
            answer.get("model") is ErrorOut for answer in responses.values()
        )
        return responses
    reference = {"schema": {"$ref": f"{REF_PREFIX}{ErrorOut.__name__}"}}
    shared: dict[int | str, dict[str, Any]] = {}
    for code, answer in responses.items():
        if answer.get("model") is ErrorOut and "content" not in answer:
            answer = {key: value for key, value in answer.items() if key != "model"}
            answer["content"] = {media_type: reference}
        shared[code] = answer
    return shared
