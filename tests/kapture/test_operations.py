"""Kapture's operations against the simulator: the day windows of the list, per-operation
keys and the config shape, writes as Updates with the current sub-status, what Kapture
cannot do, custom fields, create, and one run over a real loopback port."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import time_machine

from adapters.base import AuthFailed, InvalidInput, Unsupported
from adapters.kapture import KaptureAdapter
from adapters.kapture.simulator import API_KEY, OPERATION_KEYS
from adapters.kapture.wire import dates
from adapters.model import (
    UNASSIGNED,
    Change,
    HealthState,
    NewTicket,
    StatusCategory,
    Ticket,
    TicketQuery,
    Visibility,
)
from adapters.simulation import ServerThread
from tests.kapture.conftest import MakeAdapter, MakeSim, Sim
from tui.config import load_config


async def listing(adapter: KaptureAdapter, **query: object) -> list[Ticket]:
    return [t async for page in adapter.list_tickets(TicketQuery(**query)) for t in page.tickets]  # type: ignore[arg-type]


async def open_ticket(adapter: KaptureAdapter) -> Ticket:
    return next(t for t in await listing(adapter) if not t.is_done)


# --------------------------------------------------------------------------------------
# The list: one Pull per day
# --------------------------------------------------------------------------------------


async def test_a_seven_day_list_pulls_exactly_its_seven_days(
    make_adapter: MakeAdapter, sim: Sim
) -> None:
    async with make_adapter(sim.app, days=7) as adapter:
        tickets = await listing(adapter)
    pulls = sim.pulls()
    assert len(pulls) == 7
    today = dates.today(dates.tenant_zone("+05:30"))
    wanted = {(today - timedelta(days=n)).isoformat() for n in range(7)}
    assert {p["start_date"] for p in pulls} == wanted
    assert all(p["start_date"] == p["end_date"] for p in pulls)  # never more than 24 h
    zone = dates.tenant_zone("+05:30")
    oldest = datetime.combine(today - timedelta(days=6), datetime.min.time(), zone)
    assert tickets and all(t.created >= oldest for t in tickets)
    everything = [t.key for t in tickets]
    assert len(everything) == len(set(everything))


async def test_a_busy_day_is_paged_with_limit_and_offset(
    make_adapter: MakeAdapter, make_sim: MakeSim
) -> None:
    busy = make_sim(tickets=3000)
    async with make_adapter(busy.app) as adapter:
        tickets = await listing(adapter, page_size=500)
    assert len(tickets) == 3000
    by_day: dict[str, list[int]] = {}
    for body in busy.pulls():
        by_day.setdefault(body["start_date"], []).append(body["offset"])
    assert max(len(offsets) for offsets in by_day.values()) > 1
    for offsets in by_day.values():
        assert offsets == list(range(0, 100 * len(offsets), 100))


async def test_just_after_the_tenants_midnight_nothing_is_missed(
    make_adapter: MakeAdapter, make_sim: MakeSim
) -> None:
    """The worst moment for day windows: the desk was built at 23:30 in Kolkata (its
    ``now`` rounded down to the hour), and the agent lists at 00:29 the next day, when the
    tenant's today is new and empty and the oldest window starts a day later."""
    with time_machine.travel(datetime(2026, 11, 30, 18, 0, 5, tzinfo=UTC), tick=False):
        desk = make_sim(tickets=600)
    with time_machine.travel(datetime(2026, 11, 30, 18, 59, 50, tzinfo=UTC), tick=False):
        async with make_adapter(desk.app, queues={"L1": "Front desk"}) as adapter:
            assert dates.today(adapter.zone) == date(2026, 12, 1)
            lookups = await adapter.lookups()
            tickets = await listing(adapter)
    assert len(tickets) == 600
    # Today has nothing to learn from yet; yesterday's tickets name the queue.
    assert {c.id: c.label for c in lookups.groups}["L1"] == "First line"


async def test_filters_pull_lacks_apply_locally(kapture: KaptureAdapter) -> None:
    everything = await listing(kapture)
    open_only = await listing(kapture, include_done=False)
    assert open_only and not any(t.is_done for t in open_only)
    assert len(open_only) < len(everything)
    billing = await listing(kapture, group_ids=("BILL",))
    assert billing and all(t.group is not None and t.group.id == "BILL" for t in billing)
    waiting = await listing(kapture, status_ids=("AC",))
    assert waiting and all(
        t.status is not None and t.status.label == "Awaiting Customer" for t in waiting
    )
    oldest_first = await listing(kapture, sort_field="created", sort_descending=False)
    assert [t.created for t in oldest_first] == sorted(t.created for t in everything)


