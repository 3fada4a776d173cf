"""The ``incident`` family: one request read, created and changed, and everything under it.

Status never changes through ``PUT incident``: each transition has its endpoint and its
rule (a solution only on an active request, acceptance only of a solved one, reopening
only of a finished one). A rule broken answers HTTP 200 with ``{"status": "ERROR"}``, as
the API documents for logical failures; a missing or malformed parameter answers 400 and
an unknown request or user 404, each with the same body shape.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from adapters.invgate.sim_data.records import (
    ACTIVE,
    CF_CHECKBOX,
    CF_DATE,
    CF_LIST,
    CF_NUMBER,
    CF_TREE,
    CLOSED_ACCEPTED,
    S_CANCELLED,
    S_CLOSED,
    S_NEW,
    S_OPEN,
    S_REJECTED,
    S_SOLVED,
    S_WAITING,
    WAIT_AGENT,
    WAIT_CUSTOMER,
    WAIT_DATE,
    WAIT_ENTITY,
    WAIT_REQUEST,
    Comment,
    CustomFieldDef,
    Request,
    TimeEntry,
    TreeOption,
)
from adapters.invgate.simulator.core import Context, ok, render_comment, render_request
from adapters.invgate.simulator.params import ApiError

Answer = dict[str, Any] | list[Any]


def _refuse(message: str) -> ApiError:
    return ApiError(200, message)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def get_incident(ctx: Context) -> Answer:
    request = ctx.request("id")
    return render_request(ctx, request, comments=ctx.params.boolean("comments"))


def get_incidents(ctx: Context) -> Answer:
    ids = ctx.params.int_array("ids")
    if not ids:
        raise ApiError(400, "The parameter ids is required")
    comments = ctx.params.boolean("comments")
    found = {
        str(rid): render_request(ctx, ctx.desk.requests[rid], comments=comments)
        for rid in ids
        if rid in ctx.desk.requests
    }
    return found or []


def get_comments(ctx: Context) -> Answer:
    request = ctx.request()
    comments = ctx.desk.kids(request).comments
    if ctx.params.has("is_solution"):
        wanted = ctx.params.boolean("is_solution")
        comments = [c for c in comments if c.is_solution == wanted]
    return [render_comment(ctx, c) for c in comments]


def get_attachment(ctx: Context) -> Answer:
    aid = ctx.params.required_int("id")
    attachment = ctx.desk.attachments.get(aid)
    if attachment is None:
        raise ApiError(404, f"The attachment {aid} doesn't exist")
    return {
        "id": attachment.id,
        "name": attachment.name,
        "extension": attachment.extension,
        "hash": attachment.hash,
        "url": f"/uploads/attached_files/{attachment.hash}.{attachment.extension}",
    }


def get_links(ctx: Context) -> Answer:
    request = ctx.request()
    return [
        {"id": rid, "title": ctx.desk.requests[rid].title}
        for rid in request.links
        if rid in ctx.desk.requests
    ]


def get_observers(ctx: Context) -> Answer:
    return list(ctx.request().observers)


def get_collaborators(ctx: Context) -> Answer:
    return list(ctx.request().collaborators)


# --------------------------------------------------------------------------------------
# Creating and changing attributes
# --------------------------------------------------------------------------------------

_ATTRIBUTES = ("category_id", "priority_id", "type_id", "source_id", "location_id")


def _check_attribute(ctx: Context, name: str, value: int) -> None:
    desk = ctx.desk
    valid = {
        "category_id": {c.id for c in desk.categories},
        "priority_id": set(range(1, 6)),
        "type_id": set(range(1, 7)),
        "source_id": set(range(1, 6)),
        "location_id": None,
    }[name]
    if valid is not None and value not in valid:
        raise ApiError(400, f"The {name} {value} is not valid")


def post_incident(ctx: Context) -> Answer:
    p = ctx.params
    creator = ctx.author("creator_id")
    customer = ctx.author("customer_id")
    title = p.required_text("title")
    values = {name: p.integer(name, required=name != "source_id" and name != "location_id")
              for name in _ATTRIBUTES}  # fmt: skip
    for name, value in values.items():
        if value is not None:
            _check_attribute(ctx, name, value)
    rid = ctx.desk.next_request_id
    ctx.desk.next_request_id += 1
    occurred = p.integer("date") or ctx.now
    request = Request(
        id=rid,
        title=title,
        description=p.text("description") or "",
        category_id=values["category_id"] or 0,
        priority_id=values["priority_id"] or 2,
        type_id=values["type_id"] or 1,
        status_id=S_NEW,
        source_id=values["source_id"] or 5,
        user_id=customer.id,
        creator_id=creator.id,
        assigned_id=None,
        assigned_group_id=_assignment_rule(ctx, values["category_id"] or 0),
        location_id=values["location_id"],
        created_at=ctx.now,
        last_update=ctx.now,
        date_ocurred=occurred,
    )
    ctx.desk.requests[rid] = request
    for other in p.int_array("related_to"):
        if other in ctx.desk.requests and other != rid:
            request.links.append(other)
            ctx.desk.requests[other].links.append(rid)
    return ok("Request created", request_id=rid)


def _assignment_rule(ctx: Context, category_id: int) -> int:
    """The help desk a category's requests go to (the instance's assignment rules)."""
    parents = {c.id: c.parent_category_id for c in ctx.desk.categories}
    root = parents.get(category_id) or category_id
    return {1: 1, 2: 2, 3: 2, 4: 3, 5: 4}.get(root, 1)


def put_incident(ctx: Context) -> Answer:
    p = ctx.params
    request = ctx.request("id")
    if p.has("title"):
        request.title = p.required_text("title")
    if p.has("description"):
        request.description = p.text("description") or ""
    for name in _ATTRIBUTES:
        value = p.integer(name)
        if value is not None:
            _check_attribute(ctx, name, value)
            setattr(request, name, value)
    if p.has("customer_id"):
        customer = ctx.author("customer_id")
        request.user_id = customer.id
    if p.has("date"):
        request.date_ocurred = p.required_int("date")
    if p.boolean("reassignment") and p.has("category_id"):
        request.assigned_group_id = _assignment_rule(ctx, request.category_id)
        request.assigned_id = None
    ctx.touch(request)
    return render_request(ctx, request)


# --------------------------------------------------------------------------------------
# Conversation
# --------------------------------------------------------------------------------------


def _add_comment(
    ctx: Context, request: Request, author: int, message: str, *, public: bool, solution: bool
) -> Comment:
    kids = ctx.desk.own_kids(request)
    comment = Comment(
        id=ctx.desk.child_id(),
        incident_id=request.id,
        author_id=author,
        message=message,
        created_at=ctx.now,
        customer_visible=public,
        is_solution=solution,
        msg_num=len(kids.comments) + 1,
    )
    kids.comments.append(comment)
    ctx.touch(request)
    return comment


def post_comment(ctx: Context) -> Answer:
    p = ctx.params
    request = ctx.request()
    author = ctx.author()
    text = p.required_text("comment")
    public = p.boolean("customer_visible", default=True)
    solution = p.boolean("is_solution")
    if solution:
        if request.status_id not in ACTIVE:
            raise _refuse("Only an active request can receive a solution")
        if author.user_type != 1:
            raise _refuse("Only agents can propose a solution")
        public = True
    if not public and author.user_type != 1:
        raise _refuse("Only agents can add internal comments")
    comment = _add_comment(ctx, request, author.id, text, public=public, solution=solution)
    if solution:
        request.status_id = S_SOLVED
        request.solved_at = ctx.now
        request.waiting_for = None
    elif public and author.id == request.user_id and request.waiting_for == WAIT_CUSTOMER:
        # A customer's answer ends "waiting for customer".
        request.status_id, request.waiting_for = S_OPEN, None
    return ok("Comment added", comment_id=comment.id)


# --------------------------------------------------------------------------------------
# Assignment and status transitions
# --------------------------------------------------------------------------------------


def post_reassign(ctx: Context) -> Answer:
    p = ctx.params
    request = ctx.request()
    ctx.author()
    group_id = p.required_int("group_id")
    group = ctx.desk.helpdesk(group_id)
    if group is None:
        raise ApiError(404, f"The help desk {group_id} doesn't exist")
    agent_id = p.integer("agent_id")
    if agent_id:
        agent = ctx.desk.users.get(agent_id)
        if agent is None or agent.user_type != 1:
            raise ApiError(404, f"The agent {agent_id} doesn't exist")
        members = set(group.members_ids)
        for level in ctx.desk.helpdesks:
            if level.parent_id == group.id:
                members.update(level.members_ids)
        if agent_id not in members:
            raise _refuse(f"The agent {agent_id} is not a member of the help desk {group_id}")
    request.assigned_group_id = group_id
    request.assigned_id = agent_id or None
    if request.status_id == S_NEW and request.assigned_id is not None:
        request.status_id = S_OPEN
    ctx.touch(request)
    return ok("Request reassigned")


def _active(request: Request, action: str) -> None:
    if request.status_id not in ACTIVE:
        raise _refuse(f"The request can't be {action}: it is not active")


def _wait(ctx: Context, request: Request, what: str) -> Answer:
    _active(request, "set to waiting")
    request.status_id = S_WAITING
    request.waiting_for = what
    ctx.touch(request)
    return ok(f"The request is waiting for {what.replace('_', ' ')}")


def post_wait_customer(ctx: Context) -> Answer:
    return _wait(ctx, ctx.request(), WAIT_CUSTOMER)


def post_wait_agent(ctx: Context) -> Answer:
    return _wait(ctx, ctx.request(), WAIT_AGENT)


def post_wait_date(ctx: Context) -> Answer:
    request = ctx.request()
    moment = ctx.params.required_text("timestamp")
    try:
        when = int(moment)
    except ValueError:
        raise ApiError(400, "The parameter timestamp must be a timestamp") from None
    if when <= ctx.now:
        raise _refuse("The date must be in the future")
    return _wait(ctx, request, WAIT_DATE)


def post_wait_entity(ctx: Context) -> Answer:
    request = ctx.request()
    entity = ctx.params.required_int("entity_link_id")
    if entity not in ctx.desk.external_entities:
        raise ApiError(404, f"The external entity {entity} is not linked to the request")
    return _wait(ctx, request, WAIT_ENTITY)


def post_wait_request(ctx: Context) -> Answer:
    request = ctx.request()
    other = ctx.params.required_int("wait_request_id")
    if other not in ctx.desk.requests:
        raise ApiError(404, f"The request {other} doesn't exist")
    if other == request.id:
        raise _refuse("A request can't wait for itself")
    return _wait(ctx, request, WAIT_REQUEST)


def put_solution_accept(ctx: Context) -> Answer:
    p = ctx.params
    request = ctx.request("id")
    rating = p.required_int("rating")
    if not 1 <= rating <= 5:
        raise ApiError(400, "The rating must be between 1 and 5")
    comment = (p.text("comment") or "").strip()
    if rating < 4 and not comment:
        raise _refuse("A comment is required for a rating lower than 4")
    if request.status_id != S_SOLVED:
        raise _refuse("The request has no solution to accept")
    if comment:
        _add_comment(ctx, request, request.user_id, comment, public=True, solution=False)
    request.status_id = S_CLOSED
    request.rating = rating
    request.closed_at = ctx.now
    request.closed_reason = CLOSED_ACCEPTED
    ctx.touch(request)
    return ok("Solution accepted")


def put_solution_reject(ctx: Context) -> Answer:
    request = ctx.request("id")
    comment = ctx.params.required_text("comment")
    if request.status_id != S_SOLVED:
        raise _refuse("The request has no solution to reject")
    _add_comment(ctx, request, request.user_id, comment, public=True, solution=False)
    request.status_id = S_OPEN
    request.solved_at = None
    ctx.touch(request)
    return ok("Solution rejected")


def post_cancel(ctx: Context) -> Answer:
    request = ctx.request()
    author = ctx.author()
    _active(request, "cancelled")
    comment = (ctx.params.text("comment") or "").strip()
    if comment:
        _add_comment(ctx, request, author.id, comment, public=True, solution=False)
    request.status_id = S_CANCELLED
    request.closed_at = ctx.now
    request.waiting_for = None
    ctx.touch(request)
    return ok("Request cancelled")


def post_reject(ctx: Context) -> Answer:
    request = ctx.request()
    ctx.author()
    _active(request, "rejected")
    request.status_id = S_REJECTED
    request.closed_at = ctx.now
    request.waiting_for = None
    ctx.touch(request)
    return ok("Request rejected")


def put_reopen(ctx: Context) -> Answer:
    request = ctx.request()
    if ctx.params.has("author_id"):
        ctx.author()
    if request.status_id in ACTIVE:
        raise ApiError(200, "The request is already open", key="info")
    request.status_id = S_OPEN
    request.solved_at = request.closed_at = request.closed_reason = request.rating = None
    ctx.touch(request)
    return ok("Request reopened")


# --------------------------------------------------------------------------------------
# Links and observers
# --------------------------------------------------------------------------------------


def post_link(ctx: Context) -> Answer:
    request = ctx.request()
    others = ctx.params.int_array("request_ids")
    if not others:
        raise ApiError(400, "The parameter request_ids is required")
    for other in others:
        if other not in ctx.desk.requests:
            raise ApiError(404, f"The request {other} doesn't exist")
        if other == request.id:
            raise _refuse("A request can't be linked to itself")
    for other in others:
        if other not in request.links:
            request.links.append(other)
            ctx.desk.requests[other].links.append(request.id)
    ctx.touch(request)
    return ok("Requests linked")


def _add_people(ctx: Context, people: list[int]) -> Answer:
    request = ctx.request()
    ctx.author()
    users = ctx.params.int_array("users_id", single="user_id")
    if not users:
        raise ApiError(400, "The parameter user_id or users_id is required")
    for uid in users:
        if uid not in ctx.desk.users:
            raise ApiError(404, f"The user {uid} doesn't exist")
        if uid not in people:
            people.append(uid)
    ctx.touch(request)
    return ok("Users added")


def post_observer(ctx: Context) -> Answer:
    return _add_people(ctx, ctx.request().observers)


def post_collaborator(ctx: Context) -> Answer:
    return _add_people(ctx, ctx.request().collaborators)


# --------------------------------------------------------------------------------------
# Custom field values
# --------------------------------------------------------------------------------------


def _field(ctx: Context) -> CustomFieldDef:
    uid = ctx.params.required_int("custom_field_uid")
    definition = ctx.desk.field_def(uid)
    if definition is None:
        raise ApiError(404, f"The custom field {uid} doesn't exist")
    return definition


def _tree_find(options: list[TreeOption], wanted: str) -> TreeOption | None:
    for option in options:
        if wanted in (option.hash, option.key):
            return option
        found = _tree_find(option.children, wanted)
        if found is not None:
            return found
    return None


def _value(definition: CustomFieldDef, raw: str) -> object:
    kind = definition.type
    if kind == CF_NUMBER:
        try:
            number = float(raw)
        except ValueError:
            raise _refuse(f"{definition.label}: {raw!r} is not a number") from None
        return int(number) if number.is_integer() else number
    if kind == CF_CHECKBOX:
        if raw.lower() not in ("0", "1", "true", "false"):
            raise _refuse(f"{definition.label}: {raw!r} is not a boolean")
        return raw.lower() in ("1", "true")
    if kind == CF_DATE:
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise _refuse(f"{definition.label}: {raw!r} is not a date (YYYY-MM-DD)") from None
        return raw
    if kind == CF_LIST:
        if raw not in definition.options:
            raise _refuse(f"{definition.label}: {raw!r} is not an option")
        return {raw: definition.options[raw]}
    if kind == CF_TREE:
        option = _tree_find(definition.tree, raw)
        if option is None:
            raise _refuse(f"{definition.label}: {raw!r} is not an option")
        return {option.hash: option.name}
    return raw


def post_custom_field(ctx: Context) -> Answer:
    request = ctx.request()
    ctx.author()
    definition = _field(ctx)
    values = ctx.params.array("values")
    if not values:
        raise ApiError(400, "The parameter values is required")
    if values[0] == "":
        request.custom_fields.pop(definition.uid, None)
    else:
        request.custom_fields[definition.uid] = _value(definition, values[0])
    ctx.touch(request)
    return ok("Custom field value saved")


def delete_custom_field(ctx: Context) -> Answer:
    request = ctx.request()
    ctx.author()
    definition = _field(ctx)
    request.custom_fields.pop(definition.uid, None)
    ctx.touch(request)
    return ok("Custom field value deleted")


# --------------------------------------------------------------------------------------
# Time tracking
# --------------------------------------------------------------------------------------


def _iso_no_t(epoch: int, iso: bool) -> str:
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00" if iso else "%Y-%m-%d %H:%M")


def get_timetracking(ctx: Context) -> Answer:
    p = ctx.params
    iso = (p.text("date_format") or "").lower() == "iso8601"
    if p.has("request_id"):
        entries = list(ctx.desk.kids(ctx.request()).time_entries)
    else:
        start = _parse_iso(p.required_text("from"), "from")
        end = _parse_iso(p.text("to"), "to") if p.text("to") else ctx.now
        entries = [
            e
            for r in ctx.desk.requests.values()
            for e in ctx.desk.kids(r).time_entries
            if start <= e.start <= end
        ]
    return [
        {
            "timetracking_id": e.timetracking_id,
            "incident": e.incident,
            "user_id": e.user_id,
            "timetracking_category_id": e.timetracking_category_id,
            "status": e.status,
            "comment": e.comment,
            "total": str(e.end - e.start),
            "from": _iso_no_t(e.start, iso),
            "to": _iso_no_t(e.end, iso),
        }
        for e in entries
        if e.status == 1
    ]


def _parse_iso(value: str | None, name: str) -> int:
    try:
        moment = dt.datetime.fromisoformat(value or "")
    except ValueError:
        raise ApiError(400, f"The parameter {name} must be an ISO-8601 date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def post_timetracking(ctx: Context) -> Answer:
    p = ctx.params
    request = ctx.request()
    user = ctx.author("user_id")
    end = p.required_int("to")
    start = p.integer("from")
    if start is None:
        start = end
    if end < start:
        raise _refuse("The end of the period is before its start")
    category = p.integer("category_id") or 1
    if category not in {c[0] for c in ctx.desk.time_categories}:
        raise ApiError(404, f"The time tracking category {category} doesn't exist")
    entry = TimeEntry(
        timetracking_id=ctx.desk.child_id(),
        incident=request.id,
        user_id=user.id,
        timetracking_category_id=category,
        comment=html.unescape(p.text("comment") or ""),
        start=start,
        end=end,
    )
    ctx.desk.own_kids(request).time_entries.append(entry)
    ctx.touch(request)
    return {"status": "OK", "timetracking_id": entry.timetracking_id}


def delete_timetracking(ctx: Context) -> Answer:
    request = ctx.request()
    user = ctx.author("user_id")
    tid = ctx.params.required_int("timetracking_id")
    kids = ctx.desk.own_kids(request)
    entry = next((e for e in kids.time_entries if e.timetracking_id == tid and e.status), None)
    if entry is None:
        raise ApiError(404, f"The time tracking entry {tid} doesn't exist")
    if user.user_type != 1:
        raise _refuse("Only agents can delete time tracking entries")
    entry.status = 0
    ctx.touch(request)
    return {"status": "OK"}
