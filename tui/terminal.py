"""Where the app draws: the terminal, even when standard error is redirected.

Textual draws on standard error. ``triage 2>err.log`` would send the whole screen into the
file and leave the terminal blank, so when standard error is not a terminal the app draws
on the process's terminal (:data:`TTY`) instead, and standard error goes back to the file
once the app has ended (a crash's traceback lands there). With no terminal at all the app
refuses in one line (:class:`NoTerminal`); the commands (``tickets``, ``show``, ``check``)
need none.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

TTY = "/dev/tty"
"""The process's terminal."""


class NoTerminal(Exception):
    """Neither standard error nor :data:`TTY` is a terminal to draw on."""

    def __init__(self) -> None:
        super().__init__(
            f"the app needs a terminal to draw on, and neither standard error nor {TTY} is "
            "one; the commands (tickets, show, check) work without"
        )


@contextlib.contextmanager
def drawing_on_the_terminal(tty: str | None = None) -> Iterator[None]:
    """Point standard error at the terminal (``tty``, default :data:`TTY`) while the app
    runs, if it is not one already, and put it back afterwards; :class:`NoTerminal` when
    there is none."""
    if os.isatty(2):
        yield
        return
    try:
        terminal = os.open(tty or TTY, os.O_RDWR | os.O_NOCTTY)
    except OSError:
        raise NoTerminal from None
    if not os.isatty(terminal):
        os.close(terminal)
        raise NoTerminal
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(terminal, 2)
    os.close(terminal)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
