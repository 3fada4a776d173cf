"""The Textual application: themes, app-wide keys, key rebinding from the config, the
command palette provider, and :func:`run_app`, which the CLI calls.

No vendor code lives here: the app sees only adapters and the normalised model, so a desk
added later appears with no change to the UI.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import tzinfo
from functools import partial
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.theme import Theme

import tui
from adapters.base import Adapter
from tui.cache import Cache
from tui.config import AppConfig
from tui.keys import MOVES, binding_catalogue, binding_ids, normalize_keys
from tui.outbox import Outbox, OutboxError
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.sort import SortScreen
from tui.store import Clock, Store, utc_now
from tui.terminal import NoTerminal, drawing_on_the_terminal
from tui.widgets.detail import DetailPane
from tui.widgets.sidebar import Sidebar
from tui.widgets.ticket_list import TicketList

log = logging.getLogger("triage.app")


def styles_dir() -> Path:
    """``tui/_styles`` in an installed wheel, else the repository's ``styles/``."""
    package = Path(tui.__file__).parent
    installed = package / "_styles"
    return installed if installed.is_dir() else package.parent / "styles"


def style_paths() -> list[str | PurePath]:
    return list(sorted(styles_dir().glob("*.tcss")))


TRIAGE_THEME = Theme(
    name="triage",
    primary="#5FAFD7",
    secondary="#87AFAF",
    accent="#FFAF5F",
    warning="#FFD75F",
    error="#FF6E6E",
    success="#87D787",
    foreground="#D7D7D7",
    background="#1A1C1E",
    surface="#23262A",
    panel="#2E3238",
    dark=True,
)

# Sixteen ANSI colours only, by name: the terminal's own palette decides what they look like.
TRIAGE_ANSI_THEME = Theme(
    name="triage-ansi",
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_yellow",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border": "ansi_blue",
        "border-blurred": "ansi_bright_black",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "block-cursor-blurred-foreground": "ansi_black",
        "block-cursor-blurred-background": "ansi_bright_black",
        "block-hover-background": "ansi_bright_black",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-cursor-text-style": "none",
        "input-selection-background": "ansi_bright_blue",
        "input-selection-foreground": "ansi_black",
        "screen-selection-background": "ansi_bright_blue",
        "screen-selection-foreground": "ansi_black",
        "footer-key-foreground": "ansi_yellow",
        "footer-description-foreground": "ansi_default",
        "footer-background": "ansi_default",
        "scrollbar": "ansi_bright_black",
        "scrollbar-hover": "ansi_white",
        "scrollbar-active": "ansi_bright_white",
        "scrollbar-background": "ansi_default",
    },
)

THEMES = (TRIAGE_THEME, TRIAGE_ANSI_THEME)


def rebindable_actions() -> set[str]:
    """Every binding id of the app's screens and widgets: the names ``ui.keys`` accepts."""
    return binding_ids(
        (TriageApp, MainScreen, TicketList, DetailPane, Sidebar, HelpScreen, SortScreen)
    )


class ActionCommands(Provider):
    """Every action of the screen the palette was opened on, with its current key: the
    triage actions first, and no moving about (the help lists those keys)."""

    def _entries(self) -> list[tuple[str, str, str]]:
        entries = []
        sections = binding_catalogue(self.screen)
        sections.sort(key=lambda section: section.title != "Triage")
        for section in sections:
            for entry in section.entries:
                if entry.action in MOVES:
                    continue
                label = f"{entry.description} ({section.title.lower()})"
                # The palette reads help as markup; keys such as "[" must stay literal.
                name = f"  ·  action: {entry.action_id}" if entry.action_id else ""
                help_text = escape(f"{entry.keys}{name}")
                entries.append((label, entry.action, help_text))
        return entries

    def _runner(self, action: str) -> Callable[[], Awaitable[object]]:
        return partial(self.screen.run_action, action)

    async def discover(self) -> Hits:
        for label, action, help_text in self._entries():
            yield DiscoveryHit(Content(label), self._runner(action), text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help_text in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    self._runner(action),
                    text=label,
                    help=help_text,
                )


