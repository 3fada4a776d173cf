"""The list endpoints, each with its own answer and paging style, as the API has them.

* ``incidents.by.helpdesk``: open requests of help desks (a help desk includes its
  levels), IDs only, no paging;
* ``incidents.by.status``: requests of the given statuses, IDs with ``limit``/``offset``
  and ``total``. The spec says "open requests"; clients pass closed status IDs too, and
  this server answers them (see the README);
* ``incidents.by.view`` and ``incidents.by.sentiment``: IDs with ``limit``/``offset``,
  no total;
* ``incidents.by.agent`` and ``incidents.by.customer``: open requests as a map keyed by
  ID, paged by an opaque ``page_key`` (``next_page_key`` null on the last page);
* ``incidents.details.by.view``: a view's rows with their column values (label objects,
  ``last_update``), 1 000 a page by ``page_key``, sortable by last update.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from adapters.invgate.sim_data.records import (
    ACTIVE,
    PRIORITIES,
    STATUSES,
    TYPES,
    Request,
    User,
)
from adapters.invgate.simulator.core import Context, render_request
from adapters.invgate.simulator.params import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


def _ordered(requests: list[Request]) -> list[int]:
    return sorted(r.id for r in requests)


def _slice(ctx: Context, ids: list[int]) -> tuple[list[int], int, int]:
    limit = ctx.params.integer("limit")
    offset = ctx.params.integer("offset") or 0
    if limit is None:
        limit = DEFAULT_LIMIT
    if limit < 1 or offset < 0:
        raise ApiError(400, "limit must be positive and offset not negative")
    limit = min(limit, MAX_LIMIT)
    return ids[offset : offset + limit], limit, offset


def by_helpdesk(ctx: Context) -> dict[str, Any]:
    wanted = ctx.params.int_array("helpdesk_ids", single="helpdesk_id")
    if not wanted:
        raise ApiError(400, "The parameter helpdesk_id or helpdesk_ids is required")
    groups = set(wanted) | {h.id for h in ctx.desk.helpdesks if h.parent_id in wanted}
    found = [
        r
        for r in ctx.desk.requests.values()
        if r.status_id in ACTIVE and r.assigned_group_id in groups
    ]
    return {
        "status": "OK",
        "info": "Returned a list of the requests related to the given help desk(s)",
        "requestIds": _ordered(found),
    }


def by_status(ctx: Context) -> dict[str, Any]:
    wanted = set(ctx.params.int_array("status_ids", single="status_id"))
    if not wanted:
        raise ApiError(400, "The parameter status_id or status_ids is required")
    ids = _ordered([r for r in ctx.desk.requests.values() if r.status_id in wanted])
    page, limit, offset = _slice(ctx, ids)
    return {
        "status": "OK",
        "info": "Returned a list of the requests with the given status(es)",
        "requestIds": page,
        "limit": limit,
        "offset": offset,
        "total": len(ids),
    }


def by_view(ctx: Context) -> dict[str, Any]:
    view_id = ctx.params.required_int("view_id")
    view = next((v for v in ctx.desk.views if v.id == view_id), None)
    if view is None:
        raise ApiError(404, f"The view {view_id} doesn't exist")
    ids = _ordered([r for r in ctx.desk.requests.values() if view.accepts(r)])
    page, limit, offset = _slice(ctx, ids)
    return {
        "status": "OK",
        "info": f"Returned the requests of the view {view.name}",
        "requestIds": page,
        "limit": limit,
        "offset": offset,
    }


def by_sentiment(ctx: Context) -> dict[str, Any]:
    wanted = set(ctx.params.array("sentiment_ids") or ctx.params.array("sentiment_id"))
    if not wanted or not wanted <= {"negative", "neutral", "positive"}:
        raise ApiError(400, "sentiment_id must be negative, neutral or positive")
    ids = _ordered(
        [r for r in ctx.desk.requests.values() if r.status_id in ACTIVE and r.sentiment in wanted]
    )
    page, limit, offset = _slice(ctx, ids)
    return {
        "status": "OK",
        "info": "Returned",
        "requestIds": page,
        "limit": limit,
        "offset": offset,
    }


def _page_key(endpoint: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{endpoint}|{offset}".encode()).decode().rstrip("=")


def _read_key(endpoint: str, key: str | None) -> int:
    if not key:
        return 0
    try:
        text = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
        name, _, offset = text.partition("|")
        if name != endpoint:
            raise ValueError(name)
        return int(offset)
    except ValueError:
        raise ApiError(400, "Invalid page_key") from None


def _person(ctx: Context) -> User:
    p = ctx.params
    users = ctx.desk.users.values()
    if p.integer("id") is not None:
        found = ctx.desk.users.get(p.required_int("id"))
    elif p.text("email"):
        found = next((u for u in users if u.email.lower() == (p.text("email") or "").lower()), None)
    elif p.text("username"):
        found = next((u for u in users if u.username == p.text("username")), None)
    else:
        raise ApiError(400, "One of id, email or username is required")
    if found is None:
        raise ApiError(404, "The user doesn't exist")
    return found


def _keyed(ctx: Context, endpoint: str, requests: list[Request]) -> dict[str, Any]:
    limit = ctx.params.integer("limit") or DEFAULT_LIMIT
    if limit < 1:
        raise ApiError(400, "limit must be positive")
    offset = _read_key(endpoint, ctx.params.text("page_key"))
    ordered = sorted(requests, key=lambda r: r.id)
    page = ordered[offset : offset + limit]
    more = offset + limit < len(ordered)
    comments = ctx.params.boolean("comments")
    return {
        "status": "OK",
        "info": "Returned the open requests",
        "requests": {str(r.id): render_request(ctx, r, comments=comments) for r in page} or [],
        "next_page_key": _page_key(endpoint, offset + limit) if more else None,
    }


def by_agent(ctx: Context) -> dict[str, Any]:
    agent = _person(ctx)
    if agent.user_type != 1:
        raise ApiError(200, f"The user {agent.id} is not an agent")
    mine = [
        r for r in ctx.desk.requests.values() if r.status_id in ACTIVE and r.assigned_id == agent.id
    ]
    return _keyed(ctx, "incidents.by.agent", mine)


def by_customer(ctx: Context) -> dict[str, Any]:
    customer = _person(ctx)
    theirs = [
        r for r in ctx.desk.requests.values() if r.status_id in ACTIVE and r.user_id == customer.id
    ]
    return _keyed(ctx, "incidents.by.customer", theirs)


DETAILS_PAGE = 1000


def _label(value: int | None, names: dict[int, str]) -> dict[str, Any] | None:
    return None if value is None else {"id": value, "label": names.get(value, f"#{value}")}


def details_by_view(ctx: Context) -> dict[str, Any]:
    """``incidents.details.by.view``: the view's rows as its columns show them (label
    objects, ``last_update`` as value and formatted), 1 000 a page by ``page_key``,
    sorted by ``id`` or ``last_update``, ascending unless ``order_by=desc``."""
    p = ctx.params
    view_id = p.required_int("view_id")
    view = next((v for v in ctx.desk.views if v.id == view_id), None)
    if view is None:
        raise ApiError(404, f"The view {view_id} doesn't exist")
    sort_by = p.text("sort_by") or "id"
    order_by = p.text("order_by") or "asc"
    if sort_by not in ("id", "last_update") or order_by not in ("asc", "desc"):
        raise ApiError(400, "sort_by is id or last_update, order_by asc or desc")
    rows = [r for r in ctx.desk.requests.values() if view.accepts(r)]
    rows.sort(
        key=lambda r: (r.last_update, r.id) if sort_by == "last_update" else (r.id, 0),
        reverse=order_by == "desc",
    )
    endpoint = f"incidents.details.by.view:{view_id}:{sort_by}:{order_by}"
    offset = _read_key(endpoint, p.text("page_key"))
    page = rows[offset : offset + DETAILS_PAGE]
    statuses, priorities, types = dict(STATUSES), dict(PRIORITIES), dict(TYPES)
    users = ctx.desk.users
    data = [
        {
            "id": r.id,
            "title": r.title,
            "status": _label(r.status_id, statuses),
            "priority": _label(r.priority_id, priorities),
            "type": _label(r.type_id, types),
            "agent": _label(
                r.assigned_id,
                {u.id: f"{u.name} {u.lastname}" for u in users.values() if u.id == r.assigned_id},
            ),
            "last_update": {
                "value": ctx.date(r.last_update),
                "formatted": time.strftime("%Y-%m-%d %H:%M", time.gmtime(r.last_update)),
            },
        }
        for r in page
    ]
    more = offset + DETAILS_PAGE < len(rows)
    return {
        "data": data,
        "metadata": {
            "view": {"id": view.id, "name": view.name},
            "columns": {
                "id": "ID",
                "title": "Title",
                "status": "Status",
                "priority": "Priority",
                "type": "Type",
                "agent": "Agent",
                "last_update": "Last update",
            },
        },
        "next_page_key": _page_key(endpoint, offset + DETAILS_PAGE) if more else None,
    }
