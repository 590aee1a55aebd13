"""What every event builder shares: the account, region and cluster they pretend to be."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

type JSONDict = dict[str, Any]
type HeaderValue = str | Sequence[str]
type QueryValue = str | Sequence[str]


DEFAULT_REGION = "eu-central-1"
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_API_ID = "a1b2c3d4e5"
DEFAULT_MSK_CLUSTER_ARN = (
    f"arn:aws:kafka:{DEFAULT_REGION}:{DEFAULT_ACCOUNT_ID}:cluster/lunch-events/"
    "7f3c1a2b-4d5e-6f70-8192-a3b4c5d6e7f8-3"
)
DEFAULT_BOOTSTRAP_SERVERS = ",".join(
    f"b-{n}.lunchevents.abc123.c3.kafka.{DEFAULT_REGION}.amazonaws.com:9098" for n in (1, 2, 3)
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DEFAULT_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
_TEXT_BODY_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")
