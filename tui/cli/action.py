"""``triage action KEY… NAME --set FIELD=VALUE…``: run a desk's own action.

Whatever a desk declares (:meth:`adapters.base.Adapter.actions`: the standard actions of
its optional operations, such as ``log-time`` or ``download``, and its own) runs here with
no code for the desk or the action: the values are resolved against the spec (by label or
id, through the desk's lookups), the tickets go through the bulk runner, and each result
prints with the lines a listing action found. An action on no ticket takes
``--connection``; ``--list`` shows what each desk offers. A file an action fetched (an
attachment) is saved where ``save_to`` says, or under its own name made safe in the
current folder (:mod:`tui.files`), never opened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from adapters.actions import ActionSpec, ActionValue, FieldKind, Scope
from adapters.base import Adapter, Capability, DeskError, InvalidInput
from adapters.model import ActionResult, TicketKey
from adapters.text import clean_line
from tui.cli.inputs import (
    EXIT_OK,
    NO_TICKET,
    PlannedChange,
    UsageError,
    parse_sets,
    write_plan,
    write_results,
)
from tui.cli.write import Context, Job, resolve, run_job, shown_values
from tui.files import save_fetched


def find_spec(adapter: Adapter, name: str) -> ActionSpec | None:
    """The desk's action called ``name`` (its id, or its label in any case)."""
    folded = " ".join(name.split()).casefold()
    for spec in adapter.actions():
        if spec.id == name or " ".join(spec.label.split()).casefold() == folded:
            return spec
    return None


def _offered(adapter: Adapter) -> str:
    return ", ".join(spec.id for spec in adapter.actions()) or "none"


async def action_command(context: Context) -> int:
    args = context.args
    if args.list:
        return _list_actions(context)
    words = [word for word in args.keys if word != "-" and ":" not in word]
    if not words:
        raise UsageError("action: name the action (triage action --list shows them)")
    if len(words) > 1:
        raise UsageError(f"action: one action at a time, not {', '.join(map(repr, words))}")
    action_name = words[0]
    sets = parse_sets(args.set)
    arguments = [word for word in args.keys if word != action_name]
    if not arguments:
        return await _standalone_action(context, action_name, sets)
    keys = context.keys(arguments)
    connections = list(dict.fromkeys(key.connection for key in keys))
    specs = {name: find_spec(context.adapter(name), action_name) for name in connections}
    offered = {name: spec for name, spec in specs.items() if spec is not None}
    if not offered:
        listed = "; ".join(f"{name}: {_offered(context.adapter(name))}" for name in connections)
        raise UsageError(f"no desk offers an action {action_name!r} ({listed})")
    for spec in offered.values():
        _check_run(context, spec, len(keys))
    lookups = await context.lookups(list(offered))
    values: dict[str, dict[str, ActionValue]] = {}
    shown: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, spec in offered.items():
        values[name] = resolve(name, spec, _one_each(spec, sets), lookups[name])
        shown[name] = shown_values(spec, values[name], lookups[name])

    def capability(adapter: Adapter) -> Capability:
        if adapter.name in offered:
            return Capability.yes()
        return Capability.no(f"this desk offers no action {action_name!r} ({_offered(adapter)})")

    async def op(adapter: Adapter, native_id: str) -> object:
        spec = offered.get(adapter.name)
        if spec is None:  # the plan never sends to such a desk
            raise InvalidInput(adapter.name, "action", f"no action {action_name!r} here")
        desk_values = values[adapter.name]
        outcome = await adapter.run_action(spec.id, native_id, desk_values)
        return save_fetched(adapter.name, outcome, desk_values.get("save_to"), Path.cwd())

    action_id = next(iter(offered.values())).id
    return await run_job(context, keys, Job(action_id, op, shown, capability))


def _check_run(context: Context, spec: ActionSpec, count: int) -> None:
    if spec.scope is Scope.NONE:
        raise UsageError(f"{spec.id} runs on no ticket: give --connection, not keys")
    if spec.scope is Scope.ONE and count > 1:
        raise UsageError(f"{spec.id} works on one ticket at a time ({count} given)")
    if spec.destructive and not context.args.yes and not context.args.dry_run:
        raise UsageError(f"{spec.id} cannot be undone: add --yes (or --dry-run to check)")


def _one_each(spec: ActionSpec, sets: Mapping[str, list[str]]) -> dict[str, str | list[str]]:
    given: dict[str, str | list[str]] = {}
    for name, texts in sets.items():
        try:
            multi = spec.field(name).kind is FieldKind.MULTICHOICE
        except KeyError:
            multi = False
        given[name] = texts if multi or len(texts) > 1 else texts[0]
    return given


async def _standalone_action(context: Context, name: str, sets: Mapping[str, list[str]]) -> int:
    args = context.args
    if args.connection is None:
        raise UsageError("action: give ticket keys, or --connection for an action on no ticket")
    adapter = context.adapter(args.connection)
    spec = find_spec(adapter, name)
    if spec is None:
        raise UsageError(f"{adapter.name} offers no action {name!r} ({_offered(adapter)})")
    if spec.scope is not Scope.NONE:
        raise UsageError(f"{spec.id} runs on tickets: give their keys")
    if spec.destructive and not args.yes and not args.dry_run:
        raise UsageError(f"{spec.id} cannot be undone: add --yes (or --dry-run to check)")
    lookups = (await context.lookups([adapter.name]))[adapter.name]
    values = resolve(adapter.name, spec, _one_each(spec, sets), lookups)
    if args.dry_run:
        plan = PlannedChange(None, spec.id, shown_values(spec, values, lookups))
        write_plan([plan], context.out, as_json=args.json)
        return EXIT_OK
    key = TicketKey(adapter.name, NO_TICKET)
    try:
        outcome = await adapter.run_action(spec.id, None, values)
    except DeskError as exc:
        result = ActionResult(key=key, action=spec.id, ok=False, message=str(exc))
        return write_results([result], context.out, context.err, as_json=args.json)
    key = outcome.created or key
    result = ActionResult(key=key, action=spec.id, ok=True, message=outcome.message)
    return write_results(
        [result], context.out, context.err, as_json=args.json, outcomes={key: outcome}
    )


def _list_actions(context: Context) -> int:
    args = context.args
    names = [args.connection] if args.connection else list(context.adapters)
    items = []
    for name in names:
        adapter = context.adapter(name)
        for spec in adapter.actions():
            items.append((name, spec))
    if args.json:
        payload = [{"connection": name, **spec.model_dump(mode="json")} for name, spec in items]
        json.dump(payload, context.out, indent=2, ensure_ascii=False)
        context.out.write("\n")
        return EXIT_OK
    for name, spec in items:
        scope = {Scope.ONE: "one ticket", Scope.MANY: "tickets", Scope.NONE: "no ticket"}
        flag = "  DESTRUCTIVE" if spec.destructive else ""
        context.out.write(f"{name}  {spec.id}  ({scope[spec.scope]}){flag}\n")
        context.out.write(f"    {clean_line(spec.help)}\n")
        for field_ in spec.fields:
            need = " (required)" if field_.required else ""
            line = f"--set {field_.name}=<{field_.kind.value}>{need}  {field_.label}"
            if field_.help:
                line += f": {field_.help}"
            context.out.write(f"    {clean_line(line)}\n")
    if not items:
        context.out.write("no desk offers actions of its own\n")
    return EXIT_OK
