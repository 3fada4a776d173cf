"""Kapture's answers as the normalised model: tickets from each of the three shapes,
the conversation as posts, additional details (and disposition and callback time) as
custom fields, and the failure bodies.

The three ticket shapes (see ``adapters/kapture/README.md``): the **ticket object** of Add
and Update (``id``, ``ticketId``, keys beside names, ``yyyy-MM-dd HH:mm:ss``), the Pull
**summary** and Get's **task_details** (``taskId``, ``ticketId``, names only,
``dd-MM-yyyy HH:mm``). The native id is always ``ticketId``, the id Update and Get take.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from adapters.errors import ProtocolError
from adapters.kapture.wire import dates
from adapters.kapture.wire.labels import Labels
from adapters.model import (
    Attachment,
    AuthorKind,
    Choice,
    CustomField,
    FieldType,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketKey,
    Visibility,
)
from adapters.text import clean_line, html_to_text, looks_like_html

DISPOSITION_KEY = "disposition"
CALLBACK_KEY = "callback_time"
PRIORITY_WORDS = {"1": "Low", "2": "Medium", "3": "High", "low": "Low", "medium": "Medium"}
PRIORITY_WORDS |= {"high": "High", "urgent": "Urgent", "critical": "Critical"}
PRIORITY_RANKS = {"Low": 4, "Medium": 3, "High": 2, "Urgent": 1, "Critical": 1}


def text(value: object) -> str:
    """A wire value as text: numbers as digits, ``None`` as ""."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def failure_message(data: object) -> str | None:
    """The message of a failure body (``status``/``Status`` ``failed``), else ``None``."""
    if not isinstance(data, dict):
        return None
    status = data.get("status", data.get("Status"))
    if not isinstance(status, str) or status.strip().casefold() != "failed":
        return None
    message = data.get("message", data.get("Message"))
    return text(message) or "the desk refused the request"


def ticket_ref(item: Mapping[str, Any], connection: str, what: str) -> str:
    ref = text(item.get("ticketId") or item.get("ticket_id"))
    if not ref:
        raise ProtocolError(connection, what, "a ticket without ticketId")
    return ref


def _priority(value: object) -> Choice | None:
    word = PRIORITY_WORDS.get(text(value).casefold())
    if word is None:
        return None
    return Choice(id=word.casefold(), label=word, rank=PRIORITY_RANKS[word])


def _person(name: object, email: object = None, ident: object = None) -> Person | None:
    shown = clean_line(text(name))
    mail = text(email)
    if not shown and not mail:
        return None
    ident_text = text(ident)
    return Person(
        id=ident_text if ident_text and ident_text != "0" else None,
        name=shown or mail,
        email=mail or None,
    )


def _latest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def ticket_from_listing(
    item: Mapping[str, Any],
    labels: Labels,
    connection: str,
    zone: tzinfo,
    *,
    what: str,
    keep_raw: bool = False,
) -> Ticket:
    """A Pull summary or Get's ``task_details`` (names, ``dd-MM-yyyy HH:mm``)."""
    ref = ticket_ref(item, connection, what)
    created = dates.parse(item.get("date"), zone)
    if created is None:
        raise ProtocolError(connection, what, f"ticket {ref} has no readable date")
    updated = _latest(
        created,
        dates.parse(item.get("lastFollowUp"), zone),
        dates.parse(item.get("lastConvesationTime"), zone),
        dates.parse(item.get("lastConversationTime"), zone),
        dates.parse(item.get("taskEnddate"), zone),
    )
    disposition = text(item.get("disposition"))
    if disposition:
        labels.learn_disposition(disposition)
    return Ticket(
        key=TicketKey(connection, ref),
        display_id=ref,
        subject=text(item.get("taskTitle") or item.get("title")) or "(no title)",
        status=labels.status(name=text(item.get("substatus")), top=text(item.get("status"))),
        priority=_priority(item.get("priority")),
        requester=_person(item.get("customerName"), item.get("customerEmail")),
        assignee=_person(item.get("assignedToName")),
        group=labels.queue(key=text(item.get("queueKey")), name=text(item.get("queueName"))),
        created=created,
        updated=updated or created,
        tags=(),
        raw=dict(item) if keep_raw else None,
    )


def ticket_from_object(
    item: Mapping[str, Any], labels: Labels, connection: str, zone: tzinfo, *, what: str
) -> Ticket:
    """The ``ticket`` of an Add or Update answer (keys and names, ``id`` and ``ticketId``)."""
    ref = ticket_ref(item, connection, what)
    created = dates.parse(item.get("date"), zone)
    if created is None:
        raise ProtocolError(connection, what, f"ticket {ref} has no readable date")
    updated = _latest(
        created,
        dates.parse(item.get("lastFollowUp"), zone),
        dates.parse(item.get("lastConversationTime"), zone),
    )
    status = labels.status(
        key=text(item.get("substatus")),
        name=text(item.get("substatusName")),
        top=text(item.get("statusName")) or text(item.get("status")),
    )
    return Ticket(
        key=TicketKey(connection, ref),
        display_id=ref,
        subject=text(item.get("taskTitle")) or "(no title)",
        status=status,
        priority=_priority(item.get("priority")),
        requester=_person(item.get("customerName"), item.get("email")),
        assignee=_person(
            item.get("assignedToName"), item.get("assignedToEmail"), item.get("assignedToId")
        ),
        group=labels.queue(key=text(item.get("queueKey")), name=text(item.get("queueName"))),
        created=created,
        updated=updated or created,
        raw=dict(item),
    )


