"""The front of the simulated InvGate API: routes, Basic auth, rate limits, answers.

Every endpoint is one dotted name appended to ``/api/v1/`` (no IDs in the path), with a
fixed set of verbs; an unknown name answers 404 and a verb the name does not support 405,
both as JSON. Authentication is HTTP Basic (401 otherwise). Rate limits are InvGate's
product standard limits, per instance and per minute: every call counts against the
overall 1 000, and ``incident`` GET, ``incident`` POST/PUT and ``incidents`` GET against
their plan's own (429 with ``Retry-After``). In string mode every scalar of every answer
is a JSON string, as older instances wrote them.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

from adapters.invgate.sim_data.desk import InvGateDesk
from adapters.invgate.simulator import catalog, lists, requests
from adapters.invgate.simulator.core import Context
from adapters.invgate.simulator.params import ApiError, Params, stringify
from adapters.simulation import (
    Faults,
    LimitState,
    RateLimiter,
    Router,
    SimRequest,
    SimResponse,
    retry_after_header,
)

USERNAME = "api-user"
PASSWORD = "invgate-sim-password"
Plan = Literal["starter", "pro", "enterprise"]
OVERALL_LIMIT = 1000
# (endpoint, verbs) -> calls a minute on Starter, Pro, Enterprise
ENDPOINT_LIMITS: dict[tuple[str, frozenset[str]], tuple[int, int, int]] = {
    ("incident", frozenset({"GET"})): (75, 150, 200),
    ("incident", frozenset({"POST"})): (50, 100, 200),
    ("incident", frozenset({"PUT"})): (50, 100, 200),
    ("incidents", frozenset({"GET"})): (50, 75, 100),
}
PLAN_INDEX = {"starter": 0, "pro": 1, "enterprise": 2}

Endpoint = Callable[[Context], Any]
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "incident": {"GET": requests.get_incident, "POST": requests.post_incident,
                 "PUT": requests.put_incident},
    "incidents": {"GET": requests.get_incidents},
    "incident.comment": {"GET": requests.get_comments, "POST": requests.post_comment},
    "incident.attachment": {"GET": requests.get_attachment},
    "incident.reassign": {"POST": requests.post_reassign},
    "incident.link": {"GET": requests.get_links, "POST": requests.post_link},
    "incident.observer": {"GET": requests.get_observers, "POST": requests.post_observer},
    "incident.collaborator": {"GET": requests.get_collaborators,
                              "POST": requests.post_collaborator},
    "incident.custom_field": {"POST": requests.post_custom_field,
                              "DELETE": requests.delete_custom_field},
    "incident.cancel": {"POST": requests.post_cancel},
    "incident.reject": {"POST": requests.post_reject},
    "incident.reopen": {"PUT": requests.put_reopen},
    "incident.solution.accept": {"PUT": requests.put_solution_accept},
    "incident.solution.reject": {"PUT": requests.put_solution_reject},
    "incident.waitingfor.customer": {"POST": requests.post_wait_customer},
    "incident.waitingfor.agent": {"POST": requests.post_wait_agent},
    "incident.waitingfor.date": {"POST": requests.post_wait_date},
    "incident.waitingfor.external_entity": {"POST": requests.post_wait_entity},
    "incident.waitingfor.incident": {"POST": requests.post_wait_request},
    "incidents.by.helpdesk": {"GET": lists.by_helpdesk},
    "incidents.by.status": {"GET": lists.by_status},
    "incidents.by.view": {"GET": lists.by_view},
    "incidents.details.by.view": {"GET": lists.details_by_view},
    "incidents.by.sentiment": {"GET": lists.by_sentiment},
    "incidents.by.agent": {"GET": lists.by_agent},
    "incidents.by.customer": {"GET": lists.by_customer},
    "incident.attributes.status": {"GET": catalog.statuses},
    "incident.attributes.statuses": {"GET": catalog.statuses},
    "incident.attributes.priority": {"GET": catalog.priorities},
    "incident.attributes.type": {"GET": catalog.types},
    "incident.attributes.source": {"GET": catalog.sources},
    "incident.attributes.category": {"GET": catalog.categories},
    "categories": {"GET": catalog.categories},
    "helpdesks": {"GET": catalog.helpdesks},
    "levels": {"GET": catalog.levels},
    "helpdesksandlevels": {"GET": catalog.helpdesks_and_levels},
    "users": {"GET": catalog.users},
    "user": {"GET": catalog.user, "POST": catalog.create_user},
    "user.by": {"GET": catalog.user_by},
    "cf.fields.all": {"GET": catalog.fields_all},
    "cf.fields.by.category": {"GET": catalog.fields_by_category},
    "cf.fields.types": {"GET": catalog.field_types},
    "cf.field.options.list": {"GET": catalog.options_list},
    "cf.field.options.tree": {"GET": catalog.options_tree},
    "timetracking": {"GET": requests.get_timetracking, "POST": requests.post_timetracking,
                     "DELETE": requests.delete_timetracking},
    "timetracking.attributes.category": {"GET": catalog.time_categories},
    "sd.version": {"GET": catalog.version},
}  # fmt: skip


def _json(
    payload: Any, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
) -> SimResponse:
    return SimResponse(
        status=status,
        body=json.dumps(payload, ensure_ascii=False),
        content_type="application/json",
        headers=headers,
    )


_MIME = {"png": "image/png", "pdf": "application/pdf", "txt": "text/plain", "log": "text/plain"}


def _too_many(state: LimitState) -> SimResponse:
    return _json({"status": "ERROR", "error": "Too many requests"}, 429)


class InvGateServer:
    """One simulated instance over ``desk``; :meth:`handle` is its ASGI handler."""

    def __init__(
        self,
        desk: InvGateDesk,
        *,
        strings: bool = False,
        plan: Plan = "enterprise",
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
    ) -> None:
        self.desk = desk
        self.strings = strings
        self.faults = faults
        self.wall_clock = wall_clock
        self.calls: list[tuple[str, str]] = []
        self.overall = RateLimiter(
            OVERALL_LIMIT, 60, refused=_too_many, refused_headers=retry_after_header, clock=clock
        )
        self.limits = {
            key: RateLimiter(
                tiers[PLAN_INDEX[plan]],
                60,
                refused=_too_many,
                refused_headers=retry_after_header,
                clock=clock,
            )
            for key, tiers in ENDPOINT_LIMITS.items()
        }
        self.router = Router(not_found=self._not_found)
        self.router.add("*", "/api/v1/{endpoint}", self._dispatch)
        self.router.add("GET", "/uploads/attached_files/{name}", self._file)

    async def handle(self, request: SimRequest) -> SimResponse:
        result = self.router(request)
        return await result if inspect.isawaitable(result) else result

    @staticmethod
    def _not_found(request: SimRequest) -> SimResponse:
        return _json({"status": "ERROR", "error": "Not found"}, 404)

    def _limited(self, endpoint: str, method: str, request: SimRequest) -> SimResponse | None:
        refusal = self.overall.check(request)
        if refusal is not None:
            return refusal
        for (name, verbs), limiter in self.limits.items():
            if name == endpoint and method in verbs:
                return limiter.check(request)
        return None

    def _file(self, request: SimRequest, route: Mapping[str, str]) -> SimResponse:
        """An attached file at the URL ``incident.attachment`` gives, for the API user."""
        if request.basic_auth() != (USERNAME, PASSWORD):
            return _json({"status": "ERROR", "error": "Invalid credentials"}, 401)
        refusal = self.overall.check(request)
        if refusal is not None:
            return refusal
        stem = route["name"].rsplit(".", 1)[0]
        found = next((a for a in self.desk.attachments.values() if a.hash == stem), None)
        if found is None:
            return _json({"status": "ERROR", "error": "Not found"}, 404)
        self.calls.append(("GET", "uploads"))
        return SimResponse(
            200, found.content, _MIME.get(found.extension, "application/octet-stream")
        )

    def _dispatch(self, request: SimRequest, route: Mapping[str, str]) -> SimResponse:
        endpoint = route["endpoint"]
        verbs = ENDPOINTS.get(endpoint)
        if verbs is None:
            return _json({"status": "ERROR", "error": f"Unknown endpoint {endpoint}"}, 404)
        if request.basic_auth() != (USERNAME, PASSWORD):
            return _json(
                {"status": "ERROR", "error": "Invalid credentials"},
                401,
                (("WWW-Authenticate", 'Basic realm="InvGate Service Management API"'),),
            )
        handler = verbs.get(request.method)
        if handler is None:
            return _json(
                {"status": "ERROR", "error": f"Method {request.method} not allowed"},
                405,
                (("Allow", ", ".join(verbs)),),
            )
        refusal = self._limited(endpoint, request.method, request)
        if refusal is not None:
            return refusal
        self.calls.append((request.method, endpoint))
        try:
            params = Params.read(request)
            payload = handler(Context(self.desk, params, int(self.wall_clock())))
        except ApiError as error:
            return _json(error.body(), error.status)
        return _json(stringify(payload) if self.strings else payload)
