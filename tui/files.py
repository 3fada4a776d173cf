"""Saving a desk's attachment to the agent's disk, safely.

An attachment's name and bytes come from a stranger. The name may be a path
(``../../.bashrc``, ``C:\\Windows\\x``), carry escape sequences or bidi overrides
(``invoice\u202eexe.pdf`` reads as ``invoicefdp.exe``), be a device name (``CON``), hidden
(``.profile``), empty or thousands of characters long. So:

* :func:`safe_file_name` keeps only a plain last path component: no separators, no control
  or bidi characters, no leading dots or trailing dots and spaces, no characters other
  systems reserve, no device names, at most :data:`MAX_NAME_BYTES` bytes (the extension
  kept), and ``attachment`` when nothing is left;
* :func:`save_file` writes into a folder under that name, never replacing a file (``name
  (1).pdf`` when taken), never following a symbolic link, and with permissions that let
  nobody run it (``0o600``); or, when the agent typed a path, to exactly that path, which
  must not exist yet unless ``replace`` is given.

Nothing here opens, previews or runs what it saved.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from adapters.actions import ActionOutcome, ActionValue
from adapters.errors import InvalidInput
from adapters.text import clean_line

MAX_NAME_BYTES = 200
"""Room under the common 255-byte limit for a ``(n)`` suffix."""
FALLBACK_NAME = "attachment"
FILE_MODE = 0o600
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
_MAX_COPIES = 10_000


def safe_file_name(name: str) -> str:
    """A file name that is only a name, whatever the desk sent (see the module docstring)."""
    # The last component, whichever separator the sender's system used.
    base = re.split(r"[/\\]", name)[-1]
    base = clean_line(base)
    base = "".join(char for char in base if unicodedata.category(char) not in ("Cc", "Cf"))
    base = _RESERVED.sub("_", base).strip(" .")
    base = base.lstrip(".-")
    if not base:
        return FALLBACK_NAME
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    if stem.split(".")[0].casefold() in _DEVICES:
        stem = f"_{stem}"
    suffix = suffix[:16]
    budget = MAX_NAME_BYTES - len(suffix.encode()) - (1 if suffix else 0)
    stem = _cut_to_bytes(stem, budget).rstrip(" .") or FALLBACK_NAME
    return f"{stem}.{suffix}" if suffix else stem


def _cut_to_bytes(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")


def save_file(
    data: bytes | Iterable[bytes],
    *,
    folder: Path | None = None,
    name: str = "",
    path: Path | None = None,
    replace: bool = False,
) -> Path:
    """Write ``data`` and return where.

    Either ``folder`` and the desk's ``name`` (made safe, numbered when taken), or the
    ``path`` the agent chose (``FileExistsError`` if it exists, unless ``replace``).
    Raises ``OSError`` as the system reports it; a partly written file is removed.
    """
    chunks = [data] if isinstance(data, bytes) else data
    if path is not None:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
        return _write(path, flags, chunks)
    if folder is None:
        raise ValueError("save_file needs a folder and a name, or a path")
    safe = safe_file_name(name)
    stem, dot, suffix = safe.rpartition(".")
    if not dot:
        stem, suffix = safe, ""
    for copy in range(_MAX_COPIES):
        candidate = safe if copy == 0 else f"{stem} ({copy}){dot}{suffix}"
        try:
            return _write(folder / candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, chunks)
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder / safe}: {_MAX_COPIES} copies already exist")


def _write(path: Path, flags: int, chunks: Iterable[bytes]) -> Path:
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def save_fetched(
    connection: str, outcome: ActionOutcome, save_to: ActionValue, folder: Path
) -> ActionOutcome:
    """Save the file an action fetched (an attachment): to ``save_to`` when the agent gave
    a path (which must not exist), else under its own name made safe in ``folder``. The
    outcome's message then says where; a problem is :class:`InvalidInput` on ``save_to``."""
    if outcome.file is None:
        return outcome
    try:
        if isinstance(save_to, str):
            path = save_file(outcome.file.data, path=Path(save_to))
        else:
            path = save_file(outcome.file.data, folder=folder, name=outcome.file.name)
    except FileExistsError as exc:
        where = exc.filename or save_to
        raise InvalidInput(connection, "save_to", f"{where} exists; nothing replaced") from None
    except OSError as exc:
        raise InvalidInput(connection, "save_to", f"{exc.filename}: {exc.strerror}") from None
    return outcome.model_copy(update={"message": f"{outcome.message}; saved to {path}"})
