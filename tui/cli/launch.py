"""``triage`` without a command: start the terminal app, or explain how to configure it.

Textual is imported here only, so the other commands never pay for it.
"""

from __future__ import annotations

import sys

from tui.cli.common import configuration
from tui.cli.parser import EXAMPLE_CONFIG

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path

    import httpx

    from adapters.base import Adapter
    from tui.cli.logs import Logging
    from tui.config import AppConfig


def launch(
    args: argparse.Namespace, logs: Logging, given: dict[str, httpx.AsyncBaseTransport]
) -> int:
    import importlib

    from tui.config import ConfigMissing, build_adapters

    try:
        config, transports = configuration(args, logs, given, latency=(0.05, 0.15))
    except ConfigMissing as exc:
        print(missing_config_help(exc.path), file=sys.stderr)
        return 2
    adapters = build_adapters(config, transports)
    # Log lines on stderr would be drawn over the app's screen: send them to a file.
    logs.redirect_to_file(_app_log_path())
    run_app: Callable[[AppConfig, list[Adapter]], int] = importlib.import_module("tui.app").run_app
    return run_app(config, adapters)


def _app_log_path() -> Path:
    from pathlib import Path

    from platformdirs import user_log_dir

    return Path(user_log_dir("triage")) / "triage.log"


def missing_config_help(path: Path | None) -> str:
    """What ``triage`` says when there is no configuration file: where to write one, an
    example, and the demo."""
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
