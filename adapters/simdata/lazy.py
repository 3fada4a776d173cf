"""Children of tickets (posts, notes, time entries, …), built only when read.

A simulated desk builds its ticket rows eagerly (they are what lists filter and sort),
but everything *under* a ticket is a pure function of (seed, ticket) and is generated on
first read, kept in a small LRU cache, and kept for good only once the ticket is written.
That is what lets a desk hold 100 000 tickets in a few seconds and about 100 MB.

Finding which ticket a child ID belongs to must not generate every ticket's children:
:class:`IdBlocks` gives each ticket a contiguous block of IDs and finds owners by
bisection.
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


class LazyChildren(Generic[T]):
    """Children of tickets, generated on demand and kept once a ticket is written.

    ``generate`` takes the ticket (any record with an ``id``) and returns its children.

    Reads of pristine tickets go through a bounded LRU cache (regenerating an evicted
    entry gives identical data, since generation is a pure function of seed and ticket).
    """

    def __init__(self, generate: Callable[[Any], T], cache_size: int = 2048) -> None:
        self._generate = generate
        self._cache: OrderedDict[int, T] = OrderedDict()
        self._cache_size = cache_size
        self._owned: dict[int, T] = {}

    def get(self, ticket: HasId) -> T:
        owned = self._owned.get(ticket.id)
        if owned is not None:
            return owned
        cached = self._cache.get(ticket.id)
        if cached is not None:
            self._cache.move_to_end(ticket.id)
            return cached
        value = self._generate(ticket)
        self._cache[ticket.id] = value
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return value

    def peek(self, ticket: HasId) -> T:
        """Like get, without filling the cache (for scans over every ticket)."""
        owned = self._owned.get(ticket.id)
        if owned is not None:
            return owned
        cached = self._cache.get(ticket.id)
        return cached if cached is not None else self._generate(ticket)

    def own(self, ticket: HasId) -> T:
        """The ticket's children, kept for good (to be mutated)."""
        owned = self._owned.get(ticket.id)
        if owned is None:
            owned = self._cache.pop(ticket.id, None)
            if owned is None:
                owned = self._generate(ticket)
            self._owned[ticket.id] = owned
        return owned

    def drop(self, ticket_id: int) -> None:
        self._owned.pop(ticket_id, None)
        self._cache.pop(ticket_id, None)


class IdBlocks:
    """Global IDs of one child kind: each generated ticket owns a contiguous block.

    Finding which ticket a child ID belongs to must not require generating every
    ticket's children, so block starts are kept in an array searched by bisection.
    IDs of children created later come after every block.
    """

    def __init__(self) -> None:
        # Machine-int arrays: 100 000 tickets cost 1.6 MB here instead of boxed ints.
        self.starts = array("q")
        self.owners = array("q")
        self.next_id = 1
        self.created: dict[int, int] = {}

    def reserve(self, ticket_id: int, count: int) -> None:
        """Give a generated ticket (reserved in ascending ticket order) ``count`` IDs."""
        if count:
            self.starts.append(self.next_id)
            self.owners.append(ticket_id)
            self.next_id += count

    def base_of(self, ticket_id: int) -> int:
        """First ID of the block reserved for ``ticket_id`` (0 when it has none)."""
        index = bisect.bisect_left(self.owners, ticket_id)
        if index < len(self.owners) and self.owners[index] == ticket_id:
            return self.starts[index]
        return 0

    def new_id(self, ticket_id: int) -> int:
        rid = self.next_id
        self.next_id += 1
        self.created[rid] = ticket_id
        return rid

    def owner(self, rid: int) -> int | None:
        if rid in self.created:
            return self.created[rid]
        index = bisect.bisect_right(self.starts, rid) - 1
        if index < 0 or rid >= self.next_id:
            return None
        return self.owners[index]