class TriageApp(App[int]):
    """The triage app on a set of adapters (one per configured connection)."""

    TITLE = "triage"
    CSS_PATH = style_paths()
    COMMANDS = App.COMMANDS | {ActionCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", show=False),
        Binding("colon,ctrl+p", "command_palette", "Commands", id="command_palette", show=False),
    ]

    def __init__(
        self,
        config: AppConfig,
        adapters: Sequence[Adapter],
        *,
        outbox: Outbox | None = None,
        clock: Clock = utc_now,
        tz: tzinfo | None = None,
        auto_sync: bool = True,
        cache: Cache | None = None,
    ) -> None:
        """``clock`` and ``tz`` fix "now" and the local zone (snapshot tests);
        ``auto_sync=False`` leaves the first listing to the caller (tests that seed data);
        ``cache`` is the local cache the desks start from and sync into (none: every start
        lists every desk)."""
        super().__init__()
        self.config = config
        self.tz = tz
        self.auto_sync = auto_sync
        self.outbox_problem: str | None = None
        if outbox is None:
            try:
                outbox = Outbox()
            except OutboxError as exc:
                # The app must still start: drafts go to a private temporary directory
                # instead, and the agent is told where, so nothing typed is silently lost.
                fallback = Path(tempfile.mkdtemp(prefix="triage-outbox-")) / "outbox.json"
                self.outbox_problem = f"{exc}; drafts are kept in {fallback} for this session"
                outbox = Outbox(fallback)
        if outbox.load_error:
            self.outbox_problem = outbox.load_error
        self.cache = cache
        self.store = Store(adapters, outbox=outbox, clock=clock, cache=cache)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = config.ui.theme
        self.keymap_problem: str | None = None
        self.rebound_keys: dict[str, str] = {}
        """The keymap applied (binding id to keys), which :mod:`tui.keys` reads."""

    def get_default_screen(self) -> Screen[Any]:
        path = str(self.config.path) if self.config.path is not None else None
        return MainScreen(
            self.store,
            tz=self.tz,
            auto_sync=self.auto_sync,
            config_path=path,
            open_only=self.config.ui.view == "open",
        )

    def on_mount(self) -> None:
        self.apply_keys(self.config.ui.keys)
        if self.outbox_problem:
            self.notify(self.outbox_problem, title="Outbox", severity="error", markup=False)
        if self.cache is not None:
            for notice in self.cache.take_notices():
                self.notify(notice, title="Cache", severity="warning", markup=False)

    def apply_keys(self, keys: dict[str, str]) -> None:
        """Rebind actions (binding ids) to the keys the config gives them."""
        known = rebindable_actions()
        unknown = sorted(set(keys) - known)
        if unknown:
            self.keymap_problem = (
                f"ui.keys: unknown action(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
            self.notify(self.keymap_problem, title="Config", severity="warning", markup=False)
        self.rebound_keys = {
            action: normalize_keys(keys[action]) for action in keys if action in known
        }
        self.set_keymap(self.rebound_keys)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Of Textual's own palette entries, the theme picker only: quitting and the keys
        are the app's own actions (listed with their keys), and "Maximize" or a
        screenshot is not what an agent opens the palette for."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def on_unmount(self) -> None:
        for adapter in self.store.adapters():
            with contextlib.suppress(Exception):
                await adapter.aclose()
        if self.cache is not None:
            self.cache.close()


def run_app(config: AppConfig, adapters: list[Adapter], *, use_cache: bool = True) -> int:
    """Run the app until the agent quits; the process exit status.

    It draws on the terminal even when standard error is redirected (:mod:`tui.terminal`);
    with no terminal at all it says so in one line and exits with 2. ``use_cache`` is off
    for the demo, whose desks are built afresh at every start.
    """
    app = TriageApp(config, adapters, cache=Cache() if use_cache else None)
    try:
        with drawing_on_the_terminal():
            app.run(mouse=config.ui.mouse)
    except NoTerminal as exc:
        print(f"triage: {exc}", file=sys.stderr)
        return 2
    return app.return_code or 0
