"""ConnectWise PSA adapter: the :class:`adapters.base.Adapter` operations, and the other
commands of seed 002, over the REST API 3.0.

Requests, settings and the setup tables are in :mod:`adapters.connectwise.client`; the
JSON mapping and the conditions builder in :mod:`adapters.connectwise.wire`. The operations
are split by idea, each class building on the one before: listing, changes and reading in
:mod:`.listing`, the writes to one ticket in :mod:`.writes`, merge in :mod:`.merge`, the
other seed commands in :mod:`.commands`; this class joins them and states the capabilities.

Decisions (the README gives their sources):

* **Groups are boards.** Statuses, teams and types belong to a board; the lookups scope
  each status and type to its board, an update checks that a status belongs to the
  ticket's (new) board before sending it, and moving a ticket to another board without a
  status sends that board's default status with it.
* **Listing** builds ``conditions`` from the query (every value a quoted, escaped literal)
  and joins the connection's own ``conditions`` in parentheses; it is ordered by
  ``_info/lastUpdated`` (newest first unless asked otherwise), paged by ``page``/
  ``pageSize`` until the ``Link`` header names no next page, with ``/count`` for the total.
* **Updates** are PATCH JSON-patch operations replacing whole references
  (``{"id": …}``), never sub-paths (those come back 200 and change nothing); the answer is
  checked and a value the site did not take is :class:`InvalidInput` naming the field.
* **Replies and notes**: a public reply is a Discussion note sent with
  ``processNotifications`` (the contact, resources and CC list are e-mailed as the ticket
  says); a private note is an Internal note, not e-mailed.
* **Close** adds the note (Internal) and the resolution (Resolution) first, then sets a
  closed status of the ticket's own board, preferring one titled "Closed".
* **Merge** is native: ``POST …/{parent}/merge`` with the sources as bare integers and a
  closed status of the parent's board.
* **Custom fields** are written as the whole ``customFields`` array (the current values
  with the new ones), since ConnectWise replaces the array.
* **Create**: the requester is looked up among contacts by e-mail; a known contact brings
  their company, anyone else goes to ``default_company`` (``Catchall``) with their name and
  e-mail on the ticket.
* **Listing changes.** The watermark is the largest ``_info/lastUpdated`` a listing saw
  (the site's own clock). A listing ``changed_since`` it adds ``lastUpdated >= [watermark
  less 5 minutes]`` (:data:`CHANGED_SINCE_OVERLAP`, for a change stamped late) to the
  query's conditions, orders newest first, and asks no count: the site stamps
  ``lastUpdated`` on every change to a ticket, notes and merges included, so a refresh
  costs what changed. Reconciliation asks ``/service/tickets/count`` and lists ids only
  (``fields=id``).
* **Desk actions** (:mod:`.operations`): the other seed commands as typed actions for the
  ``A`` form and ``triage action``; delete is ``DELETE /service/tickets/{id}``, search is
  ``summary contains`` the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from adapters.actions import ActionOutcome, ActionSpec, ActionValue
from adapters.base import Capabilities, Capability, ListingCapabilities
from adapters.connectwise import operations
from adapters.connectwise.client import DEFAULT_CONCURRENCY, ConnectWiseSettings, site_url
from adapters.connectwise.commands import (
    ConnectWiseCommands,
    Contact,
    ServiceTicketFields,
    TicketFetch,
)
from adapters.connectwise.listing import CHANGED_SINCE_OVERLAP
from adapters.connectwise.merge import ConnectWiseMerge

__all__ = [
    "CHANGED_SINCE_OVERLAP",
    "ConnectWiseAdapter",
    "ConnectWiseSettings",
    "Contact",
    "ServiceTicketFields",
    "TicketFetch",
    "site_url",
]


class ConnectWiseAdapter(ConnectWiseCommands, ConnectWiseMerge):
    """One ConnectWise PSA site."""

    vendor: ClassVar[str] = "connectwise"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes("summary, status, priority, type, owner and board (PATCH)"),
        assign=Capability.yes("owner member and/or board"),
        close=Capability.yes("sets a closed status of the ticket's own board"),
        merge=Capability.yes(
            "native merge: the sources are closed with a closed status of the target's board"
        ),
        reply=Capability.yes("Discussion note, e-mailed as the ticket's notifications say"),
        note=Capability.yes("Internal note"),
        custom_fields=Capability.yes("ticket custom fields (the whole array is written)"),
        create=Capability.yes("on a board, for the contact with the requester's e-mail"),
        time_entries=Capability.no(
            "time entries (/time/entries) are not among this desk's commands"
        ),
        attachments=Capability.no(
            "documents (/system/documents) are not among this desk's commands"
        ),
        upload=Capability.no("documents (/system/documents) are not among this desk's commands"),
        delete=Capability.yes("DELETE /service/tickets/{id}: the ticket and its notes are gone"),
        search=Capability.yes("tickets whose summary contains the text, newest first"),
        max_concurrency=DEFAULT_CONCURRENCY,
        listing=ListingCapabilities(
            changed_since=Capability.yes(
                "lastUpdated from the watermark less 5 minutes, newest first, no count"
            ),
            id_listing=Capability.yes("the listing's conditions with fields=id; a count first"),
        ),
    )
    settings: ConnectWiseSettings

    def desk_actions(self) -> Sequence[ActionSpec]:
        """Seed 002's commands beyond the common ones (:mod:`.operations`)."""
        return operations.DESK_ACTIONS

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        return await operations.run_desk_action(self, spec, ticket_id, values)
