"""The detail pane: one ticket's fields, conversation, notes, time entries, custom fields,
unsent drafts, and (toggled) the vendor's raw payload.

Everything that came from a desk is untrusted. It is shown only through ``Content`` objects
built from plain strings (never a markup string), after one more pass of
:func:`adapters.text.clean_text`, so neither markup nor escape sequences can act. Bodies are
cut at :data:`MAX_BODY_CHARS` with a "… N more characters" line: a 1 MB body must not make
the terminal wrap a megabyte of text on every resize.

Values (times, durations, people, custom fields) read as :mod:`tui.presentation` writes
them, the same as in ``triage show``.

Public and private posts are told apart by a word and a glyph on their header and by the
style of their left border (thin or heavy), not by colour alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from adapters.model import CustomField, Post, Ticket, TicketDetail, Visibility
from adapters.text import clean_line, clean_text
from tui.glyphs import GLYPHS
from tui.keys import key_for
from tui.outbox import OutboxEntry, OutboxState
from tui.presentation import (
    attachment_text,
    author_text,
    choice_text,
    conversation,
    field_value_lines,
    format_duration,
    format_time,
    format_value,
    grouped_fields,
    notes,
    person_text,
    post_kind_text,
    tags_text,
    ticket_name,
    time_entries,
    time_text,
)
from tui.widgets.vim import VimScroll

MAX_BODY_CHARS = 8_000
MAX_BODY_LINES = 200
MAX_RAW_CHARS = 100_000

PUBLIC_LABEL = f"{GLYPHS.public} PUBLIC"
PRIVATE_LABEL = f"{GLYPHS.private} PRIVATE"
TIME_GLYPH = GLYPHS.time
DRAFT_GLYPH = GLYPHS.draft

Part = str | tuple[str, str | Style]


def truncate_body(text: str) -> tuple[str, int]:
    """The part of a body worth showing, and how many characters were left out."""
    cut = min(len(text), MAX_BODY_CHARS)
    newline = -1
    for _ in range(MAX_BODY_LINES):
        newline = text.find("\n", newline + 1, cut)
        if newline == -1:
            break
    else:
        cut = newline
    return text[:cut], len(text) - cut


def raw_text(payload: dict[str, Any] | None) -> str:
    """The vendor payload as indented JSON, cleaned like any remote text, and capped."""
    if not payload:
        return "(no raw payload)"
    text = clean_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    if len(text) > MAX_RAW_CHARS:
        text = text[:MAX_RAW_CHARS] + f"\n… {len(text) - MAX_RAW_CHARS} more characters"
    return text


class PostList(Vertical):
    """A titled section of posts, one :class:`Static` per post so that wrapped lines keep
    their post's left border (a thin line for public posts, a heavy one for private).

    The post widgets are a pool, reused from ticket to ticket: showing a ticket updates
    widgets in place and never waits for a removal.
    """

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="post-title")

    def show(self, title: Content, posts: Sequence[tuple[Content, bool]]) -> None:
        """``posts``: each post's content and whether it is private."""
        self.query_one(".post-title", Static).update(title)
        pool = list(self.query(".post").results(Static))
        if len(pool) < len(posts):
            extra = [Static(classes="post") for _ in range(len(posts) - len(pool))]
            self.mount_all(extra)
            pool += extra
        for widget, (content, private) in zip(pool, posts, strict=False):
            widget.update(content)
            widget.set_class(private, "-private")
            widget.set_class(not private, "-public")
            widget.display = True
        for widget in pool[len(posts) :]:
            widget.update(Content(""))
            widget.display = False

    @property
    def text(self) -> str:
        """Everything the section shows, as plain text (tests, the clipboard-free copy)."""
        shown = [self.query_one(".post-title", Static)]
        shown += [w for w in self.query(".post").results(Static) if w.display]
        return "\n".join(str(widget.content) for widget in shown)


