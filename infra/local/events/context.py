"""A Lambda context object for calling handlers outside Lambda."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from infra.local.events.common import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
)


class LocalLambdaContext(LambdaContext):
    """A Lambda context object for local invocations.

    It is a Powertools ``LambdaContext`` (handlers annotated with it accept it) and also
    satisfies Mangum's ``LambdaContext`` protocol, whose attributes are plain settable
    ones: hence the class attributes below, which shadow Powertools' read-only
    properties. ``identity`` and ``client_context`` are ``None`` as for any invocation
    that does not come from the AWS Mobile SDK. ``get_remaining_time_in_millis()``
    counts down from the timeout, starting when the context is created (as Lambda's
    does from the start of the invocation).
    """

    function_name: str = ""
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: int = 128
    aws_request_id: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: Any = None
    client_context: Any = None

    def __init__(
        self,
        function_name: str,
        *,
        timeout_ms: int = 30000,
        memory_limit_in_mb: int = 512,
        function_version: str = "$LATEST",
        aws_request_id: str | None = None,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> None:
        self.function_name = function_name
        self.function_version = function_version
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{account_id}:function:{function_name}"
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = aws_request_id or str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        today = datetime.now(UTC).strftime("%Y/%m/%d")
        self.log_stream_name = f"{today}/[{function_version}]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._tenant_id = None
        self.timeout_ms = timeout_ms
        self._deadline = time.monotonic() + timeout_ms / 1000

    # Powertools declares this a staticmethod returning 0; a real context's is per
    # invocation, so it has to be an instance method here.
    def get_remaining_time_in_millis(self) -> int:  # type: ignore[override]
        """Milliseconds left before the configured timeout, never below zero."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (
            f"LocalLambdaContext(function_name={self.function_name!r}, "
            f"aws_request_id={self.aws_request_id!r})"
        )


def lambda_context(
    function_name: str,
    *,
    timeout_ms: int = 30000,
    memory_limit_in_mb: int = 512,
    aws_request_id: str | None = None,
) -> LocalLambdaContext:
    """A context object with what Powertools and Mangum read from a Lambda context."""
    return LocalLambdaContext(
        function_name,
        timeout_ms=timeout_ms,
        memory_limit_in_mb=memory_limit_in_mb,
        aws_request_id=aws_request_id,
    )
