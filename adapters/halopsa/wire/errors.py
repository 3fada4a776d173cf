"""Halo's error bodies, read tolerantly, and the :class:`StatusHints` built on them.

Halo answers errors in several shapes, and each is read for its message:

* plain text, a business rule: ``An Outcome must be entered for this Action``;
* an ASP.NET model-state map keyed by field path: ``{"[0].status_id": ["…"]}`` (read as
  ``status_id: …``, and the field named);
* a .NET exception object ``{"ClassName": …, "Message": …}``, ``{"Message": …}`` or
  ``{"message": …}``, or ``{"resultCode": …, "errorMessage": …}``;
* an OAuth error ``{"error": …, "error_description": …}``;
* a JSON string.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from adapters.http import StatusHints

# Halo's wire field -> the Change field an error about it concerns.
WIRE_FIELDS = {
    "summary": "subject",
    "status_id": "status_id",
    "new_status": "status_id",
    "priority_id": "priority_id",
    "tickettype_id": "type_id",
    "team": "group_id",
    "team_id": "group_id",
    "new_team": "group_id",
    "agent_id": "assignee_id",
    "new_agent": "assignee_id",
}
_MODEL_KEY = re.compile(r"^(?:\[\d+\]\.?)?(?P<field>[A-Za-z_][\w]*)?")


def message_of(body: Any) -> str:
    """The message of a decoded error body (see the module docstring)."""
    if isinstance(body, str):
        return body.strip()
    if isinstance(body, list):
        return "; ".join(filter(None, (message_of(item) for item in body)))
    if not isinstance(body, dict):
        return ""
    for key in ("Message", "message", "errorMessage", "error_description", "title"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            if key == "error_description" and isinstance(body.get("error"), str):
                return f"{body['error']}: {value.strip()}"
            return value.strip()
    if isinstance(body.get("error"), str):
        return str(body["error"])
    nested = body.get("errors")
    errors: dict[str, Any] = nested if isinstance(nested, dict) else body
    parts: list[str] = []
    for key, value in errors.items():
        texts = value if isinstance(value, list) else [value]
        words = "; ".join(str(t) for t in texts if isinstance(t, str | int | float))
        if not words:
            continue
        field = _MODEL_KEY.match(str(key))
        name = field.group("field") if field and field.group("field") else ""
        parts.append(f"{name}: {words}" if name else words)
    return "; ".join(parts)


def response_message(response: httpx.Response) -> str:
    """An error response's message: JSON read by :func:`message_of`, else the text."""
    raw = response.content[:65536]
    try:
        return message_of(json.loads(raw))
    except (ValueError, UnicodeDecodeError):
        return ""


def field_of(message: str) -> str:
    """The :class:`~adapters.model.Change` field a 400 message is about, or ``request``."""
    head = message.split(":", 1)[0].strip()
    if head in WIRE_FIELDS:
        return WIRE_FIELDS[head]
    lowered = message.lower()
    for needle, field in (
        ("status", "status_id"),
        ("priority", "priority_id"),
        ("ticket type", "type_id"),
        ("team", "group_id"),
        ("agent", "assignee_id"),
        ("summary", "subject"),
        ("outcome", "outcome"),
    ):
        if needle in lowered:
            return field
    return "request"


HINTS = StatusHints(
    message=response_message,
    field_of=field_of,
    unauthorized="the access token was refused twice; check the application's client_id",
    forbidden="the API application's agent lacks a permission",
    forbidden_hint=(
        "grant it in Halo (Configuration > Teams & Agents > Roles, and the application's "
        "permissions); old tokens keep old permissions for hours"
    ),
)
