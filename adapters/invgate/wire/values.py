"""Reading InvGate's scalars whatever type they arrive as.

Older instances write every scalar as a JSON string (``"id":"206"``, ``"created_at":
"1409931849"``, booleans ``"1"``/``"0"``); current ones write numbers and booleans; dates
are epoch seconds unless ``date_format=iso8601`` was asked for. Every reader here takes
all of those, and raises :class:`BadValue` for anything else, which the caller turns into
a :class:`~adapters.errors.ProtocolError` naming what it was reading.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class BadValue(ValueError):
    """A value of the wrong shape; the message says which."""


def ident(value: Any) -> str | None:
    """An id as the model keeps it (a string), ``None`` for null, empty or ``0``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if value else None
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "0", "null"):
            return None
        if text.lstrip("-").isdigit():
            return str(int(text))
        raise BadValue(f"{value!r} is not an id")
    raise BadValue(f"{value!r} is not an id")


def required_ident(value: Any, what: str) -> str:
    found = ident(value)
    if found is None:
        raise BadValue(f"{what} is missing")
    return found


def integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise BadValue(f"{value!r} is not a whole number")


def number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise BadValue(f"{value!r} is not a number") from None
    raise BadValue(f"{value!r} is not a number")


def flag(value: Any) -> bool:
    """A boolean: ``true``/``false``, ``1``/``0``, ``"1"``/``"0"``, ``"true"``/``"false"``;
    null and ``""`` are false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("1", "true", "yes", "on"):
            return True
        if folded in ("0", "false", "no", "off", "", "null"):
            return False
    raise BadValue(f"{value!r} is not a boolean")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadValue(f"{value!r} is not text")


def moment(value: Any) -> datetime | None:
    """A date: epoch seconds (number or string), ISO 8601, or InvGate's ``Y-m-d H:i``."""
    if value is None or value == "" or value == 0 or value == "0":
        return None
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        raw = value.strip()
        if raw.isdigit():
            return datetime.fromtimestamp(int(raw), UTC)
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise BadValue(f"{value!r} is not a date") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise BadValue(f"{value!r} is not a date")


def ids(value: Any) -> list[str]:
    """A list of ids (``[1, "2"]``), or the ``{"data": […]}`` wrapper one capture shows."""
    if value is None or value == "":
        return []
    if isinstance(value, dict) and "data" in value:
        value = value["data"]
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        raise BadValue(f"{value!r} is not a list of ids")
    found: list[str] = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("id")
        one = ident(item)
        if one is not None:
            found.append(one)
    return found


def rows(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects: a JSON array, an ID-keyed object, ``[]`` (PHP's empty array) or
    the ``{"data": […]}`` wrapper."""
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = value["data"]
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadValue(f"{what} is not a list of objects")
    return value
