"""The help screen (``?``): every key of the screen it was opened on, read from the live
bindings after the config's rebinding, so what it lists is what the keys do.

:func:`binding_catalogue` is also what the command palette lists, so the two never differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static


def notes(screen: Screen[object]) -> str:
    """The help's opening lines, naming the keys ``screen`` has now (after rebinding)."""
    reply, refresh_all, refresh_desk = (
        key_for(screen, name) for name in ("reply", "refresh_all", "refresh_desk")
    )
    keys = ""
    if reply and refresh_all and refresh_desk:
        keys = (
            f"{reply} replies (as in the design's key list); {refresh_all} refreshes every "
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


def key_for(node: DOMNode, binding_id: str) -> str:
    """The key(s) that run binding ``binding_id`` of ``node`` now, after the config's
    rebinding (``"r"``, ``"^y"``, ``"R / f5"``), or ``""`` when it has no such binding.
    Hints in messages name keys through this, so they never name a key that was rebound."""
    bindings_map = node._bindings.copy()
    if node.app._keymap:
        bindings_map.apply_keymap(node.app._keymap)
    displays = [node.app.get_key_display(b) for _key, b in bindings_map if b.id == binding_id]
    return " / ".join(dict.fromkeys(displays))


@dataclass(frozen=True)
class KeyEntry:
    """One action: the keys that run it now, what it does, and its rebinding name."""

    keys: str
    description: str
    action: str
    action_id: str | None


@dataclass(frozen=True)
class KeySection:
    title: str
    entries: tuple[KeyEntry, ...]


@runtime_checkable
class HasKeySections(Protocol):
    """A screen that says which of its widgets have keys worth listing, by section."""

    def key_sections(self) -> Sequence[tuple[str, DOMNode]]: ...


def _entries(node: DOMNode, keymap: Mapping[str, str]) -> tuple[KeyEntry, ...]:
    bindings_map = node._bindings.copy()
    if keymap:
        bindings_map.apply_keymap(keymap)
    keys_of: dict[tuple[str, str | None], list[Binding]] = {}
    for _key, binding in bindings_map:
        if binding.system or not binding.description:
            continue
        keys_of.setdefault((binding.action, binding.id), []).append(binding)
    entries = []
    for (action, binding_id), bindings in keys_of.items():
        displays = list(dict.fromkeys(node.app.get_key_display(b) for b in bindings))
        entries.append(
            KeyEntry(
                keys=" ".join(displays),
                description=bindings[0].description,
                action=action,
                action_id=binding_id,
            )
        )
    return tuple(entries)


def binding_catalogue(
    screen: Screen[object], keymap: Mapping[str, str] | None = None
) -> list[KeySection]:
    """The actions of ``screen`` and of the app, grouped, with their current keys.

    ``keymap`` defaults to the app's live keymap; pass ``{}`` for the default keys.
    """
    app = screen.app
    active: Mapping[str, str] = app._keymap if keymap is None else keymap
    if isinstance(screen, HasKeySections):
        sections = list(screen.key_sections())
    else:
        sections = [(screen.title or "Screen", screen)]
    sections.append(("App", app))
    catalogue = []
    for title, node in sections:
        entries = _entries(node, active)
        if entries:
            catalogue.append(KeySection(title, entries))
    return catalogue


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
