"""Column layout and cell fitting of the ticket list."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui.widgets.ticket_list import GUTTER, SUBJECT_COMFORT, compute_layout, fit

NATURAL = {"key": 12, "status": 11, "priority": 6, "assignee": 12, "group": 8}
EVERY_COLUMN = ("key", "subject", "status", "priority", "assignee", "group", "updated", "due")


def widths(width: int) -> dict[str, int]:
    return {placed.column.name: placed.width for placed in compute_layout(width, NATURAL).columns}


def test_wide_shows_every_column_with_full_titles() -> None:
    layout = compute_layout(160, NATURAL)
    assert layout.names == EVERY_COLUMN
    assert not layout.short_titles
    # Titles get a cell for the sort indicator where the data is narrower.
    assert widths(160)["priority"] == len("Priority▼2")
    assert widths(160)["updated"] == len("Updated▼2")
    assert widths(160)["subject"] == 160 - GUTTER - (12 + 11 + 10 + 12 + 8 + 9 + 12) - 7


def test_80_columns_keep_the_essentials_and_hide_due_and_group_first() -> None:
    layout = compute_layout(79, NATURAL)  # 80 minus the scrollbar
    assert layout.names == ("key", "subject", "status", "priority", "assignee", "updated")
    assert widths(79)["subject"] >= SUBJECT_COMFORT
    assert widths(79)["key"] == 12


def test_due_goes_before_group() -> None:
    assert compute_layout(100, NATURAL).names == EVERY_COLUMN[:-1]


def test_80_columns_show_priority_compact_with_real_widths() -> None:
    # The demo desk's widths: long keys, "Waiting for Customer", "Emergency".
    natural = {"key": 20, "status": 20, "priority": 9, "assignee": 15, "group": 14}
    layout = compute_layout(79, natural)
    assert layout.names == ("key", "subject", "status", "priority", "assignee", "updated")
    compact = {placed.column.name: placed.compact for placed in layout.columns}
    assert compact == {name: name == "priority" for name in layout.names}
    assert not any(placed.compact for placed in compute_layout(160, natural).columns)


def test_narrow_compacts_priority_then_drops_assignee_updated_status_priority() -> None:
    layout = compute_layout(60, NATURAL)
    assert layout.names == ("key", "subject", "status", "priority")
    assert [placed.compact for placed in layout.columns][-1]
    assert compute_layout(40, NATURAL).names == ("key", "subject")


def test_columns_are_laid_out_left_to_right_with_one_space() -> None:
    layout = compute_layout(120, NATURAL)
    x = GUTTER
    for placed in layout.columns:
        assert placed.x == x
        x += placed.width + 1
    assert x - 1 == 120
    assert layout.key_end == GUTTER + 12


def test_long_values_are_capped() -> None:
    layout = compute_layout(200, {**NATURAL, "assignee": 60, "key": 80})
    sizes = {placed.column.name: placed.width for placed in layout.columns}
    assert sizes["assignee"] == 16
    assert sizes["key"] == 24


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("abc", 5, "abc  "),
        ("abcdef", 5, "abcd…"),
        ("ab  def", 5, "ab…  "),  # no gap before the ellipsis
        ("abc", 0, ""),
        ("abc", 1, "…"),
        ("日本語テキスト", 7, "日本語…"),
        ("日本語テキスト", 8, "日本語…" + " "),  # a wide char never half-drawn
        ("emoji 🎉🎉", 8, "emoji…  "),
        ("emoji 🎉🎉", 9, "emoji 🎉…"),
    ],
)
def test_fit(text: str, width: int, expected: str) -> None:
    result = fit(text, width)
    assert result == expected
    assert cell_len(result) == width
