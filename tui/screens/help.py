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
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from tui.keys import KeySection, binding_catalogue, key_for


def notes(screen: Screen[object]) -> str:
    """The help's opening lines, naming the keys ``screen`` has now (after rebinding)."""
    reply, refresh_all, refresh_desk = (
        key_for(screen, name) for name in ("reply", "refresh_all", "refresh_desk")
    )
    keys = ""
    if reply and refresh_all and refresh_desk:
        keys = (
            f"{reply} replies; {refresh_all} refreshes every "
            f"desk; {refresh_desk} refreshes the current desk (the desk chosen in the "
            "sidebar, else the cursor ticket's desk).\n"
        )
    return (
        "Every action works on the marked tickets, or on the cursor's ticket when none is "
        "marked. Actions a desk cannot do are refused with the reason.\n"
        + keys
        + "Filter: words match subject, requester and id; qualifiers desk: status: priority: "
        "assignee: group: narrow further. Escape clears the filter.\n"
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
            with VerticalScroll(id="help-body"):
                yield Static(Content(notes(self.target)), id="help-notes")
                yield Static(render_catalogue(binding_catalogue(self.target)), id="help-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
