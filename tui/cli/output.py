"""What ``triage tickets`` writes: a JSON array, CSV with a header row, or a table that
fits the terminal.

JSON and CSV carry every field for scripts and spreadsheets; the table is for reading, so
it fits the terminal's width, counting terminal cells (wide characters take two), and
cleans desk text to one plain line. It names tickets as the app does
(``connection:display-id``, which ``triage show`` takes) and gives the subject the room:
times are short, and a status label is never cut at 160 columns.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from typing import TextIO

    from adapters.model import Ticket


def clean_strings(value: object) -> object:
    """A copy of a JSON-like value (dicts, lists, scalars) with every string cleaned by
    :func:`adapters.text.clean_text`, dictionary keys included. Iterative, so a deeply
    nested vendor payload cannot exhaust the stack."""
    from adapters.text import clean_text

    def copy(item: object) -> object:
        if isinstance(item, str):
            return clean_text(item)
        if isinstance(item, dict):
            return {}
        if isinstance(item, list):
            return []
        return item

    root = copy(value)
    stack: list[tuple[object, object]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        if isinstance(source, dict) and isinstance(target, dict):
            for key, item in source.items():
                made = copy(item)
                target[clean_text(key) if isinstance(key, str) else key] = made
                stack.append((item, made))
        elif isinstance(source, list) and isinstance(target, list):
            for item in source:
                made = copy(item)
                target.append(made)
                stack.append((item, made))
    return root


def write_json(tickets: Sequence[Ticket], out: TextIO) -> None:
    # Written element by element: a 100 000-ticket listing is never one huge string.
    out.write("[")
    for index, ticket in enumerate(tickets):
        out.write(",\n" if index else "\n")
        out.write(ticket.model_dump_json(exclude={"raw"}))
    out.write("\n]\n")


CSV_COLUMNS = (
    "key",
    "display_id",
    "subject",
    "status",
    "status_category",
    "priority",
    "type",
    "requester",
    "requester_email",
    "assignee",
    "group",
    "created",
    "updated",
    "due",
    "tags",
)


def write_csv(tickets: Sequence[Ticket], out: TextIO) -> None:
    import csv

    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for ticket in tickets:
        status = ticket.status
        row = [
            str(ticket.key),
            ticket.display_id,
            ticket.subject,
            status.label if status else "",
            status.category.value if status and status.category else "",
            ticket.priority.label if ticket.priority else "",
            ticket.type.label if ticket.type else "",
            ticket.requester.name if ticket.requester else "",
            (ticket.requester.email or "") if ticket.requester else "",
            ticket.assignee.name if ticket.assignee else "",
            ticket.group.label if ticket.group else "",
            ticket.created.isoformat(),
            ticket.updated.isoformat(),
            ticket.due.isoformat() if ticket.due else "",
            ";".join(ticket.tags),
        ]
        writer.writerow([_csv_safe(cell) for cell in row])


def _csv_safe(cell: str) -> str:
    """Desk text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if cell and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell


TABLE_COLUMNS = ("KEY", "SUBJECT", "STATUS", "PRIORITY", "ASSIGNEE", "GROUP", "UPDATED")
# A status label reads whole ("Waiting for Customer", "Escalated to Engineering").
_TABLE_CAPS = (32, 10_000, 26, 12, 22, 22, 16)
_TABLE_GAP = 2


def write_table(tickets: Sequence[Ticket], out: TextIO) -> None:
    import shutil
    from datetime import datetime

    from tui.presentation import ticket_name

    now = datetime.now().astimezone()
    rows = [
        [
            ticket_name(ticket),
            ticket.subject,
            ticket.status.label if ticket.status else "-",
            ticket.priority.label if ticket.priority else "-",
            ticket.assignee.name if ticket.assignee else "-",
            ticket.group.label if ticket.group else "-",
            short_time(ticket.updated, now),
        ]
        for ticket in tickets
    ]
    width = shutil.get_terminal_size().columns
    widths = fit_columns(rows, width)
    out.write(_table_line(list(TABLE_COLUMNS), widths))
    for row in rows:
        out.write(_table_line(row, widths))


