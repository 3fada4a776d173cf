"""The ``triage`` command line: the app by default, plus non-interactive commands.

``triage [--config FILE | --demo] [-v] [COMMAND]`` where COMMAND is ``tickets``, ``show``,
``check`` or ``simulate``; without one the terminal app starts. Everything heavy (pydantic,
httpx, the vendor adapters, Textual) is imported only by the command that needs it, so
``triage --help`` starts as fast as Python does.

Exit status: 0 ok, 1 a desk failed (one line on stderr naming the connection), 2 a usage or
configuration problem (one line naming the file, connection and field), 130 interrupted.
Standard output carries only the requested data, so ``--json``/``--csv`` can be piped;
warnings and logs go to standard error, and never show a secret.
"""

from __future__ import annotations

import argparse
import sys

# Not `from typing import TYPE_CHECKING`: typing alone costs a few ms of every start, and
# type checkers treat this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Coroutine, Mapping, Sequence
    from datetime import datetime
    from pathlib import Path
    from typing import Any, TextIO

    import httpx

    from adapters.base import Adapter
    from adapters.http import Redactor
    from adapters.model import Ticket, TicketDetail, TicketKey
    from tui.config import AppConfig

EXAMPLE_CONFIG = """\
[connections.acme]
vendor = "kayako"
url = "https://support.example.com/api/index.php"
api_key = { env = "KAYAKO_KEY" }
secret_key = { command = "pass show kayako" }
departments = [2, 3]
"""

EPILOG = f"""\
commands:
  tickets    list tickets of every connection, newest update first
  show KEY   one ticket (KEY is connection:id) with its conversation and custom fields
  check      health of each connection
  simulate   serve the simulated desks on 127.0.0.1 and print a config for them
  (none)     start the terminal app

configuration: --config FILE, else $XDG_CONFIG_HOME/triage/config.toml. Example:

{EXAMPLE_CONFIG}
secrets are {{ env = "VAR" }}, {{ command = "..." }} or {{ keyring = "service/user" }}.
Try everything without an account: triage --demo
"""

SIMULATE_SERVING = "# Serving; press Ctrl-C to stop."
"""Last line ``triage simulate`` prints once the simulators answer (scripts wait for it)."""


