"""One run over a real loopback port: the simulator served by uvicorn, the adapter on a
real TCP connection (token, listing, detail, a note)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.halopsa import HaloAdapter
from adapters.halopsa.simulator import connection_block, create_app
from adapters.model import TicketQuery, Visibility
from adapters.simulation import ServerThread
from tests.halopsa.conftest import settings

pytestmark = pytest.mark.loopback


@pytest.fixture
def served() -> Iterator[str]:
    server = ServerThread(create_app(tickets=60, seed=5))
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


async def test_over_a_real_port(served: str) -> None:
    block = connection_block(served)
    assert block["url"].startswith("http://127.0.0.1:")
    async with HaloAdapter(settings(**block)) as halo:
        assert (await halo.check()).message == "signed in as Integration Agent"
        pages = [page async for page in halo.list_tickets(TicketQuery(page_size=25))]
        assert [p.offset for p in pages] == [0, 25, 50] and pages[0].total == 60
        ticket = next(t for p in pages for t in p.tickets if not t.is_done)
        post = await halo.add_post(ticket.key.native_id, "over the wire", Visibility.PRIVATE)
        detail = await halo.get_ticket(ticket.key.native_id)
    assert post.body == "over the wire" and detail.posts[-1].body == "over the wire"
