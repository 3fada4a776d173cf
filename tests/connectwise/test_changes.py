"""Listing changes since a watermark on ConnectWise: ``lastUpdated`` from the watermark less
the overlap, newest first, one request and no count for a handful of changes; a change
stamped late within the overlap is found; and the count and id-only listing that
reconciliation uses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from adapters.base import InvalidInput
from adapters.connectwise.adapter import CHANGED_SINCE_OVERLAP, ConnectWiseAdapter
from adapters.connectwise.sim_data.records import stamp
from adapters.model import Change, Ticket, TicketPage, TicketQuery, Visibility
from tests.connectwise.conftest import Site


async def listing(adapter: ConnectWiseAdapter, query: TicketQuery) -> list[TicketPage]:
    return [page async for page in adapter.list_tickets(query)]


def tickets_of(pages: list[TicketPage]) -> list[Ticket]:
    return [ticket for page in pages for ticket in page.tickets]


def listing_requests(site: Site) -> list[str]:
    return [
        str(r.url) for r in site.recorder.requests if r.url.path.endswith("/service/tickets")
    ] + [str(r.url) for r in site.recorder.requests if r.url.path.endswith("/tickets/count")]


async def test_a_refresh_after_changes_costs_one_request(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    query = TicketQuery(include_done=True, page_size=25)
    pages = await listing(adapter, query)
    everything = tickets_of(pages)
    watermark = pages[-1].watermark
    assert watermark is not None
    newest = max(t.updated for t in everything)
    assert datetime.fromisoformat(watermark) == newest
    # Nothing older than the overlap changed: only the last minutes come back.
    quiet = tickets_of(
        await listing(adapter, query.model_copy(update={"changed_since": watermark}))
    )
    floor = newest - CHANGED_SINCE_OVERLAP
    assert all(t.updated >= floor for t in quiet)
    assert len(quiet) < len(everything)
    edited, noted = sorted(everything, key=lambda t: t.updated)[:2]
    await adapter.update(edited.key.native_id, Change(subject="Edited after the listing"))
    await adapter.add_post(noted.key.native_id, "A note moves lastUpdated", Visibility.PRIVATE)
    site.recorder.requests.clear()
    pages = await listing(adapter, query.model_copy(update={"changed_since": watermark}))
    changed = {t.key: t for t in tickets_of(pages)}
    assert edited.key in changed and noted.key in changed
    assert changed[edited.key].subject == "Edited after the listing"
    requests = listing_requests(site)
    assert len(requests) == 1 and "count" not in requests[0]
    assert "lastUpdated" in requests[0] and "desc" in requests[0]
    later = pages[-1].watermark
    assert later is not None and later >= watermark


async def test_a_change_stamped_late_within_the_overlap_is_found(
    site: Site, adapter: ConnectWiseAdapter
) -> None:
    query = TicketQuery(include_done=True)
    pages = await listing(adapter, query)
    watermark = pages[-1].watermark
    assert watermark is not None
    mark = datetime.fromisoformat(watermark)
    late, stale = tickets_of(pages)[-2:]
    records = site.server.desk.tickets
    records[int(late.key.native_id)]["_info"]["lastUpdated"] = stamp(
        (mark - timedelta(minutes=2)).timestamp()
    )
    records[int(stale.key.native_id)]["_info"]["lastUpdated"] = stamp(
        (mark - CHANGED_SINCE_OVERLAP - timedelta(minutes=1)).timestamp()
    )
    found = {
        t.key
        for t in tickets_of(
            await listing(adapter, query.model_copy(update={"changed_since": watermark}))
        )
    }
    assert late.key in found and stale.key not in found


async def test_a_watermark_that_is_not_ours_is_refused(adapter: ConnectWiseAdapter) -> None:
    for bad in ("yesterday", "2025-06-01T00:00:00"):
        with pytest.raises(InvalidInput, match="not a ConnectWise watermark"):
            await listing(adapter, TicketQuery(changed_since=bad))


async def test_count_and_ids_for_reconciliation(site: Site, adapter: ConnectWiseAdapter) -> None:
    assert adapter.capabilities.listing.changed_since.supported
    assert adapter.capabilities.listing.id_listing.supported
    query = TicketQuery(include_done=False)
    listed = {t.key.native_id for t in tickets_of(await listing(adapter, query))}
    site.recorder.requests.clear()
    assert await adapter.count_tickets(query) == len(listed)
    ids = [i async for batch in adapter.list_ticket_ids(query) for i in batch]
    assert set(ids) == listed and len(ids) == len(listed)
    id_request = next(r for r in site.recorder.requests if r.url.path.endswith("/service/tickets"))
    assert id_request.url.params["fields"] == "id"
    gone = ids[0]
    await adapter.delete_ticket(gone)
    assert await adapter.count_tickets(query) == len(listed) - 1
    assert gone not in [i async for batch in adapter.list_ticket_ids(query) for i in batch]
