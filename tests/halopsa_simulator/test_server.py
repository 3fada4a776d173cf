"""The simulated HaloPSA instance answers as Halo does: tokens, paging, filters, actions,
errors in Halo's shapes and the rolling rate limit."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.halopsa.sim_data import generate_desk
from adapters.halopsa.simulator import CLIENT_ID, CLIENT_SECRET, HaloServer, app_for_desk

FORM = {
    "grant_type": "client_credentials",
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "scope": "all",
}


class Halo:
    def __init__(self, client: httpx.AsyncClient, server: HaloServer) -> None:
        self.client = client
        self.server = server
        self.headers: dict[str, str] = {}

    async def login(self) -> None:
        answer = await self.client.post("/auth/token", data=FORM)
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(f"/api{path}", params=params, headers=self.headers)

    async def post(self, path: str, body: Any) -> httpx.Response:
        return await self.client.post(f"/api{path}", json=body, headers=self.headers)


async def connect(**options: Any) -> AsyncIterator[Halo]:
    app, server = app_for_desk(
        generate_desk(tickets=options.pop("tickets", 150), seed=3), **options
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://halo.sim"
    ) as client:
        halo = Halo(client, server)
        await halo.login()
        yield halo


@pytest.fixture
async def halo() -> AsyncIterator[Halo]:
    async for made in connect():
        yield made


async def test_token_endpoint(halo: Halo) -> None:
    bad = await halo.client.post("/auth/token", data={**FORM, "client_secret": "nope"})
    assert bad.status_code == 401
    assert (
        set(bad.json()) == {"error", "error_description"}
        and bad.json()["error"] == "invalid_client"
    )
    tenant = await halo.client.post("/auth/token?tenant=harbourline", data=FORM)
    assert tenant.status_code == 200 and tenant.json()["token_type"] == "Bearer"
    assert tenant.json()["expires_in"] == 3600
    wrong = await halo.client.post("/auth/token?tenant=acme", data=FORM)
    assert wrong.status_code == 400 and "Unknown tenant" in wrong.json()["error_description"]


async def test_bearer_required_and_expiring() -> None:
    now = [1000.0]
    async for halo in connect(token_lifetime=30, clock=lambda: now[0]):
        assert (await halo.get("/Status")).status_code == 200
        now[0] += 31
        expired = await halo.get("/Status")
        assert expired.status_code == 401 and "invalid_token" in expired.headers["WWW-Authenticate"]
        halo.headers = {}
        assert (await halo.get("/Status")).status_code == 401


async def test_paging_envelope_and_python_booleans(halo: Halo) -> None:
    page = (await halo.get("/Tickets", pageinate="True", page_size=5, page_no=2, count=50)).json()
    assert {k: page[k] for k in ("page_no", "page_size", "record_count")} == {
        "page_no": 2,
        "page_size": 5,
        "record_count": 150,
    }
    assert len(page["tickets"]) == 5
    unpaged = (await halo.get("/Tickets", pageinate="False", count=7)).json()
    assert set(unpaged) == {"record_count", "tickets"} and len(unpaged["tickets"]) == 7
    capped = (await halo.get("/Tickets", pageinate="true", page_size=500)).json()
    assert capped["page_size"] == 100 and len(capped["tickets"]) == 100
    ids = (await halo.get("/Tickets", ticketidonly="true", pageinate="true", page_size=5)).json()
    assert len(ids["tickets"]) == 150 and set(ids["tickets"][0]) == {"id"}


async def test_unknown_parameters_are_ignored_and_filters_apply(halo: Halo) -> None:
    everything = (await halo.get("/Tickets", stauts="9")).json()  # misspelt: ignored
    assert everything["record_count"] == 150
    comma = (await halo.get("/Tickets", status="9,10")).json()
    repeated = await halo.client.get("/api/Tickets?status=9&status=10", headers=halo.headers)
    assert comma == repeated.json() and {t["status_id"] for t in comma["tickets"]} == {9, 10}
    bad = await halo.get("/Tickets", status="closed")
    assert bad.status_code == 400 and bad.json() == {"status": ["The value 'closed' is not valid."]}
    ordered = (await halo.get("/Tickets", order="dateoccurred", orderdesc="true")).json()["tickets"]
    assert [t["id"] for t in ordered] == sorted((t["id"] for t in ordered), reverse=True)


async def test_ticket_shapes(halo: Halo) -> None:
    row = (await halo.get("/Tickets", count=1)).json()["tickets"][0]
    assert isinstance(row["team"], str) and "team_id" not in row and "customfields" not in row
    assert row["dateclosed"] in ("0001-01-01T00:00:00",) or row["hasbeenclosed"]
    assert row["deadlinedate"] == "1900-01-01T00:00:00"
    full = (await halo.get(f"/Tickets/{row['id']}", includedetails="true")).json()
    assert isinstance(full["team_id"], int) and isinstance(full["customfields"], list)
    assert full["priority"]["priorityid"] == full["priority_id"] and "-" in full["priority"]["id"]
    missing = await halo.get("/Tickets/987654")
    assert missing.status_code == 404 and set(missing.json()) == {"ClassName", "Message"}


async def test_actions_newest_first_with_per_ticket_ids(halo: Halo) -> None:
    ticket = next(t for t in halo.server.desk.live() if len(halo.server.desk.ticket_actions(t)) > 2)
    body = (await halo.get("/Actions", ticket_id=ticket.id)).json()
    times = [a["datetime"] for a in body["actions"]]
    assert body["record_count"] == len(times) and times == sorted(times, reverse=True)
    assert sorted(a["id"] for a in body["actions"]) == list(range(1, len(times) + 1))
    one = (await halo.get("/Actions/1", ticket_id=ticket.id)).json()
    assert one["id"] == 1 and one["ticket_id"] == ticket.id
    public = (await halo.get("/Actions", ticket_id=ticket.id, excludeprivate="true")).json()
    assert not any(a["hiddenfromuser"] for a in public["actions"])


async def test_action_needs_an_outcome(halo: Halo) -> None:
    ticket = next(iter(halo.server.desk.live()))
    missing = await halo.post("/Actions", [{"ticket_id": ticket.id, "note": "x"}])
    assert (
        missing.status_code == 400 and missing.text == "An Outcome must be entered for this Action"
    )
    made = await halo.post(
        "/Actions", [{"ticket_id": ticket.id, "outcome": "private note", "note": "n"}]
    )
    assert made.status_code == 201 and made.json()["hiddenfromuser"] is True
    not_array = await halo.post("/Actions", {"ticket_id": ticket.id, "outcome_id": 2})
    assert not_array.status_code == 400
    broken = await halo.client.post(
        "/api/Tickets", content=b"[{", headers={**halo.headers, "Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and "" in broken.json()


async def test_agent_outside_the_given_team_is_not_assigned(halo: Halo) -> None:
    ticket = next(iter(halo.server.desk.live()))
    saved = (
        await halo.post(
            "/Tickets",
            [{"id": ticket.id, "agent_id": 11, "team": "Security Operations", "urgency": 1}],
        )
    ).json()
    assert (
        saved["team"] == "Security Operations" and saved["agent_id"] != 11 and saved["urgency"] == 1
    )
    saved = (
        await halo.post(
            "/Tickets", [{"id": ticket.id, "agent_id": 9, "team": "Security Operations"}]
        )
    ).json()
    assert saved["agent_id"] == 9


async def test_lookups_are_bare_arrays_with_their_filters(halo: Halo) -> None:
    for path in (
        "/Status",
        "/TicketType",
        "/Team",
        "/Agent",
        "/Category",
        "/Priority",
        "/Outcome",
        "/TicketArea",
        "/FieldInfo",
    ):
        assert isinstance((await halo.get(path)).json(), list), path
    open_only = {s["name"] for s in (await halo.get("/Status", excludeclosed="true")).json()}
    assert "Closed" not in open_only and "New" in open_only
    assert [t["name"] for t in (await halo.get("/Team", type="prjs")).json()] == [
        "Project Delivery"
    ]
    agents = (await halo.get("/Agent", includeunassigned="true")).json()
    assert agents[0]["name"] == "Unassigned"
    assert "Integration Agent" not in {a["name"] for a in agents}
    assert (await halo.get("/agent/me")).json()["name"] == "Integration Agent"  # paths ignore case
    priorities = (await halo.get("/Priority")).json()
    assert len(priorities) == 2 * len({p["priorityid"] for p in priorities})
    ignored = (await halo.get("/Category", team_name="Sales")).json()
    assert len(ignored) == len((await halo.get("/Category")).json())


async def test_rolling_rate_limit() -> None:
    async for halo in connect(rate_limit=5, rate_window=1.0):
        answers = [await halo.get("/Status") for _ in range(7)]
        assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
        refused = answers[-1]
        assert refused.text == "Rate Limit Reached - 5 Requests per rolling 1 second window"
        assert "Retry-After" not in refused.headers
        assert (await halo.client.post("/auth/token", data=FORM)).status_code == 200  # not counted
        await asyncio.sleep(1.05)
        assert (await halo.get("/Status")).status_code == 200
        assert halo.server.refused == 2


def test_scale_and_determinism() -> None:
    started = time.perf_counter()
    desk = generate_desk(tickets=5000, seed=9)
    assert time.perf_counter() - started < 5 and len(desk.tickets) == 5000
    again = generate_desk(tickets=5000, seed=9, now=desk.now)
    first = next(iter(desk.tickets.values()))
    assert json.dumps(first.__repr__()) == json.dumps(again.tickets[first.id].__repr__())
    assert desk.ticket_actions(first) == again.ticket_actions(again.tickets[first.id])