# --------------------------------------------------------------------------------------
# Keys and the connection's shape
# --------------------------------------------------------------------------------------


async def test_per_operation_keys(make_adapter: MakeAdapter, make_sim: MakeSim) -> None:
    sim = make_sim(keys=OPERATION_KEYS)
    async with make_adapter(sim.app, keys=OPERATION_KEYS) as adapter:
        ticket = await open_ticket(adapter)
        await adapter.add_post(ticket.key.native_id, "with the update key", Visibility.PRIVATE)
        created = await adapter.create_ticket(
            NewTicket(
                subject="Keys",
                body="b",
                requester_name="K",
                requester_email="k@x.test",
                group_id="L1",
            )
        )
        assert created.ticket.group is not None
    # One key for everything does not open APIs configured with their own.
    async with make_adapter(sim.app) as single:
        with pytest.raises(AuthFailed) as caught:
            await single.lookups()
    assert API_KEY not in str(caught.value)
    wrong = {**OPERATION_KEYS, "update": OPERATION_KEYS["add"]}
    async with make_adapter(sim.app, keys=wrong) as adapter:
        ticket = await open_ticket(adapter)
        with pytest.raises(AuthFailed, match=r"keys\.update") as failed:
            await adapter.add_post(ticket.key.native_id, "refused", Visibility.PRIVATE)
    assert OPERATION_KEYS["add"] not in str(failed.value)


async def test_a_bad_key(make_adapter: MakeAdapter, sim: Sim) -> None:
    async with make_adapter(sim.app, api_key="not-the-key") as adapter:
        health = await adapter.check()
    assert health.state is HealthState.AUTH_FAILED
    assert "Invalid Auth Key" in health.message and "not-the-key" not in health.message


def test_the_documented_config_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in (
        ("KAPTURE_KEY", API_KEY),
        *((f"K_{k.upper()}", v) for k, v in OPERATION_KEYS.items()),
    ):
        monkeypatch.setenv(variable, value)
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(
            """
            [connections.kap]
            vendor = "kapture"
            url = "https://acme.kapturecrm.com"
            api_key = { env = "KAPTURE_KEY" }
            days = 7
            keys = { add = { env = "K_ADD" }, update = { env = "K_UPDATE" }, \
get = { env = "K_GET" }, pull = { env = "K_PULL" } }
            statuses = { P = "Pending", CL = "Closed" }
            queues = { "L1" = "First line" }
            """
        )
    )
    settings = load_config(path).connection("kap")
    assert settings.vendor == "kapture" and settings.days == 7  # type: ignore[attr-defined]
    for operation, key in OPERATION_KEYS.items():
        assert settings.key_for(operation) == key  # type: ignore[attr-defined]
    assert set(settings.secrets()) == {API_KEY, *OPERATION_KEYS.values()}
    assert API_KEY not in repr(settings)
    minimal = tmp_path / "minimal.toml"
    minimal.write_text(
        '[connections.kap]\nvendor = "kapture"\nurl = "https://acme.kapturecrm.com/"\n'
        'api_key = { env = "KAPTURE_KEY" }\n'
    )
    plain = load_config(minimal).connection("kap")
    assert plain.url == "https://acme.kapturecrm.com"
    assert plain.key_for("pull") == API_KEY  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------


async def test_a_note_is_sent_with_the_current_sub_status(
    kapture: KaptureAdapter, sim: Sim
) -> None:
    ticket = await open_ticket(kapture)
    assert ticket.status is not None
    post = await kapture.add_post(ticket.key.native_id, "Called the customer", Visibility.PRIVATE)
    operation, body = sim.server.requests[-1]
    assert operation == "update"
    assert body == [
        {
            "ticket_id": ticket.key.native_id,
            "comment": "Called the customer",
            "sub_status": ticket.status.id,
        }
    ]
    detail = await kapture.get_ticket(ticket.key.native_id)
    assert detail.ticket.status == ticket.status  # the note changed nothing else
    assert any(p.id == post.id and p.visibility is Visibility.PRIVATE for p in detail.posts)


async def test_what_kapture_cannot_do_says_why(kapture: KaptureAdapter, sim: Sim) -> None:
    ticket = await open_ticket(kapture)
    before = len(sim.server.requests)
    with pytest.raises(Unsupported, match="no public/private choice"):
        await kapture.add_post(ticket.key.native_id, "hello", Visibility.PUBLIC)
    with pytest.raises(Unsupported, match="named agent"):
        await kapture.assign(ticket.key.native_id, "209811", None)
    with pytest.raises(Unsupported, match="priority"):
        await kapture.update(ticket.key.native_id, Change(priority_id="high"))
    assert len(sim.server.requests) == before  # refused before anything was sent
    caps = kapture.capabilities
    assert not caps.reply.supported and caps.merge.emulated
    assert caps.update_fields == {"status_id", "group_id"}


