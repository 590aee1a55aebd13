"""Domain errors: each has an HTTP status and a stable machine-readable code.

The API maps them to `{"detail": <message>, "code": <code>}` (with `errors: [{field, message}]`
when the message is about one field); the bot answers with the message.
Nobody matches on message text.
"""

from typing import Any, ClassVar


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(
        self, message: str, *, en: str | None = None, field: str | None = None, **context: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        # The same sentence in English, for people whose Telegram speaks English; Russian is the
        # default. `field` names the input the message is about, so a form shows it beside it.
        self.english = en
        self.field = field
        self.context = context

    def message_in(self, language: str) -> str:
        """The message in `language` ("ru" or "en"), Russian where no English was given."""
        return self.english if language == "en" and self.english else self.message


class InvalidRequest(DomainError):
    status_code = 400
    code = "invalid_request"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class AccessDenied(DomainError):
    status_code = 403
    code = "access_denied"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class DependencyUnavailable(DomainError):
    """A store the request needs did not answer in time (or at all): try again shortly."""

    status_code = 503
    code = "dependency_unavailable"


class TooManyRequests(DomainError):
    """The caller sent more requests than the limit allows; `retry_after` says when to retry."""

    status_code = 429
    code = "rate_limited"
