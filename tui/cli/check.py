"""``triage check``: each connection's health on one line (name, state, latency, message);
exit 1 when any is not ok, 2 when the config has no connection at all."""

from __future__ import annotations

import sys

from tui.cli.common import closing, within
from tui.cli.parser import DEFAULT_DEADLINE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx

    from adapters.base import Adapter
    from adapters.model import Health
    from tui.config import AppConfig


async def check(
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
    *,
    deadline: float = DEFAULT_DEADLINE,
) -> int:
    import asyncio

    from adapters.model import HealthState
    from tui.advice import hint
    from tui.config import ConfigError, build_adapters

    if not config.connections:
        # Nothing checked is not "everything is fine".
        raise ConfigError(
            "no connections to check: add a [connections.NAME] table", path=config.path
        )
    adapters = build_adapters(config, transports)

    async def work() -> int:
        results = await asyncio.gather(*(_bounded_check(a, deadline) for a in adapters))
        width = max((len(adapter.name) for adapter in adapters), default=0)
        healthy = True
        for adapter, health in zip(adapters, results, strict=True):
            healthy = healthy and health.state is HealthState.OK
            latency = f"{health.latency_ms:.0f} ms" if health.latency_ms is not None else "-"
            message = " ".join(health.message.split())
            what = hint(health.state.value, message)
            message = f"{message}; {what}" if what else message
            line = f"{adapter.name:<{width}}  {health.state.value:<12}  {latency:>8}  {message}"
            sys.stdout.write(line.rstrip() + "\n")
        sys.stdout.flush()
        return 0 if healthy else 1

    return await closing(adapters, work)


async def _bounded_check(adapter: Adapter, deadline: float) -> Health:
    """The adapter's check, or an unreachable health once ``deadline`` has passed."""
    from datetime import UTC, datetime

    from adapters.errors import DeskUnavailable
    from adapters.model import Health, HealthState

    try:
        return await within(adapter.name, deadline, adapter.check())
    except DeskUnavailable as exc:
        return Health(
            connection=adapter.name,
            state=HealthState.UNREACHABLE,
            message=exc.message,
            latency_ms=deadline * 1000,
            checked_at=datetime.now(UTC),
        )
