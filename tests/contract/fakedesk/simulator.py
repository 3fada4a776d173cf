"""A minimal JSON help desk, to prove that a new vendor is its wire protocol and little else.

Written on the simulation toolkit's core only (:func:`adapters.simulation.asgi_app`,
``SimRequest``, ``SimResponse``). Its API, in full:

* ``POST /oauth/token`` (form: client credentials) -> ``{access_token, expires_in}``;
  every other route wants ``Authorization: Bearer <token>`` and answers 401 without it;
* ``GET /api/statuses|priorities|agents|groups`` -> bare arrays of ``{id, name, …}``;
* ``GET /api/tickets?page=&per_page=`` -> ``{"tickets": [...], "total": n}``, newest first;
* ``GET /api/tickets/<id>`` -> the ticket with ``posts`` and ``fields``;
* ``PATCH /api/tickets/<id>`` (JSON ``subject``/``status_id``/``priority_id``/``agent_id``/
  ``group_id``) -> the ticket; an unknown id is 422 ``{"error", "field"}``;
* ``POST /api/tickets/<id>/posts`` (JSON ``body``, ``private``) -> the post (201);
* ``PUT /api/tickets/<id>/fields`` (JSON ``{key: value}``) -> every field.

It takes no new tickets (the adapter says so through its capabilities).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.simulation import ASGIApp, SimRequest, SimResponse, asgi_app

CLIENT_ID = "fake-client"
CLIENT_SECRET = "fake-client-secret-0123456789"
TOKEN_LIFETIME = 3600

STATUSES = [
    {"id": 1, "name": "New"},
    {"id": 2, "name": "Open"},
    {"id": 3, "name": "Waiting on customer"},
    {"id": 4, "name": "Closed", "closed": True},
]
PRIORITIES = [{"id": 1, "name": "Urgent"}, {"id": 2, "name": "Normal"}, {"id": 3, "name": "Low"}]
AGENTS = [{"id": 10, "name": "Ada Agent"}, {"id": 11, "name": "Bo Agent"}]
GROUPS = [{"id": 100, "name": "Support"}, {"id": 101, "name": "Billing"}]
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


class FakeDesk:
    def __init__(self, tickets: int, seed: int) -> None:
        self.tokens: set[str] = set()
        self.ids = itertools.count(1)
        self.tickets: dict[int, dict[str, Any]] = {}
        for number in range(1, tickets + 1):
            when = START + timedelta(hours=number * 3 + seed)
            self.tickets[number] = {
                "id": number,
                "subject": f"Fake ticket {number}",
                "status_id": STATUSES[number % 3]["id"],
                "priority_id": PRIORITIES[number % 3]["id"],
                "agent_id": None,
                "group_id": GROUPS[number % 2]["id"],
                "requester": {"name": f"Customer {number}", "email": f"c{number}@example.test"},
                "created_at": when.isoformat(),
                "updated_at": when.isoformat(),
                "posts": [
                    {
                        "id": next(self.ids),
                        "body": f"Help with thing {number}, please.",
                        "private": False,
                        "author": f"Customer {number}",
                        "created_at": when.isoformat(),
                    }
                ],
                "fields": {"serial": f"SN-{number:05d}", "plan": "basic"},
            }

    def handle(self, request: SimRequest) -> SimResponse:
        if request.method == "POST" and request.path == "/oauth/token":
            return self.token(request)
        if request.bearer_token() not in self.tokens:
            return SimResponse.json({"error": "invalid or expired token"}, 401)
        parts = request.path.strip("/").split("/")
        if parts[:1] != ["api"]:
            return SimResponse.json({"error": "no such route"}, 404)
        lookups = {"statuses": STATUSES, "priorities": PRIORITIES, "agents": AGENTS}
        if request.method == "GET" and len(parts) == 2 and parts[1] in {*lookups, "groups"}:
            return SimResponse.json(lookups.get(parts[1], GROUPS))
        if parts[1:2] != ["tickets"]:
            return SimResponse.json({"error": "no such route"}, 404)
        if len(parts) == 2 and request.method == "GET":
            return self.listing(request)
        ticket = self.tickets.get(int(parts[2])) if parts[2:3] and parts[2].isdigit() else None
        if ticket is None:
            return SimResponse.json({"error": "no such ticket"}, 404)
        try:
            body = request.json() if request.body else {}
        except ValueError:
            return SimResponse.json({"error": "body is not JSON"}, 400)
        route = (request.method, tuple(parts[3:]))
        if route == ("GET", ()):
            return SimResponse.json(ticket)
        if route == ("PATCH", ()):
            return self.patch(ticket, body)
        if route == ("POST", ("posts",)):
            return self.post(ticket, body)
        if route == ("PUT", ("fields",)):
            unknown = sorted(set(body) - set(ticket["fields"]))
            if unknown:
                return SimResponse.json({"error": "no such field", "field": unknown[0]}, 422)
            ticket["fields"].update({key: str(value) for key, value in body.items()})
            return SimResponse.json(ticket["fields"])
        return SimResponse.json({"error": "method not allowed"}, 405)

    def token(self, request: SimRequest) -> SimResponse:
        form = dict(request.form())
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return SimResponse.json({"error": "invalid_client"}, 401)
        token = f"tok-{len(self.tokens) + 1}-{next(self.ids)}"
        self.tokens.add(token)
        return SimResponse.json({"access_token": token, "expires_in": TOKEN_LIFETIME})

    def listing(self, request: SimRequest) -> SimResponse:
        page = int(request.query_value("page") or 1)
        size = int(request.query_value("per_page") or 25)
        rows = sorted(self.tickets.values(), key=lambda t: t["updated_at"], reverse=True)
        chunk = rows[(page - 1) * size : page * size]
        slim = [{k: v for k, v in t.items() if k not in ("posts", "fields")} for t in chunk]
        return SimResponse.json({"tickets": slim, "total": len(rows)})

    def patch(self, ticket: dict[str, Any], body: dict[str, Any]) -> SimResponse:
        known = {
            "status_id": {s["id"] for s in STATUSES},
            "priority_id": {p["id"] for p in PRIORITIES},
            "agent_id": {a["id"] for a in AGENTS} | {None},
            "group_id": {g["id"] for g in GROUPS},
        }
        for field, value in body.items():
            if field == "subject" and isinstance(value, str) and value.strip():
                continue
            if field not in known or value not in known[field]:
                return SimResponse.json({"error": f"invalid {field}", "field": field}, 422)
        ticket.update(body)
        ticket["updated_at"] = datetime.now(UTC).isoformat()
        return SimResponse.json(ticket)

    def post(self, ticket: dict[str, Any], body: dict[str, Any]) -> SimResponse:
        text = body.get("body")
        if not isinstance(text, str) or not text.strip():
            return SimResponse.json({"error": "body is empty", "field": "body"}, 422)
        post = {
            "id": next(self.ids),
            "body": text,
            "private": bool(body.get("private")),
            "author": "Ada Agent",
            "created_at": datetime.now(UTC).isoformat(),
        }
        ticket["posts"].append(post)
        return SimResponse.json(post, 201)


def create_app(
    *, tickets: int = 40, seed: int = 1, latency: tuple[float, float] | None = None
) -> ASGIApp:
    return asgi_app(FakeDesk(tickets, seed).handle, latency=latency, seed=seed)


def connection_block(base_url: str) -> dict[str, Any]:
    return {
        "vendor": "fakedesk",
        "url": base_url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
