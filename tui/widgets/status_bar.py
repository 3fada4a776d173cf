"""The status bar: marks, "N of M" shown, which desks are syncing, and unsent drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from adapters.text import clean_line
from tui.glyphs import GLYPHS

MARK_GLYPH = GLYPHS.mark
SYNC_GLYPH = GLYPHS.syncing
DRAFT_GLYPH = GLYPHS.draft


@dataclass(frozen=True)
class StatusInfo:
    marked: int = 0
    shown: int = 0
    total: int = 0
    syncing: Sequence[str] = field(default_factory=tuple)
    drafts: int = 0
    failed_drafts: int = 0


def left_text(info: StatusInfo) -> str:
    marks = f"{MARK_GLYPH} {info.marked} marked" if info.marked else "no marks"
    return f"{marks} · {info.shown} of {info.total}"


def right_text(info: StatusInfo) -> str:
    parts = []
    if info.drafts:
        failed = f", {info.failed_drafts} failed" if info.failed_drafts else ""
        plural = "s" if info.drafts != 1 else ""
        parts.append(f"{DRAFT_GLYPH} {info.drafts} draft{plural}{failed}")
    if info.syncing:
        names = ", ".join(clean_line(name) for name in info.syncing)
        parts.append(f"{SYNC_GLYPH} syncing {names}")
    return " · ".join(parts)


class StatusBar(Horizontal):
    """One line under the list; ``show`` replaces everything it says."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = StatusInfo()

    def compose(self) -> ComposeResult:
        yield Static(Content(left_text(self.info)), id="status-left")
        yield Static(Content(right_text(self.info)), id="status-right")

    def show(self, info: StatusInfo) -> None:
        if info == self.info:
            return
        self.info = info
        if not self.is_mounted:
            return
        self.query_one("#status-left", Static).update(Content(left_text(info)))
        right = self.query_one("#status-right", Static)
        right.update(Content(right_text(info)))
        self.set_class(info.failed_drafts > 0, "-failed-drafts")
