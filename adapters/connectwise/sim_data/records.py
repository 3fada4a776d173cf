"""The simulated site's records, kept in the shape the API answers them.

ConnectWise answers JSON objects whose reference fields are small objects
(``{"id": 21, "name": "Service Desk"}``) and whose unset fields are left out, not sent as
null. Records are kept as those dicts, mutated by the writes, so that conditions, ``orderBy``
and ``fields`` work on exactly what a client sees; the server adds the ``_info`` hrefs of the
references when it renders them (they name the host the request came to).

A ticket's notes are built only when read (:class:`TicketRecipe` holds what they are made
from), since a site may hold 100 000 tickets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Record = dict[str, Any]


def stamp(epoch: int | float) -> str:
    """ConnectWise's timestamps: UTC, second precision, ``Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def parse_stamp(text: str) -> datetime | None:
    """A timestamp as the API writes it (or as a client sends it), aware UTC; None if not one."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass(slots=True)
class TicketRecipe:
    """What a seeded ticket's notes are generated from (fixed when the site is built)."""

    id: int
    topic: int
    variant: int
    n_notes: int
    hostile: int  # index into the hostile samples, -1 for none
    html: bool
    created: int
    updated: int
    contact_name: str
    owner_id: int  # 0: none
    resolved: bool
