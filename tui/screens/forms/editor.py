"""Editing a draft in the agent's own editor ($VISUAL, then $EDITOR, then ``vi``).

The draft goes to a private temporary file (mode 0600: it can hold customer data), the
editor runs on it, and the file's text comes back. The caller suspends the app around
:func:`edit_in_editor` so the editor has the terminal. If the editor cannot start or exits
with an error the text is not changed and :class:`EditorError` says why.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

DEFAULT_EDITOR = "vi"


class EditorError(Exception):
    """The external editor could not be run, or failed; the draft is unchanged."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as an argument list (``VISUAL="code --wait"`` works)."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        try:
            command = shlex.split(env.get(name, ""))
        except ValueError as exc:
            raise EditorError(f"cannot read ${name}: {exc}") from None
        if command:
            return command
    return [DEFAULT_EDITOR]


def edit_in_editor(text: str, *, env: Mapping[str, str] | None = None) -> str:
    """Run the editor on ``text`` and return what the file holds when it exits."""
    command = editor_command(env)
    fd, name = tempfile.mkstemp(prefix="triage-draft-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            completed = subprocess.run([*command, name], check=False)
        except FileNotFoundError:
            raise EditorError(
                f"editor {command[0]!r} was not found; set VISUAL or EDITOR"
            ) from None
        except OSError as exc:
            raise EditorError(f"cannot run {command[0]!r}: {exc.strerror or exc}") from None
        if completed.returncode != 0:
            raise EditorError(
                f"{command[0]!r} exited with status {completed.returncode}; "
                "the draft was left as it was"
            )
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    # Editors end the file with a newline; the draft did not have one.
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited
