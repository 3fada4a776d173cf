"""Fixtures of the fault suite: a real terminal (tmux) to run triage in and hang up on."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest


class Terminal:
    """A private tmux server (its own socket) running sessions of 80x24."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
        )
        return result.stdout

    def start(self, session: str, argv: Sequence[str]) -> int:
        """Run ``argv`` in a new session; the pid of the process in its pane."""
        command = shlex.join(["env", *(f"{k}={v}" for k, v in self.env.items()), *argv])
        self.tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
        # ``env`` execs the command: the pane's process is the command itself.
        return int(self.tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def screen(self, session: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", session)

    def keys(self, session: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", session, *keys)

    def type(self, session: str, text: str) -> None:
        self.tmux("send-keys", "-t", session, "-l", text)

    def hang_up(self, session: str) -> None:
        """Close the session's terminal, as a dropped SSH link does: the process in it gets
        SIGHUP from the kernel and from tmux."""
        self.tmux("kill-session", "-t", session)

    def wait(
        self, session: str, condition: Callable[[str], bool], what: str, limit: float = 60.0
    ) -> str:
        """The screen once ``condition`` holds; fails naming ``what`` on a hang."""
        deadline = time.monotonic() + limit
        while True:
            text = self.screen(session)
            try:
                met = condition(text)
            except (ValueError, IndexError, StopIteration):
                met = False
            if met:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"never happened: {what}\n--- screen ---\n{text}")
            time.sleep(0.05)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server whose sessions keep triage's files in the test's directory."""
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    term = Terminal(f"triage-faults-{os.getpid()}-{uuid.uuid4().hex[:8]}", env)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=10)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / term.socket).unlink(missing_ok=True)
