"""All tables; importing this package registers every model on `Base.metadata`."""

from shared.models.base import Base
from shared.models.cafes import (
    Cafe,
    CafeLinkRequest,
    Combo,
    DeadlineSchedule,
    MenuItem,
    MenuItemOption,
)
from shared.models.notifications import (
    AnnouncementState,
    DeadlineAnnouncement,
    DeliveryState,
    NotificationDelivery,
)
from shared.models.orders import ItemKind, Order, OrderExtra, OrderItem, OrderStatus
from shared.models.reports import Summary
from shared.models.users import RequestStatus, Role, User, UserAccessRequest

__all__ = [
    "AnnouncementState",
    "Base",
    "Cafe",
    "CafeLinkRequest",
    "Combo",
    "DeadlineAnnouncement",
    "DeadlineSchedule",
    "DeliveryState",
    "ItemKind",
    "MenuItem",
    "MenuItemOption",
    "NotificationDelivery",
    "Order",
    "OrderExtra",
    "OrderItem",
    "OrderStatus",
    "RequestStatus",
    "Role",
    "Summary",
    "User",
    "UserAccessRequest",
]
