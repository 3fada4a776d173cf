"""Check boxes whose state shows by shape, not only by colour: a checked box holds an
``X``, an unchecked one is empty. Textual draws the same ``X`` in both and tells them
apart by colour alone, which a 16-colour palette or NO_COLOR can erase."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

CHECKED = "X"
UNCHECKED = " "


class ShapeCheckbox(Checkbox):
    """A check box drawn ``X`` when checked and empty when not."""

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = CHECKED if self.value else UNCHECKED
        self.refresh()

    def on_mount(self) -> None:
        self.BUTTON_INNER = CHECKED if self.value else UNCHECKED


class ShapeSelectionList(SelectionList[str]):
    """A selection list whose unselected entries show an empty box."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(UNCHECKED, segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip
