"""What the simulated endpoints share: finding records, the rules every write checks,
and rendering a request or comment the way the API writes it.

Rendering follows the observed answers: ``custom_fields`` is ``[]`` (PHP's empty array)
when a request has none, list and tree values are ``{"<key or hash>": "<label>"}``, dates
are epoch seconds unless ``date_format=iso8601`` asks for ISO 8601, and comments carry
their files as ``attached_files``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from adapters.invgate.sim_data.build import PRETTY_PREFIX
from adapters.invgate.sim_data.desk import InvGateDesk
from adapters.invgate.sim_data.records import Comment, Request, User
from adapters.invgate.simulator.params import ApiError, Params


@dataclass
class Context:
    """One call: the desk, its parameters and the clock the writes stamp."""

    desk: InvGateDesk
    params: Params
    now: int

    @property
    def iso(self) -> bool:
        return (self.params.text("date_format") or "").lower() == "iso8601"

    def date(self, epoch: int | None) -> int | str | None:
        if epoch is None:
            return None
        if self.iso:
            return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))
        return epoch

    def request(self, name: str = "request_id") -> Request:
        rid = self.params.required_int(name)
        request = self.desk.requests.get(rid)
        if request is None:
            raise ApiError(404, f"The request {rid} doesn't exist")
        return request

    def user(self, name: str, *, required: bool = True) -> User | None:
        uid = self.params.integer(name, required=required)
        if uid is None:
            return None
        user = self.desk.users.get(uid)
        if user is None or user.is_deleted:
            raise ApiError(404, f"The user {uid} doesn't exist")
        return user

    def author(self, name: str = "author_id") -> User:
        user = self.user(name)
        assert user is not None
        return user

    def touch(self, request: Request) -> None:
        request.last_update = max(self.now, request.last_update)


def ok(info: str, **extra: Any) -> dict[str, Any]:
    return {"status": "OK", "info": info, **extra}


def render_request(ctx: Context, request: Request, *, comments: bool = False) -> dict[str, Any]:
    kids = ctx.desk.kids(request)
    files = [f for comment in kids.comments for f in comment.attached_files]
    body: dict[str, Any] = {
        "id": request.id,
        "pretty_id": f"{PRETTY_PREFIX}{request.id}",
        "title": request.title,
        "description": ctx.desk.description(request),
        "category_id": request.category_id,
        "priority_id": request.priority_id,
        "type_id": request.type_id,
        "status_id": request.status_id,
        "source_id": request.source_id,
        "user_id": request.user_id,
        "creator_id": request.creator_id,
        "assigned_id": request.assigned_id,
        "assigned_group_id": request.assigned_group_id,
        "location_id": request.location_id,
        "created_at": ctx.date(request.created_at),
        "last_update": ctx.date(request.last_update),
        "date_ocurred": ctx.date(request.date_ocurred),
        "solved_at": ctx.date(request.solved_at),
        "closed_at": ctx.date(request.closed_at),
        "closed_reason": request.closed_reason,
        "process_id": None,
        "attachments": [*request.attachments, *files],
        "custom_fields": {str(uid): value for uid, value in request.custom_fields.items()} or [],
        "sla_incident_first_reply": None,
        "sla_incident_resolution": None,
        "data_cleaned": False,
        "request_customer_sentiment_initial": request.sentiment,
        "request_customer_sentiment_current": request.sentiment,
    }
    if request.rating is not None:
        body["rating"] = request.rating
    if comments:
        body["comments"] = [render_comment(ctx, c) for c in kids.comments]
    return body


def render_comment(ctx: Context, comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "incident_id": comment.incident_id,
        "author_id": comment.author_id,
        "message": comment.message,
        "created_at": ctx.date(comment.created_at),
        "customer_visible": comment.customer_visible,
        "reference": comment.reference,
        "msg_num": comment.msg_num,
        "is_solution": comment.is_solution,
        "attached_files": list(comment.attached_files),
    }


def render_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "lastname": user.lastname,
        "username": user.username,
        "email": user.email,
        "user_type": user.user_type,
        "type": user.type,
        "role_name": user.role_name,
        "phone": user.phone,
        "is_disabled": user.is_disabled,
        "is_deleted": user.is_deleted,
        "is_external": False,
    }