# --------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="triage",
        description="Triage tickets from several help desks at once.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", metavar="FILE", help="configuration file to use")
    source.add_argument(
        "--demo", action="store_true", help="use built-in simulated desks instead of a file"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log to stderr (-v info, -vv debug and HTTP requests); secrets are redacted",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    tickets = commands.add_parser("tickets", help="list tickets, newest update first")
    tickets.add_argument("--connection", metavar="NAME", help="only this connection")
    output = tickets.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON array of ticket objects")
    output.add_argument("--csv", action="store_true", help="CSV with a header row")
    tickets.add_argument("--limit", type=_positive_int, metavar="N", help="at most N tickets")

    show = commands.add_parser("show", help="one ticket with conversation and custom fields")
    show.add_argument("key", metavar="KEY", help="connection:id, e.g. kayako:42")
    show.add_argument("--json", action="store_true", help="the full ticket detail as JSON")

    commands.add_parser("check", help="health of each connection (exit 1 if any fails)")

    simulate = commands.add_parser(
        "simulate", help="serve the simulated desks on 127.0.0.1 until Ctrl-C"
    )
    simulate.add_argument("--vendor", metavar="V", help="only this vendor's simulator")
    simulate.add_argument(
        "--port", type=_port, default=0, metavar="P", help="port (default: any free one)"
    )
    simulate.add_argument(
        "--tickets", type=_positive_int, metavar="N", help="tickets per simulated desk"
    )
    return parser


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
) -> int:
    """Run ``triage`` with ``argv`` (default: the process arguments); returns the exit code.

    ``transports`` maps connection names of the config file to httpx transports (an
    in-process simulator instead of the network), for tests and embedding.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logs = _Logging(args.verbose)
    try:
        return _dispatch(parser, args, logs, dict(transports or {}))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`triage tickets | head`): not an error worth a traceback.
        _silence_stdout()
        return 1
    except Exception as exc:
        code = _failure(exc)
        if code is None:
            raise
        return code
    finally:
        logs.close()


def _failure(exc: Exception) -> int | None:
    """Print a known failure as one line and give its exit code; ``None`` for a bug."""
    from adapters.base import DeskError
    from tui.config import ConfigError

    if isinstance(exc, ConfigError):
        _error(str(exc))
        return 2
    if isinstance(exc, DeskError):
        _error(str(exc))
        return 1
    return None


def _error(message: str) -> None:
    print(f"triage: {' '.join(message.split())}", file=sys.stderr)


def _dispatch(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    logs: _Logging,
    given: dict[str, httpx.AsyncBaseTransport],
) -> int:
    if args.command == "simulate":
        return _simulate(args)
    if args.command is None:
        return _app(args, logs, given)
    # Commands answer at once: the demo's simulated network delay would only slow them down.
    config, transports = _configuration(args, logs, given, latency=None)
    if args.command == "tickets":
        return _asyncio_run(_tickets(args, config, transports))
    if args.command == "show":
        from adapters.model import TicketKey

        try:
            key = TicketKey.parse(args.key)
        except ValueError as exc:
            parser.error(str(exc))
        return _asyncio_run(_show(key, args.json, config, transports))
    if args.command == "check":
        return _asyncio_run(_check(config, transports))
    parser.error(f"unknown command {args.command!r}")


def _asyncio_run(coroutine: Coroutine[Any, Any, int]) -> int:
    import asyncio

    return asyncio.run(coroutine)


def _configuration(
    args: argparse.Namespace,
    logs: _Logging,
    given: dict[str, httpx.AsyncBaseTransport],
    *,
    latency: tuple[float, float] | None,
) -> tuple[AppConfig, dict[str, httpx.AsyncBaseTransport]]:
    """The demo's configuration or the file's; plain-text secret warnings go to stderr."""
    import warnings
    from pathlib import Path

    if args.demo:
        from tui.demo import demo_config

        config, transports = demo_config(latency=latency)
    else:
        from tui.config import load_config

        path = Path(args.config).expanduser() if args.config else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                config = load_config(path)
            finally:
                # Shown even when a later field fails: the agent fixes both at once.
                for warning in caught:
                    print(f"triage: warning: {warning.message}", file=sys.stderr)
        transports = given
    logs.add_secrets(config)
    return config, transports


async def _closing(adapters: list[Adapter], work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    import asyncio

    try:
        return await work()
    finally:
        await asyncio.gather(*(adapter.aclose() for adapter in adapters), return_exceptions=True)


# --------------------------------------------------------------------------------------
# triage (the app)
# --------------------------------------------------------------------------------------


def _app(
    args: argparse.Namespace, logs: _Logging, given: dict[str, httpx.AsyncBaseTransport]
) -> int:
    import importlib

    from tui.config import ConfigMissing, build_adapters

    try:
        config, transports = _configuration(args, logs, given, latency=(0.05, 0.15))
    except ConfigMissing as exc:
        print(_missing_config_help(exc.path), file=sys.stderr)
        return 2
    adapters = build_adapters(config, transports)
    # Log lines on stderr would be drawn over the app's screen: send them to a file.
    logs.redirect_to_file(_app_log_path())
    # Imported here so that the non-interactive commands never pay for Textual.
    run_app: Callable[[AppConfig, list[Adapter]], int] = importlib.import_module("tui.app").run_app
    return run_app(config, adapters)


def _app_log_path() -> Path:
    from pathlib import Path

    from platformdirs import user_log_dir

    return Path(user_log_dir("triage")) / "triage.log"


def _missing_config_help(path: Path | None) -> str:
    example = "".join(f"    {line}\n" for line in EXAMPLE_CONFIG.splitlines())
    return (
        f"triage: no configuration file at {path}\n"
        "\n"
        "Write one there (or pass --config FILE), for example:\n"
        "\n"
        f"{example}"
        "\n"
        'Secrets are references: { env = "VAR" }, { command = "program args" } or\n'
        '{ keyring = "service/user" }.\n'
        "\n"
        "Or try triage on built-in simulated desks first:  triage --demo"
    )


# --------------------------------------------------------------------------------------
# triage tickets
# --------------------------------------------------------------------------------------


async def _tickets(
    args: argparse.Namespace,
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
) -> int:
    from tui.config import AppConfig, build_adapters

    if args.connection is not None:
        chosen = config.connection(args.connection)
        config = AppConfig(path=config.path, connections=[chosen], ui=config.ui)
        transports = {name: t for name, t in transports.items() if name == chosen.name}
    adapters = build_adapters(config, transports)

    async def work() -> int:
        tickets, failed = await _fetch_tickets(adapters)
        tickets.sort(key=lambda ticket: (ticket.updated, str(ticket.key)), reverse=True)
        if args.limit is not None:
            del tickets[args.limit :]
        out = sys.stdout
        if args.json:
            _write_json(tickets, out)
        elif args.csv:
            _write_csv(tickets, out)
        else:
            _write_table(tickets, out)
        out.flush()
        return 1 if failed else 0

    return await _closing(adapters, work)


async def _fetch_tickets(adapters: list[Adapter]) -> tuple[list[Ticket], list[str]]:
    """Every connection's tickets, fetched concurrently page by page.

    A desk that fails is reported on stderr (one line naming it) and the others' tickets
    are still returned; the names of the failed connections come back too.
    """
    import asyncio
    import logging

    from adapters.base import DeskError
    from adapters.model import TicketQuery

    log = logging.getLogger("triage.cli")
    query = TicketQuery()

    async def one(adapter: Adapter) -> list[Ticket]:
        collected: list[Ticket] = []
        async for page in adapter.list_tickets(query):
            collected.extend(page.tickets)
            log.info(
                "%s: %d tickets at offset %d (total %s)",
                adapter.name,
                len(page.tickets),
                page.offset,
                "unknown" if page.total is None else page.total,
            )
        return collected

    results = await asyncio.gather(*(one(a) for a in adapters), return_exceptions=True)
    tickets: list[Ticket] = []
    failed: list[str] = []
    for adapter, result in zip(adapters, results, strict=True):
        if isinstance(result, DeskError):
            _error(str(result))
            failed.append(adapter.name)
        elif isinstance(result, BaseException):
            raise result
        else:
            tickets.extend(result)
    return tickets, failed


def _write_json(tickets: Sequence[Ticket], out: TextIO) -> None:
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


def _write_csv(tickets: Sequence[Ticket], out: TextIO) -> None:
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
_TABLE_CAPS = (24, 10_000, 18, 12, 22, 22, 16)
_TABLE_GAP = 2


def _write_table(tickets: Sequence[Ticket], out: TextIO) -> None:
    import shutil

    from adapters.text import clean_line

    rows = [
        [
            clean_line(str(ticket.key)),
            clean_line(ticket.subject),
            clean_line(ticket.status.label) if ticket.status else "-",
            clean_line(ticket.priority.label) if ticket.priority else "-",
            clean_line(ticket.assignee.name) if ticket.assignee else "-",
            clean_line(ticket.group.label) if ticket.group else "-",
            _local_time(ticket.updated),
        ]
        for ticket in tickets
    ]
    width = shutil.get_terminal_size().columns
    widths = _fit_columns(rows, width)
    out.write(_table_line(list(TABLE_COLUMNS), widths))
    for row in rows:
        out.write(_table_line(row, widths))


_DROP_ORDER = (5, 4, 3, 2, 6)
"""Columns left out, in this order, when even their headings do not fit: group,
assignee, priority, status, updated."""


def _fit_columns(rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths that fit ``width`` cells; 0 for a column left out.

    Each column starts as wide as its content (capped). Then, while too wide: the subject
    gives way down to two fifths of the width; the other columns shrink, widest first,
    down to their headings; then the subject shrinks down to its heading. The key (needed
    for ``triage show``) and the time are never cut. If that is still too wide, columns
    are left out (:data:`_DROP_ORDER`) and the fitting starts again.
    """
    natural = [len(heading) for heading in TABLE_COLUMNS]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], _cell_width(cell))
    natural = [min(w, cap) for w, cap in zip(natural, _TABLE_CAPS, strict=True)]
    minimum = [len(heading) for heading in TABLE_COLUMNS]
    key, updated = 0, len(natural) - 1
    minimum[key], minimum[updated] = natural[key], natural[updated]
    dropped: list[int] = []
    while True:
        widths, excess = _shrink(natural, minimum, dropped, width)
        if excess <= 0 or len(dropped) == len(_DROP_ORDER):
            return widths
        dropped.append(_DROP_ORDER[len(dropped)])


