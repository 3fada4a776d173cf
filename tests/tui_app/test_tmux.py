"""``triage --demo`` in a real terminal: tmux runs it at 80x24, the test types keys and reads
the screen back with ``capture-pane``. The tmux server is private to the test (its own
socket) and is killed at the end, whatever happens."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters import registry
from tui.config import build_adapters
from tui.demo import demo_config

pytestmark = pytest.mark.tmux

TRIAGE = Path(sys.executable).with_name("triage")
STATUS = re.compile(r"(\d+) of (\d+)")
# A ticket row: gutter, then the ticket's name: with one desk in the demo its whole display
# id (Kayako's ``RRQ-270-56936``), with several ``desk:id`` (the desk cut short at 80).
ONE_DESK = len(registry.vendor_names()) == 1
TICKET_ROW = re.compile(
    r"[▶ ][● ] [A-Z]{3}-\d{3}-\d{5} " if ONE_DESK else r"[▶ ][● ] [a-z]+…?:[A-Za-z0-9-]+ "
)


class Terminal:
    """One tmux session running one command, on a private tmux server."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "demo")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "demo", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "demo", "-l", text)

    def wait(self, condition: Callable[[str], bool], what: str, limit: float = 30.0) -> str:
        """The screen once ``condition`` holds (fails naming ``what`` on a hang)."""
        deadline = time.monotonic() + limit
        while True:
            text = self.screen()
            if condition(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"never happened: {what}\n--- screen ---\n{text}")
            time.sleep(0.05)

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "demo"],
            capture_output=True,
            timeout=10,
        )
        return result.returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"triage-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    env = {
        # The app's data (the outbox) and config go to the test's directory.
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    command = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), str(TRIAGE), "--demo"])
    try:
        term.tmux("new-session", "-d", "-s", "demo", "-x", "80", "-y", "24", command)
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=10)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / term.socket).unlink(missing_ok=True)


def status_line(text: str) -> str:
    lines = text.splitlines()
    return lines[-2] if len(lines) >= 2 else ""


def status(text: str) -> tuple[int, int] | None:
    match = STATUS.search(status_line(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


async def _count_demo_tickets() -> tuple[int, int]:
    config, transports = demo_config(latency=None)
    total = open_work = 0
    for adapter in build_adapters(config, transports):
        async with adapter:
            async for page in adapter.list_tickets():
                total += len(page.tickets)
                open_work += sum(not ticket.is_done for ticket in page.tickets)
    return open_work, total


def demo_ticket_count() -> tuple[int, int]:
    """How many tickets the demo's desks hold (every vendor's simulator, in-process): the
    open ones, which the list shows by default, and all of them."""
    return asyncio.run(_count_demo_tickets())


def cursor_row(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if line.startswith("▶"))


def test_demo_in_a_real_terminal(terminal: Terminal) -> None:
    open_work, total = demo_ticket_count()
    assert 0 < open_work < total
    text = terminal.wait(
        lambda t: status(t) == (open_work, total) and "syncing" not in status_line(t),
        "the demo desks listed (the open work by default)",
    )
    lines = text.splitlines()
    assert lines[0].startswith(" triage · All desks · open tickets")
    # One desk shows its display ids alone, whole (``RRQ-270-56936``), no prefix; several
    # show each ticket's key.
    assert lines[1].split()[:2] == (["ID", "Subject"] if ONE_DESK else ["Key", "Subject"])
    assert TICKET_ROW.match(lines[2])
    assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
    first = cursor_row(text)

    terminal.keys("j")
    terminal.wait(lambda t: cursor_row(t) == first + 1, "j moves the cursor down")
    terminal.keys("j")
    terminal.wait(lambda t: cursor_row(t) == first + 2, "j again")
    terminal.keys("Space")
    text = terminal.wait(lambda t: "● 1 marked" in t, "space marks the ticket")
    marked = text.splitlines()[first + 2]
    assert marked.startswith(" ●")

    terminal.keys("/")
    terminal.wait(lambda t: "filter: words" in t, "the filter input")
    terminal.type("printer")
    # The header names the filter before the list (every demo desk's tickets) is refiltered.
    text = terminal.wait(
        lambda t: "filter: printer" in t.splitlines()[0] and status(t) != (total, total),
        "filter as you type",
    )
    shown, of = status(text)  # type: ignore[misc]
    assert of == total and 0 < shown < open_work
    rows = [line for line in text.splitlines()[3:-2] if TICKET_ROW.match(line)]
    assert rows and all("printer" in row.casefold() for row in rows[:shown])
    terminal.keys("Enter")

    terminal.keys("?")
    text = terminal.wait(lambda t: "Every action works on the marked" in t, "the help screen")
    assert "Keys" in text
    terminal.keys("Escape")
    terminal.wait(lambda t: "Every action works" not in t, "help closed")

    terminal.keys("q")
    deadline = time.monotonic() + 20
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not terminal.alive()
