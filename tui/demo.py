"""The embedded default: every vendor's simulator, in-process, as a ready configuration.

``triage --demo`` needs no account and no network: each registered vendor gets a simulated
desk (an ASGI app served through ``httpx.ASGITransport``, so no port is opened) and a
connection named after the vendor that points at it with the simulator's own credentials.
"""

from __future__ import annotations

from typing import Any

import httpx

from adapters import registry
from tui.config import AppConfig, UiSettings, connection_settings

DEMO_LATENCY = (0.05, 0.15)
"""Seconds of simulated network delay per request, so the demo feels like a real desk."""

DEMO_RATE_LIMIT = 50.0
"""Requests per second per demo connection. A vendor's default throttle spares a shared
server; an in-process simulator has none to spare, and the throttle would only slow the
demo (and the CLI on it) down."""


def demo_config(
    *,
    tickets: int | None = None,
    latency: tuple[float, float] | None = DEMO_LATENCY,
) -> tuple[AppConfig, dict[str, httpx.AsyncBaseTransport]]:
    """A configuration with one simulated connection per vendor, and their transports.

    ``tickets`` overrides each simulator's default ticket count; ``latency=None`` answers at
    once (the CLI, tests).
    """
    connections = []
    transports: dict[str, httpx.AsyncBaseTransport] = {}
    for vendor in registry.vendor_names():
        simulator = registry.simulator_module(vendor)
        options: dict[str, Any] = {"latency": latency}
        if tickets is not None:
            options["tickets"] = tickets
        app = simulator.create_app(**options)
        block = dict(simulator.connection_block(f"http://{vendor}.sim"))
        block.pop("name", None)
        block.setdefault("rate_limit", DEMO_RATE_LIMIT)
        # The simulators' credentials are published demo values, not secrets worth a warning.
        connections.append(connection_settings(vendor, block, plain_secrets_ok=True))
        transports[vendor] = httpx.ASGITransport(app=app)
    return AppConfig(path=None, connections=connections, ui=UiSettings()), transports
