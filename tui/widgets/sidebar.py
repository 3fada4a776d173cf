"""The connections sidebar: "All desks", then one entry per desk with its health.

Each desk shows its name, vendor, health state (a glyph and a word, so the state never
depends on colour alone), open-ticket count and how long ago it last synced; until it has
synced in this session, that its tickets are the cache's and how old they are ("cached 3h
ago · syncing"), and after a listing that stopped part-way, that it is incomplete. Choosing an
entry scopes the ticket list to that desk (:class:`Sidebar.ScopeSelected`).

The sidebar has one cursor, as k9s's contexts do: moving the highlight scopes the list at
once (``chosen`` false), and enter or a click chooses the desk (``chosen`` true: the list
takes the focus). The ``▶`` marks the scope, which is always the highlighted entry after a
move. A desk's trouble shows here in a few words; the desk's own view says it in full.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from adapters import registry
from adapters.model import HealthState
from adapters.text import clean_line
from tui.glyphs import GLYPHS
from tui.presentation import format_age
from tui.store import DeskState, Store
from tui.widgets.vim import VimOptionList

ALL_DESKS = "all"
_DESK_PREFIX = "desk:"

STATE_GLYPHS: dict[HealthState, str] = {
    HealthState.OK: GLYPHS.ok,
    HealthState.SYNCING: GLYPHS.syncing,
    HealthState.AUTH_FAILED: GLYPHS.auth_failed,
    HealthState.RATE_LIMITED: GLYPHS.rate_limited,
    HealthState.UNREACHABLE: GLYPHS.unreachable,
    HealthState.ERROR: GLYPHS.error,
}
STATE_WORDS: dict[HealthState, str] = {
    HealthState.OK: "ok",
    HealthState.SYNCING: "syncing",
    HealthState.AUTH_FAILED: "auth failed",
    HealthState.RATE_LIMITED: "rate limited",
    HealthState.UNREACHABLE: "unreachable",
    HealthState.ERROR: "error",
}
CURRENT_GLYPH = GLYPHS.cursor
INDENT = "    "
SEPARATOR = " · "
DEFAULT_WIDTH = 28
# "GET https://desk/api/...: " - the request an error names; the sidebar keeps the reason.
_REQUEST_PREFIX = re.compile(r"^(?:[A-Z]+ \S+: )+")


def short_reason(desk: DeskState) -> str:
    """Why a desk is unhealthy, in a few words (the notification has the whole message)."""
    if desk.state in (HealthState.OK, HealthState.SYNCING) or not desk.message:
        return ""
    if desk.state is HealthState.RATE_LIMITED and desk.retry_after:
        return f"retry after {desk.retry_after:.0f}s"
    return _REQUEST_PREFIX.sub("", clean_line(desk.message)) or clean_line(desk.message)


def option_id(connection: str | None) -> str:
    return ALL_DESKS if connection is None else _DESK_PREFIX + connection


def connection_of(option: str | None) -> str | None:
    if option is None or not option.startswith(_DESK_PREFIX):
        return None
    return option[len(_DESK_PREFIX) :]


class Sidebar(VimOptionList):
    """One entry per desk plus "All desks"; enter (or a click) scopes the list."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sidebar--name",
        "sidebar--detail",
        "sidebar--ok",
        "sidebar--syncing",
        "sidebar--auth_failed",
        "sidebar--rate_limited",
        "sidebar--unreachable",
        "sidebar--error",
    }

    class ScopeSelected(Message):
        """The scope changed: one desk, or ``None`` for all desks. ``chosen`` when the
        agent chose it (enter, a click), not only moved the highlight onto it."""

        def __init__(self, connection: str | None, *, chosen: bool = True) -> None:
            super().__init__()
            self.connection = connection
            self.chosen = chosen

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.scope: str | None = None

    def on_mount(self) -> None:
        self.border_title = "Desks"
        self.refresh_desks()
        self.highlighted = 0
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_desks())
        # Ages ("3m ago") move on even when nothing syncs.
        self.set_interval(30, self.refresh_desks, name="sidebar ages")

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

    @property
    def _text_width(self) -> int:
        """Cells available to an entry's indented lines."""
        width = self.scrollable_content_region.width or DEFAULT_WIDTH
        return max(12, width - len(INDENT))

    def _pack(self, parts: list[tuple[str, Style]]) -> list[str | tuple[str, str | Style]]:
        """Join ``parts`` with " · " on indented lines no wider than the sidebar."""
        width = self._text_width
        packed: list[str | tuple[str, str | Style]] = []
        used = 0
        for text, style in parts:
            if used and used + len(SEPARATOR) + len(text) > width:
                packed.append("\n" + INDENT)
                used = 0
            elif used:
                packed.append((SEPARATOR, self._style("sidebar--detail")))
                used += len(SEPARATOR)
            else:
                packed.append("\n" + INDENT)
            packed.append((text, style))
            used += len(text)
        return packed

    def _all_prompt(self) -> Content:
        desks = self.store.desks.values()
        count = len(self.store.desks)
        marker = CURRENT_GLYPH if self.scope is None else " "
        syncing = sum(1 for desk in desks if desk.syncing)
        detail = self._style("sidebar--detail")
        parts = [
            (f"{count} desk{'' if count == 1 else 's'}", detail),
            (f"{sum(desk.open_count for desk in desks)} open", detail),
        ]
        if syncing:
            parts.append((f"{STATE_GLYPHS[HealthState.SYNCING]} {syncing} syncing", detail))
        return Content.assemble(
            (f"{marker} All desks", self._style("sidebar--name")), *self._pack(parts)
        )

    def _desk_prompt(self, desk: DeskState, now: datetime) -> Content:
        marker = CURRENT_GLYPH if self.scope == desk.name else " "
        state = desk.state
        state_style = self._style(f"sidebar--{state.value}")
        detail = self._style("sidebar--detail")
        vendor = registry.vendor_title(desk.vendor)
        progress = ""
        if desk.syncing and desk.loaded:
            progress = f" {desk.loaded}" + (f"/{desk.total}" if desk.total is not None else "")
        parts = [
            (f"{STATE_WORDS[state]}{progress}", state_style),
            (f"{desk.open_count} open", detail),
            (format_age(desk.last_sync, now), detail),
        ]
        if desk.last_sync is None and desk.cached_at is not None:
            # Nothing synced yet this session: say plainly that the list is the cache's.
            parts = [
                (f"cached {format_age(desk.cached_at, now)}", detail),
                (f"{STATE_WORDS[state]}{progress}", state_style),
                (f"{desk.open_count} open", detail),
            ]
        if desk.incomplete and not desk.syncing:
            parts.insert(1, ("incomplete", state_style))
        prompt: list[str | tuple[str, str | Style]] = [
            (f"{marker} {STATE_GLYPHS[state]} ", state_style),
            (clean_line(desk.name), self._style("sidebar--name")),
            "\n" + INDENT,
            (vendor, detail),
            *self._pack(parts),
        ]
        reason = short_reason(desk)
        if reason:
            width = self._text_width
            if len(reason) > width:
                reason = reason[: width - len(GLYPHS.ellipsis)] + GLYPHS.ellipsis
            prompt += ["\n" + INDENT, (reason, detail)]
        return Content.assemble(*prompt)

    def on_resize(self) -> None:
        self.refresh_desks()

    def refresh_desks(self) -> None:
        """Re-render every entry from the store, keeping the highlight where it was."""
        now = self.store.clock()
        options = [Option(self._all_prompt(), id=option_id(None))]
        options += [
            Option(self._desk_prompt(desk, now), id=option_id(desk.name))
            for desk in self.store.desks.values()
        ]
        highlighted = self.highlighted
        if self.option_count == len(options):
            for index, option in enumerate(options):
                self.replace_option_prompt_at_index(index, option.prompt)
        else:
            self.set_options(options)
            if highlighted is not None and highlighted < len(options):
                self.highlighted = highlighted

    def set_scope(self, connection: str | None) -> None:
        """Mark the entry for the list's scope (without posting a selection)."""
        self.scope = connection
        self.refresh_desks()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        connection = connection_of(event.option.id)
        self.set_scope(connection)
        self.post_message(self.ScopeSelected(connection))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        connection = connection_of(event.option.id)
        if connection != self.scope and self.has_focus:
            self.set_scope(connection)
            self.post_message(self.ScopeSelected(connection, chosen=False))

    @property
    def highlighted_connection(self) -> str | None:
        option = self.highlighted_option
        return connection_of(option.id) if option is not None else None
