from typing import ClassVar

from shared.kit.errors import AccessDenied, DomainError


class NotYourRecommendations(AccessDenied):
    code = "not_your_recommendations"


class GeminiUnavailable(DomainError):
    """Gemini kept failing (5xx, timeouts, unusable answers) or refused the request."""

    status_code: ClassVar[int] = 503
    code: ClassVar[str] = "gemini_unavailable"
