"""SIGHUP while composing, for real: triage runs in tmux, a reply is being typed, and the
terminal goes away (the session is killed, as a dropped SSH link does). The text must be in
the outbox, the process gone within a bound, and the next start must offer the draft."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.tmux

TRIAGE = Path(sys.executable).with_name("triage")
STATUS = re.compile(r"(\d+) of (\d+)")
TYPED = "Half a reply, typed just before the link dropped"
EXIT_LIMIT = 10.0
"""Seconds from the hang-up to the process being gone."""


def listed(text: str) -> bool:
    lines = text.splitlines()
    match = STATUS.search(lines[-2])
    # Every desk has synced (the list shows the open work of all of them by default).
    return match is not None and int(match[1]) > 0 and "syncing" not in lines[-2]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def drafts(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "data" / "triage" / "outbox.json"
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text())["entries"]
    return entries


def test_sighup_while_composing_keeps_the_text(terminal: Any, tmp_path: Path) -> None:
    pid = terminal.start("first", [str(TRIAGE), "-v", "--demo"])
    terminal.wait("first", listed, "the demo desks listed", limit=90.0)
    terminal.keys("first", "r")
    # The footer names the editor's keys once the editor has the focus: keys typed before
    # that would reach the list instead.
    terminal.wait(
        "first",
        lambda t: "PUBLIC REPLY" in t and "^s Send" in t.splitlines()[-1],
        "the reply editor",
    )
    terminal.type("first", TYPED)
    terminal.wait("first", lambda t: TYPED in t, "the text on screen")

    hung_up = time.monotonic()
    terminal.hang_up("first")
    while alive(pid) and time.monotonic() - hung_up < EXIT_LIMIT:
        time.sleep(0.05)
    assert not alive(pid), f"triage still running {EXIT_LIMIT} s after the hang-up"

    [entry] = drafts(tmp_path)
    assert (entry["text"], entry["state"], entry["visibility"]) == (TYPED, "draft", "public")
    # The signal saved it, not only the save-as-you-type timer.
    log = (tmp_path / "state" / "triage" / "log" / "triage.log").read_text()
    assert "stopping on SIGHUP; typed text kept in the outbox" in log

    # The next start offers it on the same ticket (the demo's first, under the cursor).
    terminal.start("second", [str(TRIAGE), "--demo"])
    terminal.wait("second", listed, "the demo desks listed again", limit=90.0)
    assert "✎ 1 draft" in terminal.screen("second")
    terminal.keys("second", "r")
    text = terminal.wait("second", lambda t: "PUBLIC REPLY" in t, "the reply editor again")
    assert TYPED in text
