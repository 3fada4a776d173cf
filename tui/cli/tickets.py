"""``triage tickets``: every connection's tickets, newest update first, as a table, JSON
or CSV (:mod:`tui.cli.output`). A desk that fails is one line on stderr; the others'
tickets are still listed, and the exit status is 1."""

from __future__ import annotations

import sys

from tui.cli.common import closing, error, within
from tui.cli.parser import DEFAULT_DEADLINE

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

    async def work() -> int:
        found, failed = await fetch_tickets(adapters, deadline=args.deadline)
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


async def fetch_tickets(
    adapters: list[Adapter], *, deadline: float = DEFAULT_DEADLINE
) -> tuple[list[Ticket], list[str]]:
    """Every connection's tickets, fetched concurrently page by page.

    A desk that fails, or has not finished within ``deadline`` seconds, is reported on
    stderr (one line naming it, the moment it fails) and the others' tickets are still
    returned; the names of the failed connections come back too.
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
            for line in page.skipped:
                # One unreadable ticket is a warning naming it; the rest are listed.
                error(f"warning: {adapter.name}: {line}")
            log.info(
                "%s: %d tickets at offset %d (total %s)",
                adapter.name,
                len(page.tickets),
                page.offset,
                "unknown" if page.total is None else page.total,
            )
        return collected

    found: list[Ticket] = []
    failed: list[str] = []

    async def bounded(adapter: Adapter) -> None:
        try:
            found.extend(await within(adapter.name, deadline, one(adapter)))
        except DeskError as exc:
            error(str(exc))
            failed.append(adapter.name)

    results = await asyncio.gather(*(bounded(a) for a in adapters), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    failed.sort(key=[adapter.name for adapter in adapters].index)
    return found, failed
