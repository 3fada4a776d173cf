"""Running a desk's requests side by side, failing with one typed error.

``asyncio.TaskGroup`` raises an ``ExceptionGroup`` when its tasks fail; the app and the CLI
expect one :class:`~adapters.errors.DeskError` naming what went wrong. Every adapter that
fans requests out (lookups fetched together, a ticket's children, day windows) goes through
:func:`together`, so none of them unwraps exception groups its own way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from adapters.errors import DeskError


def first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first :class:`DeskError` among a task group's failures (else the first)."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [group]
    while pending:
        error = pending.pop(0)
        if isinstance(error, BaseExceptionGroup):
            pending.extend(error.exceptions)
        else:
            leaves.append(error)
    return next((e for e in leaves if isinstance(e, DeskError)), leaves[0])


@contextlib.asynccontextmanager
async def together() -> AsyncIterator[asyncio.TaskGroup]:
    """A task group that raises the first (typed) error itself, not an exception group."""
    try:
        async with asyncio.TaskGroup() as group:
            yield group
    except BaseExceptionGroup as failed:
        raise first_error(failed) from None
