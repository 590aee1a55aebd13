from shared.kit.errors import Conflict, InvalidRequest


class OrderingClosed(InvalidRequest):
    code = "ordering_closed"


class InvalidOrder(InvalidRequest):
    code = "invalid_order"


class BudgetExceeded(InvalidRequest):
    code = "budget_exceeded"


class DuplicateOrder(Conflict):
    code = "order_exists"


class OrderCancelled(InvalidRequest):
    code = "order_cancelled"
