"""InvGate Service Management adapter: the :class:`adapters.base.Adapter` operations and
the API reference's other request commands (solutions, waiting states, cancel, reject,
reopen, links, observers, custom-field clearing, time tracking), over API v1.

The adapter is layered, one idea a module: the connection, the lookups and the error
mapping are in :mod:`adapters.invgate.client`; the listings (sources, hydration, counts,
IDs, a saved view's changes) in :mod:`adapters.invgate.listing`; reading a request in full
in :mod:`adapters.invgate.reading`; changes and status transitions in
:mod:`adapters.invgate.writes`; the desk's own actions in :mod:`adapters.invgate.actions`;
the JSON and its mapping in :mod:`adapters.invgate.wire`. Each module's docstring holds
the decisions where the sources disagree or say nothing. Here: what the connection can do,
and which class a connection is (with a saved view it lists changes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx

from adapters.actions import ActionOutcome, ActionSpec, ActionValue
from adapters.base import Capabilities, Capability, ConnectionSettings, ListingCapabilities
from adapters.invgate import actions as desk_actions
from adapters.invgate.client import DEFAULT_CONCURRENCY, InvGateSettings, api_root
from adapters.invgate.listing import CHANGED_SINCE_OVERLAP, HYDRATE_BATCH, ID_LISTING, ID_PAGE
from adapters.invgate.writes import InvGateWrites, to_html

__all__ = [
    "CHANGED_SINCE_OVERLAP",
    "HYDRATE_BATCH",
    "ID_PAGE",
    "InvGateAdapter",
    "InvGateSettings",
    "InvGateViewAdapter",
    "api_root",
    "to_html",
]


class InvGateAdapter(InvGateWrites):
    """One InvGate Service Management instance."""

    vendor: ClassVar[str] = "invgate"
    capabilities: ClassVar[Capabilities] = Capabilities(
        update=Capability.yes(
            "title, priority and type; status through its own endpoints; help desk and agent"
        ),
        assign=Capability.yes("help desk (or level) and/or agent, by incident.reassign"),
        close=Capability.yes(
            "a solution accepted on the customer's behalf (rating 5), or a cancellation "
            '(close_as = "cancel")'
        ),
        merge=Capability.emulate(
            "InvGate has no merge: the sources' conversations are copied into the target "
            "as an internal comment, each source is noted, closed and linked to the target"
        ),
        reply=Capability.yes("public comment, written as the acting user"),
        note=Capability.yes("internal comment (customer_visible 0), written as the acting user"),
        custom_fields=Capability.yes("request custom fields by uid; an empty value clears"),
        create=Capability.yes("the customer found by e-mail (or created), then reassigned"),
        time_entries=Capability.yes(
            "time tracking (timetracking): worked time only, InvGate keeps no billable time"
        ),
        attachments=Capability.yes("the request's and its comments' files (incident.attachment)"),
        upload=Capability.no("InvGate takes files only with a new comment or request"),
        delete=Capability.no("InvGate's API cannot delete a request (cancel or reject it)"),
        search=Capability.no("InvGate's API has no request search (only the by.* listings)"),
        max_concurrency=DEFAULT_CONCURRENCY,
        listing=ListingCapabilities(
            changed_since=Capability.no(
                "InvGate lists changes only through a saved view (set view_id): every refresh "
                "lists everything and the changes are found locally"
            ),
            id_listing=ID_LISTING,
        ),
    )

    def __new__(
        cls, settings: ConnectionSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> InvGateAdapter:
        """A connection with ``view_id`` is an :class:`InvGateViewAdapter`, whose
        capabilities say it lists changes."""
        view = isinstance(settings, InvGateSettings) and settings.view_id is not None
        if cls is InvGateAdapter and view:
            return super().__new__(InvGateViewAdapter)
        return super().__new__(cls)

    # ----------------------------------------------------------------------------------
    # The desk's own actions (adapters/invgate/actions.py)
    # ----------------------------------------------------------------------------------

    def desk_actions(self) -> Sequence[ActionSpec]:
        return desk_actions.SPECS

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values_by_name: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        return await desk_actions.run(self, spec, ticket_id, values_by_name)

    def describe(self) -> dict[str, Any]:
        facts = super().describe()
        facts.update(api=self.root, plan=self.settings.plan)
        return facts


class InvGateViewAdapter(InvGateAdapter):
    """An instance listed through a saved view (``view_id``): ``incidents.details.by.view``
    says when each request last changed, so a refresh reads only the changes."""

    capabilities: ClassVar[Capabilities] = InvGateAdapter.capabilities.model_copy(
        update={
            "listing": ListingCapabilities(
                changed_since=Capability.yes(
                    "the saved view by last update, newest first, down to the watermark less "
                    "5 minutes"
                ),
                id_listing=ID_LISTING,
            )
        }
    )
