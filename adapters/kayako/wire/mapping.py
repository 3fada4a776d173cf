"""Mapping Kayako's tickets, posts and notes onto the model, and reading its error bodies
and sort names.

The model cleans every text field on validation (:data:`adapters.model.CleanLine`); what
stays here is what only the vendor knows: which bodies are HTML (``ishtml``, or notes that
look like it), which ids mean "none" (``"0"``), and how posts, notes and time entries
interleave in one conversation.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from adapters.kayako.wire.catalog import Catalog
from adapters.kayako.wire.records import TimeTrack, body_text
from adapters.kayako.wire.xml import Node, root_node
from adapters.model import (
    Attachment,
    AuthorKind,
    Person,
    Post,
    PostKind,
    Ticket,
    TicketKey,
    Visibility,
)
from adapters.text import clean_line, clean_text, html_to_text


def ticket_items(content: dict[str, Any], *, connection: str, what: str) -> list[Node]:
    """The ``<ticket>`` elements of a ``<tickets>`` document."""
    return root_node(content, what=what, connection=connection).items("ticket", "<ticket>")


def ticket_from_node(
    node: Node, catalog: Catalog, connection: str, *, keep_raw: bool = False
) -> Ticket:
    ticket_id = node.ident("id", "ticketid")
    node.what = f"ticket {ticket_id}"
    created = node.time("creationtime")
    updated = node.time("lastactivity")
    if created is None and updated is None:
        raise node.error("has neither creationtime nor lastactivity")
    created = created or updated
    assert created is not None  # for mypy: one of the two is set
    status = catalog.status(node.text("statusid"))
    done = status is not None and status.category is not None and status.category.is_done
    # The next SLA deadline: reply or resolution, whichever is first; a done ticket has none.
    deadlines = [t for t in (node.time("nextreplydue"), node.time("resolutiondue")) if t]
    requester_name = node.text("fullname") or node.text("email")
    owner = node.text("ownerstaffid")
    assignee = None
    if owner and owner != "0":
        name = node.text("ownerstaffname") or catalog.staff_name(owner) or f"staff {owner}"
        assignee = Person(id=owner, name=name)
    user_id = node.text("userid")
    return Ticket(
        key=TicketKey(connection, ticket_id),
        display_id=node.text("displayid") or ticket_id,
        subject=node.text("subject"),
        status=status,
        priority=catalog.priority(node.text("priorityid")),
        type=catalog.type(node.text("typeid")),
        requester=(
            Person(
                id=user_id if user_id and user_id != "0" else None,
                name=requester_name,
                email=node.text("email") or None,
            )
            if requester_name
            else None
        ),
        assignee=assignee,
        group=catalog.group(node.text("departmentid")),
        created=created,
        updated=updated or created,
        due=None if done or not deadlines else min(deadlines),
        tags=tuple(dict.fromkeys(node.text("tags").split())),
        raw=node.data if keep_raw else None,
    )


_AUTHOR_KINDS = {1: AuthorKind.AGENT, 2: AuthorKind.CUSTOMER, 3: AuthorKind.CUSTOMER}
_AUTHOR_KINDS.update({4: AuthorKind.CUSTOMER, 5: AuthorKind.CUSTOMER})


def post_from_node(node: Node, connection: str) -> Post:
    """A ``<post>``: a reply by staff (``creator`` 1) or the customer/CC/third party."""
    post_id = node.ident("id", "ticketpostid")
    node.what = f"post {post_id}"
    created = node.time("dateline")
    if created is None:
        raise node.error("has no dateline")
    kind = _AUTHOR_KINDS.get(node.number("creator"), AuthorKind.SYSTEM)
    author_id = node.text("staffid") if kind is AuthorKind.AGENT else node.text("userid")
    name = node.text("fullname") or node.text("email")
    contents = node.raw("contents")
    body = html_to_text(contents) if node.flag("ishtml") else clean_text(contents).strip()
    attachments: list[Attachment] = []
    wrapper = node.wrapper("attachments")
    if wrapper is not None:
        for item in wrapper.items("attachment"):
            size = item.number("filesize", -1)
            attachments.append(
                Attachment(
                    name=item.text("filename") or "attachment",
                    size=size if size >= 0 else None,
                    content_type=item.text("filetype") or None,
                    id=item.text("id") or None,
                )
            )
    return Post(
        id=f"post:{post_id}",
        author=(
            Person(
                id=author_id if author_id and author_id != "0" else None,
                name=name,
                email=node.text("email") or None,
            )
            if name
            else None
        ),
        author_kind=kind,
        created=created,
        body=body,
        visibility=Visibility.PRIVATE if node.flag("isprivate") else Visibility.PUBLIC,
        kind=PostKind.REPLY,
        attachments=tuple(attachments),
    )


_NOTE_PREFIX = {"user": "Note on the user: ", "userorganization": "Note on the organisation: "}
_NOTE_ID_PREFIX = {"ticket": "note", "user": "usernote", "userorganization": "orgnote"}


def note_from_node(node: Node, connection: str) -> Post:
    """A ``<note>``: a ticket note (or a user/organisation note shown on the ticket) as a
    private NOTE, or ``type="timetrack"`` as a TIME_ENTRY."""
    note_type = node.text("type") or "ticket"
    if note_type == "timetrack":
        node.what = "<note type=timetrack>"
        return TimeTrack.from_node(node).to_post(connection)
    note_id = node.ident("id")
    node.what = f"note {note_id}"
    created = node.time("creationdate") or node.time("dateline")
    if created is None:
        raise node.error("has no creationdate")
    staff_id = node.text("creatorstaffid")
    name = node.text("creatorstaffname")
    return Post(
        id=f"{_NOTE_ID_PREFIX.get(note_type, 'note')}:{note_id}",
        author=(
            Person(id=staff_id if staff_id and staff_id != "0" else None, name=name)
            if name
            else None
        ),
        author_kind=AuthorKind.AGENT if name or staff_id not in ("", "0") else AuthorKind.SYSTEM,
        created=created,
        body=_NOTE_PREFIX.get(note_type, "") + body_text(node.content or node.raw("contents")),
        visibility=Visibility.PRIVATE,
        kind=PostKind.NOTE,
    )


_KIND_ORDER = {PostKind.REPLY: 0, PostKind.RESOLUTION: 1, PostKind.NOTE: 2, PostKind.TIME_ENTRY: 3}


def conversation(ticket: Node, connection: str) -> tuple[Post, ...]:
    """Posts, notes and time entries of a single-ticket answer, in time order."""
    posts: list[Post] = []
    wrapper = ticket.wrapper("posts")
    if wrapper is not None:
        posts.extend(post_from_node(item, connection) for item in wrapper.items("post"))
    posts.extend(note_from_node(item, connection) for item in ticket.items("note"))
    return tuple(sorted(posts, key=_post_order))


def _post_order(post: Post) -> tuple[datetime, int, int, str]:
    number = post.id.rpartition(":")[2]
    return (post.created, _KIND_ORDER[post.kind], int(number) if number.isdigit() else 0, post.id)


_ERROR_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), name)
    for pattern, name in (
        (r"not implemented", "request"),
        (r"no ticket id|ticket id is", "ticket_id"),
        (r"fullname or staff id|staff id and user id|staff id, user id", "staff_id"),
        (r"worker staff", "worker_staff_id"),
        (r"owner", "assignee_id"),
        (r"\bsubject\b", "subject"),
        (r"\bfull ?name\b", "requester_name"),
        (r"\be-?mail\b", "requester_email"),
        (r"\bcontents?\b", "text"),
        (r"\bdepartment\b", "group_id"),
        (r"\bstatus\b", "status_id"),
        (r"\bpriority\b", "priority_id"),
        (r"\btype\b", "type_id"),
        (r"\bstaff\b", "staff_id"),
        (r"\buser\b", "user_id"),
        (r"work timeline", "work_date"),
        (r"bill timeline", "bill_date"),
        (r"time spent", "time_spent"),
        (r"time billable", "time_billable"),
        (r"template ?group", "template_group"),
    )
)
_CUSTOM_FIELD_ERROR = re.compile(r"custom field data is invalid\s*:?\s*(.*)", re.I | re.S)


def field_from_message(message: str) -> str:
    """Which field a 400 body is about (``Subject is empty`` -> ``subject``,
    ``Custom Field Data is Invalid: abc`` -> ``abc``); ``request`` when it does not say."""
    custom = _CUSTOM_FIELD_ERROR.search(message)
    if custom:
        return clean_line(custom.group(1)).strip(" .,") or "custom_fields"
    for pattern, name in _ERROR_FIELDS:
        if pattern.search(message):
            return name
    return "request"


SortField = Literal[
    "ticketstatustitle",
    "departmenttitle",
    "userid",
    "ownerstaffid",
    "dateline",
    "totalreplies",
    "hasattachments",
    "hasnotes",
    "lastactivity",
    "duetime",
    "creator",
    "isphonecall",
    "isescalated",
    "hasfollowup",
    "hasratings",
    "islinked",
    "tickettype",
    "tickettypetitle",
    "tickettypeid",
    "creationmode",
    "resolutiondateline",
    "isresolved",
    "iswatched",
    "prioritytitle",
    "lastreplier",
    "ticketid",
]
SORT_FIELDS: frozenset[str] = frozenset(SortField.__args__)  # type: ignore[attr-defined]
# Normalised sort names (the ticket list's columns) -> ListAll's sort field.
SORT_ALIASES: dict[str, str] = {
    "updated": "lastactivity",
    "created": "dateline",
    "due": "duetime",
    "status": "ticketstatustitle",
    "priority": "prioritytitle",
    "group": "departmenttitle",
    "type": "tickettypetitle",
    "assignee": "ownerstaffid",
    "requester": "userid",
    "id": "ticketid",
    "key": "ticketid",
    "display_id": "ticketid",
}


def sort_field(name: str | None) -> str | None:
    """ListAll's sort field for a normalised or Kayako name; ``None`` if it cannot sort so."""
    if not name:
        return "lastactivity"
    key = name.strip().lower()
    if key in SORT_FIELDS:
        return key
    return SORT_ALIASES.get(key)
