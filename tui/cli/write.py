"""The writing commands' shared machinery, and the common actions: ``update``, ``assign``,
``close``, ``delete``, ``reply``, ``note`` and ``merge``.

They do what the TUI's forms do, through the same pieces: the adapters (and so the same
rate limits), the bulk runner (each desk's tickets at its own concurrency, one result per
ticket), the outbox (a reply or note is on disk before it is sent, and stays there with the
reason when sending fails, for the TUI's drafts list), and the desk-action specs. Values are
given by label or id and resolved through each desk's lookups before anything is sent; a
miss is a usage error (exit 2) naming the desk and the field and listing the choices.
Reading keys, ``--set``, text, dry runs, results and exit statuses is
:mod:`tui.cli.inputs`; ``fields``, ``create`` and ``action`` have their own modules.

Unlike the read-only commands, these modules import what they need at their top: they are
imported only when a writing command runs, so ``triage --help`` does not pay for them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

import httpx

from adapters.actions import (
    ActionField,
    ActionOutcome,
    ActionSpec,
    ActionValue,
    FieldKind,
    resolve_values,
    show_value,
)
from adapters.base import Adapter, Capability, InvalidInput
from adapters.model import (
    UNASSIGNED,
    ActionResult,
    Change,
    Choice,
    Lookups,
    TicketKey,
    Visibility,
)
from adapters.text import clean_line
from tui.bulk import BulkRunner
from tui.cli.inputs import (
    EXIT_OK,
    EXIT_USAGE,
    STDIN,
    PlannedChange,
    UsageError,
    parse_key,
    read_keys,
    read_text,
    write_plan,
    write_results,
)
from tui.config import AppConfig, build_adapters
from tui.outbox import Outbox, OutboxError

UNASSIGN_WORDS = frozenset({"none", "nobody", "unassigned"})

# The common actions' values, declared like a desk action so that they are resolved (by
# label or id, with the same errors) the same way.
UPDATE_SPEC = ActionSpec(
    id="update",
    label="Update",
    help="Set the status, priority or type.",
    fields=(
        ActionField(name="status_id", label="status", kind=FieldKind.CHOICE, lookup="statuses"),
        ActionField(
            name="priority_id", label="priority", kind=FieldKind.CHOICE, lookup="priorities"
        ),
        ActionField(name="type_id", label="type", kind=FieldKind.CHOICE, lookup="types"),
    ),
)
ASSIGN_SPEC = ActionSpec(
    id="assign",
    label="Assign",
    help="Assign to an agent and/or a group.",
    fields=(
        ActionField(name="agent_id", label="agent", kind=FieldKind.CHOICE, lookup="agents"),
        ActionField(name="group_id", label="group", kind=FieldKind.CHOICE, lookup="groups"),
    ),
)

# --------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------


@dataclass
class Job:
    """One writing command, resolved: what each ticket gets and how it is sent."""

    action: str
    """The bulk action and result name (``update``, ``close``, the desk action's id…)."""
    op: Callable[[Adapter, str], Awaitable[object]]
    changes: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """What the dry run shows, per connection (or per ``str(key)``)."""
    capability: Callable[[Adapter], Capability] | None = None


class Context:
    """The adapters, the streams and the parsed arguments of one run."""

    def __init__(
        self,
        args: argparse.Namespace,
        adapters: Sequence[Adapter],
        stdin: TextIO,
        out: TextIO,
        err: TextIO,
    ) -> None:
        self.args = args
        self.adapters = {adapter.name: adapter for adapter in adapters}
        self.stdin, self.out, self.err = stdin, out, err
        self._lookups: dict[str, Lookups] = {}
        self.names: dict[TicketKey, str] = {}
        """How ``tickets --json`` named the tickets read from it (see ``read_keys``)."""

    def adapter(self, connection: str) -> Adapter:
        try:
            return self.adapters[connection]
        except KeyError:
            known = ", ".join(self.adapters) or "none"
            raise UsageError(f"no connection named {connection!r} (configured: {known})") from None

    def keys(self, arguments: Sequence[str]) -> list[TicketKey]:
        keys = read_keys(arguments, self.stdin, self.names)
        for key in keys:
            self.adapter(key.connection)
        return keys

    async def lookups(self, connections: Sequence[str]) -> dict[str, Lookups]:
        missing = [name for name in dict.fromkeys(connections) if name not in self._lookups]
        found = await asyncio.gather(*(self.adapter(name).lookups() for name in missing))
        self._lookups.update(zip(missing, found, strict=True))
        return {name: self._lookups[name] for name in connections}


async def run_write(
    args: argparse.Namespace,
    config: AppConfig,
    transports: Mapping[str, httpx.AsyncBaseTransport],
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the writing command ``args.command``; returns the exit status."""
    adapters = build_adapters(config, transports)
    context = Context(args, adapters, stdin or sys.stdin, out or sys.stdout, err or sys.stderr)
    try:
        return await _command(args.command)(context)
    except UsageError as exc:
        context.err.write(f"triage: {' '.join(str(exc).split())}\n")
        return EXIT_USAGE
    finally:
        await asyncio.gather(*(adapter.aclose() for adapter in adapters), return_exceptions=True)


async def run_job(context: Context, keys: Sequence[TicketKey], job: Job) -> int:
    args = context.args
    capability = job.capability or (lambda adapter: adapter.capabilities.for_action(job.action))
    if args.dry_run:
        plans = []
        for key in keys:
            can = capability(context.adapter(key.connection))
            changes = job.changes.get(str(key), job.changes.get(key.connection, ()))
            problem = "" if can.supported else (can.reason or "the desk does not support it")
            plans.append(PlannedChange(key, job.action, changes, problem))
        write_plan(plans, context.out, as_json=args.json, names=context.names)
        return EXIT_OK
    runner = BulkRunner(keys, context.adapters, job.action, job.op, capability_of=job.capability)
    results = await runner.run()
    outcomes = {
        key: returned
        for key, returned in runner.returned.items()
        if isinstance(returned, ActionOutcome)
    }
    return write_results(
        results,
        context.out,
        context.err,
        as_json=args.json,
        outcomes=outcomes,
        names=context.names,
    )


def resolve(
    connection: str,
    spec: ActionSpec,
    given: Mapping[str, str | Sequence[str] | None],
    lookups: Lookups,
) -> dict[str, ActionValue]:
    """``spec``'s values from the options given (``None`` = not given); a miss is a usage
    error naming the desk and the field and listing the choices."""
    try:
        return resolve_values(
            connection,
            spec,
            {name: value for name, value in given.items() if value is not None},
            lookups,
        )
    except InvalidInput as exc:
        raise UsageError(f"{connection}: {exc.reason}") from None


def shown_values(
    spec: ActionSpec, values: Mapping[str, ActionValue], lookups: Lookups
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (field.label, show_value(field, values[field.name], lookups))
        for field in spec.fields
        if values.get(field.name) is not None
    )


async def _update(context: Context) -> int:
    args = context.args
    given = {"status": args.status, "priority": args.priority, "type": args.type}
    if all(value is None for value in given.values()):
        raise UsageError("update: give at least one of --status, --priority, --type")
    keys = context.keys(args.keys)
    lookups = await context.lookups([key.connection for key in keys])
    changes: dict[str, Change] = {}
    shown: dict[str, tuple[tuple[str, str], ...]] = {}
    for connection, desk_lookups in lookups.items():
        values = resolve(connection, UPDATE_SPEC, given, desk_lookups)
        changes[connection] = Change(**{k: v for k, v in values.items() if isinstance(v, str)})
        shown[connection] = shown_values(UPDATE_SPEC, values, desk_lookups)

    def capability(adapter: Adapter) -> Capability:
        caps = adapter.capabilities
        if not caps.update.supported:
            return caps.update
        fixed = [
            name.removesuffix("_id")
            for name, value in changes[adapter.name].model_dump().items()
            if value is not None and name not in caps.update_fields
        ]
        if fixed:
            return Capability.no(f"the desk does not let the app set the {', '.join(fixed)}")
        return caps.update

    async def op(adapter: Adapter, native_id: str) -> object:
        return await adapter.update(native_id, changes[adapter.name])

    return await run_job(context, keys, Job("update", op, shown, capability))


async def _assign(context: Context) -> int:
    args = context.args
    if args.agent is None and args.group is None:
        raise UsageError("assign: give --agent, --group or both")
    keys = context.keys(args.keys)
    lookups = await context.lookups([key.connection for key in keys])
    assignments: dict[str, tuple[str | None, str | None]] = {}
    shown: dict[str, tuple[tuple[str, str], ...]] = {}
    for connection, desk_lookups in lookups.items():
        agent = args.agent
        unassign = agent is not None and _is_unassign(agent, desk_lookups.agents)
        given = {"agent": None if unassign else agent, "group": args.group}
        values = resolve(connection, ASSIGN_SPEC, given, desk_lookups)
        agent_id = UNASSIGNED if unassign else values["agent_id"]
        group_id = values["group_id"]
        assignments[connection] = (
            agent_id if isinstance(agent_id, str) else None,
            group_id if isinstance(group_id, str) else None,
        )
        lines = shown_values(ASSIGN_SPEC, values, desk_lookups)
        shown[connection] = ((("agent", "(unassigned)"),) if unassign else ()) + lines

    async def op(adapter: Adapter, native_id: str) -> object:
        agent_id, group_id = assignments[adapter.name]
        return await adapter.assign(native_id, agent_id, group_id)

    return await run_job(context, keys, Job("assign", op, shown))


def _is_unassign(text: str, agents: Sequence[Choice]) -> bool:
    folded = text.strip().casefold()
    if folded not in UNASSIGN_WORDS:
        return False
    return not any(folded in (a.id.casefold(), a.label.casefold()) for a in agents)


# ----------------------------------------------------------------------- close, delete


async def _close(context: Context) -> int:
    args = context.args
    keys = context.keys(args.keys)
    note = args.note or ""
    shown = {
        key.connection: ((("note", clean_line(note)),) if note.strip() else ()) for key in keys
    }

    async def op(adapter: Adapter, native_id: str) -> object:
        return await adapter.close(native_id, note=note)

    return await run_job(context, keys, Job("close", op, shown))


async def _delete(context: Context) -> int:
    args = context.args
    if not args.yes and not args.dry_run:
        raise UsageError("delete cannot be undone: add --yes to delete (or --dry-run to check)")
    keys = context.keys(args.keys)

    async def op(adapter: Adapter, native_id: str) -> object:
        await adapter.delete_ticket(native_id)
        return None

    return await run_job(context, keys, Job("delete", op))


# ----------------------------------------------------------------------- reply, note


async def _post(context: Context) -> int:
    args = context.args
    visibility = Visibility.PUBLIC if args.command == "reply" else Visibility.PRIVATE
    what = "reply" if visibility is Visibility.PUBLIC else "note"
    arguments = list(args.keys)
    body_arg, body_file = args.body, args.body_file
    if body_arg is None and body_file is None and arguments.count(STDIN) == 1:
        # `triage reply acme:12 -`: the text comes from stdin; the keys are the others.
        arguments.remove(STDIN)
        body_arg = STDIN
    if body_arg == STDIN and STDIN in arguments:
        raise UsageError(f"{what}: stdin can carry the keys or the {what}, not both")
    keys = context.keys(arguments)
    text = read_text(body_arg, body_file, context.stdin, what)
    preview = clean_line(text)
    shown = {
        key.connection: (("text", preview[:60] + ("…" if len(preview) > 60 else "")),)
        for key in keys
    }
    if args.dry_run:
        return await run_job(context, keys, Job(what, _never, shown))
    outbox = Outbox()
    entries: dict[TicketKey, str] = {}
    try:
        for key in keys:
            if context.adapter(key.connection).capabilities.for_action(what).supported:
                entries[key] = outbox.add(key, text, visibility).id
    except OutboxError as exc:
        for entry_id in entries.values():
            outbox.discard(entry_id)
        raise UsageError(f"{exc}; nothing was sent") from None

    async def op(adapter: Adapter, native_id: str) -> object:
        entry_id = entries[TicketKey(adapter.name, native_id)]
        outbox.mark_sending(entry_id)
        try:
            posted = await adapter.add_post(native_id, text, visibility)
        except Exception as exc:
            outbox.mark_failed(entry_id, clean_line(str(exc)))
            raise
        outbox.confirm(entry_id)
        return posted

    status = await run_job(context, keys, Job(what, op, shown))
    if status != EXIT_OK:
        context.err.write(
            f"triage: the {what} text of each failed ticket is kept in the outbox ({outbox.path})\n"
        )
    return status


async def _never(adapter: Adapter, native_id: str) -> object:
    raise RuntimeError("a dry run sends nothing")


# ----------------------------------------------------------------------- merge


async def _merge(context: Context) -> int:
    args = context.args
    target = parse_key(args.target, "TARGET")
    adapter = context.adapter(target.connection)
    sources = [key for key in context.keys(args.keys) if key != target]
    if not sources:
        raise UsageError("merge: name at least one SOURCE other than the target")
    foreign = sorted({str(key) for key in sources if key.connection != target.connection})
    if foreign:
        raise UsageError(
            f"merge: sources must be on {target.connection}, the target's desk: "
            f"{', '.join(foreign)}"
        )
    capability = adapter.capabilities.merge
    if args.dry_run:
        how = " (emulated: " + capability.reason + ")" if capability.emulated else ""
        problem = "" if capability.supported else capability.reason
        plans = [
            PlannedChange(key, "merge", (("into", f"{target}{how}"),), problem) for key in sources
        ]
        write_plan(plans, context.out, as_json=args.json, names=context.names)
        return EXIT_OK
    if not capability.supported:
        results = [
            ActionResult(
                key=key,
                action="merge",
                ok=False,
                message=f"{target.connection}: not sent: cannot merge here: {capability.reason}",
            )
            for key in sources
        ]
    else:
        results = await adapter.merge(target.native_id, [key.native_id for key in sources])
    return write_results(results, context.out, context.err, as_json=args.json, names=context.names)


def _command(name: str) -> Callable[[Context], Awaitable[int]]:
    """The command's function; ``fields``, ``create`` and ``action`` are imported when run."""
    if name == "fields":
        from tui.cli.fields import fields_command

        return fields_command
    if name == "create":
        from tui.cli.create import create_command

        return create_command
    if name == "action":
        from tui.cli.action import action_command

        return action_command
    return COMMANDS[name]


COMMANDS: dict[str, Callable[[Context], Awaitable[int]]] = {
    "update": _update,
    "assign": _assign,
    "close": _close,
    "delete": _delete,
    "reply": _post,
    "note": _post,
    "merge": _merge,
}
