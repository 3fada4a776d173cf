"""The help screen (``?``): every key of the screen it was opened on, after the config's
rebinding, so what it lists is what the keys do.

The keys come from :func:`tui.keys.binding_catalogue`, which the command palette lists
too, so the two never differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from tui.keys import KeySection, binding_catalogue, key_for
from tui.widgets.vim import VimScroll


def notes(screen: Screen[object]) -> str:
    """The help's opening lines, naming the keys ``screen`` has now (after rebinding)."""
    reply, refresh_all, refresh_desk, show_all = (
        key_for(screen, name) for name in ("reply", "refresh_all", "refresh_desk", "show_all")
    )
    keys = ""
    if reply and refresh_all and refresh_desk:
        keys = (
            f"{reply} replies; {refresh_all} refreshes every desk; {refresh_desk} refreshes "
            "the current desk (the desk chosen in the sidebar, else the cursor ticket's).\n"
        )
    if show_all:
        keys += (
            f"The list shows the open work; {show_all} (or is:all in the filter) shows "
            "resolved and closed tickets too.\n"
        )
    return (
        "Every action works on the marked tickets, or on the cursor's ticket when none is "
        "marked. Actions a desk cannot do are refused with the reason.\n"
        + keys
        + "Filter: words match subject, requester and id; desk: status: priority: assignee: "
        "group: is: narrow further (priority:P1, assignee:zoe finds Zoë).\n"
        "Escape closes what is open, one thing at a time, then clears the filter.\n"
        "j k g G ctrl+d ctrl+u move in every list and pane, as the arrows and pages do.\n"
        "Rebind any action in the config, by the action name in brackets:\n"
        '  [ui.keys]\n  reply = "ctrl+y"\n  refresh_all = "R,F5"'
    )


def render_catalogue(catalogue: Sequence[KeySection]) -> Content:
    lines: list[Content] = []
    width = max((len(entry.keys) for section in catalogue for entry in section.entries), default=4)
    for section in catalogue:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold underline"))
        for entry in section.entries:
            lines.append(
                Content.assemble(
                    (f"  {entry.keys:<{width}}", "bold"),
                    f"  {entry.description}",
                    (f"  [{entry.action_id}]" if entry.action_id else "", "dim"),
                )
            )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Lists every key of ``screen`` (the screen ``?`` was pressed on)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="close_help"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Content("Keys"), id="help-title")
            with VimScroll(id="help-body"):
                yield Static(Content(notes(self.target)), id="help-notes")
                yield Static(render_catalogue(binding_catalogue(self.target)), id="help-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
