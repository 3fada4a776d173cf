"""One simulated InvGate instance: its configuration, people and requests, and the
children of each request (comments, time entries), built when first read.

Comments and time entries of a request are a pure function of the desk's seed and the
request's *story* (topic, first agent, status and last activity as generated), so a
request nobody opens costs nothing; once a request is written to, its children are kept
(:class:`adapters.simdata.lazy.LazyChildren`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.invgate.sim_data.records import (
    Attachment,
    Category,
    Comment,
    CustomFieldDef,
    HelpDesk,
    Request,
    TimeEntry,
    User,
)
from adapters.simdata.lazy import LazyChildren


@dataclass
class Children:
    """What hangs under one request."""

    comments: list[Comment]
    time_entries: list[TimeEntry]


@dataclass
class View:
    """A saved view: a name and which requests it shows."""

    id: int
    name: str
    accepts: Callable[[Request], bool]


@dataclass
class InvGateDesk:
    seed: int
    now: int
    categories: list[Category] = field(default_factory=list)
    helpdesks: list[HelpDesk] = field(default_factory=list)
    users: dict[int, User] = field(default_factory=dict)
    custom_fields: list[CustomFieldDef] = field(default_factory=list)
    requests: dict[int, Request] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    views: list[View] = field(default_factory=list)
    time_categories: list[tuple[int, int | None, str, float]] = field(default_factory=list)
    external_entities: dict[int, str] = field(default_factory=dict)
    # request id -> (topic index, first agent, status as generated, last activity, hostile)
    stories: dict[int, tuple[int, int | None, int, int, int]] = field(default_factory=dict)
    children: LazyChildren[Children] | None = None
    describe: Callable[[Request], str] | None = None
    next_request_id: int = 1
    next_child_id: int = 5_000_000

    def child_id(self) -> int:
        """An id for a comment, time entry or attachment created through the API."""
        self.next_child_id += 1
        return self.next_child_id

    def kids(self, request: Request) -> Children:
        assert self.children is not None
        return self.children.get(request)

    def own_kids(self, request: Request) -> Children:
        assert self.children is not None
        return self.children.own(request)

    def description(self, request: Request) -> str:
        """The request's description, the generated one written on first read."""
        if request.description is None:
            request.description = self.describe(request) if self.describe else ""
        return request.description

    def helpdesk(self, group_id: int) -> HelpDesk | None:
        return next((h for h in self.helpdesks if h.id == group_id), None)

    def field_def(self, uid: int) -> CustomFieldDef | None:
        return next((f for f in self.custom_fields if f.uid == uid), None)

    def agents(self) -> list[User]:
        return [u for u in self.users.values() if u.user_type == 1 and not u.is_disabled]
