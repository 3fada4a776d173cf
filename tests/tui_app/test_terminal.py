"""`triage 2>err.log`: the app draws on the terminal, not into the file (tui.terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tui.terminal import NoTerminal

CHILD = """\
import os, sys
from tui.terminal import drawing_on_the_terminal
with drawing_on_the_terminal(sys.argv[1]):
    os.write(2, b"the screen")
    sys.stderr.write("still the screen\\n")
sys.stderr.write("a traceback after the app\\n")
"""


def test_a_redirected_stderr_still_draws_on_the_terminal(tmp_path: Path) -> None:
    master, slave = os.openpty()
    err_log = tmp_path / "err.log"
    try:
        with err_log.open("wb") as err:
            subprocess.run(
                [sys.executable, "-c", CHILD, os.ttyname(slave)],
                stderr=err,
                stdin=subprocess.DEVNULL,
                check=True,
                timeout=30,
            )
        drawn = os.read(master, 4096)
    finally:
        os.close(master)
        os.close(slave)
    assert b"the screen" in drawn and b"still the screen" in drawn
    # The file gets what comes after the app, and none of the screen.
    assert err_log.read_text() == "a traceback after the app\n"


REFUSED = """\
import sys
from tui.terminal import NoTerminal, drawing_on_the_terminal
for tty in sys.argv[1:]:
    try:
        with drawing_on_the_terminal(tty):
            raise SystemExit("drew without a terminal")
    except NoTerminal as exc:
        print(exc)
"""


def test_no_terminal_at_all_is_refused_in_one_line(tmp_path: Path) -> None:
    plain_file = tmp_path / "not-a-tty"
    plain_file.write_text("")
    with (tmp_path / "err.log").open("wb") as err:  # standard error is no terminal
        done = subprocess.run(
            [sys.executable, "-c", REFUSED, str(tmp_path / "no-such-tty"), str(plain_file)],
            stderr=err,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            timeout=30,
        )
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert all("needs a terminal to draw on" in line for line in lines)
    assert NoTerminal().args[0] == lines[0]
