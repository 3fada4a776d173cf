"""One run over a real loopback port: the adapter against the simulator served by uvicorn,
mounted under a prefix as ``triage simulate`` serves several desks."""

from __future__ import annotations

import pytest

from adapters.connectwise.adapter import ConnectWiseAdapter, ConnectWiseSettings
from adapters.connectwise.simulator import connection_block, create_app
from adapters.model import HealthState, TicketQuery, Visibility
from adapters.simulation import ServerThread, mount


@pytest.mark.loopback
async def test_over_a_real_port() -> None:
    app = mount({"connectwise": create_app(tickets=30, seed=3)})
    with ServerThread(app) as server:
        block = connection_block(f"{server.base_url}/connectwise")
        settings = ConnectWiseSettings.model_validate({"name": "cw", **block})
        async with ConnectWiseAdapter(settings) as adapter:
            assert (await adapter.check()).state is HealthState.OK
            tickets = [
                t async for p in adapter.list_tickets(TicketQuery(page_size=7)) for t in p.tickets
            ]
            assert len(tickets) == 30
            number = tickets[0].key.native_id
            await adapter.add_post(number, "over the wire", Visibility.PRIVATE)
            detail = await adapter.get_ticket(number)
            assert detail.posts[-1].body == "over the wire"
            assert adapter.codebase == "v2025_1/"
