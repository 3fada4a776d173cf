"""Which keys run which action now, after the configuration's rebinding (``[ui.keys]``).

The help screen, the command palette, the footer-free hints in messages ("press r to
reply") and the detail pane's "(x: back)" all read keys from here, so none of them can
name a key the agent has rebound.

Only Textual's public API is used: a node's bindings are read from the ``BINDINGS`` its
classes declare (merged down the class hierarchy as Textual merges them: a subclass's key
replaces its base's), and the keymap is the one the app applied, which
:class:`tui.app.TriageApp` keeps as :attr:`Rebindable.rebound_keys`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.app import App
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

VIM_LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
    Binding("ctrl+d", "page_down", "Page down", show=False),
    Binding("ctrl+u", "page_up", "Page up", show=False),
]
"""Vim's moves for a list of choices (an ``OptionList``): every list an agent moves in
answers to them, as the ticket list does, so mutt, lazygit and k9s users are at home."""

VIM_SCROLL_BINDINGS: list[BindingType] = [
    Binding("j", "scroll_down", "Scroll down", show=False),
    Binding("k", "scroll_up", "Scroll up", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
    Binding("ctrl+d", "half_page_down", "Half page down", show=False),
    Binding("ctrl+u", "half_page_up", "Half page up", show=False),
]
"""Vim's moves for text that scrolls (the detail pane, the raw view, the help); the
half-page actions are :class:`tui.widgets.vim.VimScroll`'s."""


@runtime_checkable
class Rebindable(Protocol):
    """An app that keeps the keymap it applied: binding id to keys (``"R,f5"``)."""

    rebound_keys: Mapping[str, str]


def normalize_keys(keys: str) -> str:
    """``keys`` as Textual names them in bindings (``"?,R"`` → ``"question_mark,R"``)."""
    return ",".join(binding.key for binding in Binding.make_bindings([Binding(keys, "")]))


def app_keymap(app: App[object]) -> Mapping[str, str]:
    """The keymap ``app`` applied (empty for an app that does not say)."""
    return app.rebound_keys if isinstance(app, Rebindable) else {}


def declared_bindings(node_type: type[DOMNode]) -> BindingsMap:
    """The bindings ``node_type`` declares, with its bases', before any rebinding."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(node_type.__mro__):
        declared = base.__dict__.get("BINDINGS")
        if declared:
            keys.update(BindingsMap(declared).key_to_bindings)
    return BindingsMap.from_keys(keys)


def current_bindings(node: DOMNode, keymap: Mapping[str, str] | None = None) -> BindingsMap:
    """``node``'s bindings after ``keymap`` (default: the app's live keymap)."""
    bindings = declared_bindings(type(node))
    active = app_keymap(node.app) if keymap is None else keymap
    if active:
        bindings.apply_keymap(dict(active))
    return bindings


def key_for(node: DOMNode, binding_id: str) -> str:
    """The key(s) that run binding ``binding_id`` of ``node`` now (``"r"``, ``"^y"``,
    ``"R / f5"``), or ``""`` when it has no such binding. Hints in messages name keys
    through this, so they never name a key that was rebound."""
    displays = [
        node.app.get_key_display(binding)
        for _key, binding in current_bindings(node)
        if binding.id == binding_id
    ]
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


NOISE = frozenset(
    {
        # Terminal plumbing, not triage: selecting and copying is the terminal's job.
        "screen.copy_text",
        "copy_text",
        # Nothing in the app scrolls sideways.
        "scroll_left",
        "scroll_right",
        "page_left",
        "page_right",
    }
)
"""Actions that neither the help nor the palette lists."""

MOVES = frozenset(
    {
        "scroll_up",
        "scroll_down",
        "scroll_home",
        "scroll_end",
        "page_up",
        "page_down",
        "half_page_up",
        "half_page_down",
        "cursor_up",
        "cursor_down",
        "first",
        "last",
        "app.focus_next",
        "app.focus_previous",
    }
)
"""Moving about: the help lists these keys, the palette does not (nobody looks up
"Scroll down" to run it)."""


def _entries(node: DOMNode, keymap: Mapping[str, str]) -> tuple[KeyEntry, ...]:
    keys_of: dict[tuple[str, str | None], list[Binding]] = {}
    for _key, binding in current_bindings(node, keymap):
        if binding.system or not binding.description or binding.action in NOISE:
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
    """The actions of ``screen`` and of the app, grouped, with their current keys: what
    the help screen and the command palette list, so the two never differ.

    ``keymap`` defaults to the app's live keymap; pass ``{}`` for the default keys.
    """
    app = screen.app
    active = app_keymap(app) if keymap is None else keymap
    sections: list[tuple[str, DOMNode]]
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


def binding_ids(node_types: Iterable[type[DOMNode]]) -> set[str]:
    """Every binding id the classes declare: the names ``[ui.keys]`` accepts."""
    return {
        binding.id
        for node_type in node_types
        for _key, binding in declared_bindings(node_type)
        if binding.id
    }