async def test_close_and_reopen_are_sub_statuses(kapture: KaptureAdapter, sim: Sim) -> None:
    ticket = await open_ticket(kapture)
    closed = await kapture.close(ticket.key.native_id, note="Fixed", resolution="New cable")
    assert closed.status is not None and closed.status.id == "CL"
    assert closed.status.category is StatusCategory.CLOSED and closed.is_done
    assert sim.server.requests[-1][1][0]["comment"] == "Fixed\n\nResolution: New cable"
    reopened = await kapture.update(closed.key.native_id, Change(status_id="IP"))
    assert reopened.status is not None and not reopened.is_done
    assert (await kapture.get_ticket(ticket.key.native_id)).ticket.status.label == "In Progress"  # type: ignore[union-attr]


async def test_a_key_the_desk_does_not_apply_is_invalid_input(kapture: KaptureAdapter) -> None:
    ticket = await open_ticket(kapture)
    with pytest.raises(InvalidInput) as caught:
        await kapture.assign(ticket.key.native_id, None, "NO-SUCH-QUEUE")
    assert caught.value.field == "group_id"
    assigned = await kapture.assign(ticket.key.native_id, None, "SEC")
    assert assigned.group is not None and assigned.group.label == "Security desk"
    with pytest.raises(Unsupported):
        await kapture.assign(ticket.key.native_id, UNASSIGNED, None)


async def test_custom_fields_disposition_and_callback(kapture: KaptureAdapter, sim: Sim) -> None:
    ticket = await open_ticket(kapture)
    fields = await kapture.set_custom_fields(
        ticket.key.native_id,
        {
            "disposition": "Support › Query › How-to",
            "callback_time": "2030-01-02 09:30",
            "customer_info.site": "Bristol",
        },
    )
    sent = next(body[0] for op, body in reversed(sim.server.requests) if op == "update")
    assert sent["disposition"] == "Support|Query|How-to"  # the label stands for the path
    assert sent["callback_time"] == "2030-01-02 09:30:00"
    # The group goes whole, so its other fields keep their values.
    assert set(sent["customer_info"][0]) == {"account_code", "plan", "site"}
    values = {field.key: field.value for field in fields}
    assert values["disposition"] == "Support › Query › How-to"
    assert values["callback_time"] == "2030-01-02 09:30"
    assert values["customer_info.site"] == "Bristol"
    with pytest.raises(InvalidInput) as caught:
        await kapture.set_custom_fields(ticket.key.native_id, {"callback_time": "tomorrow"})
    assert caught.value.field == "callback_time"
    with pytest.raises(InvalidInput):
        await kapture.set_custom_fields(ticket.key.native_id, {"nope.field": "x"})


async def test_create(kapture: KaptureAdapter) -> None:
    new = NewTicket(
        subject="Printer on floor 2",
        body="It prints blank pages.",
        requester_name="Casey Client",
        requester_email="casey@client.test",
        group_id="L2",
        status_id="IP",
    )
    detail = await kapture.create_ticket(new)
    assert detail.ticket.subject == "Printer on floor 2"
    assert detail.ticket.group is not None and detail.ticket.group.id == "L2"
    assert detail.ticket.status is not None and detail.ticket.status.id == "IP"
    assert detail.posts and detail.posts[0].body == "It prints blank pages."
    with pytest.raises(InvalidInput) as caught:
        await kapture.create_ticket(new.model_copy(update={"group_id": "NOPE", "status_id": None}))
    assert caught.value.field == "group_id"
    with pytest.raises(InvalidInput):
        await kapture.create_ticket(new.model_copy(update={"priority_id": "high"}))


async def test_lookups_show_labels_learned_and_configured(
    make_adapter: MakeAdapter, sim: Sim
) -> None:
    queues = {"L1": "Front desk", "XQ": "Extra queue"}
    async with make_adapter(sim.app, statuses={}, queues=queues) as adapter:
        lookups = await adapter.lookups()
        statuses = {choice.id: choice.label for choice in lookups.statuses}
        assert statuses["P"] == "Pending" and statuses["CL"] == "Closed"  # documented keys
        groups = {c.id: c.label for c in lookups.groups}
        # Configured labels show until the desk names a queue itself, which wins.
        assert groups["XQ"] == "Extra queue" and groups["L1"] == "First line"
        # An Update answer names a key beside its name: it is learned.
        ticket = await open_ticket(adapter)
        await adapter.update(ticket.key.native_id, Change(status_id="AC"))
        learned = {c.id: c for c in (await adapter.lookups()).statuses}
        assert learned["AC"].label == "Awaiting Customer"
        assert learned["AC"].category is StatusCategory.PENDING


