"""Kapture's dates: three formats on the wire, all on the tenant's wall clock.

Add and Update answers write ``yyyy-MM-dd HH:mm:ss``; Get and Pull ``dd-MM-yyyy HH:mm``;
``lastConversationTime`` is epoch milliseconds; the older docs also show
``yyyy-MM-dd HH:mm``. None carries a zone, so the connection names the tenant's
(``timezone``: an IANA name or a fixed offset such as ``+05:30``) and every date becomes
UTC here. Pull takes days (``yyyy-MM-dd``) of that same clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y",
)
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})$", re.IGNORECASE)
_EPOCH_MS = 100_000_000_000  # numbers above this are milliseconds (after 1973 in ms)


def tenant_zone(text: str) -> tzinfo:
    """The zone of ``+05:30``, ``UTC-03:00``, ``UTC`` or an IANA name; ValueError else."""
    value = text.strip()
    if value.upper() in ("UTC", "GMT", "Z"):
        return UTC
    match = _OFFSET.match(value)
    if match is not None:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= timedelta(hours=24):
            raise ValueError(f"offset {text!r} is a day or more")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {text!r} (use a name such as Asia/Kolkata or an offset such "
            "as +05:30)"
        ) from None


def parse(value: object, zone: tzinfo) -> datetime | None:
    """A wire date in any of Kapture's forms as UTC; ``None`` for empty or unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if value <= 0:
            return None
        seconds = value / 1000 if value > _EPOCH_MS else float(value)
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return parse(int(text), zone)
    for pattern in FORMATS:
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return naive.replace(tzinfo=zone).astimezone(UTC)
    return None


def today(zone: tzinfo, now: datetime | None = None) -> date:
    """The tenant's current day."""
    return (now or datetime.now(UTC)).astimezone(zone).date()


def window_days(last: date, days: int) -> list[date]:
    """The ``days`` days ending with ``last``, newest first: one Pull window each."""
    return [last - timedelta(days=offset) for offset in range(days)]


def day_text(day: date) -> str:
    return day.strftime("%Y-%m-%d")


def wall_clock(moment: datetime, zone: tzinfo) -> str:
    """``moment`` as Update's ``callback_time`` wants it: ``yyyy-MM-dd HH:mm:ss``."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def local_text(moment: datetime | None, zone: tzinfo) -> str | None:
    """``moment`` as an agent reads it on the tenant's clock: ``yyyy-MM-dd HH:mm``."""
    return None if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
