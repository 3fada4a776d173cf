"""Lookups and people: request attributes, categories, help desks and levels, users,
custom field definitions and options, time tracking categories, the version."""

from __future__ import annotations

from typing import Any

from adapters.invgate.sim_data.records import (
    CF_TYPES,
    PRIORITIES,
    SOURCES,
    STATUSES,
    TYPES,
    HelpDesk,
    TreeOption,
    User,
)
from adapters.invgate.simulator.core import Context, render_user
from adapters.invgate.simulator.params import ApiError

VERSION = "6.12.3"
Answer = dict[str, Any] | list[Any]


def _attribute(table: tuple[tuple[int, str], ...]) -> Any:
    def answer(ctx: Context) -> Answer:
        wanted = ctx.params.integer("id")
        rows = [{"id": i, "name": name} for i, name in table if wanted in (None, i)]
        if wanted is not None and not rows:
            raise ApiError(404, f"The id {wanted} doesn't exist")
        return rows

    return answer


statuses = _attribute(STATUSES)
priorities = _attribute(PRIORITIES)
types = _attribute(TYPES)
sources = _attribute(SOURCES)


def categories(ctx: Context) -> Answer:
    p = ctx.params
    wanted = p.integer("id")
    search = (p.text("search") or "").lower()
    rows = [
        {"id": c.id, "name": c.name, "parent_category_id": c.parent_category_id}
        for c in ctx.desk.categories
        if wanted in (None, c.id) and search in c.name.lower()
    ]
    size = min(p.integer("page_size") or 20, 500)
    page = p.integer("page")
    if page is None:
        return rows
    start = (max(page, 1) - 1) * size
    return rows[start : start + size]


def _group(h: HelpDesk, *, members: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": h.id,
        "name": h.name,
        "parent_id": h.parent_id,
        "engine_id": h.engine_id,
        "status_id": h.status_id,
        "total_members": len(h.members_ids),
    }
    if members:
        body["members_ids"] = list(h.members_ids)
        body["level_order"] = h.level_order
    return body


def helpdesks(ctx: Context) -> Answer:
    wanted = ctx.params.integer("id")
    name = ctx.params.text("name")
    return [
        _group(h, members=False)
        for h in ctx.desk.helpdesks
        if h.level_order is None and wanted in (None, h.id) and name in (None, h.name)
    ]


def levels(ctx: Context) -> Answer:
    wanted = ctx.params.integer("id")
    return [
        _group(h, members=True)
        for h in ctx.desk.helpdesks
        if h.level_order is not None and wanted in (None, h.id)
    ]


def helpdesks_and_levels(ctx: Context) -> Answer:
    wanted = ctx.params.integer("id")
    return [_group(h, members=True) for h in ctx.desk.helpdesks if wanted in (None, h.id)]


def _visible(ctx: Context, user: User) -> bool:
    return not user.is_deleted and (not user.is_disabled or ctx.params.boolean("include_disabled"))


def users(ctx: Context) -> Answer:
    wanted = set(ctx.params.int_array("ids"))
    return [
        render_user(u)
        for u in ctx.desk.users.values()
        if (not wanted or u.id in wanted) and _visible(ctx, u)
    ]


def user(ctx: Context) -> Answer:
    uid = ctx.params.required_int("id")
    found = ctx.desk.users.get(uid)
    if found is None or not _visible(ctx, found):
        raise ApiError(404, f"The user {uid} doesn't exist")
    return render_user(found)


def user_by(ctx: Context) -> Answer:
    p = ctx.params
    username, email = p.text("username"), p.text("email")
    if not username and not email:
        raise ApiError(400, "The parameter username or email is required")
    for candidate in ctx.desk.users.values():
        if candidate.is_deleted:
            continue
        if (username and candidate.username == username) or (
            email and candidate.email.lower() == email.lower()
        ):
            return render_user(candidate)
    raise ApiError(404, "The user doesn't exist")


def create_user(ctx: Context) -> Answer:
    p = ctx.params
    name = p.required_text("name").strip()
    email = p.required_text("email").strip()
    if "@" not in email:
        raise ApiError(400, "The email is not valid")
    if any(u.email.lower() == email.lower() for u in ctx.desk.users.values()):
        raise ApiError(200, "A user with that email already exists")
    uid = max(ctx.desk.users) + 1
    created = User(
        uid,
        name,
        (p.text("lastname") or "").strip(),
        (p.text("username") or email).strip(),
        email,
        2,
        "End user",
        type=3,
    )
    ctx.desk.users[uid] = created
    return render_user(created)


def fields_all(ctx: Context) -> Answer:
    return [
        {
            "uid": f.uid,
            "label": f.label,
            "description": f.description,
            "type": f.type,
            "categories": ",".join(map(str, f.categories)),
            "is_required": f.is_required,
        }
        for f in ctx.desk.custom_fields
    ]


def fields_by_category(ctx: Context) -> Answer:
    category = ctx.params.required_int("category_id")
    parents = {c.id: c.parent_category_id for c in ctx.desk.categories}
    if category not in parents:
        raise ApiError(404, f"The category {category} doesn't exist")
    root = parents[category] or category
    return [
        f.uid
        for f in ctx.desk.custom_fields
        if not f.categories or category in f.categories or root in f.categories
    ]


def field_types(ctx: Context) -> Answer:
    return [{"id": i, "name": name} for i, name in CF_TYPES]


def _definition(ctx: Context) -> Any:
    uid = ctx.params.required_int("uid")
    found = ctx.desk.field_def(uid)
    if found is None:
        raise ApiError(404, f"The custom field {uid} doesn't exist")
    return found


def options_list(ctx: Context) -> Answer:
    definition = _definition(ctx)
    return {"key-value": dict(definition.options) or []}


def _tree(options: list[TreeOption]) -> list[dict[str, Any]]:
    return [
        {"hash": o.hash, "key": o.key, "name": o.name, "children": _tree(o.children)}
        for o in options
    ]


def options_tree(ctx: Context) -> Answer:
    return _tree(_definition(ctx).tree)


def time_categories(ctx: Context) -> Answer:
    wanted = ctx.params.integer("id")
    return [
        {"id": i, "parent_id": parent, "name": name, "cost_per_hour": cost}
        for i, parent, name, cost in ctx.desk.time_categories
        if wanted in (None, i)
    ]


def version(ctx: Context) -> Answer:
    return {"version": VERSION}