class DetailPane(VimScroll, can_focus=True):
    """Shows one ticket. ``show_ticket`` paints what the list knows at once;
    ``show_detail`` adds the conversation once it has been fetched."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail--label",
        "detail--title",
        "detail--section",
        "detail--public",
        "detail--private",
        "detail--meta",
        "detail--truncated",
        "detail--failed",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the footer while the pane has the keys: the way back to the list.
        Binding("escape", "screen.back", "Back", id="detail.back"),
    ]

    raw_mode: reactive[bool] = reactive(False)

    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.ticket: Ticket | None = None
        self.detail: TicketDetail | None = None
        self.drafts: list[OutboxEntry] = []
        self.status_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content("No ticket selected."), id="detail-header")
        yield Static(Content(""), id="detail-status")
        yield Static(Content(""), id="detail-drafts")
        yield PostList(id="detail-conversation")
        yield PostList(id="detail-notes")
        yield Static(Content(""), id="detail-time")
        yield Static(Content(""), id="detail-fields")
        yield Static(Content(""), id="detail-raw")

    def on_mount(self) -> None:
        self.border_title = "Detail"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._render_all())

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

    def _post_section(self, widget_id: str, title: str, posts: Sequence[Post] | None) -> None:
        section = self.query_one(f"#{widget_id}", PostList)
        section.display = posts is not None and not self.raw_mode
        if posts is None:
            section.show(Content(""), [])
            return
        ordered = list(posts)
        heading = Content.assemble(
            (f"{title} ({len(ordered)})", self._style("detail--section")),
            "\n(none)" if not ordered else "",
        )
        section.show(
            heading,
            [(self._post(post), post.visibility is Visibility.PRIVATE) for post in ordered],
        )

    def text_of(self, section: str) -> str:
        """The plain text a section shows (``conversation``, ``notes``, ``time``,
        ``fields``, ``raw``, ``header``, ``drafts``)."""
        widget = self.query_one(f"#detail-{section}")
        if isinstance(widget, PostList):
            return widget.text
        assert isinstance(widget, Static)
        return str(widget.content)

    def _section(self, widget_id: str, content: Content | None) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content if content is not None else Content(""))
        widget.display = content is not None and not self.raw_mode

    # ------------------------------------------------------------------ public API

    def show_ticket(self, ticket: Ticket | None, *, status: str = "") -> None:
        """Show a ticket's list fields now; the conversation follows with show_detail."""
        if ticket is None or self.ticket is None or ticket.key != self.ticket.key:
            self.detail = None
            self.scroll_home(animate=False)
        self.ticket = ticket
        self.status_text = status
        self._render_all()

    def show_detail(self, detail: TicketDetail) -> None:
        if self.ticket is not None and detail.ticket.key != self.ticket.key:
            return
        self.ticket = detail.ticket
        self.detail = detail
        self.status_text = ""
        self._render_all()

    def show_status(self, status: str) -> None:
        """A line under the header: "loading…", or why the conversation is missing."""
        self.status_text = status
        self._render_status()

    def show_drafts(self, drafts: Sequence[OutboxEntry]) -> None:
        self.drafts = list(drafts)
        self._render_drafts()

    def watch_raw_mode(self, raw_mode: bool) -> None:
        self.set_class(raw_mode, "-raw")
        if self.is_mounted:
            self._render_all()
            # The raw view (and the ticket after it) opens at its top, not where the
            # other view was scrolled to.
            self.scroll_home(animate=False)

    def action_toggle_raw(self) -> None:
        self.raw_mode = not self.raw_mode

    # ------------------------------------------------------------------ rendering

    def _render_all(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#detail-header", Static).update(self._header())
        self._render_status()
        self._render_drafts()
        detail = self.detail
        posts = detail.posts if detail is not None else ()
        said = conversation(posts)
        noted = notes(posts)
        timed = time_entries(posts)
        self._post_section("detail-conversation", "Conversation", said if detail else None)
        self._post_section("detail-notes", "Notes", noted or None)
        self._section("detail-time", self._time_entries(timed) if timed else None)
        self._section(
            "detail-fields",
            self._custom_fields(detail.custom_fields) if detail is not None else None,
        )
        raw_widget = self.query_one("#detail-raw", Static)
        if self.raw_mode and self.ticket is not None:
            payload = detail.raw if detail is not None and detail.raw else self.ticket.raw
            raw_widget.update(
                Content.assemble(
                    ("Raw vendor payload", self._style("detail--section")),
                    f" ({back}: back)\n" if (back := key_for(self.screen, "toggle_raw")) else "\n",
                    raw_text(payload),
                )
            )
            raw_widget.display = True
        else:
            raw_widget.update(Content(""))
            raw_widget.display = False

    def _render_status(self) -> None:
        widget = self.query_one("#detail-status", Static)
        widget.update(Content(self.status_text))
        widget.display = bool(self.status_text)

    def _render_drafts(self) -> None:
        if not self.is_mounted:
            return
        widget = self.query_one("#detail-drafts", Static)
        drafts = [d for d in self.drafts if self.ticket and d.key == str(self.ticket.key)]
        if not drafts or self.raw_mode:
            widget.update(Content(""))
            widget.display = False
            return
        parts: list[Part] = [
            (f"{DRAFT_GLYPH} Unsent drafts ({len(drafts)})", self._style("detail--section"))
        ]
        for draft in drafts:
            kind = "reply" if draft.visibility is Visibility.PUBLIC else "note"
            state = "failed" if draft.state is OutboxState.FAILED else draft.state.value
            parts += ["\n", (f"{DRAFT_GLYPH} {kind} · {state}", self._style("detail--meta"))]
            if draft.last_error:
                error = clean_line(draft.last_error)
                parts += [" · ", (error, self._style("detail--failed"))]
            preview = clean_line(draft.text)
            parts += ["\n  ", preview[:200] + ("…" if len(preview) > 200 else "")]
        widget.update(Content.assemble(*parts))
        widget.display = True

    def _header(self) -> Content:
        ticket = self.ticket
        if ticket is None:
            return Content("No ticket selected.")
        label = self._style("detail--label")
        parts: list[Part] = [
            (ticket_name(ticket), label),
            "\n",
            (ticket.subject or "(no subject)", self._style("detail--title")),
            "\n",
        ]
        rows = [
            [("Status", choice_text(ticket.status)), ("Priority", choice_text(ticket.priority))],
            [("Type", choice_text(ticket.type)), ("Group", choice_text(ticket.group))],
            [("Requester", person_text(ticket.requester))],
            [("Assignee", person_text(ticket.assignee))],
            [
                ("Created", format_time(ticket.created, self.tz)),
                ("Updated", format_time(ticket.updated, self.tz)),
            ],
            [("Due", format_time(ticket.due, self.tz))],
        ]
        if ticket.tags:
            rows.append([("Tags", tags_text(ticket.tags))])
        for row in rows:
            for index, (name, value) in enumerate(row):
                parts += ["   " if index else "", (f"{name}: ", label), value]
            parts.append("\n")
        return Content.assemble(*parts).rstrip()

    def _post_header(self, post: Post) -> list[Part]:
        private = post.visibility is Visibility.PRIVATE
        style = self._style("detail--private" if private else "detail--public")
        kind = post_kind_text(post)
        author = author_text(post)
        return [
            (f"{PRIVATE_LABEL if private else PUBLIC_LABEL} {kind}", style),
            (
                f" · {author} ({post.author_kind.value}) · {format_time(post.created, self.tz)}",
                self._style("detail--meta"),
            ),
        ]

    def _post(self, post: Post) -> Content:
        """One post: a header line (visibility word and glyph, kind, author, local time),
        the body, cut when huge, and its attachments."""
        parts = self._post_header(post)
        shown, more = truncate_body(post.body)
        parts.append("\n" + shown)
        if more:
            parts += ["\n", (f"… {more} more characters", self._style("detail--truncated"))]
        for attachment in post.attachments:
            which = f" · id {attachment.id}" if attachment.id else ""
            parts.append(
                f"\n[attachment] {attachment_text(attachment.name, attachment.size)}{which}"
            )
        return Content.assemble(*parts)

    def _time_entries(self, posts: Sequence[Post]) -> Content:
        parts: list[Part] = [(f"Time entries ({len(posts)})", self._style("detail--section"))]
        total = sum(post.time_spent or 0 for post in posts)
        for post in posts:
            parts += [
                "\n",
                (
                    f"{TIME_GLYPH} {format_time(post.created, self.tz)} · {author_text(post)} · "
                    f"{time_text(post)} · entry {post.id.rpartition(':')[2]}",
                    self._style("detail--meta"),
                ),
            ]
            shown, more = truncate_body(post.body)
            if shown:
                parts.append("\n  " + shown.replace("\n", "\n  "))
            if more:
                parts += ["\n  ", (f"… {more} more characters", self._style("detail--truncated"))]
        parts.append(f"\nTotal spent: {format_duration(total)}")
        return Content.assemble(*parts)

    def _custom_fields(self, fields: Sequence[CustomField]) -> Content:
        parts: list[Part] = [(f"Custom fields ({len(fields)})", self._style("detail--section"))]
        if not fields:
            parts.append("\n(none)")
        for group, members in grouped_fields(fields).items():
            parts += ["\n", (f"[{group}]", self._style("detail--label"))]
            for field in members:
                flags = "" if field.editable else ", read-only"
                flags += ", required" if field.required else ""
                parts += [
                    f"\n  {field.label}",
                    (
                        f" ({field.type.value.replace('_', '-')}{flags})",
                        self._style("detail--meta"),
                    ),
                ]
                # A value of several lines goes under its label, each line indented.
                shown, more = truncate_body(format_value(field))
                parts.append(field_value_lines(shown, "    "))
                if more:
                    truncated = self._style("detail--truncated")
                    parts += ["\n    ", (f"… {more} more characters", truncated)]
        return Content.assemble(*parts)
