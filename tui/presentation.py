"""How a ticket's values read to the agent, the same in the app and on the command line.

The detail pane (:mod:`tui.widgets.detail`) and ``triage show`` (:mod:`tui.cli.show`)
both build their text from these functions, so a timestamp, a duration, a person or a
custom field written on several lines reads the same in both; the ticket list and every
message name a ticket with :func:`ticket_name`.

Everything returned is plain text, cleaned of controls and escape sequences: desk text is
untrusted, and neither a terminal nor Textual may read it as anything but characters.
This module imports neither Textual nor Rich, so the command line stays light.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from urllib.parse import urlsplit

from adapters.model import (
    UNASSIGNED,
    Change,
    Choice,
    CustomField,
    FieldType,
    Lookups,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketKey,
)
from adapters.text import clean_line, clean_text
from tui.glyphs import GLYPHS

EMPTY = GLYPHS.empty
"""A value the ticket does not have."""

CHECKED = f"{GLYPHS.checked} yes"
UNCHECKED = f"{GLYPHS.unchecked} no"


# --------------------------------------------------------------------------- naming


def ticket_name(ticket: Ticket) -> str:
    """How the UI names ``ticket`` to the agent: ``connection:display-id``
    (``kayako:VAN-845-20794``), the id the agent and the customer use.

    The native id stays the internal identity (:class:`TicketKey`); it is never shown as
    the ticket's name, so a ticket has one name on every screen. Plain text, one line.
    """
    return f"{ticket.key.connection}:{display_id_text(ticket)}"


def display_id_text(ticket: Ticket) -> str:
    """The display id part of :func:`ticket_name` (``VAN-845-20794``), plain, one line."""
    display_id = ticket.display_id
    if not display_id.isprintable():  # the fast path: the list names every visible row
        display_id = clean_line(display_id)
    return display_id


def key_name(key: TicketKey, ticket: Ticket | None) -> str:
    """The name of the ticket at ``key``: :func:`ticket_name` when the ticket is known,
    else the key itself (``connection:native-id``), the best name left."""
    return ticket_name(ticket) if ticket is not None else str(key)


# --------------------------------------------------------------------------- values


def format_time(when: datetime | None, tz: tzinfo | None = None) -> str:
    """A moment in the agent's local time (or ``tz``), to the minute:
    ``2024-05-01 14:30``; :data:`EMPTY` for none."""
    if when is None:
        return EMPTY
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def format_duration(seconds: int | None) -> str:
    """Time spent: ``1h 05m``, ``45m``; :data:`EMPTY` for none."""
    if seconds is None:
        return EMPTY
    hours, rest = divmod(max(0, seconds), 3600)
    minutes = rest // 60
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def format_age(since: datetime | None, now: datetime) -> str:
    """``just now``, ``40s ago``, ``5m ago``, ``3h ago``, ``2d ago``; ``never`` for None.
    How old a desk's last sync is, in the sidebar and in ``triage tickets --cached``."""
    if since is None:
        return "never"
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def choice_text(choice: Choice | None) -> str:
    """A status, priority, type or group by its label."""
    return choice.label if choice is not None else EMPTY


def person_text(person: Person | None) -> str:
    """``Name <email>``, or the name alone."""
    if person is None:
        return EMPTY
    name = person.name
    return f"{name} <{person.email}>" if person.email else name


def author_text(post: Post) -> str:
    """Who wrote a post: a name, or ``unknown``."""
    return post.author.name if post.author else "unknown"


def tags_text(tags: Sequence[str]) -> str:
    return ", ".join(tags) or EMPTY


def post_kind_text(post: Post) -> str:
    """``reply``, ``note``, ``resolution``, ``time entry``."""
    return post.kind.value.replace("_", " ")


