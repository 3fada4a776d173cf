"""The ``triage`` arguments: the parser, its help text and the example configuration.

The example is printed by ``--help`` and by ``triage`` without a configuration file, so a
new user sees the same one in both places.
"""

from __future__ import annotations

import argparse

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
             (--filter TEXT: the app's quick filter; --query TEXT: the desks' search;
             --cached: from the local cache, without the network)
  show KEY   one ticket (KEY is connection:id) with its conversation and custom fields
  check      health of each connection
  simulate   serve the simulated desks on 127.0.0.1 and print a config for them
  cache clear [--connection NAME]
             forget the local cache (of one connection)
  (none)     start the terminal app

writing commands (KEY is connection:id; '-' reads keys from stdin, one per line or the
JSON that tickets --json prints; values by label or id; --dry-run sends nothing; --json
prints one result per ticket; exit 0 all ok, 1 some failed, 2 bad input):
  update KEY... --status S --priority P --type T
  assign KEY... --agent A --group G          (--agent none unassigns)
  close KEY... [--note TEXT]
  reply KEY... --body TEXT | --body-file F | -
  note KEY...  --body TEXT | --body-file F | -
  merge TARGET SOURCE...
  fields KEY... [--set LABEL=VALUE...]       (without --set: show them)
  create --connection N --subject S --body B --name N --email E [--group G ...]
  action KEY... NAME [--set FIELD=VALUE...]  (action --list: what each desk offers)
  delete KEY... --yes

configuration: --config FILE, else $XDG_CONFIG_HOME/triage/config.toml. Example:

{EXAMPLE_CONFIG}
secrets are {{ env = "VAR" }}, {{ command = "..." }} or {{ keyring = "service/user" }}.
Try everything without an account: triage --demo
"""


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
    tickets.add_argument(
        "--filter", metavar="TEXT", help="the app's quick filter, e.g. 'status:open printer'"
    )
    tickets.add_argument(
        "--query", metavar="TEXT", help="search the desks (server-side) instead of listing"
    )
    tickets.add_argument(
        "--cached", action="store_true", help="from the local cache only, no request to a desk"
    )

    show = commands.add_parser("show", help="one ticket with conversation and custom fields")
    show.add_argument("key", metavar="KEY", help="connection:id, e.g. kayako:42")
    show.add_argument("--json", action="store_true", help="the full ticket detail as JSON")

    commands.add_parser("check", help="health of each connection (exit 1 if any fails)")

    cache = commands.add_parser("cache", help="the local cache of tickets")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    clear = cache_commands.add_parser("clear", help="remove the cache (of one connection)")
    clear.add_argument("--connection", metavar="NAME", help="only this connection's tickets")

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
    _write_commands(commands)
    return parser


WRITE_COMMANDS = frozenset(
    {"update", "assign", "close", "reply", "note", "merge", "fields", "create", "action", "delete"}
)


def _common(parser: argparse.ArgumentParser, *, keys: str = "+") -> None:
    if keys:
        parser.add_argument(
            "keys",
            nargs=keys,
            metavar="KEY",
            help="connection:id; '-' reads keys from stdin (one per line, or tickets --json)",
        )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change per ticket; send nothing"
    )
    parser.add_argument("--json", action="store_true", help="one JSON result per ticket")


def _body(parser: argparse.ArgumentParser, what: str) -> None:
    text = parser.add_mutually_exclusive_group()
    text.add_argument("--body", metavar="TEXT", help=f"the {what}; '-' reads it from stdin")
    text.add_argument("--body-file", metavar="FILE", help=f"read the {what} from FILE")


def _write_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the writing commands on ``triage``'s sub-command parser."""
    update = commands.add_parser("update", help="set status, priority or type of tickets")
    _common(update)
    update.add_argument("--status", metavar="S", help="status label or id")
    update.add_argument("--priority", metavar="P", help="priority label or id")
    update.add_argument("--type", metavar="T", help="type label or id")

    assign = commands.add_parser("assign", help="assign tickets to an agent and/or a group")
    _common(assign)
    assign.add_argument("--agent", metavar="A", help="agent name or id; 'none' unassigns")
    assign.add_argument("--group", metavar="G", help="group name or id")

    close = commands.add_parser("close", help="close tickets the desk's own way")
    _common(close)
    close.add_argument("--note", metavar="TEXT", default="", help="a private note first")

    for verb, what in (("reply", "public reply"), ("note", "private note")):
        post = commands.add_parser(verb, help=f"post a {what} (kept in the outbox until sent)")
        _common(post)
        _body(post, what)

    merge = commands.add_parser("merge", help="merge SOURCE tickets into TARGET")
    merge.add_argument("target", metavar="TARGET", help="connection:id of the ticket to keep")
    _common(merge)

    fields = commands.add_parser("fields", help="show or set custom fields")
    _common(fields)
    fields.add_argument(
        "--set", action="append", default=[], metavar="LABEL=VALUE", help="repeatable"
    )

    create = commands.add_parser("create", help="open a ticket")
    _common(create, keys="")
    create.add_argument("--connection", metavar="NAME", required=True)
    create.add_argument("--subject", metavar="TEXT", required=True)
    _body(create, "first message")
    create.add_argument("--name", metavar="NAME", required=True, help="requester's name")
    create.add_argument("--email", metavar="EMAIL", required=True, help="requester's email")
    create.add_argument("--group", metavar="G", help="group label or id (required by some desks)")
    create.add_argument("--status", metavar="S")
    create.add_argument("--priority", metavar="P")
    create.add_argument("--type", metavar="T")
    create.add_argument("--agent", metavar="A", help="owner")
    create.add_argument(
        "--set", action="append", default=[], metavar="LABEL=VALUE", help="custom fields"
    )

    action = commands.add_parser(
        "action",
        help="run a desk's own action (--list shows what each desk offers)",
        usage="triage action [KEY ...] NAME [--set FIELD=VALUE ...] [--connection N] [--yes]",
    )
    action.add_argument(
        "keys",
        nargs="*",
        metavar="KEY|NAME",
        help="ticket keys ('-' reads them from stdin) and the action's id or label",
    )
    action.add_argument(
        "--dry-run", action="store_true", help="print what would change per ticket; send nothing"
    )
    action.add_argument("--json", action="store_true", help="one JSON result per ticket")
    action.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="repeatable"
    )
    action.add_argument("--connection", metavar="NAME", help="for actions on no ticket")
    action.add_argument("--list", action="store_true", help="list the desks' actions")
    action.add_argument("--yes", action="store_true", help="needed by destructive actions")

    delete = commands.add_parser("delete", help="delete tickets (needs --yes)")
    _common(delete)
    delete.add_argument("--yes", action="store_true", help="really delete")


def missing_config_help(path: object) -> str:
    """What ``triage`` (any command) says when there is no configuration file: where to
    write one, an example, and the demo."""
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
