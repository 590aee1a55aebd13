"""One event loop per process (per Lambda container).

python-telegram-bot, the async SQLAlchemy engine, the Redis client and aiokafka all bind to the
loop that first used them. Lambda freezes and thaws the process between invocations, so a loop
created per invocation (`asyncio.run`) would leave those clients attached to a closed loop. We
create the loop once, at import, and every handler runs its coroutine on it.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any

_loop = asyncio.new_event_loop()


def event_loop() -> asyncio.AbstractEventLoop:
    """The process's loop, made current so libraries that ask for it (Mangum) find it."""
    asyncio.set_event_loop(_loop)
    return _loop


def run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on the process's loop."""
    return event_loop().run_until_complete(coroutine)