def format_value(field: CustomField) -> str:
    """A custom field's value as plain text, by its type.

    One line, except a value written on several lines (steps to reproduce, an address),
    which keeps its lines: each is cleaned on its own and the blank lines around the value
    are dropped, so ``"1. Sign in\\n2. Open"`` is not read as ``"1. Sign in 2. Open"``.
    Use :func:`field_value_lines` to lay such a value out under its label.
    """
    value = field.value
    if field.type is FieldType.CHECKBOX:
        return CHECKED if value else UNCHECKED
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(clean_line(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    lines = [clean_line(line) for line in clean_text(str(value)).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) or EMPTY


def field_value_lines(value: str, indent: str) -> str:
    """How a field's value follows its label: ``": value"`` on the label's line, or, for
    a value of several lines, ``":"`` and each line under it, indented."""
    if "\n" not in value:
        return f": {value}"
    lines = (f"{indent}{line}" if line else "" for line in value.split("\n"))
    return ":\n" + "\n".join(lines)


def field_group(field: CustomField) -> str:
    """The heading a custom field is listed under."""
    return field.group or "Other"


def grouped_fields(fields: Sequence[CustomField]) -> dict[str, list[CustomField]]:
    """Custom fields by :func:`field_group`, groups by name (ungrouped fields first),
    fields in the desk's order within a group."""
    groups: dict[str, list[CustomField]] = {}
    for field in sorted(fields, key=lambda field: field.group):
        groups.setdefault(field_group(field), []).append(field)
    return groups


# --------------------------------------------------------------------------- posts


def conversation(posts: Sequence[Post]) -> list[Post]:
    """Replies and resolutions, oldest first: what the customer and the agents said."""
    return _oldest_first(p for p in posts if p.kind in (PostKind.REPLY, PostKind.RESOLUTION))


def notes(posts: Sequence[Post]) -> list[Post]:
    """Private notes, oldest first."""
    return _oldest_first(p for p in posts if p.kind is PostKind.NOTE)


def time_entries(posts: Sequence[Post]) -> list[Post]:
    """Time entries, oldest first."""
    return _oldest_first(p for p in posts if p.kind is PostKind.TIME_ENTRY)


def time_text(post: Post) -> str:
    """A time entry's figures: ``spent 1h 05m · billable 45m``."""
    spent, billable = format_duration(post.time_spent), format_duration(post.time_billable)
    return f"spent {spent} · billable {billable}"


def attachment_text(name: str, size: int | None) -> str:
    sized = f" ({size} bytes)" if size is not None else ""
    return f"{clean_line(name)}{sized}"


def _oldest_first(posts: Iterable[Post]) -> list[Post]:
    return sorted(posts, key=lambda post: post.created)


# --------------------------------------------------------------------------- changes

ARROW = GLYPHS.arrow

_CHANGE_FIELDS = (
    ("status_id", "statuses", "Status"),
    ("priority_id", "priorities", "Priority"),
    ("type_id", "types", "Type"),
    ("group_id", "groups", "Group"),
    ("assignee_id", "agents", "Assignee"),
)


def _label(lookups: Lookups | None, kind: str, choice_id: str) -> str:
    choice = lookups.find(kind, choice_id) if lookups is not None else None
    return clean_line(choice.label) if choice is not None else f"#{clean_line(choice_id)}"


def change_text(change: Change, lookups: Lookups | None) -> str:
    """What an update sets, by the desk's labels: ``Status → Open, Priority → High``."""
    parts = []
    if change.subject is not None:
        parts.append(f"Subject {ARROW} “{clean_line(change.subject)}”")
    for attribute, kind, title in _CHANGE_FIELDS:
        value = getattr(change, attribute)
        if value is None:
            continue
        shown = "nobody" if attribute == "assignee_id" and value == UNASSIGNED else None
        parts.append(f"{title} {ARROW} {shown or _label(lookups, kind, value)}")
    return ", ".join(parts)


def assignment_text(agent_id: str | None, group_id: str | None, lookups: Lookups | None) -> str:
    """What an assignment sets: ``Assignee → Ana Lima, Group → Billing``."""
    return change_text(Change(assignee_id=agent_id, group_id=group_id), lookups)


def quoted(text: str, limit: int = 40) -> str:
    """The start of a text the agent wrote, on one line, in quotes."""
    line = clean_line(text)
    return f"“{line[: limit - 1]}…”" if len(line) > limit else f"“{line}”"


# --------------------------------------------------------------------------- errors

_URL = re.compile(r"https?://\S+")


def _short_url(match: re.Match[str]) -> str:
    parts = urlsplit(match.group(0).rstrip(":,;)"))
    tail = match.group(0)[len(match.group(0).rstrip(":,;)")) :]
    # Keep a route carried in the query (Kayako's "index.php?/Tickets/Ticket/12"); drop
    # the parameters, which carry the signature, salt and key.
    route = [part for part in parts.query.split("&") if part and "=" not in part]
    return parts.path + ("?" + "&".join(route) if route else "") + tail


def error_line(message: str) -> str:
    """A desk's error message as one line without the request's query parameters (the
    signed query, its salt and key) or host: ``POST /api/index.php?/Tickets/TicketNote:
    HTTP 503 the note service is down``."""
    return _URL.sub(_short_url, clean_line(message))
