"""The ``triage`` command line: the app by default, plus non-interactive commands.

``triage [--config FILE | --demo] [-v] [COMMAND]`` where COMMAND is ``tickets``, ``show``,
``check`` or ``simulate``; without one the terminal app starts. Everything heavy (pydantic,
httpx, the vendor adapters, Textual) is imported only by the command that needs it, so
``triage --help`` starts as fast as Python does: this package's modules import the
standard library only at their top, and :mod:`tui.cli.main` imports a command's module
only when that command runs.

Exit status: 0 ok, 1 a desk failed (one line on stderr naming the connection), 2 a usage or
configuration problem (one line naming the file, connection and field), 130 interrupted.
Standard output carries only the requested data, so ``--json``/``--csv`` can be piped;
warnings and logs go to standard error, and never show a secret.

One module per command (:mod:`~tui.cli.tickets`, :mod:`~tui.cli.show`,
:mod:`~tui.cli.check`, :mod:`~tui.cli.simulate`, :mod:`~tui.cli.launch` for the app), the
table, JSON and CSV writers in :mod:`~tui.cli.output`, the arguments in
:mod:`~tui.cli.parser`, what every command shares in :mod:`~tui.cli.common`, ``-v`` logging
in :mod:`~tui.cli.logs`.
"""

from tui.cli.main import main

__all__ = ["main"]
