"""Walking a desk's ticket list page by page, whatever its paging style.

Desks page in four ways: a row offset (Kayako's ``start``, InvGate's ``offset``), a page
number (HaloPSA's ``page_no``, ConnectWise's ``page``), a cursor the previous page handed
out (InvGate's ``page_key``, ConnectWise's forward-only ``pageId``), or time windows
(Kapture, which is the vendor's own loop). :func:`ticket_pages` gives the fetcher all of
the first three in one :class:`PageRequest` and keeps the rules every listing needs in one
place:

* a ticket already listed is dropped, since rows move between pages while a desk is being
  read (a ticket updated mid-listing reappears on a later page);
* the listing ends on a short page, when the desk's total is reached, or when the desk says
  there is no next page;
* a page longer than asked means the server ignores paging: that page is all there is;
* a full page of tickets already listed means the server ignores the offset (it answers the
  first page again), and asking further would never end: the listing stops, with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from adapters.model import Ticket, TicketPage

log = logging.getLogger("triage.paging")


@dataclass(frozen=True)
class PageRequest:
    """Which page to fetch, in every style at once: ``offset`` rows already read,
    ``number`` counting from 1, and the ``cursor`` the previous page gave (``None`` first)."""

    offset: int
    number: int
    size: int
    cursor: str | None = None


@dataclass(frozen=True)
class FetchedPage:
    """One page as the desk answered it.

    ``total`` is the desk's count of matching tickets when this answer carries it (a paged
    envelope's ``record_count``). ``more`` is what the desk says about a next page (a
    ``Link: rel="next"`` header, a ``page_key``); ``None`` when it says nothing, and then a
    full page means there may be more. ``cursor`` is handed to the next request.
    """

    tickets: Sequence[Ticket]
    total: int | None = None
    more: bool | None = None
    cursor: str | None = None
    skipped: Sequence[str] = ()
    """Tickets of this answer that could not be read, one line each (they count as rows
    of the page: a page with one skipped is not short)."""


Fetch = Callable[[PageRequest], Awaitable[FetchedPage]]


async def ticket_pages(
    connection: str, fetch: Fetch, *, page_size: int, total: int | None = None
) -> AsyncIterator[TicketPage]:
    """Pages of tickets from ``fetch``, de-duplicated, ending as the module docstring says.

    ``total`` is the count known before the first page (Kayako's ``GetTicketCount``); a
    total in a fetched page replaces it.
    """
    offset, number, cursor = 0, 1, None
    seen: set[str] = set()
    while True:
        page = await fetch(PageRequest(offset=offset, number=number, size=page_size, cursor=cursor))
        if page.total is not None:
            total = page.total
        fresh: list[Ticket] = []
        for ticket in page.tickets:
            if ticket.key.native_id not in seen:
                seen.add(ticket.key.native_id)
                fresh.append(ticket)
        yield TicketPage(
            tickets=tuple(fresh), offset=offset, total=total, skipped=tuple(page.skipped)
        )
        count = len(page.tickets) + len(page.skipped)
        offset += count
        number += 1
        cursor = page.cursor
        if page.more is False or count == 0:
            return
        # A short page is the last; a long one means the server ignores paging.
        if page.more is None and count != page_size:
            return
        if total is not None and offset >= total:
            return
        if not fresh:
            log.warning("%s: the desk ignores the paging offset", connection)
            return
