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
from shared.models.engagement import (
    ArrivalNotice,
    BotContact,
    CafeArrival,
    NoticeState,
    ReminderDelivery,
    ReminderRound,
    ReminderSettings,
    RoundKind,
    RoundState,
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
    "ArrivalNotice",
    "Base",
    "BotContact",
    "Cafe",
    "CafeArrival",
    "CafeLinkRequest",
    "Combo",
    "DeadlineAnnouncement",
    "DeadlineSchedule",
    "DeliveryState",
    "ItemKind",
    "MenuItem",
    "MenuItemOption",
    "NoticeState",
    "NotificationDelivery",
    "Order",
    "OrderExtra",
    "OrderItem",
    "OrderStatus",
    "ReminderDelivery",
    "ReminderRound",
    "ReminderSettings",
    "RequestStatus",
    "Role",
    "RoundKind",
    "RoundState",
    "Summary",
    "User",
    "UserAccessRequest",
]
