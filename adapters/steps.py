"""Composite actions that resume instead of repeating: which steps the desk confirmed.

Closing with a note posts the note, then sets the status; an emulated merge copies, notes
and closes each source. When a later step fails, doing the action again must not repeat
the earlier ones: a second copy of a note on a customer's ticket is worse than an error.
So a composite action runs its steps through an :class:`Operation` of the adapter's
:class:`StepLedger`:

* a step the desk confirmed is remembered and skipped when the action is done again (the
  same action, on the same ticket, with the same text);
* a step whose outcome is unknown (the request may have reached the desk but its answer was
  lost: :attr:`DeskError.may_have_landed`) is not sent again blindly: doing the action
  again raises :class:`~adapters.errors.OutcomeUnknown` naming the step, until the agent,
  having looked at the ticket, says whether it landed (:meth:`StepLedger.resolve`);
* once every step is done the operation is forgotten.

The ledger lives as long as the adapter (the app's session); it is memory, not a file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from adapters.errors import DeskError, OutcomeUnknown

ResultT = TypeVar("ResultT")


@dataclass
class _Progress:
    confirmed: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)


class StepLedger:
    """The steps of unfinished composite actions of one connection."""

    def __init__(self, connection: str) -> None:
        self.connection = connection
        self._progress: dict[tuple[Hashable, ...], _Progress] = {}

    def operation(self, action: str, ticket_id: str, *identity: Hashable) -> Operation:
        """The composite ``action`` on ``ticket_id``; ``identity`` is whatever else makes
        it the same action (its note text, the merge target)."""
        return Operation(self, (action, ticket_id, *identity))

    def unknown(self, ticket_id: str) -> list[str]:
        """Steps of unfinished actions on ``ticket_id`` whose outcome is unknown."""
        return sorted(
            step
            for key, progress in self._progress.items()
            if key[1] == ticket_id
            for step in progress.unknown
        )

    def resolve(self, ticket_id: str, *, landed: bool) -> None:
        """The agent looked at ``ticket_id``: its unknown steps did (``landed``) or did not
        reach the desk; the next attempt skips or resends them accordingly."""
        for key, progress in self._progress.items():
            if key[1] != ticket_id:
                continue
            if landed:
                progress.confirmed |= progress.unknown
            progress.unknown.clear()

    def _get(self, key: tuple[Hashable, ...]) -> _Progress:
        return self._progress.setdefault(key, _Progress())

    def _forget(self, key: tuple[Hashable, ...]) -> None:
        self._progress.pop(key, None)


class Operation:
    """One composite action's steps (see the module docstring)."""

    def __init__(self, ledger: StepLedger, key: tuple[Hashable, ...]) -> None:
        self.ledger = ledger
        self.key = key

    def confirmed(self, step: str) -> bool:
        progress = self.ledger._progress.get(self.key)
        return progress is not None and step in progress.confirmed

    async def step(self, name: str, run: Callable[[], Awaitable[ResultT]]) -> ResultT | None:
        """Run step ``name`` unless the desk confirmed it already (then ``None``).

        Raises :class:`OutcomeUnknown` when an earlier attempt may or may not have landed,
        and re-raises a failure of ``run``, remembering it as unknown when it may have."""
        progress = self.ledger._get(self.key)
        if name in progress.confirmed:
            return None
        if name in progress.unknown:
            raise OutcomeUnknown(self.ledger.connection, name)
        try:
            result = await run()
        except DeskError as exc:
            if exc.may_have_landed:
                progress.unknown.add(name)
            raise
        progress.confirmed.add(name)
        return result

    def finish(self) -> None:
        """Every step is done: nothing to resume."""
        self.ledger._forget(self.key)
