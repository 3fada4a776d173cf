"""The bulk-action runner: one action over many tickets, spanning several desks.

:func:`plan` says, before anything is sent, how many tickets each desk gets, which desks
cannot do the action (and why) and which only emulate it; the confirmation screen shows
that plan. :class:`BulkRunner` then runs the action:

* each desk's tickets run concurrently, at most ``Capabilities.max_concurrency`` at a time
  (the HTTP layer additionally rate-limits every connection), and the desks run in
  parallel, so one slow desk does not hold up the others;
* every ticket gets exactly one :class:`~adapters.model.ActionResult`: ok, or failed with
  the desk's error message (which names the connection); progress is reported through a
  callback as each result arrives;
* tickets on a desk that cannot do the action are reported as failed with the reason and
  never sent;
* besides the common actions (named by their :class:`~adapters.base.Capabilities` field),
  a desk's own action runs the same way: the caller names it and says, per desk, whether
  the desk can do it (``capability``); its :class:`~adapters.actions.ActionOutcome`
  message becomes the ticket's result message;
* :meth:`BulkRunner.retry_failed` reruns only the failures that may succeed on a second
  try (not the unsupported ones), and :meth:`BulkRunner.stop` lets the agent stop a run:
  requests in flight finish, the rest are reported as not sent and can be retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from adapters.actions import ActionOutcome
from adapters.base import Adapter, Capabilities, Capability, DeskError
from adapters.model import ActionResult, TicketKey
from adapters.text import clean_text

log = logging.getLogger("triage.bulk")

BulkOperation = Callable[[Adapter, str], Awaitable[object]]
"""``op(adapter, native_id)``: does the action on one ticket; returns what the desk sent
back (a ``Ticket``, a ``Post``, …) or ``None``, and raises :class:`DeskError` on failure.
An operation whose arguments differ per ticket looks them up by
``TicketKey(adapter.name, native_id)``."""

ProgressCallback = Callable[[int, int, ActionResult], None]
"""``on_progress(done, total, result)``, called once per ticket as its result arrives."""

CapabilityOf = Callable[[Adapter], Capability]
"""Whether one desk can do an action that is not a :class:`Capabilities` field (a desk's
own action, a delete): given for such actions instead of reading ``capabilities``."""

ACTIONS: frozenset[str] = frozenset(
    name for name, field in Capabilities.model_fields.items() if field.annotation is Capability
)

ACTION_LABELS: dict[str, str] = {
    "update": "update tickets",
    "assign": "assign tickets",
    "close": "close tickets",
    "merge": "merge tickets",
    "reply": "post public replies",
    "note": "post private notes",
    "custom_fields": "set custom fields",
    "create": "create tickets",
}


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        raise ValueError(f"unknown bulk action {action!r} (known: {known})")


@dataclass(frozen=True)
class DeskPlan:
    """One desk's share of a bulk action. ``capability`` is ``None`` when the tickets name
    a connection that is not configured."""

    connection: str
    count: int
    capability: Capability | None

    @property
    def supported(self) -> bool:
        return self.capability is not None and self.capability.supported

    @property
    def emulated(self) -> bool:
        return self.capability is not None and self.capability.emulated

    @property
    def reason(self) -> str:
        if self.capability is None:
            return "no connection with this name is configured"
        return self.capability.reason


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk action will do, per desk, in the order the desks first appear."""

    action: str
    desks: tuple[DeskPlan, ...]

    @property
    def total(self) -> int:
        return sum(desk.count for desk in self.desks)

    @property
    def runnable(self) -> int:
        """Tickets that will be sent."""
        return sum(desk.count for desk in self.desks if desk.supported)

    @property
    def unsupported(self) -> tuple[DeskPlan, ...]:
        return tuple(desk for desk in self.desks if not desk.supported)

    @property
    def emulated(self) -> tuple[DeskPlan, ...]:
        return tuple(desk for desk in self.desks if desk.supported and desk.emulated)

    def desk(self, connection: str) -> DeskPlan:
        for desk in self.desks:
            if desk.connection == connection:
                return desk
        raise KeyError(connection)


def _unique(targets: Iterable[TicketKey]) -> list[TicketKey]:
    return list(dict.fromkeys(targets))


def _by_desk(targets: Iterable[TicketKey]) -> dict[str, list[TicketKey]]:
    desks: dict[str, list[TicketKey]] = {}
    for key in targets:
        desks.setdefault(key.connection, []).append(key)
    return desks


def plan(
    targets: Sequence[TicketKey],
    adapters: Mapping[str, Adapter],
    action: str,
    capability_of: CapabilityOf | None = None,
) -> BulkPlan:
    """Count the tickets per desk and say which desks cannot do ``action`` or emulate it.
    ``capability_of`` decides for an action that is not a :class:`Capabilities` field."""
    if capability_of is None:
        _check_action(action)
    desks = []
    for connection, keys in _by_desk(_unique(targets)).items():
        adapter = adapters.get(connection)
        capability: Capability | None = None
        if adapter is not None:
            capability = (
                capability_of(adapter)
                if capability_of is not None
                else adapter.capabilities.for_action(action)
            )
        desks.append(DeskPlan(connection, len(keys), capability))
    return BulkPlan(action, tuple(desks))


