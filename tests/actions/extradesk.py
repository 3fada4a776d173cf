"""A vendor that exists only in the test tree: the contract suite's fake desk plus one
action of its own, ``escalate``. It proves that a desk's declared action reaches the
palette, the form, the bulk runner and the command line with no code in ``tui/``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from adapters import registry
from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
)
from adapters.base import InvalidInput
from adapters.model import Choice, Visibility
from tests.contract.fakedesk.adapter import FakeDeskAdapter

ESCALATE = ActionSpec(
    id="escalate",
    label="Escalate",
    help="Hand the ticket to a higher support line, with the reason as a private note.",
    fields=(
        ActionField(
            name="level",
            label="Support line",
            kind=FieldKind.CHOICE,
            choices=(Choice(id="l2", label="Second line"), Choice(id="l3", label="Engineering")),
            required=True,
        ),
        ActionField(name="reason", label="Reason", kind=FieldKind.MULTILINE, required=True),
    ),
)

VENDOR = registry.Vendor(
    name="extradesk",
    title="Extra desk",
    adapter="tests.actions.extradesk:EscalatingDesk",
    simulator="tests.contract.fakedesk.simulator",
)


class EscalatingDesk(FakeDeskAdapter):
    """The fake desk, escalating by a private note."""

    vendor: ClassVar[str] = "extradesk"

    def desk_actions(self) -> Sequence[ActionSpec]:
        return (ESCALATE,)

    async def run_desk_action(
        self, spec: ActionSpec, ticket_id: str | None, values: Mapping[str, ActionValue]
    ) -> ActionOutcome:
        if spec.id != ESCALATE.id or ticket_id is None:
            return await super().run_desk_action(spec, ticket_id, values)
        level = {choice.id: choice.label for choice in ESCALATE.fields[0].choices}
        chosen = values.get("level")
        reason = values.get("reason")
        if not isinstance(chosen, str) or not isinstance(reason, str):
            raise InvalidInput(self.name, "level", "a level and a reason are needed")
        post = await self.add_post(
            ticket_id, f"Escalated to {level[chosen]}: {reason}", Visibility.PRIVATE
        )
        return ActionOutcome(message=f"escalated to {level[chosen]}", created_id=post.id)