def _shrink(
    natural: Sequence[int], minimum: Sequence[int], dropped: Sequence[int], width: int
) -> tuple[list[int], int]:
    """One fitting pass of :func:`_fit_columns`: the widths, and the cells still too many."""
    subject = 1
    widths = [0 if i in dropped else w for i, w in enumerate(natural)]
    excess = sum(widths) + _TABLE_GAP * (len(widths) - len(dropped) - 1) - width
    step = max(0, min(excess, widths[subject] - max(width * 2 // 5, minimum[subject])))
    widths[subject] -= step
    excess -= step
    while excess > 0:
        others = [
            i for i, w in enumerate(widths) if i != subject and i not in dropped and w > minimum[i]
        ]
        if not others:
            break
        widths[max(others, key=lambda i: widths[i])] -= 1
        excess -= 1
    step = max(0, min(excess, widths[subject] - minimum[subject]))
    widths[subject] -= step
    return widths, excess - step


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    parts = [_pad(cell, w) for cell, w in zip(cells, widths, strict=True) if w > 0]
    return (" " * _TABLE_GAP).join(parts).rstrip() + "\n"


def _cell_width(text: str) -> int:
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` terminal cells."""
    import unicodedata

    if _cell_width(text) <= width:
        return text + " " * (width - _cell_width(text))
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


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------------------
# triage show
# --------------------------------------------------------------------------------------


async def _show(
    key: TicketKey,
    as_json: bool,
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
) -> int:
    from tui.config import AppConfig, build_adapters

    settings = config.connection(key.connection)
    single = AppConfig(path=config.path, connections=[settings], ui=config.ui)
    adapters = build_adapters(
        single, {name: t for name, t in transports.items() if name == settings.name}
    )

    async def work() -> int:
        detail = await adapters[0].get_ticket(key.native_id)
        if as_json:
            sys.stdout.write(detail.model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write(_render_detail(detail))
        sys.stdout.flush()
        return 0

    return await _closing(adapters, work)


def _render_detail(detail: TicketDetail) -> str:
    from adapters.model import PostKind, Visibility
    from adapters.text import clean_line, clean_text

    ticket = detail.ticket
    lines = [f"{ticket.key}  #{clean_line(ticket.display_id)}", clean_line(ticket.subject), ""]

    def field(label: str, value: str | None) -> None:
        lines.append(f"{label + ':':<11}{value if value else '-'}")

    status = ticket.status
    if status is not None:
        category = f" ({status.category.value})" if status.category else ""
        field("Status", clean_line(status.label) + category)
    else:
        field("Status", None)
    field("Priority", clean_line(ticket.priority.label) if ticket.priority else None)
    field("Type", clean_line(ticket.type.label) if ticket.type else None)
    field("Group", clean_line(ticket.group.label) if ticket.group else None)
    field("Assignee", clean_line(ticket.assignee.name) if ticket.assignee else None)
    requester = ticket.requester
    if requester is not None:
        email = f" <{clean_line(requester.email)}>" if requester.email else ""
        field("Requester", clean_line(requester.name) + email)
    else:
        field("Requester", None)
    field("Created", _local_time(ticket.created))
    field("Updated", _local_time(ticket.updated))
    field("Due", _local_time(ticket.due) if ticket.due else None)
    field("Tags", ", ".join(clean_line(tag) for tag in ticket.tags))

    ordered = sorted(detail.posts, key=lambda post: post.created)
    conversation = [p for p in ordered if p.kind not in (PostKind.NOTE, PostKind.TIME_ENTRY)]
    notes = [p for p in ordered if p.kind in (PostKind.NOTE, PostKind.TIME_ENTRY)]
    for title, posts in (("Conversation", conversation), ("Notes", notes)):
        lines += ["", f"{title} ({len(posts)})"]
        for post in posts:
            visibility = "public" if post.visibility is Visibility.PUBLIC else "PRIVATE"
            kind = post.kind.value.replace("_", " ")
            author = clean_line(post.author.name) if post.author else "unknown"
            heading = f"-- {_local_time(post.created)}  {author} ({post.author_kind.value})"
            heading += f"  [{visibility} {kind}]"
            if post.time_spent is not None:
                heading += f"  {_duration(post.time_spent)} spent"
                if post.time_billable is not None:
                    heading += f", {_duration(post.time_billable)} billable"
            lines.append(heading)
            body = clean_text(post.body).rstrip("\n") or "(empty)"
            lines += [f"   {line}".rstrip() for line in body.split("\n")]
            for attachment in post.attachments:
                size = f" ({attachment.size} bytes)" if attachment.size is not None else ""
                lines.append(f"   attachment: {clean_line(attachment.name)}{size}")

    lines += ["", f"Custom fields ({len(detail.custom_fields)})"]
    groups: dict[str, list[str]] = {}
    for custom in detail.custom_fields:
        value = custom.value
        if value is None or value == "" or value == []:
            shown = "-"
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, list):
            shown = ", ".join(clean_line(item) for item in value)
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = clean_line(value)
        groups.setdefault(clean_line(custom.group) or "Other", []).append(
            f"   {clean_line(custom.label)}: {shown}"
        )
    for group, entries in groups.items():
        lines.append(f" {group}")
        lines += entries
    return "\n".join(lines) + "\n"


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m"


# --------------------------------------------------------------------------------------
# triage check
# --------------------------------------------------------------------------------------


async def _check(config: AppConfig, transports: dict[str, httpx.AsyncBaseTransport]) -> int:
    import asyncio

    from adapters.model import HealthState
    from tui.config import build_adapters

    adapters = build_adapters(config, transports)

    async def work() -> int:
        results = await asyncio.gather(*(adapter.check() for adapter in adapters))
        width = max((len(adapter.name) for adapter in adapters), default=0)
        healthy = True
        for adapter, health in zip(adapters, results, strict=True):
            healthy = healthy and health.state is HealthState.OK
            latency = f"{health.latency_ms:.0f} ms" if health.latency_ms is not None else "-"
            message = " ".join(health.message.split())
            line = f"{adapter.name:<{width}}  {health.state.value:<12}  {latency:>8}  {message}"
            sys.stdout.write(line.rstrip() + "\n")
        sys.stdout.flush()
        return 0 if healthy else 1

    return await _closing(adapters, work)


# --------------------------------------------------------------------------------------
# triage simulate
# --------------------------------------------------------------------------------------


def _simulate(args: argparse.Namespace) -> int:
    import signal
    import time

    import tomli_w

    from adapters import registry
    from adapters.simulation import ServerThread, mount

    vendors = registry.vendor_names()
    if args.vendor is not None:
        if args.vendor not in vendors:
            _error(f"unknown vendor {args.vendor!r} (known: {', '.join(vendors)})")
            return 2
        vendors = [args.vendor]
    options: dict[str, Any] = {} if args.tickets is None else {"tickets": args.tickets}
    apps = {vendor: registry.simulator_module(vendor).create_app(**options) for vendor in vendors}
    # One vendor is served at the root; several share one port, each under /<vendor>/.
    app = apps[vendors[0]] if args.vendor is not None else mount(apps)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    server = ServerThread(app, host="127.0.0.1", port=args.port)
    try:
        server.start()
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _error(f"cannot serve on 127.0.0.1:{args.port}: {reason}")
        return 1
    # `kill` stops the simulators as cleanly as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        base = server.base_url.rstrip("/")
        connections = {
            vendor: registry.simulator_module(vendor).connection_block(
                base if args.vendor is not None else f"{base}/{vendor}"
            )
            for vendor in vendors
        }
        out = sys.stdout
        out.write(
            f"# triage simulators on 127.0.0.1:{server.port} "
            f"({', '.join(vendors)}; demo credentials, not secrets).\n"
            "# Save this output as a file, e.g. sim.toml, then:\n"
            "#   triage --config sim.toml tickets --json\n"
            "#   triage --config sim.toml\n"
            "\n"
        )
        out.write(tomli_w.dumps({"connections": connections}))
        out.write(f"\n{SIMULATE_SERVING}\n")
        out.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("triage: simulators stopped", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0


# --------------------------------------------------------------------------------------
# Logging
# --------------------------------------------------------------------------------------


def _redacting_formatter(redact: Redactor) -> logging.Formatter:
    """A formatter that formats as usual, then removes every known secret (and
    credential-looking parameters) from the whole text, traceback included."""
    import logging

    class RedactingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record))

    return RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


class _Logging:
    """``-v`` logging to stderr for the length of one :func:`main` call."""

    def __init__(self, verbosity: int) -> None:
        self.redactor: Redactor | None = None
        self.handler: logging.Handler | None = None
        self.saved: list[tuple[logging.Logger, int]] = []
        if verbosity <= 0:
            return
        import logging

        from adapters.http import Redactor

        self.redactor = Redactor()
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(_redacting_formatter(self.redactor))
        root = logging.getLogger()
        root.addHandler(self.handler)
        levels = {
            root: logging.INFO if verbosity == 1 else logging.DEBUG,
            # httpx logs every request URL at INFO; httpcore is wire-level noise.
            logging.getLogger("httpx"): logging.WARNING if verbosity == 1 else logging.INFO,
            logging.getLogger("httpcore"): logging.DEBUG if verbosity >= 3 else logging.WARNING,
        }
        for logger, level in levels.items():
            self.saved.append((logger, logger.level))
            logger.setLevel(level)

    def add_secrets(self, config: AppConfig) -> None:
        if self.redactor is None:
            return
        for settings in config.connections:
            for secret in settings.secrets():
                self.redactor.add(secret)

    def redirect_to_file(self, path: Path) -> None:
        """Move ``-v`` logging from stderr to ``path`` (the app owns the terminal)."""
        if self.handler is None:
            return
        import logging

        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(self.handler.formatter)
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.addHandler(handler)
        self.handler = handler
        print(f"triage: logging to {path}", file=sys.stderr)

    def close(self) -> None:
        if self.handler is not None:
            self.handler.close()
            import logging

            logging.getLogger().removeHandler(self.handler)
        for logger, level in self.saved:
            logger.setLevel(level)


def _silence_stdout() -> None:
    import contextlib
    import os

    # Python flushes stdout at exit; pointing it at /dev/null stops a second BrokenPipeError.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
