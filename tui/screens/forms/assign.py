"""The Assign form: pick an agent and/or a group for the targeted tickets.

Agent and group ids only mean something on their own desk, so the form works on one desk
at a time (the tickets must all belong to it). For a selection spanning several desks the
caller asks once per desk, passing ``step=(n, of)`` so the title says "desk 1 of 2", and
runs one bulk action with each desk's answer.

Both lists are narrowed by typing (a desk can have hundreds of agents). It dismisses with
``(agent_id, group_id)``: ``None`` leaves that side as it is and an agent of
:data:`adapters.model.UNASSIGNED` removes the assignee; ``None`` when cancelled.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from adapters.model import UNASSIGNED, Ticket
from tui.screens.forms.base import (
    FORM_ERROR,
    DeskForm,
    capability_notice,
    fid,
    field_error,
)
from tui.screens.forms.picklist import PickItem, PickList

Assignment = tuple[str | None, str | None]
"""``(agent_id, group_id)``; ``None`` = leave as is, agent ``UNASSIGNED`` = nobody."""

LEAVE = "(leave as is)"
NOBODY = "(nobody: remove the assignee)"


class AssignScreen(DeskForm[Assignment]):
    """Assign ``tickets`` (all on one desk) to an agent and/or a group, offered from the
    desk's lookups; without the ``assign`` capability only the reason shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Assign", priority=True),
    ]
    SUBMIT_LABEL = "Assign"

    @property
    def can_submit(self) -> bool:
        return self.capabilities.assign.supported

    def compose_body(self) -> ComposeResult:
        notice = capability_notice("assign", self.capabilities.assign)
        if notice is not None:
            yield notice
        if not self.can_submit:
            return
        if len(self.tickets) == 1:
            ticket = self.tickets[0]
            agent = ticket.assignee.name if ticket.assignee else "nobody"
            group = ticket.group.label if ticket.group else "none"
            yield Label(f"Now: {agent} / {group}", classes="form-hint", markup=False)
        agents = [PickItem(None, LEAVE), PickItem(UNASSIGNED, NOBODY)]
        agents += [
            PickItem(choice.id, choice.label, choice.detail or "") for choice in self.lookups.agents
        ]
        groups = [PickItem(None, LEAVE)]
        groups += [
            PickItem(choice.id, choice.label, choice.detail or "") for choice in self.lookups.groups
        ]
        with Horizontal(classes="pick-columns"):
            with Vertical(classes="pick-column"):
                yield PickList("Agent", agents, id=fid("agent"))
                yield field_error("agent")
            with Vertical(classes="pick-column"):
                yield PickList("Group", groups, id=fid("group"))
                yield field_error("group")
        if not self.lookups.agents and not self.lookups.groups:
            yield Label(
                "No agents or groups are known for this desk yet.",
                classes="form-hint",
                markup=False,
            )

    def build_result(self, errors: dict[str, str]) -> Assignment | None:
        agent = self.query_one(f"#{fid('agent')}", PickList).value
        group = self.query_one(f"#{fid('group')}", PickList).value
        if agent is None and group is None:
            errors[FORM_ERROR] = "Pick an agent, a group, or both."
            return None
        if all(self._already(ticket, agent, group) for ticket in self.tickets):
            which = "the ticket is" if len(self.tickets) == 1 else "every ticket is"
            errors[FORM_ERROR] = f"Nothing would change: {which} assigned like this already."
            return None
        return (agent, group)

    @staticmethod
    def _already(ticket: Ticket, agent: str | None, group: str | None) -> bool:
        if agent is not None:
            current = UNASSIGNED if ticket.assignee is None else ticket.assignee.id
            if current != agent:
                return False
        if group is not None:
            current_group = ticket.group.id if ticket.group else None
            if current_group != group:
                return False
        return True