_DROP_ORDER = (5, 4, 3, 2, 6)
"""Columns left out, in this order, when the subject would get less than its share:
group, assignee, priority, status, updated."""

SUBJECT_SHARE = 2 / 5
"""The part of the width the subject keeps (or all it needs, if less) before other
columns are left out: the subject is what a reader scans."""


def fit_columns(rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths that fit ``width`` cells; 0 for a column left out.

    Each column starts as wide as its content (capped). Then, while too wide: the subject
    gives way down to two fifths of the width; the other columns shrink, widest first (the
    status last), down to their headings; then the subject shrinks down to its heading.
    The key (needed for ``triage show``) and the time are never cut. If the subject is
    then left with less than its share (:data:`SUBJECT_SHARE`, or its whole text if
    shorter), or the row is still too wide, columns are left out (:data:`_DROP_ORDER`;
    the time only when the row does not fit) and the fitting starts again.
    """
    natural = [len(heading) for heading in TABLE_COLUMNS]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], cell_width(cell))
    natural = [min(w, cap) for w, cap in zip(natural, _TABLE_CAPS, strict=True)]
    minimum = [len(heading) for heading in TABLE_COLUMNS]
    key, updated = 0, len(natural) - 1
    minimum[key], minimum[updated] = natural[key], natural[updated]
    subject = 1
    share = min(natural[subject], max(minimum[subject], int(width * SUBJECT_SHARE)))
    dropped: list[int] = []
    while True:
        widths, excess = _shrink(natural, minimum, dropped, width)
        fits = excess <= 0
        # The time goes only when the row does not fit: it is short, and says how fresh.
        last = len(dropped) >= len(_DROP_ORDER) - 1
        if (fits and (widths[subject] >= share or last)) or len(dropped) == len(_DROP_ORDER):
            return widths
        dropped.append(_DROP_ORDER[len(dropped)])


def _shrink(
    natural: Sequence[int], minimum: Sequence[int], dropped: Sequence[int], width: int
) -> tuple[list[int], int]:
    """One fitting pass of :func:`fit_columns`: the widths, and the cells still too many."""
    subject = 1
    widths = [0 if i in dropped else w for i, w in enumerate(natural)]
    excess = sum(widths) + _TABLE_GAP * (len(widths) - len(dropped) - 1) - width
    step = max(0, min(excess, widths[subject] - max(width * 2 // 5, minimum[subject])))
    widths[subject] -= step
    excess -= step
    status = 2
    while excess > 0:
        others = [
            i for i, w in enumerate(widths) if i != subject and i not in dropped and w > minimum[i]
        ]
        if not others:
            break
        # The status is a word the reader acts on: it gives way after the others.
        shrinkable = [i for i in others if i != status] or others
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
        excess -= 1
    step = max(0, min(excess, widths[subject] - minimum[subject]))
    widths[subject] -= step
    return widths, excess - step


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    parts = [pad(cell, w) for cell, w in zip(cells, widths, strict=True) if w > 0]
    return (" " * _TABLE_GAP).join(parts).rstrip() + "\n"


def cell_width(text: str) -> int:
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` terminal cells."""
    import unicodedata

    if cell_width(text) <= width:
        return text + " " * (width - cell_width(text))
    kept: list[str] = []
    used = 0
    for char in text:
        size = (
            0
            if unicodedata.combining(char)
            else (2 if unicodedata.east_asian_width(char) in ("W", "F") else 1)
        )
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…" + " " * (width - 1 - used)


def short_time(moment: datetime, now: datetime) -> str:
    """A time in the agent's zone, short so the subject keeps the room: ``Nov 27 14:39``
    this year, ``2024-11-27`` before."""
    local = moment.astimezone()
    if local.year == now.year:
        return local.strftime("%b %d %H:%M")
    return local.strftime("%Y-%m-%d")
