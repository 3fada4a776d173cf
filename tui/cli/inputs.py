"""What the writing commands of the CLI read and print, in one place.

An agent on a jump host scripts: ``triage tickets --json | jq … | triage close -``. Every
writing verb (``update``, ``close``, ``action``…) therefore reads its targets, its values
and its text the same way, and answers the same way:

* **Keys**: ``connection:id`` arguments; ``-`` reads them from standard input, one per line,
  or as the JSON array ``triage tickets --json`` prints, or as the stream of values
  ``jq '.[]'`` prints: objects with a ``key``, or the keys themselves as ``"conn:id"``
  strings or ``["conn", "id"]`` pairs. Repeats are dropped, order kept. A terminal on
  standard input is refused rather than waited on.
* **Values**: ``--set FIELD=VALUE``, repeatable; a field given twice collects both values
  (a multi-choice takes several), and the desk's lookups resolve them later.
* **Text**: ``--body TEXT``, ``--body-file FILE``, or ``-`` for standard input.
* **Dry run**: one line per ticket naming what would change, and nothing is sent.
* **Results**: one line per ticket, or with ``--json`` one JSON object per ticket in an
  array; each failure is also named on standard error.
* **Exit status**: :data:`EXIT_OK` when every ticket succeeded, :data:`EXIT_FAILED` when
  some failed, :data:`EXIT_USAGE` for input the command cannot use, which is reported as
  one line (:class:`UsageError`), never a traceback.

Text from a desk (messages, labels) is printed through :func:`adapters.text.clean_line`, so
no escape sequence reaches the terminal.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from adapters.actions import ActionOutcome
from adapters.model import ActionResult, TicketKey
from adapters.text import clean_line, clean_text

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

STDIN = "-"
NO_TICKET = "-"
"""The native id of a result's key when the action ran on no ticket (``users``): such a
result is printed under the connection's name alone, and ``null`` as its JSON key."""
MAX_NAME = 64
"""A display id read from standard input is cut to this (it only names a ticket)."""
MAX_STDIN = 64 * 1024 * 1024
"""Standard input beyond this is not a list of keys or a reply someone meant to send."""


class UsageError(Exception):
    """Input the command cannot use; printed as one line, exit :data:`EXIT_USAGE`."""


# --------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------


def read_keys(
    arguments: Sequence[str], stdin: TextIO, names: dict[TicketKey, str] | None = None
) -> list[TicketKey]:
    """The ticket keys named by ``arguments``, ``-`` reading standard input (once).

    ``names`` collects how ``tickets`` showed the tickets that came as its ``--json``
    objects (``kayako:HXX-271-70868`` for the key ``kayako:298``), so that the results
    name them the same way."""
    keys: list[TicketKey] = []
    read_stdin = False
    for argument in arguments:
        if argument == STDIN:
            if read_stdin:
                raise UsageError("'-' (keys from standard input) may be given once")
            read_stdin = True
            keys.extend(keys_from_text(_read_stdin(stdin, "ticket keys"), names))
        else:
            keys.append(parse_key(argument, "argument"))
    if not keys:
        where = " (standard input had none)" if read_stdin else ""
        raise UsageError(f"no ticket keys given{where}")
    return list(dict.fromkeys(keys))


def parse_key(text: str, where: str) -> TicketKey:
    """``conn:id`` as a key; ``where`` says where it came from in the error."""
    cleaned = text.strip()
    try:
        if any(unicodedata.category(char) == "Cc" for char in cleaned):
            raise ValueError("control characters")
        return TicketKey.parse(cleaned)
    except ValueError:
        shown = clean_line(text)[:80]
        raise UsageError(f"{where}: {shown!r} is not a ticket key (connection:id)") from None


