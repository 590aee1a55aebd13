from shared.kit.errors import Conflict, InvalidRequest, NotFound


class UserNotFound(NotFound):
    code = "user_not_found"


class UserExists(Conflict):
    code = "user_exists"


class UserHasOrders(Conflict):
    code = "user_has_orders"


class SelfLockout(InvalidRequest):
    """A manager tried to block, demote or delete themself."""

    code = "self_lockout"


class InvalidImportFile(InvalidRequest):
    code = "invalid_import_file"


class AccessRequestNotFound(NotFound):
    code = "access_request_not_found"


class AccessRequestProcessed(Conflict):
    code = "access_request_processed"
