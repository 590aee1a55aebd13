"""What can go wrong while linking a cafe's chat; the bot shows these messages to the cafe."""

from shared.kit.errors import Conflict, DomainError, InvalidRequest, NotFound


class CafeNotFound(NotFound):
    code = "cafe_not_found"


class LinkRequestNotFound(NotFound):
    code = "link_request_not_found"


class CafeInactive(InvalidRequest):
    code = "cafe_inactive"


class CafeNotLinked(InvalidRequest):
    code = "cafe_not_linked"


class ChatAlreadyLinked(Conflict):
    code = "chat_already_linked"


class LinkCodeInvalid(InvalidRequest):
    code = "link_code_invalid"


class LinkRequestProcessed(Conflict):
    code = "link_request_processed"


class TooManyLinkRequests(DomainError):
    status_code = 429
    code = "too_many_link_requests"
