"""``triage``'s entry point: parse, run the command, turn known failures into exit codes.

A command's module is imported only when that command runs (see :mod:`tui.cli`).
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import desk_error_text, error, silence_stdout
from tui.cli.logs import Logging
from tui.cli.parser import WRITE_COMMANDS, build_parser, missing_config_help

# Not `from typing import TYPE_CHECKING`: typing alone costs a few ms of every start, and
# type checkers treat this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import httpx


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
    logs = Logging(args.verbose)
    try:
        return _dispatch(parser, args, logs, dict(transports or {}))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`triage tickets | head`): it has all it wanted, so this
        # ends quietly and successfully, as `cat file | head` does.
        silence_stdout()
        return 0
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
    from tui.config import ConfigError, ConfigMissing

    if isinstance(exc, ConfigMissing):
        # Every command says what `triage` alone says: where to write one, and the demo.
        print(missing_config_help(exc.path), file=sys.stderr)
        return 2
    if isinstance(exc, ConfigError):
        for problem in exc.problems:
            error(str(problem))
        return 2
    if isinstance(exc, DeskError):
        error(desk_error_text(exc))
        return 1
    return None


def _dispatch(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    logs: Logging,
    given: dict[str, httpx.AsyncBaseTransport],
) -> int:
    if args.command == "simulate":
        from tui.cli.simulate import simulate

        return simulate(args)
    if args.command == "cache":
        from tui.cli.cache import clear

        return clear(args)
    if args.command is None:
        from tui.cli.launch import launch

        return launch(args, logs, given)
    from tui.cli.common import asyncio_run, configuration

    # Commands answer at once: the demo's simulated network delay would only slow them down.
    config, transports = configuration(args, logs, given, latency=None)
    if args.command == "tickets":
        from tui.cli.tickets import tickets

        return asyncio_run(tickets(args, config, transports))
    if args.command == "show":
        from adapters.model import TicketKey
        from tui.cli.show import show

        try:
            key = TicketKey.parse(args.key)
        except ValueError as exc:
            parser.error(str(exc))
        return asyncio_run(show(key, args.json, config, transports))
    if args.command in WRITE_COMMANDS:
        from tui.cli.write import run_write

        return asyncio_run(run_write(args, config, transports))
    if args.command == "check":
        from tui.cli.check import check

        return asyncio_run(check(config, transports))
    parser.error(f"unknown command {args.command!r}")