class BulkRunner:
    """Runs ``op`` on every target; see the module docstring for the guarantees."""

    def __init__(
        self,
        targets: Sequence[TicketKey],
        adapters: Mapping[str, Adapter],
        action: str,
        op: BulkOperation,
        *,
        on_progress: ProgressCallback | None = None,
        capability_of: CapabilityOf | None = None,
    ) -> None:
        if capability_of is None:
            _check_action(action)
        self.targets = _unique(targets)
        self.adapters = adapters
        self.action = action
        self.op = op
        self.on_progress = on_progress
        self.plan = plan(self.targets, adapters, action, capability_of)
        self.returned: dict[TicketKey, object] = {}
        """What the desk sent back for each ticket that succeeded (a Ticket, a Post…)."""
        self._results: dict[TicketKey, ActionResult] = {}
        self._unsupported: set[TicketKey] = set()
        self._stopping = False
        self.running = False

    # -- state ----------------------------------------------------------------------------

    @property
    def results(self) -> list[ActionResult]:
        """The latest result of every ticket that has one, in target order."""
        return [self._results[key] for key in self.targets if key in self._results]

    def result(self, key: TicketKey) -> ActionResult | None:
        return self._results.get(key)

    @property
    def failed(self) -> list[TicketKey]:
        return [key for key in self.targets if key in self._results and not self._results[key].ok]

    @property
    def retryable(self) -> list[TicketKey]:
        """Failures a retry would send again: not those the desk cannot do at all."""
        return [key for key in self.failed if key not in self._unsupported]

    @property
    def succeeded(self) -> int:
        return sum(1 for result in self._results.values() if result.ok)

    def stop(self) -> None:
        """Send nothing more; requests in flight finish and report their result."""
        self._stopping = True

    # -- running --------------------------------------------------------------------------

    async def run(self) -> list[ActionResult]:
        """Run the action on every target; one result per ticket, in target order."""
        await self._run(self.targets)
        return self.results

    async def retry_failed(self) -> list[ActionResult]:
        """Rerun only the retryable failures; returns their new results."""
        keys = self.retryable
        await self._run(keys)
        return [self._results[key] for key in keys]

    async def _run(self, keys: Sequence[TicketKey]) -> None:
        if self.running:
            raise RuntimeError("this bulk run is already running")
        self.running = True
        self._stopping = False
        total = len(keys)
        done = 0

        def record(result: ActionResult) -> None:
            nonlocal done
            self._results[result.key] = result
            done += 1
            if self.on_progress is not None:
                self.on_progress(done, total, result)

        try:
            runnable: dict[str, list[TicketKey]] = {}
            # Tickets that will not be sent are reported first, before any request.
            for connection, desk_keys in _by_desk(keys).items():
                desk = self.plan.desk(connection)
                if desk.supported:
                    runnable[connection] = desk_keys
                    continue
                for key in desk_keys:
                    self._unsupported.add(key)
                    record(self._failure(key, self._unsupported_reason(desk)))
            async with asyncio.TaskGroup() as group:
                for connection, desk_keys in runnable.items():
                    adapter = self.adapters[connection]
                    queue = deque(desk_keys)
                    workers = max(1, adapter.capabilities.max_concurrency)
                    for _ in range(min(workers, len(queue))):
                        group.create_task(self._desk_worker(adapter, queue, record))
        finally:
            self.running = False

    async def _desk_worker(
        self,
        adapter: Adapter,
        queue: deque[TicketKey],
        record: Callable[[ActionResult], None],
    ) -> None:
        # A fixed number of workers per desk pulling from one queue keeps at most
        # max_concurrency requests of this desk in flight, in target order.
        while queue:
            key = queue.popleft()
            if self._stopping:
                record(self._failure(key, f"{key.connection}: not sent: the run was stopped"))
                continue
            record(await self._attempt(adapter, key))

    async def _attempt(self, adapter: Adapter, key: TicketKey) -> ActionResult:
        try:
            returned = await self.op(adapter, key.native_id)
        except DeskError as exc:
            return self._failure(key, str(exc))
        except Exception as exc:
            # A bug must not abort the other tickets of the run; it is logged in full and
            # reported on this ticket without a traceback on the screen.
            log.exception("bulk %s on %s failed unexpectedly", self.action, key)
            return self._failure(
                key, f"{key.connection}: internal error: {type(exc).__name__}: {exc}"
            )
        if returned is not None:
            self.returned[key] = returned
        else:
            self.returned.pop(key, None)
        message = clean_text(returned.message) if isinstance(returned, ActionOutcome) else ""
        return ActionResult(key=key, action=self.action, ok=True, message=message)

    def _unsupported_reason(self, desk: DeskPlan) -> str:
        if desk.capability is None:
            return f"{desk.connection}: not sent: {desk.reason}"
        what = ACTION_LABELS.get(self.action, self.action)
        reason = desk.reason or "the desk does not support it"
        return f"{desk.connection}: not sent: cannot {what} on this desk: {reason}"

    def _failure(self, key: TicketKey, message: str) -> ActionResult:
        return ActionResult(key=key, action=self.action, ok=False, message=clean_text(message))
