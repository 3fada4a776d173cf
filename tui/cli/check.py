"""``triage check``: each connection's health on one line (name, state, latency, message);
exit 1 when any is not ok."""

from __future__ import annotations

import sys

from tui.cli.common import closing

TYPE_CHECKING = False
if TYPE_CHECKING:
    import httpx

    from tui.config import AppConfig


async def check(config: AppConfig, transports: dict[str, httpx.AsyncBaseTransport]) -> int:
    import asyncio

    from adapters.model import HealthState
    from tui.advice import hint
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
            what = hint(health.state.value, message)
            message = f"{message}; {what}" if what else message
            line = f"{adapter.name:<{width}}  {health.state.value:<12}  {latency:>8}  {message}"
            sys.stdout.write(line.rstrip() + "\n")
        sys.stdout.flush()
        return 0 if healthy else 1

    return await closing(adapters, work)
