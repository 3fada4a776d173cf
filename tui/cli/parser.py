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
  show KEY   one ticket (KEY is connection:id) with its conversation and custom fields
  check      health of each connection
  simulate   serve the simulated desks on 127.0.0.1 and print a config for them
  (none)     start the terminal app

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


DEFAULT_DEADLINE = 120.0
"""Seconds a command may spend on one desk, all its requests together (``--deadline``)."""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600: {text}")
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
    parser.add_argument(
        "--deadline",
        type=_seconds,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help=f"most time a command spends on one desk (default {DEFAULT_DEADLINE:g})",
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
