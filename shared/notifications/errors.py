class DeliveryError(Exception):
    """A delivery that did not complete; `permanent` ones go to the dead-letter topic at once."""

    permanent: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatUnreachable(DeliveryError):
    """Telegram refuses the chat for good (bot kicked or blocked, chat gone)."""

    permanent = True


class DeliveryInProgress(DeliveryError):
    """Another consumer is delivering the same cafe and date right now."""
