"""``triage tickets``: every connection's tickets, newest update first, as a table, JSON
or CSV (:mod:`tui.cli.output`). A desk that fails is one line on stderr; the others'
tickets are still listed, and the exit status is 1.

``--query TEXT`` asks each desk's own search instead of listing (a desk without one is
named on stderr, as a failure); ``--filter TEXT`` then narrows what came back with the
app's quick-filter language (:mod:`tui.listing.filter`), so scripts select tickets
exactly as the agent does on screen."""

from __future__ import annotations

import sys

from tui.cli.common import closing, desk_error_text, error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    import httpx

    from adapters.base import Adapter
    from adapters.model import Ticket
    from tui.config import AppConfig


async def tickets(
    args: argparse.Namespace,
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
) -> int:
    from tui.cli.output import write_csv, write_json, write_table
    from tui.config import AppConfig, build_adapters

    if args.connection is not None:
        chosen = config.connection(args.connection)
        config = AppConfig(path=config.path, connections=[chosen], ui=config.ui)
        transports = {name: t for name, t in transports.items() if name == chosen.name}
    adapters = build_adapters(config, transports)

    if args.query is not None and not args.query.strip():
        error("tickets: --query needs some text to search for")
        return 2

    async def work() -> int:
        if args.query is not None:
            found, failed = await search_tickets(adapters, args.query)
        else:
            found, failed = await fetch_tickets(adapters)
        if args.filter:
            from tui.listing.filter import filter_tickets

            found = filter_tickets(found, args.filter)
        found.sort(key=lambda ticket: (ticket.updated, str(ticket.key)), reverse=True)
        if args.limit is not None:
            del found[args.limit :]
        out = sys.stdout
        if args.json:
            write_json(found, out)
        elif args.csv:
            write_csv(found, out)
        else:
            write_table(found, out)
        out.flush()
        return 1 if failed else 0

    return await closing(adapters, work)


async def fetch_tickets(adapters: list[Adapter]) -> tuple[list[Ticket], list[str]]:
    """Every connection's tickets, fetched concurrently page by page.

    A desk that fails is reported on stderr (one line naming it) and the others' tickets
    are still returned; the names of the failed connections come back too.
    """
    import asyncio
    import logging

    from adapters.base import DeskError
    from adapters.model import TicketQuery

    log = logging.getLogger("triage.cli")
    query = TicketQuery()

    async def one(adapter: Adapter) -> list[Ticket]:
        collected: list[Ticket] = []
        async for page in adapter.list_tickets(query):
            collected.extend(page.tickets)
            log.info(
                "%s: %d tickets at offset %d (total %s)",
                adapter.name,
                len(page.tickets),
                page.offset,
                "unknown" if page.total is None else page.total,
            )
        return collected

    results = await asyncio.gather(*(one(a) for a in adapters), return_exceptions=True)
    found: list[Ticket] = []
    failed: list[str] = []
    for adapter, result in zip(adapters, results, strict=True):
        if isinstance(result, DeskError):
            error(desk_error_text(result))
            failed.append(adapter.name)
        elif isinstance(result, BaseException):
            raise result
        else:
            found.extend(result)
    return found, failed


async def search_tickets(adapters: list[Adapter], query: str) -> tuple[list[Ticket], list[str]]:
    """Every connection's search results for ``query``; desks without a search, or whose
    search fails, are named on stderr and returned as failed."""
    import asyncio

    from adapters.base import DeskError

    searching = []
    failed: list[str] = []
    for adapter in adapters:
        capability = adapter.capabilities.search
        if capability.supported:
            searching.append(adapter)
        else:
            error(f"{adapter.name}: cannot search: {capability.reason}")
            failed.append(adapter.name)
    results = await asyncio.gather(
        *(adapter.search_tickets(query) for adapter in searching), return_exceptions=True
    )
    found: list[Ticket] = []
    for adapter, result in zip(searching, results, strict=True):
        if isinstance(result, DeskError):
            error(str(result))
            failed.append(adapter.name)
        elif isinstance(result, BaseException):
            raise result
        else:
            found.extend(result)
    return found, failed
