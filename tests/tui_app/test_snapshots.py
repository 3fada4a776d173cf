"""Snapshots of the main screen (80x24 and 160x48) and the help screen.

Deterministic by construction: the desks are seeded and end at a fixed "now", the app's
clock is fixed to the same instant, times are shown in UTC, and each snapshot is taken
only once every desk has synced (and, where shown, the detail has loaded).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot


def two_desks(harness: Any) -> Any:
    harness.add_desk("acme", harness.make_desk(tickets=24))
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    return harness.build()


def test_main_screen_80x24(snap_compare: Any, harness: Any) -> None:
    app = two_desks(harness)

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        await pilot.press("j", "space", "space")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_main_screen_80x24_detail_open(snap_compare: Any, harness: Any) -> None:
    app = two_desks(harness)

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        await pilot.press("enter")
        await harness.detail_loaded(pilot, app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_main_screen_160x48(snap_compare: Any, harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=24))
    harness.add_desk("globex", harness.make_desk(tickets=10, seed=2))
    harness.add_desk("locked", harness.make_desk(tickets=3), secret_key="not-the-secret")
    app = harness.build()

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        app.clear_notifications()
        await pilot.press("space")
        await harness.detail_loaded(pilot, app)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_help_screen(snap_compare: Any, harness: Any) -> None:
    app = two_desks(harness)

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)


def test_cursor_row_in_the_ansi_theme(snap_compare: Any, harness: Any) -> None:
    """16 colours: the cursor's gutter and key in reverse video, beside the ▶."""
    harness.ui = {"theme": "triage-ansi"}
    app = two_desks(harness)

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        await pilot.press("j", "j", "space")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_cursor_row_without_colour(
    snap_compare: Any, harness: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the cursor still reads, by the ▶ and reverse video."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = two_desks(harness)

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        await pilot.press("j", "j", "space")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_a_failing_desk_view_at_80x24(snap_compare: Any, harness: Any) -> None:
    harness.add_desk("acme", harness.make_desk(tickets=5))
    harness.add_desk("locked", harness.make_desk(tickets=3), secret_key="not-the-secret")
    app = harness.build()

    async def run_before(pilot: Pilot[Any]) -> None:
        await harness.synced(pilot, app)
        app.clear_notifications()
        await pilot.press("b", "G", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
