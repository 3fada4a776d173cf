"""``triage show KEY``: one ticket with its conversation, notes, time entries and custom
fields, as plain text (values read as in the app's detail pane, :mod:`tui.presentation`)
or as the full JSON detail."""

from __future__ import annotations

import sys

from tui.cli.common import closing, within
from tui.cli.parser import DEFAULT_DEADLINE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx

    from adapters.model import Post, TicketDetail, TicketKey
    from tui.config import AppConfig


async def show(
    key: TicketKey,
    as_json: bool,
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
    *,
    deadline: float = DEFAULT_DEADLINE,
) -> int:
    from tui.config import AppConfig, build_adapters

    settings = config.connection(key.connection)
    single = AppConfig(path=config.path, connections=[settings], ui=config.ui)
    adapters = build_adapters(
        single, {name: t for name, t in transports.items() if name == settings.name}
    )

    async def work() -> int:
        detail = await within(key.connection, deadline, adapters[0].get_ticket(key.native_id))
        if as_json:
            sys.stdout.write(detail_json(detail) + "\n")
        else:
            sys.stdout.write(render_detail(detail))
        sys.stdout.flush()
        return 0

    return await closing(adapters, work)


def detail_json(detail: TicketDetail) -> str:
    """The whole detail as JSON, the vendor's ``raw`` payload included, with every string
    (keys too) cleaned as the screen cleans text: the structure is kept, and nothing in
    it can act on the terminal it is printed on (C1 controls, escapes, bidi overrides)."""
    import json

    from tui.cli.output import clean_strings

    return json.dumps(clean_strings(detail.model_dump(mode="json")), indent=2, ensure_ascii=False)


def render_detail(detail: TicketDetail) -> str:
    """The plain-text page of ``triage show``."""
    from adapters.text import clean_line
    from tui import presentation as p

    ticket = detail.ticket
    # Named as the app and `triage tickets` name it; the desk's own id in brackets.
    name = f"{p.ticket_name(ticket)}  (id {clean_line(ticket.key.native_id)})"
    lines = [name, ticket.subject, ""]

    def field(label: str, value: str) -> None:
        lines.append(f"{label + ':':<11}{value}")

    status = ticket.status
    category = f" ({status.category.value})" if status and status.category else ""
    field("Status", p.choice_text(status) + category)
    field("Priority", p.choice_text(ticket.priority))
    field("Type", p.choice_text(ticket.type))
    field("Group", p.choice_text(ticket.group))
    field("Assignee", p.person_text(ticket.assignee))
    field("Requester", p.person_text(ticket.requester))
    field("Created", p.format_time(ticket.created))
    field("Updated", p.format_time(ticket.updated))
    field("Due", p.format_time(ticket.due))
    field("Tags", p.tags_text(ticket.tags))

    def heading(post: Post) -> str:
        visibility = "public" if post.visibility.value == "public" else "PRIVATE"
        author = f"{p.author_text(post)} ({post.author_kind.value})"
        kind = f"[{visibility} {p.post_kind_text(post)}]"
        return f"-- {p.format_time(post.created)}  {author}  {kind}"

    def body(post: Post, empty: str) -> None:
        text = post.body.rstrip("\n") or empty
        if text:
            lines.extend(f"   {line}".rstrip() for line in text.split("\n"))
        lines.extend(
            f"   attachment: {p.attachment_text(a.name, a.size)}" for a in post.attachments
        )

    sections = (("Conversation", p.conversation(detail.posts)), ("Notes", p.notes(detail.posts)))
    for title, posts in sections:
        lines += ["", f"{title} ({len(posts)})"]
        for post in posts:
            lines.append(heading(post))
            body(post, "(empty)")
    entries = p.time_entries(detail.posts)
    if entries:
        lines += ["", f"Time entries ({len(entries)})"]
        for post in entries:
            lines.append(f"{heading(post)}  {p.time_text(post)}")
            body(post, "")
        total = sum(post.time_spent or 0 for post in entries)
        lines.append(f"Total spent: {p.format_duration(total)}")

    lines += ["", f"Custom fields ({len(detail.custom_fields)})"]
    for group, fields in p.grouped_fields(detail.custom_fields).items():
        lines.append(f" {group}")
        for custom in fields:
            value = p.format_value(custom)
            lines.append(f"   {custom.label}{p.field_value_lines(value, '     ')}")
    return "\n".join(lines) + "\n"
