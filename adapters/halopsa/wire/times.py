"""Halo's timestamps, read leniently.

Halo writes ISO 8601 UTC with up to seven fractional digits and a ``Z``
(``2024-06-20T14:45:15.9746271Z``), sometimes without the fraction, and writes "no date" as
a sentinel without a zone: ``0001-01-01T00:00:00`` or ``1900-01-01T00:00:00``. Python's
parser takes at most six fractional digits, so the seventh is cut; a value without a zone
is UTC (Halo stores UTC). Sentinels, and any date before 1901, read as ``None``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_STAMP = re.compile(
    r"\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?\s*",
    re.IGNORECASE,
)
_EARLIEST = datetime(1901, 1, 1, tzinfo=UTC)


def parse_time(value: object) -> datetime | None:
    """A Halo timestamp as an aware UTC datetime; ``None`` for a sentinel, an empty value
    or anything unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    match = _STAMP.fullmatch(value)
    if match is None:
        return None
    day, clock, fraction, zone = match.groups()
    if len(clock) == 5:
        clock += ":00"
    micro = (fraction or "")[:6].ljust(6, "0")
    text = f"{day}T{clock}.{micro}"
    if zone and zone.upper() != "Z":
        text += zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None if parsed < _EARLIEST else parsed


def format_query_time(moment: datetime) -> str:
    """A date for a query parameter: ``YYYY-MM-DDTHH:MM:SS`` in UTC, as Halo's clients send."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
