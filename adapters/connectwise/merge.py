"""ConnectWise merge: native ``POST /service/tickets/{parent}/merge`` with the sources as
bare integers and a closed status of the parent's board (seed "Merge Tickets").

Kept apart from the other writes because it acts on several tickets at once and answers
one result per ticket.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.base import DeskError, InvalidInput, Unsupported
from adapters.connectwise import wire
from adapters.connectwise.client import require_ids
from adapters.connectwise.listing import ConnectWiseListing
from adapters.model import ActionResult, TicketKey


class ConnectWiseMerge(ConnectWiseListing):
    """Merging tickets on one PSA site."""

    async def closed_statuses_of(self, ticket_id: int) -> list[tuple[int, str]]:
        """The closed statuses (id, name) of the ticket's board, in the order close and
        merge prefer them."""
        catalog = await self.catalog.get()
        board = wire.ref(await self._record(ticket_id), "board")
        closing = catalog.closing_statuses(board["id"]) if board else []
        return [(status["id"], wire.label(status)) for status in closing]

    async def merge(self, target_id: str, source_ids: Sequence[str]) -> list[ActionResult]:
        """Native merge into ``target_id`` with a closed status of its board."""
        parent = self._number(target_id)
        children = require_ids(source_ids, "source_ids", self.name)
        if parent in children:
            raise InvalidInput(self.name, "source_ids", "the target cannot be a source")
        if not children:
            raise InvalidInput(self.name, "source_ids", "name at least one ticket to merge")
        closing = await self.closed_statuses_of(parent)
        if not closing:
            raise Unsupported(self.name, "the target's board has no closed status")
        return await self.merge_tickets(parent, children, closing[0][0])

    async def merge_tickets(
        self, parent_id: int, merge_ids: Sequence[int], status_id: int
    ) -> list[ActionResult]:
        """Seed "Merge Tickets": ``POST /service/tickets/{parent}/merge`` with the ids as
        bare integers and the (closed) status the merged tickets get."""
        children = list(dict.fromkeys(int(i) for i in merge_ids))
        if parent_id in children:
            raise InvalidInput(self.name, "source_ids", "a ticket cannot be merged into itself")
        if not children:
            raise InvalidInput(self.name, "source_ids", "name at least one ticket to merge")
        catalog = await self.catalog.get()
        status = catalog.status_by_id.get(status_id)
        if status is not None and not status.get("closedStatus"):
            raise InvalidInput(
                self.name, "status", f"{wire.label(status)!r} is not a closed status"
            )
        body = {"mergeTicketIds": children, "status": {"id": status_id}}
        try:
            response = await self.send("POST", f"service/tickets/{parent_id}/merge", json=body)
        except DeskError as exc:
            results = [
                ActionResult(
                    key=TicketKey(self.name, str(c)), action="merge", ok=False, message=exc.message
                )
                for c in children
            ]
            results.append(
                ActionResult(
                    key=TicketKey(self.name, str(parent_id)),
                    action="merge",
                    ok=False,
                    message=f"nothing merged: {exc.message}",
                )
            )
            return results
        answer = self.decode(response, "answer to merge")
        message = answer.get("message") if isinstance(answer, dict) else None
        results = [
            ActionResult(
                key=TicketKey(self.name, str(c)),
                action="merge",
                ok=True,
                message=f"merged into {parent_id}",
            )
            for c in children
        ]
        results.append(
            ActionResult(
                key=TicketKey(self.name, str(parent_id)),
                action="merge",
                ok=True,
                message=message
                if isinstance(message, str) and message
                else f"{len(children)} merged",
            )
        )
        return results
