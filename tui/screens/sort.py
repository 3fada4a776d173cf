"""The sort picker (``s``): a column and a direction, not a palette of sixteen entries.

One line per column says which way it would sort (``▼`` newest, largest or last first;
``▲`` the other way) and, when it sorts the list now, its rank. ``space`` turns the
highlighted column's direction round; ``enter`` sorts by that column alone; ``+`` adds it
as a further key (several-key sorting). Dismisses with the new sort keys, or ``None``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.glyphs import GLYPHS
from tui.listing import COLUMNS, SortKeys
from tui.widgets.vim import VimOptionList

ARROWS = {True: f"{GLYPHS.down} descending", False: f"{GLYPHS.up} ascending"}


def sorted_by(keys: SortKeys, name: str, descending: bool, *, add: bool) -> SortKeys:
    """``keys`` after sorting by ``name`` in that direction: alone, or (``add``) as the
    least significant key, in place if it is a key already."""
    if not add:
        return ((name, descending),)
    if any(key == name for key, _ in keys):
        return tuple((key, descending if key == name else desc) for key, desc in keys)
    return (*keys, (name, descending))


class SortScreen(ModalScreen[SortKeys | None]):
    """Pick the column and direction the list sorts by, starting from ``keys``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close_sort"),
        Binding("space,left,right", "turn", "Direction", id="sort.direction"),
        Binding("plus", "add", "Then by", id="sort.then-by"),
    ]

    def __init__(self, keys: SortKeys) -> None:
        super().__init__()
        self.keys = keys
        primary = keys[0] if keys else None
        # Enter on the column that sorts now turns it round; others start their own way.
        self.directions = {
            column.name: (not primary[1])
            if primary and primary[0] == column.name
            else column.descending_first
            for column in COLUMNS
        }

    def _line(self, index: int) -> Content:
        column = COLUMNS[index]
        rank = next((n for n, (name, _) in enumerate(self.keys, 1) if name == column.name), 0)
        now = ""
        if rank:
            arrow = GLYPHS.down if dict(self.keys)[column.name] else GLYPHS.up
            which = f", key {rank}" if len(self.keys) > 1 else ""
            now = f"  (sorting now{which}: {arrow})"
        return Content(f"{column.title:<10} {ARROWS[self.directions[column.name]]}{now}")

    def compose(self) -> ComposeResult:
        with Vertical(id="sort-dialog"):
            yield Static(
                Content(
                    "Sort by: enter sorts by the column, space turns its direction, "
                    "+ adds it as a further key"
                ),
                id="sort-title",
            )
            yield VimOptionList(
                *(Option(self._line(index)) for index in range(len(COLUMNS))), id="sort-columns"
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(VimOptionList)
        primary = self.keys[0][0] if self.keys else COLUMNS[0].name
        options.highlighted = next(i for i, c in enumerate(COLUMNS) if c.name == primary)
        options.focus()

    def _highlighted(self) -> int:
        return self.query_one(VimOptionList).highlighted or 0

    def action_turn(self) -> None:
        index = self._highlighted()
        name = COLUMNS[index].name
        self.directions[name] = not self.directions[name]
        self.query_one(VimOptionList).replace_option_prompt_at_index(index, self._line(index))

    def action_add(self) -> None:
        name = COLUMNS[self._highlighted()].name
        self.dismiss(sorted_by(self.keys, name, self.directions[name], add=True))

    @on(OptionList.OptionSelected, "#sort-columns")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = COLUMNS[event.option_index].name
        self.dismiss(sorted_by(self.keys, name, self.directions[name], add=False))

    def action_close(self) -> None:
        self.dismiss(None)
