"""Scrolling text and lists of choices that answer to vim's moves (``j`` ``k`` ``g`` ``G``
``ctrl+d`` ``ctrl+u``, from :mod:`tui.keys`) besides the arrows and page keys."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList

from tui.keys import VIM_LIST_BINDINGS, VIM_SCROLL_BINDINGS


class VimScroll(VerticalScroll):
    """A vertical scroll with vim's moves."""

    BINDINGS: ClassVar[list[BindingType]] = VIM_SCROLL_BINDINGS

    def action_half_page_down(self) -> None:
        self.scroll_relative(y=max(1, self.scrollable_content_region.height // 2), animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self.scrollable_content_region.height // 2), animate=False)


class VimOptionList(OptionList):
    """An option list with vim's moves."""

    BINDINGS: ClassVar[list[BindingType]] = VIM_LIST_BINDINGS
