"""``triage`` without a command: start the terminal app (a missing configuration is
explained by :mod:`tui.cli.main`, as for every command).

Textual is imported here only, so the other commands never pay for it. Where the app
draws when standard error is redirected is :mod:`tui.terminal`'s concern.
"""

from __future__ import annotations

from tui.cli.common import configuration

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    import httpx

    from tui.cli.logs import Logging


def launch(
    args: argparse.Namespace, logs: Logging, given: dict[str, httpx.AsyncBaseTransport]
) -> int:
    import importlib

    from tui.config import build_adapters

    config, transports = configuration(args, logs, given, latency=(0.05, 0.15))
    adapters = build_adapters(config, transports)
    # Log lines on stderr would be drawn over the app's screen: send them to a file.
    logs.redirect_to_file(_app_log_path())
    run_app: Callable[..., int] = importlib.import_module("tui.app").run_app
    # The demo's desks are new at every start: a cache of them would only mislead.
    return run_app(config, adapters, use_cache=not args.demo)


def _app_log_path() -> Path:
    from pathlib import Path

    from platformdirs import user_log_dir

    return Path(user_log_dir("triage")) / "triage.log"
