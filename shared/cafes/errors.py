from shared.kit.errors import Conflict, InvalidRequest


class CafeExists(Conflict):
    code = "cafe_exists"


class CafeHasOrders(Conflict):
    code = "cafe_has_orders"


class OptionExists(Conflict):
    code = "option_exists"


class ComboExists(Conflict):
    code = "combo_exists"


class ExtraNeedsPrice(InvalidRequest):
    code = "extra_needs_price"


class InvalidSchedule(InvalidRequest):
    code = "invalid_schedule"
