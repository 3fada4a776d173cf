"""A local InvGate Service Management (API v1) server: the simulated desk of the demo.

It answers as a live instance does, as far as the sources show it (see
``adapters/invgate/README.md``): dotted endpoint names under ``/api/v1/``, HTTP Basic,
parameters from the query, a form or a JSON body with PHP arrays (``x[]`` and ``x[0]``),
the list endpoints' three paging styles (none, ``limit``/``offset``, ``page_key``),
``{"status": "ERROR", …}`` bodies with the HTTP codes of :mod:`.server`, the per-endpoint
rate limits of the chosen plan, and, in string mode, every scalar a JSON string as older
instances answer. Its data is :mod:`adapters.invgate.sim_data` over the shared world.

Serve it in-process with ``httpx.ASGITransport(app=create_app())`` or on a port with
:class:`adapters.simulation.ServerThread` (``triage simulate``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from adapters.invgate.sim_data import InvGateDesk, generate_desk
from adapters.invgate.simulator.server import PASSWORD, USERNAME, InvGateServer, Plan
from adapters.simulation import ASGIApp, Faults, asgi_app

__all__ = [
    "PASSWORD",
    "USERNAME",
    "InvGateServer",
    "app_for_desk",
    "connection_block",
    "create_app",
]


def app_for_desk(
    desk: InvGateDesk,
    *,
    latency: tuple[float, float] | None = None,
    strings: bool = True,
    plan: Plan = "enterprise",
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    faults: Faults | None = None,
) -> tuple[ASGIApp, InvGateServer]:
    """The ASGI app serving ``desk``, and its server (for tests that inspect it)."""
    if faults is None:
        faults = Faults(latency=latency, seed=desk.seed)
    elif latency is not None:
        raise ValueError("give latency either directly or inside faults, not both")
    server = InvGateServer(
        desk, strings=strings, plan=plan, clock=clock, wall_clock=wall_clock, faults=faults
    )
    return asgi_app(server.handle, faults=faults), server


def create_app(
    *,
    tickets: int = 400,
    seed: int = 1,
    latency: tuple[float, float] | None = None,
    clientele: int = 4,
    strings: bool = True,
    plan: Plan = "enterprise",
    faults: Faults | None = None,
) -> ASGIApp:
    """A simulated instance with ``tickets`` requests, as an ASGI app.

    ``strings=True`` (the default, so that the demo desk exercises it) answers as an older
    instance, every scalar a string; ``strings=False`` as a current one. ``clientele``
    picks the customers (4: InvGate's own in the multi-desk demo); ``plan`` the
    per-endpoint rate limits (``starter``, ``pro`` or ``enterprise``).
    """
    desk = generate_desk(tickets=tickets, seed=seed, clientele=clientele)
    app, _ = app_for_desk(desk, latency=latency, strings=strings, plan=plan, faults=faults)
    return app


def connection_block(base_url: str) -> dict[str, Any]:
    """The config table of a connection to a simulator served at ``base_url``."""
    return {
        "vendor": "invgate",
        "url": base_url.rstrip("/"),
        "username": USERNAME,
        "password": PASSWORD,
        "plan": "enterprise",
    }
