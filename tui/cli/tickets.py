"""``triage tickets``: every connection's tickets, newest update first, as a table, JSON
or CSV (:mod:`tui.cli.output`).

The tickets come from the local cache (:mod:`tui.cache`) brought current by a sync of each
desk (:mod:`tui.sync`), so a second run asks a big desk only for what changed; with
``--cached`` from the cache alone, without a request. A desk that fails is one line on
stderr naming it (and, when its listing stopped part-way, how far it got); everything
else, its tickets listed before the failure and cached ones included, is still listed,
and the exit status is 1. The demo keeps no cache (its desks are new at every start).

``--query TEXT`` asks each desk's own search instead of listing (a desk without one is
named on stderr, as a failure; search results are not cached); ``--filter TEXT`` then
narrows what came back with the app's quick-filter language (:mod:`tui.listing.filter`),
so scripts select tickets exactly as the agent does on screen."""

from __future__ import annotations

import sys

from tui.cli.common import closing, desk_error_text, error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    import httpx

    from adapters.base import Adapter
    from adapters.model import Ticket
    from tui.cache import Cache
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
    if args.query is not None and not args.query.strip():
        error("tickets: --query needs some text to search for")
        return 2
    failed: list[str] = []
    if args.query is not None:
        adapters = build_adapters(config, transports)
        found, failed = await closing(adapters, lambda: search_tickets(adapters, args.query))
    else:
        cache = None if args.demo else open_cache()
        try:
            if args.cached:
                found = cached_tickets(config, cache)
            else:
                found, failed = await fetch_tickets(config, transports, cache)
        finally:
            if cache is not None:
                for notice in cache.take_notices():
                    error(f"warning: {notice}")
                cache.close()
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


def open_cache() -> Cache:
    from tui.cache import Cache

    return Cache()


def cached_tickets(config: AppConfig, cache: Cache | None) -> list[Ticket]:
    """Every connection's tickets as the cache holds them; no request is made. Each desk's
    age (or its absence) is one line on stderr."""
    from datetime import UTC, datetime

    from tui.presentation import format_age

    if cache is None:
        error("the demo keeps no cache: its desks are built afresh at every start")
        return []
    found: list[Ticket] = []
    now = datetime.now(UTC)
    for settings in config.connections:
        desk = cache.desk(settings)
        snapshot = desk.snapshot()
        if snapshot.synced_at is None:
            error(f"{settings.name}: nothing cached")
            continue
        state = "" if snapshot.complete else ", incomplete"
        error(f"{settings.name}: cached {format_age(snapshot.synced_at, now)}{state}")
        found.extend(desk.all_tickets())
    return found


async def fetch_tickets(
    config: AppConfig,
    transports: dict[str, httpx.AsyncBaseTransport],
    cache: Cache | None,
) -> tuple[list[Ticket], list[str]]:
    """Every connection's tickets: the cached ones brought current by a sync of each desk
    (:mod:`tui.sync`: only the changes where the desk can list them), concurrently.

    A desk that fails is reported on stderr (one line naming it); what it listed before
    failing is kept, with its cached tickets, and the names of the failed connections
    come back too.
    """
    import asyncio
    import logging
    from datetime import UTC, datetime

    from adapters.errors import DeskError
    from adapters.model import TicketKey, TicketPage
    from tui.config import build_adapters
    from tui.store import describe_error
    from tui.sync import DeskSync

    log = logging.getLogger("triage.cli")
    adapters = build_adapters(config, transports)

    async def one(adapter: Adapter) -> tuple[dict[TicketKey, Ticket], str | None]:
        desk_cache = None if cache is None else cache.desk(adapter.settings)
        held: dict[TicketKey, Ticket] = {}
        if desk_cache is not None:
            held.update((t.key, t) for t in desk_cache.all_tickets())

        listed = [0]

        def on_page(page: TicketPage) -> None:
            held.update((t.key, t) for t in page.tickets)
            total = "unknown" if page.total is None else page.total
            count = len(page.tickets)
            log.info(
                "%s: %d tickets at offset %d (total %s)", adapter.name, count, listed[0], total
            )
            listed[0] += count

        desk_sync = DeskSync(adapter, cache=desk_cache, clock=lambda: datetime.now(UTC))
        result = await desk_sync.run(on_page, lambda: {key.native_id for key in held})
        for native_id in result.removed:
            held.pop(TicketKey(adapter.name, native_id), None)
        if result.error is None:
            return held, None
        stage = "listing" if not result.complete else "reconciliation"
        if isinstance(result.error, DeskError):
            problem = desk_error_text(result.error)
        else:
            problem = f"{adapter.name}: {describe_error(result.error)}"
        if not result.complete:
            problem += (
                f" (incomplete: the {stage} stopped after {result.received} tickets;"
                f" {len(held)} shown, cached ones included)"
            )
        return held, problem

    async def work() -> list[tuple[dict[TicketKey, Ticket], str | None]]:
        return list(await asyncio.gather(*(one(adapter) for adapter in adapters)))

    results = await closing(adapters, work)
    found: list[Ticket] = []
    failed: list[str] = []
    for adapter, (held, problem) in zip(adapters, results, strict=True):
        found.extend(held.values())
        if problem is not None:
            error(problem)
            failed.append(adapter.name)
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
