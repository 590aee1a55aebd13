from shared.kit.errors import AccessDenied


class AccessRequestPending(AccessDenied):
    code = "access_request_pending"


class AccessRequestRejected(AccessDenied):
    code = "access_request_rejected"


class UserBlocked(AccessDenied):
    code = "user_blocked"


class ManagerOnly(AccessDenied):
    code = "manager_only"
