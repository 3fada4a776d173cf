"""tui.keys reads bindings from the classes' public ``BINDINGS``; Textual merges them the
same way internally. This guard compares the two for every node the app lists keys of,
so a Textual change in how bindings merge cannot make the help lie unnoticed."""

from __future__ import annotations

import pytest
from textual.dom import DOMNode

from tui.app import TriageApp
from tui.keys import declared_bindings, normalize_keys
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.detail import DetailPane
from tui.widgets.sidebar import Sidebar
from tui.widgets.ticket_list import TicketList


@pytest.mark.parametrize(
    "node_type", [TriageApp, MainScreen, TicketList, DetailPane, Sidebar, HelpScreen]
)
def test_declared_bindings_match_textuals_merge(node_type: type[DOMNode]) -> None:
    ours = {(key, b.action, b.id) for key, b in declared_bindings(node_type)}
    textuals = {(key, b.action, b.id) for key, b in node_type._merge_bindings()}
    assert ours == textuals


def test_keys_are_normalised_as_textual_names_them() -> None:
    assert normalize_keys("?, R ,f5") == "question_mark,R,f5"
    assert normalize_keys("ctrl+y") == "ctrl+y"
