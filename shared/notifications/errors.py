class DeliveryError(Exception):
    """A delivery that did not complete; `permanent` ones go to the dead-letter topic at once."""

    permanent: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        # How many times this delivery has been tried, this time included (set when recorded).
        self.attempts = 0


class ChatUnreachable(DeliveryError):
    """Telegram refuses the chat for good (bot kicked or blocked, chat gone, no rights)."""

    permanent = True


class MessageRejected(DeliveryError):
    """Telegram refuses the message itself (a 400 that no retry can fix)."""

    permanent = True


class TelegramUnavailable(DeliveryError):
    """Telegram did not take the message this time (network, 5xx, flood control for too long)."""


class DeliveryInProgress(DeliveryError):
    """Another consumer is delivering the same cafe and date right now."""


class FloodWait(Exception):
    """Telegram asked to wait `seconds` before sending again (a 429), and the sender left the
    waiting to its caller, so that nothing it holds is held meanwhile."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood control: retry after {seconds} s")
        self.seconds = seconds


class ChatMigrated(Exception):
    """The group became a supergroup: the same chat now has another id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id
