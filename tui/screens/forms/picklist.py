"""A pick-list narrowed by typing: a filter line over a list, fzf-style.

Typing narrows the list to the entries whose label or detail contains every typed word;
up/down (and page up/down, and fzf's ctrl+j/ctrl+k: j and k are letters to type
here) move the highlight while the filter keeps the focus; enter or a click picks
the highlighted entry, which the heading line then names. Used where a desk
can have hundreds of agents or groups, too many for a drop-down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.glyphs import GLYPHS


@dataclass(frozen=True)
class PickItem:
    """One entry. ``value`` is what the form returns for it; ``label`` and ``detail`` may
    be remote text and are shown literally."""

    value: str | None
    label: str
    detail: str = ""

    def matches(self, words: Sequence[str]) -> bool:
        haystack = f"{self.label}\n{self.detail}".casefold()
        return all(word in haystack for word in words)


class PickList(Vertical):
    """A heading naming the current pick, a filter input and the narrowed list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move('cursor_down')", "Next", show=False),
        Binding("up", "move('cursor_up')", "Previous", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
        # The filter line has the keys, so j and k are letters to type here: fzf's
        # ctrl+j/ctrl+k move instead. Priority: the filter's own ctrl+k (delete to the
        # end) must not take it. Not ctrl+p: it opens the command palette everywhere.
        Binding("ctrl+j", "move('cursor_down')", "Next", show=False, priority=True),
        Binding("ctrl+k", "move('cursor_up')", "Previous", show=False, priority=True),
    ]

    class Changed(Message):
        """The pick changed."""

        def __init__(self, pick_list: PickList, value: str | None) -> None:
            super().__init__()
            self.pick_list = pick_list
            self.value = value

        @property
        def control(self) -> PickList:
            return self.pick_list

    def __init__(
        self,
        title: str,
        items: Sequence[PickItem],
        *,
        value: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        if not items:
            raise ValueError("a pick list needs at least one entry")
        self.heading = title
        self.items = tuple(items)
        self._shown: list[PickItem] = list(self.items)
        self._chosen = next((item for item in self.items if item.value == value), self.items[0])

    @property
    def value(self) -> str | None:
        return self._chosen.value

    @property
    def chosen(self) -> PickItem:
        return self._chosen

    @property
    def shown(self) -> list[PickItem]:
        """The entries the filter lets through, in list order."""
        return list(self._shown)

    def compose(self) -> ComposeResult:
        yield Label(self._heading(), classes="pick-heading")
        yield Input(placeholder="type to narrow", compact=True, classes="pick-filter")
        options = OptionList(*self._options(), classes="pick-options")
        # The filter keeps the focus and drives the list, so tab goes field to field.
        options.can_focus = False
        yield options

    def on_mount(self) -> None:
        self._highlight_chosen()

    def _heading(self) -> Content:
        return Content(f"{self.heading}: {self._chosen.label}")

    def _options(self) -> list[Option]:
        options = []
        for item in self._shown:
            marker = f"{GLYPHS.mark} " if item is self._chosen else "  "
            text = f"{marker}{item.label}"
            if item.detail:
                text = f"{text}  ({item.detail})"
            options.append(Option(Content(text)))
        return options

    def _option_list(self) -> OptionList:
        return self.query_one(".pick-options", OptionList)

    def _highlight_chosen(self) -> None:
        option_list = self._option_list()
        if self._chosen in self._shown:
            option_list.highlighted = self._shown.index(self._chosen)
        elif self._shown:
            option_list.highlighted = 0

    def _refresh_options(self, highlight: int | None) -> None:
        option_list = self._option_list()
        option_list.clear_options()
        option_list.add_options(self._options())
        if highlight is not None and self._shown:
            option_list.highlighted = min(highlight, len(self._shown) - 1)

    def narrow(self, text: str) -> None:
        """Show only the entries matching every word of ``text``."""
        words = text.casefold().split()
        self._shown = [item for item in self.items if item.matches(words)]
        self._refresh_options(0)

    def pick(self, item: PickItem) -> None:
        if item not in self.items:
            raise ValueError(f"{item!r} is not in this list")
        highlighted = self._option_list().highlighted
        self._chosen = item
        self.query_one(".pick-heading", Label).update(self._heading())
        self._refresh_options(highlighted)
        self.post_message(self.Changed(self, item.value))

    def pick_highlighted(self) -> None:
        index = self._option_list().highlighted
        if index is not None and 0 <= index < len(self._shown):
            self.pick(self._shown[index])

    def action_move(self, how: str) -> None:
        option_list = self._option_list()
        moves: dict[str, Callable[[], None]] = {
            "cursor_down": option_list.action_cursor_down,
            "cursor_up": option_list.action_cursor_up,
            "page_down": option_list.action_page_down,
            "page_up": option_list.action_page_up,
        }
        moves[how]()

    @on(Input.Changed, ".pick-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.narrow(event.value)

    @on(Input.Submitted, ".pick-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        # Enter picks here; it must not reach the form, which would submit.
        event.stop()
        self.pick_highlighted()

    @on(OptionList.OptionSelected, ".pick-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(self._shown[event.option_index])
