"""``triage create --connection N --subject … --body …``: open a ticket.

The values are the create form's: group, status, priority, type and owner by label or id
(:data:`CREATE_SPEC`, resolved through the desk's lookups), the requester, and custom fields
with ``--set`` (the desk's new-ticket fields, required ones checked before sending). The
ticket goes through the outbox like a reply (:mod:`tui.create`): a failure keeps the draft,
for the TUI's drafts list.
"""

from __future__ import annotations

from adapters.actions import ActionField, ActionSpec, FieldKind, Scope, list_choices
from adapters.model import ActionResult, NewTicket, TicketKey
from adapters.text import clean_line
from tui.cli.fields import custom_values
from tui.cli.inputs import (
    EXIT_OK,
    PlannedChange,
    UsageError,
    parse_sets,
    read_text,
    write_plan,
    write_results,
)
from tui.cli.write import Context, resolve, shown_values
from tui.create import send_new_ticket
from tui.outbox import Outbox

CREATE_SPEC = ActionSpec(
    id="create",
    label="Create",
    help="Open a ticket.",
    scope=Scope.NONE,
    fields=(
        ActionField(name="group_id", label="group", kind=FieldKind.CHOICE, lookup="groups"),
        ActionField(name="status_id", label="status", kind=FieldKind.CHOICE, lookup="statuses"),
        ActionField(
            name="priority_id", label="priority", kind=FieldKind.CHOICE, lookup="priorities"
        ),
        ActionField(name="type_id", label="type", kind=FieldKind.CHOICE, lookup="types"),
        ActionField(name="assignee_id", label="agent", kind=FieldKind.CHOICE, lookup="agents"),
    ),
)


async def create_command(context: Context) -> int:
    args = context.args
    connection = args.connection
    adapter = context.adapter(connection)
    body = read_text(args.body, args.body_file, context.stdin, "first message")
    lookups = (await context.lookups([connection]))[connection]
    given = {
        "group": args.group,
        "status": args.status,
        "priority": args.priority,
        "type": args.type,
        "agent": args.agent,
    }
    values = resolve(connection, CREATE_SPEC, given, lookups)
    group_id = values["group_id"]
    if not isinstance(group_id, str):
        if len(lookups.groups) != 1:
            raise UsageError(
                f"{connection}: create: --group is required; choose one of: "
                f"{list_choices(lookups.groups)}"
            )
        group_id = lookups.groups[0].id
    new = NewTicket(
        subject=args.subject,
        body=body,
        requester_name=args.name,
        requester_email=args.email,
        group_id=group_id,
        **{
            name: value
            for name, value in values.items()
            if name != "group_id" and isinstance(value, str)
        },
    )
    sets = parse_sets(args.set)
    fields = await adapter.new_ticket_fields()
    custom, custom_lines = custom_values(connection, fields, sets)
    missing = [f.label for f in fields if f.required and f.editable and f.key not in custom]
    if missing:
        raise UsageError(
            f"{connection}: create: required custom fields: {', '.join(missing)} "
            "(give them with --set LABEL=VALUE)"
        )
    capability = adapter.capabilities.create
    lines = (("subject", clean_line(args.subject)), *shown_values(CREATE_SPEC, values, lookups))
    if args.dry_run:
        problem = "" if capability.supported else capability.reason
        write_plan(
            [PlannedChange(None, "create", lines + custom_lines, problem)],
            context.out,
            as_json=args.json,
        )
        return EXIT_OK
    if not capability.supported:
        raise UsageError(f"{connection}: cannot create tickets here: {capability.reason}")
    outbox = Outbox()
    created = await send_new_ticket(adapter, new, custom, outbox)
    key = created.key or TicketKey(connection, "(not created)")
    result = ActionResult(key=key, action="create", ok=created.ok, message=created.message)
    status = write_results([result], context.out, context.err, as_json=args.json)
    if created.entry_id is not None:
        context.err.write(f"triage: the new ticket is kept in the outbox ({outbox.path})\n")
    return status
