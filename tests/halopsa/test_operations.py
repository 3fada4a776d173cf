"""The HaloPSA adapter's operations and the seed's commands against the simulated instance."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.base import AuthFailed, InvalidInput, NotFound
from adapters.halopsa import HaloAdapter, wire
from adapters.halopsa.sim_data.config import API_AGENT, ST_IN_PROGRESS, ST_RESOLVED, TEAM_BY_NAME
from adapters.model import Change, HealthState, TicketQuery, Visibility
from tests.halopsa.conftest import Instance, MakeAdapter, MakeInstance


async def open_ticket(halo: HaloAdapter) -> str:
    async for page in halo.list_tickets(TicketQuery(include_done=False, page_size=50)):
        return page.tickets[0].key.native_id
    raise AssertionError("no open ticket")


# ---- authentication ---------------------------------------------------------------------


async def test_token_expiry_refreshes_mid_run(
    make_adapter: MakeAdapter, make_instance: MakeInstance
) -> None:
    now = [1_000_000.0]
    instance = make_instance(token_lifetime=60, clock=lambda: now[0])
    async with make_adapter(instance.app) as halo:
        ticket = await open_ticket(halo)
        assert halo.oauth.tokens_fetched == 1
        now[0] += 61  # the server lets the token expire; the client still thinks it good
        detail = await halo.get_ticket(ticket)
        assert detail.ticket.key.native_id == ticket
        assert halo.oauth.tokens_fetched == 2
        instance.server.tokens.expire()
        await halo.add_post(ticket, "after a revoked token", Visibility.PRIVATE)
        assert halo.oauth.tokens_fetched == 3


async def test_bad_client_is_refused_without_the_secret(
    make_adapter: MakeAdapter, instance: Instance
) -> None:
    async with make_adapter(instance.app, client_secret="wrong-secret-value") as halo:
        with pytest.raises(AuthFailed) as caught:
            await halo.lookups()
        health = await halo.check()
    assert "invalid_client" in caught.value.message
    assert "Client authentication failed" in caught.value.message
    assert "wrong-secret-value" not in caught.value.message
    assert health.state is HealthState.AUTH_FAILED


async def test_tenant_on_the_token_url(make_adapter: MakeAdapter, instance: Instance) -> None:
    async with make_adapter(instance.app, tenant="someone-else") as halo:
        with pytest.raises(AuthFailed, match="Unknown tenant"):
            await halo.lookups()
    async with make_adapter(instance.app, tenant=None) as halo:
        assert (await halo.check()).state is HealthState.OK


def test_settings_take_the_resource_server_url() -> None:
    from tests.halopsa.conftest import settings

    read = settings(url="https://acme.halopsa.com/api/", auth_url="https://auth.example.com/auth")
    assert read.url == "https://acme.halopsa.com"
    from adapters.halopsa.client import token_url

    assert token_url(read) == "https://auth.example.com/auth/token?tenant=harbourline"
    assert token_url(settings(tenant=None)) == "http://halo.sim/auth/token"


# ---- listing ----------------------------------------------------------------------------


async def test_list_newest_change_first_with_team_config(
    make_adapter: MakeAdapter, instance: Instance
) -> None:
    async with make_adapter(instance.app, teams=["1st Line Support"]) as halo:
        tickets = [
            t async for page in halo.list_tickets(TicketQuery(page_size=500)) for t in page.tickets
        ]
    first_line = [
        t for t in instance.desk.live() if t.team_id == TEAM_BY_NAME["1st line support"].id
    ]
    assert len(tickets) == len(first_line)
    assert {t.group.label for t in tickets if t.group} == {"1st Line Support"}
    updated = [t.updated for t in tickets]
    assert updated == sorted(updated, reverse=True)


async def test_unknown_team_in_config(make_adapter: MakeAdapter, instance: Instance) -> None:
    async with make_adapter(instance.app, teams=["Nope"]) as halo:
        with pytest.raises(InvalidInput, match="no team named 'Nope'") as caught:
            [p async for p in halo.list_tickets()]
    assert caught.value.field == "teams"


async def test_fetch_by_last_update_types_statuses_areas_search(
    halo: HaloAdapter, instance: Instance
) -> None:
    desk = instance.desk
    end = datetime.fromtimestamp(desk.now, UTC)
    rows = await halo.fetch_tickets(start=end - timedelta(days=30), end=end, extra={"view_id": 1})
    expected = [t for t in desk.live() if desk.now - 30 * 86400 <= t.last_update <= desk.now]
    assert {r["id"] for r in rows} == {t.id for t in expected}
    changed = [wire.parse_time(r["last_update"]) for r in rows]
    assert changed == sorted(changed, reverse=True)  # type: ignore[type-var]
    limited = await halo.fetch_tickets(
        start=end - timedelta(days=90), end=end, limit=7, status_ids=["9"]
    )
    assert len(limited) == 7 and {r["status_id"] for r in limited} == {9}
    projects = await halo.fetch_tickets(start=end - timedelta(days=90), end=end, area_ids=["2"])
    assert projects and {r["tickettype_name"] for r in projects} == {"Project"}
    incidents = await halo.fetch_tickets(start=end - timedelta(days=90), end=end, type_ids=["1"])
    assert {r["tickettype_id"] for r in incidents} == {1}
    word = next(iter(desk.live())).summary.split()[0]
    found = await halo.fetch_tickets(start=end - timedelta(days=90), end=end, search=word)
    assert found and all(
        word.casefold() in (r["summary"] + r["details"]).casefold() or str(r["id"]) == word
        for r in found
    )
    with pytest.raises(InvalidInput):
        await halo.fetch_tickets(limit=1001)


# ---- changes ----------------------------------------------------------------------------


async def test_agent_outside_the_team_is_refused(halo: HaloAdapter, instance: Instance) -> None:
    ticket = await open_ticket(halo)
    lookups = await halo.lookups()
    security = next(g for g in lookups.groups if g.label == "Security Operations")
    billing_agent = next(a for a in lookups.agents if a.label == "Sofia Marchetti")
    before = instance.desk.tickets[int(ticket)].agent_id
    sent = halo.http.requests_sent
    with pytest.raises(
        InvalidInput, match="not a member of the team Security Operations"
    ) as caught:
        await halo.assign(ticket, billing_agent.id, security.id)
    assert caught.value.field == "assignee_id"
    assert halo.http.requests_sent == sent  # refused before anything is sent
    assert instance.desk.tickets[int(ticket)].agent_id == before
    analyst = next(a for a in lookups.agents if a.label == "Grace Okafor")
    assigned = await halo.assign_ticket(
        ticket, team="Security Operations", agent_id=analyst.id, note="reassign ticket to standby"
    )
    assert assigned.assignee is not None and assigned.assignee.name == "Grace Okafor"
    assert assigned.group is not None and assigned.group.label == "Security Operations"
    detail = await halo.get_ticket(ticket)
    assert detail.posts[-1].body == "reassign ticket to standby"
    assert detail.posts[-1].visibility is Visibility.PRIVATE


async def test_desk_not_applying_an_assignment_is_an_error(
    halo: HaloAdapter, instance: Instance
) -> None:
    ticket = await open_ticket(halo)
    lookups = await halo.lookups()
    agent = next(a for a in lookups.agents if a.label == "Sofia Marchetti")
    team = next(g for g in lookups.groups if g.label == "Security Operations")
    # Lookups older than a change of membership: the adapter believes she is in the team.
    catalog = await halo.catalog.get()
    stale = {**catalog.agent_teams, agent.id: frozenset({team.id})}
    halo.catalog.set(dataclasses.replace(catalog, agent_teams=stale))
    with pytest.raises(InvalidInput, match="did not assign agent") as caught:
        await halo.update(ticket, Change(assignee_id=agent.id, group_id=team.id))
    assert caught.value.field == "assignee_id"
    stored = instance.desk.tickets[int(ticket)]
    assert stored.team_id == TEAM_BY_NAME["security operations"].id  # the rest was saved


async def test_outcomes_triage_and_claim(halo: HaloAdapter, instance: Instance) -> None:
    names = [o["outcome"] for o in await halo.outcomes()]
    assert {"Triage", "Claim", "Private Note", "Email User", "Close Ticket"} <= set(names)
    assert "Rule Applied" not in names  # system outcomes are hidden
    ticket = await open_ticket(halo)
    await halo.apply_outcome(ticket, "Triage", note="triaged")
    assert instance.desk.tickets[int(ticket)].status_id == ST_IN_PROGRESS
    await halo.apply_outcome(ticket, "claim")
    assert instance.desk.tickets[int(ticket)].agent_id == API_AGENT
    with pytest.raises(InvalidInput, match="outcomes: Email User"):
        await halo.apply_outcome(ticket, "Dance")
    with pytest.raises(InvalidInput, match="an outcome or outcome_id is required"):
        await halo.post_actions([{"ticket_id": ticket, "note": "no outcome"}])
    created = await halo.post_actions(
        [
            {"ticket_id": int(ticket), "outcome_id": 2, "note": "testNotes1221", "new_status": "2"},
            {"ticket_id": int(ticket), "outcome": "Public Note", "note": "second"},
        ]
    )
    assert [a["note"] for a in created] == ["testNotes1221", "second"]


async def test_attach_a_local_file(halo: HaloAdapter, instance: Instance, tmp_path: Path) -> None:
    ticket = await open_ticket(halo)
    path = tmp_path / "evidence.log"
    path.write_bytes(b"line one\n\x00binary\xff\n")
    saved = await halo.attach_file(ticket, path, name="sample code")
    assert saved["filename"] == "sample code" and saved["filesize"] == path.stat().st_size
    [stored] = instance.desk.attachments[int(ticket)]
    assert stored.content == path.read_bytes()
    assert [a["filename"] for a in await halo.attachments(ticket)] == ["sample code"]
    with pytest.raises(InvalidInput, match="cannot read"):
        await halo.attach_file(ticket, tmp_path / "missing.txt")


async def test_delete_with_a_reason(halo: HaloAdapter, instance: Instance) -> None:
    ticket = await open_ticket(halo)
    await halo.delete_ticket(ticket, reason="Duplicate ticket")
    assert instance.desk.tickets[int(ticket)].deleted_reason == "Duplicate ticket"
    with pytest.raises(NotFound):
        await halo.get_ticket(ticket)
    listed = [
        t.key.native_id
        async for page in halo.list_tickets(TicketQuery(page_size=100))
        for t in page.tickets
    ]
    assert ticket not in listed


async def test_ticket_report(halo: HaloAdapter, instance: Instance) -> None:
    stored = next(t for t in instance.desk.live() if t.custom.get(114))
    report = await halo.ticket_report(str(stored.id))
    assert report.startswith(f"Ticket {stored.id}: {stored.summary}")
    assert f"Asset Tag: {stored.custom[114]}" in report
    assert "Conversation (" in report
    with pytest.raises(NotFound):
        await halo.ticket_report("987654")


async def test_resolve_emails_the_listed_addresses(halo: HaloAdapter, instance: Instance) -> None:
    ticket = await open_ticket(halo)
    with pytest.raises(InvalidInput) as caught:
        await halo.resolve(ticket, [])
    assert caught.value.field == "email_to"
    resolved = await halo.resolve(
        ticket,
        ["ops@example.test", "lead@example.test"],
        note="Issue was fixed",
        extra={"emailcc": "audit@example.test"},
    )
    assert resolved.is_done and resolved.status is not None
    assert instance.desk.tickets[int(ticket)].status_id == ST_RESOLVED
    [mail] = instance.desk.outbox
    assert (mail.to, mail.cc, mail.body) == (
        "ops@example.test;lead@example.test",
        "audit@example.test",
        "Issue was fixed",
    )


async def test_close_with_a_note(halo: HaloAdapter, instance: Instance) -> None:
    ticket = await open_ticket(halo)
    closed = await halo.close(ticket, note="Issue was fixed")
    assert closed.is_done and closed.status is not None and closed.status.label == "Closed"
    assert instance.desk.tickets[int(ticket)].closure_note == "Issue was fixed"


async def test_update_many_with_one_object(halo: HaloAdapter, instance: Instance) -> None:
    ids = [str(t.id) for t in list(instance.desk.live())[:120]]
    sent = halo.http.requests_sent
    saved = await halo.update_tickets(ids, {"urgency": 2, "impact": 2, "category_1": "Network>VPN"})
    assert len(saved) == 120
    assert halo.http.requests_sent - sent == 3  # 50 tickets a POST
    assert {(t.urgency, t.category_1) for t in instance.desk.live() if str(t.id) in ids} == {
        (2, "Network>VPN")
    }
    with pytest.raises(InvalidInput):
        await halo.update_tickets(ids, {})


async def test_create_tickets_and_get_them(halo: HaloAdapter) -> None:
    created = await halo.create_tickets(
        [
            {
                "summary": "1218 new ticket d1",
                "category_1": "IT Security Threats>Malware",
                "urgency": 1,
                "impact": 1,
                "tickettype_id": 1,
            }
        ]
    )
    [row] = created
    [again] = await halo.get_tickets([str(row["id"])], details=True)
    assert again["summary"] == "1218 new ticket d1" and again["priority"]["priorityid"] == 3
    with pytest.raises(InvalidInput):
        await halo.create_tickets([{"details": "no summary"}])


async def test_lookup_lists(halo: HaloAdapter) -> None:
    agents = await halo.list_agents(team="3rd Line Support")
    assert {a["name"] for a in agents} == {
        "Hannah Lindqvist",
        "Diego Alvarez",
        "Oliver Brandt",
        "Ken Yang",
    }
    assert [a["name"] for a in await halo.list_agents(search="ken yang")] == ["Ken Yang"]
    codes = await halo.list_categories(type_id="2", team_name="3rd line support")
    assert codes and all(c["type_id"] == 2 for c in codes)
    assert "Resolved - Security Incident Closed" not in {c["value"] for c in codes}
    with pytest.raises(InvalidInput):
        await halo.list_categories(team_name="3rd line support")
    teams = await halo.list_teams(
        names=["3rd Line Support"], team_type="Tickets", department_id="2"
    )
    assert [t["name"] for t in teams] == ["3rd Line Support", "Security Operations"]
    assert "agents" in teams[0] and "agents" not in teams[1]
    assert [a["name"] for a in await halo.list_ticket_areas()] == [
        "Service Desk",
        "Projects",
        "Opportunities",
    ]
    assert "Closed" in {s["name"] for s in await halo.list_statuses()}
    assert [t["name"] for t in await halo.list_ticket_types(domain="Projects")] == ["Project"]
    assert (await halo.check()).message == "signed in as Integration Agent"