def current_status_key(ticket: Ticket, labels: Labels) -> str | None:
    """The sub-status key Update must be sent with to leave the status as it is."""
    if ticket.status is None:
        return None
    if ticket.status.id in labels.statuses:
        return ticket.status.id
    return labels.status_key(ticket.status.label)


# --------------------------------------------------------------------------------------
# The conversation
# --------------------------------------------------------------------------------------


def _body_and_files(value: object) -> tuple[str, tuple[Attachment, ...]]:
    """``chat_message``: a string, or a list of ``{url, mime, message}`` parts."""
    if isinstance(value, list):
        parts: list[str] = []
        files: list[Attachment] = []
        for part in value:
            if not isinstance(part, dict):
                parts.append(text(part))
                continue
            parts.append(text(part.get("message")))
            url = text(part.get("url"))
            if url:
                name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "file"
                files.append(Attachment(name=name, content_type=text(part.get("mime")) or None))
        return "\n".join(p for p in parts if p), tuple(files)
    body = value if isinstance(value, str) else text(value)
    return body, ()


def posts_from_conversation(
    conversation: object,
    connection: str,
    zone: tzinfo,
    *,
    requester: str = "",
    fallback: datetime,
) -> tuple[Post, ...]:
    """Get's ``conversation_type``: ``{type: [messages]}``; ``notes`` are private notes,
    ``chat`` and ``email`` public messages, from the customer when ``sender_type`` (or the
    sender's name) says so."""
    if not isinstance(conversation, dict):
        return ()
    posts: list[Post] = []
    for kind, messages in conversation.items():
        if not isinstance(messages, list):
            continue
        note = str(kind).casefold() in ("notes", "note", "comments")
        for index, message in enumerate(messages):
            if not isinstance(message, dict):
                continue
            raw_body, files = _body_and_files(message.get("chat_message", message.get("message")))
            body = html_to_text(raw_body) if looks_like_html(raw_body) else raw_body
            if not body.strip() and not files:
                continue
            sender = text(message.get("sender_name"))
            sender_type = text(message.get("sender_type")).casefold()
            if note:
                author_kind = AuthorKind.AGENT
            elif sender_type:
                author_kind = AuthorKind.CUSTOMER if sender_type == "customer" else AuthorKind.AGENT
            else:
                same = bool(sender) and sender.casefold() == requester.casefold()
                author_kind = AuthorKind.CUSTOMER if same else AuthorKind.AGENT
            ident = text(message.get("id")) or str(index)
            posts.append(
                Post(
                    id=f"{kind}:{ident}",
                    author=_person(sender),
                    author_kind=author_kind,
                    created=dates.parse(message.get("sentDate"), zone) or fallback,
                    body=body or "(attachment)",
                    visibility=Visibility.PRIVATE if note else Visibility.PUBLIC,
                    kind=PostKind.NOTE if note else PostKind.REPLY,
                    attachments=files,
                )
            )
    posts.sort(key=lambda post: post.created)
    return tuple(posts)


# --------------------------------------------------------------------------------------
# Custom fields
# --------------------------------------------------------------------------------------


def _title(name: str) -> str:
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else name


def field_key(group: str, name: str) -> str:
    return f"{group}.{name}"


def split_field_key(key: str) -> tuple[str, str] | None:
    group, sep, name = key.partition(".")
    return (group, name) if sep and group and name else None


def custom_fields(
    additional: object,
    labels: Labels,
    zone: tzinfo,
    *,
    disposition: str,
    callback: datetime | None,
) -> tuple[CustomField, ...]:
    """Disposition and callback time first (Update sets them by name), then every field of
    every additional-detail group (``{group: {field: value}}``; a group given as a list
    of objects is read from its first)."""
    fields = [
        CustomField(
            key=DISPOSITION_KEY,
            label="Disposition",
            group="Ticket",
            type=FieldType.SELECT,
            value=labels.dispositions.get(disposition, disposition) or None,
            options=labels.disposition_choices(),
        ),
        CustomField(
            key=CALLBACK_KEY,
            label="Callback time",
            group="Ticket",
            type=FieldType.TEXT,
            value=dates.local_text(callback, zone),
        ),
    ]
    if isinstance(additional, dict):
        for group, content in additional.items():
            entry = content[0] if isinstance(content, list) and content else content
            if not isinstance(entry, dict):
                continue
            for name, value in entry.items():
                if isinstance(value, dict | list):
                    continue  # nested deeper than Update can write back
                fields.append(
                    CustomField(
                        key=field_key(str(group), str(name)),
                        label=_title(str(name)),
                        group=_title(str(group)),
                        type=FieldType.TEXT,
                        value=text(value) or None,
                    )
                )
    return tuple(fields)


def group_values(additional: object, group: str) -> dict[str, str]:
    """The current values of one additional-detail group, to send back whole."""
    if not isinstance(additional, dict):
        return {}
    content = additional.get(group)
    entry = content[0] if isinstance(content, list) and content else content
    if not isinstance(entry, dict):
        return {}
    return {
        str(name): text(value)
        for name, value in entry.items()
        if not isinstance(value, dict | list)
    }
