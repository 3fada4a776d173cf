"""HaloPSA's listing of changes since a watermark (issue 15): Halo's last-updated range
from the watermark less the overlap, newest first, and the count reconciliation asks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from adapters.base import InvalidInput
from adapters.halopsa import HaloAdapter
from adapters.model import Change, NewTicket, TicketPage, TicketQuery
from tests.halopsa.conftest import Instance


async def listing(halo: HaloAdapter, query: TicketQuery) -> list[TicketPage]:
    return [page async for page in halo.list_tickets(query)]


async def test_changes_since_the_watermark(halo: HaloAdapter, instance: Instance) -> None:
    assert halo.capabilities.listing.changed_since.supported
    everything = await listing(halo, TicketQuery(page_size=100))
    watermark = everything[-1].watermark
    assert watermark is not None
    newest = max(t.updated for page in everything for t in page.tickets)
    assert datetime.fromisoformat(watermark) == newest
    listed = sum(len(page.tickets) for page in everything)
    assert await halo.count_tickets(TicketQuery()) == listed

    # Nothing changed: only what the overlap re-reads (the last five minutes of changes).
    sent = halo.http.requests_sent
    quiet = await listing(halo, TicketQuery(changed_since=watermark))
    assert halo.http.requests_sent - sent == 1
    overlap = newest - timedelta(minutes=5)
    assert {t.key.native_id for page in quiet for t in page.tickets} == {
        str(t.id) for t in instance.desk.live() if t.last_update >= int(overlap.timestamp())
    }

    instance.desk.now += 3600  # an hour on the desk's clock
    edited = next(t for t in instance.desk.live() if t.last_update < int(overlap.timestamp()))
    await halo.update(str(edited.id), Change(subject="Edited after the listing"))
    team = (await halo.lookups()).groups[0].id
    created = await halo.create_ticket(
        NewTicket(
            subject="New after the listing",
            body="x",
            requester_name="Ann Example",
            requester_email="ann@example.test",
            group_id=team,
        )
    )
    changes = await listing(halo, TicketQuery(changed_since=watermark))
    found = {t.key.native_id: t for page in changes for t in page.tickets}
    assert str(edited.id) in found and found[str(edited.id)].subject == "Edited after the listing"
    assert created.ticket.key.native_id in found
    assert len(found) < listed
    later = changes[-1].watermark
    assert later is not None and datetime.fromisoformat(later) > newest
    updated = [int(t.updated.timestamp()) for page in changes for t in page.tickets]
    assert updated == sorted(updated, reverse=True)


async def test_a_foreign_watermark_is_refused(halo: HaloAdapter) -> None:
    for bad in ("12345", "2024-05-01T10:00:00", "yesterday"):
        with pytest.raises(InvalidInput, match="not a Halo watermark"):
            await listing(halo, TicketQuery(changed_since=bad))
