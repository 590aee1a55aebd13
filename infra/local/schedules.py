"""EventBridge Scheduler expressions, evaluated locally so `make run` fires what AWS would.

Supports the forms the template uses: `rate(N minute|minutes|hour|hours|day|days)` and
`cron(minutes hours day-of-month month day-of-week year)` with `*`, `?`, lists, ranges and
`/` steps, in the schedule's time zone. Day-of-week is 1-7 = SUN-SAT or SUN..SAT, as in AWS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class ScheduleExpressionError(ValueError):
    """Not an expression this evaluator understands."""


@dataclass(frozen=True)
class Schedule:
    expression: str
    timezone: str

    def next_after(self, instant: datetime) -> datetime:
        """The first firing strictly after `instant` (aware), in UTC's tzinfo of `instant`."""
        if instant.tzinfo is None:
            raise ValueError("next_after needs a timezone-aware instant")
        if rate := _RATE.match(self.expression.strip()):
            step = int(rate.group(1)) * _UNIT_SECONDS[rate.group(2).rstrip("s")]
            if step <= 0:
                raise ScheduleExpressionError(f"a rate must be positive: {self.expression}")
            seconds = int(instant.timestamp())
            return datetime.fromtimestamp(seconds - seconds % step + step, tz=instant.tzinfo)
        if cron := _CRON.match(self.expression.strip()):
            return _next_cron(cron.group(1), instant, ZoneInfo(self.timezone))
        raise ScheduleExpressionError(f"unsupported schedule expression: {self.expression}")


def _next_cron(fields_text: str, instant: datetime, zone: ZoneInfo) -> datetime:
    fields = fields_text.split()
    if len(fields) != 6:
        raise ScheduleExpressionError(f"cron needs 6 fields, got {len(fields)}: {fields_text}")
    minutes = _values(fields[0], 0, 59, {})
    hours = _values(fields[1], 0, 23, {})
    days = _values(fields[2], 1, 31, {})
    months = _values(fields[3], 1, 12, _MONTHS)
    weekdays = _values(fields[4], 1, 7, _DAYS)
    years = _values(fields[5], 1970, 2199, {})
    local = instant.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(366 * 24 * 60):
        aws_weekday = (local.isoweekday() % 7) + 1  # Monday=2 ... Sunday=1
        if (
            local.minute in minutes
            and local.hour in hours
            and local.day in days
            and local.month in months
            and aws_weekday in weekdays
            and local.year in years
        ):
            return local.astimezone(instant.tzinfo)
        local += timedelta(minutes=1)
    raise ScheduleExpressionError(f"cron({fields_text}) never fires within a year")


def _values(field: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    if field in ("*", "?"):
        return set(range(low, high + 1))
    chosen: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(base, names)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high):
            raise ScheduleExpressionError(f"{part} is outside {low}-{high}")
        chosen.update(range(start, end + 1, step))
    return chosen


def _number(text: str, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise ScheduleExpressionError(f"not a cron value: {text}")
    return int(text)
