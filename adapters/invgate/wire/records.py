"""InvGate requests, comments and time entries as the normalised model.

A request's description is its first post (from the customer, public); comments follow
in time order, public or internal by ``customer_visible``, a solution comment as a
RESOLUTION; time tracking entries are private TIME_ENTRY posts. Descriptions and comments
are HTML (sometimes plain text); they become plain text here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.invgate.wire import values
from adapters.invgate.wire.catalog import Catalog, User
from adapters.model import (
    Attachment,
    AuthorKind,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketKey,
    TimeEntry,
    Visibility,
)
from adapters.text import html_to_text, looks_like_html

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def body_text(markup: Any) -> str:
    raw = values.text(markup)
    return html_to_text(raw) if looks_like_html(raw) else raw


def _person(users: Mapping[str, User], user_id: str | None) -> Person | None:
    if user_id is None:
        return None
    user = users.get(user_id)
    return user.person() if user is not None else Person(id=user_id, name=f"user #{user_id}")


def ticket_from(
    row: Mapping[str, Any], catalog: Catalog, connection: str, *, keep_raw: bool = False
) -> Ticket:
    """A request object (``incident``, ``incidents``, ``incidents.by.agent``) as a ticket."""
    number = values.required_ident(row.get("id"), "request id")
    choices = catalog.choices
    created = values.moment(row.get("created_at")) or EPOCH
    assignee = values.ident(row.get("assigned_id"))
    group = values.ident(row.get("assigned_group_id"))
    tags: list[str] = []
    category = catalog.category_label(values.ident(row.get("category_id")))
    if category:
        tags.append(category)
    return Ticket(
        key=TicketKey(connection, number),
        display_id=values.text(row.get("pretty_id")).strip() or number,
        subject=values.text(row.get("title")).strip() or "(no title)",
        status=choices.status(values.ident(row.get("status_id")) or ""),
        priority=choices.priority(values.ident(row.get("priority_id")) or ""),
        type=choices.type(values.ident(row.get("type_id")) or ""),
        requester=_person(catalog.users, values.ident(row.get("user_id"))),
        assignee=_person(catalog.users, assignee),
        group=choices.group(group or ""),
        created=created,
        updated=values.moment(row.get("last_update")) or created,
        tags=tuple(tags),
        raw=dict(row) if keep_raw else None,
    )


def description_post(row: Mapping[str, Any], catalog: Catalog) -> Post | None:
    text = body_text(row.get("description")).strip()
    if not text:
        return None
    customer = values.ident(row.get("user_id"))
    return Post(
        id=f"request-{values.ident(row.get('id'))}",
        author=_person(catalog.users, customer),
        author_kind=AuthorKind.CUSTOMER,
        created=values.moment(row.get("created_at")) or EPOCH,
        body=text,
        visibility=Visibility.PUBLIC,
        kind=PostKind.REPLY,
    )


def comment_files(row: Mapping[str, Any]) -> list[str]:
    """The attachment ids of a comment: ``attached_files`` (live) or ``attachments``."""
    return values.ids(row.get("attached_files", row.get("attachments")))


def post_from_comment(
    row: Mapping[str, Any], catalog: Catalog, files: Mapping[str, Attachment]
) -> Post:
    author_id = values.ident(row.get("author_id"))
    author = catalog.users.get(author_id or "")
    public = values.flag(row.get("customer_visible"))
    solution = values.flag(row.get("is_solution"))
    if author is None:
        kind = AuthorKind.SYSTEM if author_id is None else AuthorKind.AGENT
    else:
        kind = AuthorKind.AGENT if author.agent else AuthorKind.CUSTOMER
    return Post(
        id=values.required_ident(row.get("id"), "comment id"),
        author=_person(catalog.users, author_id),
        author_kind=kind,
        created=values.moment(row.get("created_at")) or EPOCH,
        body=body_text(row.get("message")) or "(empty)",
        visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        kind=PostKind.RESOLUTION if solution else (PostKind.REPLY if public else PostKind.NOTE),
        attachments=tuple(files[f] for f in comment_files(row) if f in files),
    )


def attachment_from(row: Mapping[str, Any]) -> Attachment:
    name = values.text(row.get("name")).strip() or f"attachment {row.get('id')}"
    extension = values.text(row.get("extension")).strip()
    if extension and not name.lower().endswith("." + extension.lower()):
        name = f"{name}.{extension}"
    return Attachment(name=name, id=values.ident(row.get("id")))


def time_entry_from(row: Mapping[str, Any], catalog: Catalog) -> TimeEntry:
    """A ``timetracking`` row as the model's time entry (worked = billable: InvGate keeps
    one figure)."""
    user_id = values.ident(row.get("user_id"))
    start = values.moment(row.get("from")) or EPOCH
    spent = values.integer(row.get("total"))
    if spent is None:
        end = values.moment(row.get("to")) or start
        spent = int((end - start).total_seconds())
    spent = max(0, spent)
    return TimeEntry(
        id=values.required_ident(row.get("timetracking_id"), "time entry id"),
        worked=spent,
        billable=spent,
        note=values.text(row.get("comment")),
        date=start,
        agent=_person(catalog.users, user_id),
    )


def post_from_time_entry(row: Mapping[str, Any], catalog: Catalog) -> Post:
    user_id = values.ident(row.get("user_id"))
    start = values.moment(row.get("from")) or EPOCH
    spent = values.integer(row.get("total"))
    if spent is None:
        end = values.moment(row.get("to")) or start
        spent = int((end - start).total_seconds())
    comment = values.text(row.get("comment")).strip()
    return Post(
        id=f"time-{values.required_ident(row.get('timetracking_id'), 'time entry id')}",
        author=_person(catalog.users, user_id),
        author_kind=AuthorKind.AGENT,
        created=start,
        body=comment or f"{spent // 60} min logged",
        visibility=Visibility.PRIVATE,
        kind=PostKind.TIME_ENTRY,
        time_spent=spent,
    )