def keys_from_text(text: str, names: dict[TicketKey, str] | None = None) -> list[TicketKey]:
    """Keys one per line (blank lines skipped), or JSON as described above (ticket
    objects' display ids go to ``names``)."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{", '"'):
        return _keys_from_json(stripped, {} if names is None else names)
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            keys.append(parse_key(line, f"standard input, line {number}"))
    return keys


def _keys_from_json(text: str, names: dict[TicketKey, str]) -> list[TicketKey]:
    """Keys from one JSON array (``tickets --json``) or a stream of JSON values, as
    ``jq '.[]'`` prints them: ticket objects, ``"conn:id"`` strings or pairs."""
    decoder = json.JSONDecoder()
    keys: list[TicketKey] = []
    position = 0
    index = 0
    while position < len(text):
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            where = f"{exc.msg} at line {exc.lineno}"
            raise UsageError(f"standard input is not valid JSON: {where}") from None
        items = value if isinstance(value, list) and not _is_pair(value) else [value]
        for item in items:
            key = _key_from_json(item, index)
            keys.append(key)
            display_id = item.get("display_id") if isinstance(item, dict) else None
            if isinstance(display_id, str) and display_id.strip() not in ("", key.native_id):
                names[key] = f"{key.connection}:{clean_line(display_id)[:MAX_NAME]}"
            index += 1
        position = end
        while position < len(text) and text[position].isspace():
            position += 1
    return keys


def _is_pair(value: list[Any]) -> bool:
    """``["conn", "id"]``: a key as the model serialises it (a connection has no ``:``)."""
    return (
        len(value) == 2
        and all(isinstance(part, str) and part for part in value)
        and ":" not in value[0]
    )


def _key_from_json(item: Any, index: int) -> TicketKey:
    where = f"standard input, item {index}"
    if isinstance(item, dict):
        if "key" not in item:
            raise UsageError(f'{where}: an object without a "key"')
        item = item["key"]
    if isinstance(item, str):
        return parse_key(item, where)
    if isinstance(item, list) and _is_pair(item):
        return parse_key(f"{item[0]}:{item[1]}", where)
    raise UsageError(f'{where}: not a ticket key ("connection:id" or [connection, id])')


def _read_stdin(stdin: TextIO, what: str) -> str:
    if stdin.isatty():
        raise UsageError(f"'-' reads {what} from standard input, which is a terminal")
    try:
        text = stdin.read(MAX_STDIN + 1)
    except UnicodeDecodeError:
        raise UsageError(f"standard input ({what}) is not UTF-8 text") from None
    if len(text) > MAX_STDIN:
        raise UsageError(f"standard input ({what}) is larger than {MAX_STDIN // 2**20} MiB")
    return text


# --------------------------------------------------------------------------------------
# Values and text
# --------------------------------------------------------------------------------------


def parse_sets(items: Iterable[str]) -> dict[str, list[str]]:
    """``["Status=Closed", "Teams=a", "Teams=b"]`` -> ``{"Status": ["Closed"], "Teams":
    ["a", "b"]}``. Only the first ``=`` splits, so values may contain ``=``."""
    values: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise UsageError(f"--set {clean_line(item)!r}: write FIELD=VALUE")
        if not name:
            raise UsageError(f"--set {clean_line(item)!r}: the field name is missing")
        values.setdefault(name, []).append(value)
    return values


def read_text(text: str | None, path: str | None, stdin: TextIO, what: str) -> str:
    """The one text given as ``TEXT`` (``-`` for standard input) or in a file.

    Raises :class:`UsageError` when none or both are given, the file cannot be read, or the
    text is empty.
    """
    if (text is None) == (path is None):
        raise UsageError(f"give the {what} as text, as a file, or '-' for standard input")
    if path is not None:
        try:
            body = Path(path).expanduser().read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text") from None
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None
    elif text == STDIN:
        body = _read_stdin(stdin, f"the {what}")
    else:
        body = text or ""
    if not body.strip():
        raise UsageError(f"the {what} is empty")
    return body


# --------------------------------------------------------------------------------------
# Plans and results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedChange:
    """What a dry run says one ticket (``key``; ``None`` for a new one) would get."""

    key: TicketKey | None
    action: str
    changes: tuple[tuple[str, str], ...] = ()
    """``(label, value)`` pairs, as a person reads them."""
    problem: str = ""
    """Why it would not be sent (the desk cannot do it), ``""`` when it would."""


def write_plan(
    plans: Sequence[PlannedChange],
    out: TextIO,
    *,
    as_json: bool,
    names: Mapping[TicketKey, str] | None = None,
) -> None:
    """The dry run: one line (or JSON object) per ticket, named as ``names`` says where
    it says (see :func:`read_keys`). Nothing here sends anything."""
    if as_json:
        items = [
            {
                "key": None if plan.key is None else str(plan.key),
                "action": plan.action,
                "dry_run": True,
                "would_send": not plan.problem,
                "changes": dict(plan.changes),
                **({"problem": plan.problem} if plan.problem else {}),
            }
            for plan in plans
        ]
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    for plan in plans:
        target = "(new ticket)" if plan.key is None else _target(plan.key, names)
        if plan.problem:
            line = f"{target}: would not {plan.action}: {plan.problem}"
        else:
            what = "; ".join(f"{label}: {value}" for label, value in plan.changes)
            line = f"{target}: would {plan.action}" + (f": {what}" if what else "")
        out.write(clean_line(line) + "\n")
    out.write(f"dry run: nothing was sent ({len(plans)} ticket{'s' if len(plans) != 1 else ''})\n")


def result_json(result: ActionResult, outcome: ActionOutcome | None = None) -> dict[str, object]:
    item: dict[str, object] = {
        "key": None if result.key.native_id == NO_TICKET else str(result.key),
        "connection": result.key.connection,
        "action": result.action,
        "ok": result.ok,
        "message": clean_line(result.message),
    }
    if outcome is not None:
        if outcome.lines:
            item["lines"] = [_entry(line) for line in outcome.lines]
        if outcome.created is not None:
            item["created"] = str(outcome.created)
        if outcome.created_id is not None:
            item["created_id"] = clean_line(outcome.created_id)
    return item


def write_results(
    results: Sequence[ActionResult],
    out: TextIO,
    err: TextIO,
    *,
    as_json: bool,
    outcomes: Mapping[TicketKey, ActionOutcome] | None = None,
    names: Mapping[TicketKey, str] | None = None,
) -> int:
    """Print one result per ticket (with the lines a listing action found, indented
    under it), name each failure on ``err``; return the exit status. Text names a ticket
    as ``names`` says where it says (see :func:`read_keys`); JSON keeps the key."""
    found = outcomes or {}
    if as_json:
        items = [result_json(result, found.get(result.key)) for result in results]
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for result in results:
            state = "ok" if result.ok else "FAILED"
            message = clean_line(result.message)
            line = f"{_target(result.key, names)}: {result.action}: {state}"
            out.write(f"{line}: {message}\n" if message else f"{line}\n")
            outcome = found.get(result.key)
            for entry in outcome.lines if outcome is not None else ():
                out.write(f"  {_entry(entry)}\n")
    out.flush()
    for result in results:
        if not result.ok:
            message = clean_line(result.message)
            err.write(f"triage: {_target(result.key, names)}: {result.action} failed: {message}\n")
    return exit_status(results)


def _entry(line: str) -> str:
    """A listed entry on one line, its column spacing kept."""
    return clean_text(line).replace("\n", " ").rstrip()


def _target(key: TicketKey, names: Mapping[TicketKey, str] | None = None) -> str:
    if key.native_id == NO_TICKET:
        return key.connection
    return (names or {}).get(key) or str(key)


def exit_status(results: Iterable[ActionResult]) -> int:
    """:data:`EXIT_OK` when every result is ok, else :data:`EXIT_FAILED`."""
    return EXIT_OK if all(result.ok for result in results) else EXIT_FAILED
