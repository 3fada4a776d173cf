"""What every ``triage`` command shares: the one-line error, the configuration (the demo's
or the file's, with its warnings on stderr), running a command's coroutine, and closing
the adapters a command opened.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Awaitable, Callable, Coroutine
    from typing import Any, TypeVar

    import httpx

    from adapters.base import Adapter, DeskError
    from tui.cli.logs import Logging
    from tui.config import AppConfig

    T = TypeVar("T")


def error(message: str) -> None:
    """``triage: message`` on stderr, on one line whatever the message holds."""
    print(f"triage: {' '.join(message.split())}", file=sys.stderr)


def desk_error_text(exc: DeskError) -> str:
    """A desk's failure for one line of output, with what to check when that is clear
    (a 404 on a listing points at ``url``, a refusal at the credentials)."""
    from tui.advice import hint

    what = hint(exc.kind, str(exc))
    return f"{exc}: {what}" if what else str(exc)


def asyncio_run(coroutine: Coroutine[Any, Any, int]) -> int:
    import asyncio

    return asyncio.run(coroutine)


def configuration(
    args: argparse.Namespace,
    logs: Logging,
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


async def closing(adapters: list[Adapter], work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work``, then close every adapter whatever happened."""
    import asyncio

    try:
        return await work()
    finally:
        await asyncio.gather(*(adapter.aclose() for adapter in adapters), return_exceptions=True)


def silence_stdout() -> None:
    """Point stdout at /dev/null: Python flushes stdout at exit, and a reader that went
    away would raise a second BrokenPipeError there."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