async def test_remote_text_is_clean(kapture: KaptureAdapter) -> None:
    hostile = [t for t in await listing(kapture) if "\x1b" in t.subject or "[@click" in t.subject]
    assert not [t for t in hostile if "\x1b" in t.subject]
    for ticket in await listing(kapture):
        if "payroll" in ticket.subject.casefold() or "clipboard" in ticket.subject.casefold():
            detail = await kapture.get_ticket(ticket.key.native_id)
            for post in detail.posts:
                assert (
                    "\x1b" not in post.body and "\x9b" not in post.body and "\x07" not in post.body
                )


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-19 14:19:11", datetime(2024, 4, 19, 8, 49, 11, tzinfo=UTC)),  # Add/Update
        ("19-04-2024 14:19", datetime(2024, 4, 19, 8, 49, tzinfo=UTC)),  # Get/Pull
        ("2020-05-23 12:37", datetime(2020, 5, 23, 7, 7, tzinfo=UTC)),  # older docs
        (1713516551152, datetime(2024, 4, 19, 8, 49, 11, 152000, tzinfo=UTC)),  # epoch ms
        ("1713516551152", datetime(2024, 4, 19, 8, 49, 11, 152000, tzinfo=UTC)),
        ("", None),
        ("not a date", None),
        (0, None),
    ],
)
def test_every_date_format(value: object, expected: datetime | None) -> None:
    assert dates.parse(value, dates.tenant_zone("+05:30")) == expected


def test_time_zones() -> None:
    assert dates.tenant_zone("UTC") is UTC
    assert dates.tenant_zone("UTC-03:00").utcoffset(None) == timedelta(hours=-3)
    moment = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
    assert dates.tenant_zone("Europe/London").utcoffset(moment) == timedelta(hours=1)
    with pytest.raises(ValueError):
        dates.tenant_zone("Mars/Olympus")
    assert dates.window_days(date(2024, 3, 1), 3) == [
        date(2024, 3, 1),
        date(2024, 2, 29),
        date(2024, 2, 28),
    ]


# --------------------------------------------------------------------------------------
# One run over a real port
# --------------------------------------------------------------------------------------


@pytest.mark.loopback
async def test_over_a_real_loopback_port(make_adapter: MakeAdapter, sim: Sim) -> None:
    with ServerThread(sim.app) as server:
        settings_url = server.base_url
        adapter = make_adapter(httpx.AsyncHTTPTransport(), url=settings_url)
        async with adapter:
            health = await adapter.check()
            assert health.state is HealthState.OK, health.message
            tickets = await listing(adapter)
            assert tickets
            detail = await adapter.get_ticket(tickets[0].key.native_id)
            assert detail.ticket.key == tickets[0].key


# --------------------------------------------------------------------------------------
# Listing changes (issue 15): Kapture has none, so the kit's fallback holds
# --------------------------------------------------------------------------------------


async def test_changed_since_is_ignored_and_every_window_is_pulled_again(
    make_adapter: MakeAdapter, sim: Sim
) -> None:
    listing_caps = KaptureAdapter.capabilities.listing
    assert not listing_caps.changed_since.supported
    assert "edit to an older ticket shows in no newer window" in listing_caps.changed_since.reason
    assert not listing_caps.id_listing.supported
    async with make_adapter(sim.app, days=7) as adapter:
        pages = [page async for page in adapter.list_tickets(TicketQuery())]
        assert all(page.watermark is None for page in pages)
        full = [t.key for page in pages for t in page.tickets]
        # An edit to the oldest open ticket, created days ago, is found by the next
        # listing only because that listing pulls the oldest window again.
        oldest = min((t for t in await listing(adapter) if not t.is_done), key=lambda t: t.created)
        assert oldest.created < datetime.now(UTC) - timedelta(days=2)
        await adapter.add_post(oldest.key.native_id, "Checked again", Visibility.PRIVATE)
        await adapter.update(oldest.key.native_id, Change(status_id="ES"))
        before = len(sim.pulls())
        again = await listing(adapter, changed_since="anything at all")
        assert len(sim.pulls()) - before == 7
        assert [t.key for t in again] and {t.key for t in again} == set(full)
        edited = next(t for t in again if t.key == oldest.key)
        assert edited.status is not None and edited.status.id == "ES"
        ids = [i async for batch in adapter.list_ticket_ids() for i in batch]
        assert sorted(ids) == sorted(t.key.native_id for t in again)
