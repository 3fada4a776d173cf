"""The simulated Kapture server answers as Kapture's docs and clients show: routes, the
key check, array and object bodies, the 24-hour Pull window, two ids, three date formats."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import httpx
import pytest

from adapters.kapture.sim_data import KaptureDesk, generate_desk
from adapters.kapture.sim_data.config import SUB_STATUS_BY_KEY, TIMEZONE_OFFSET
from adapters.kapture.simulator import OPERATION_KEYS, app_for_desk, create_app
from tests.kapture_simulator.conftest import AUTH, BASE_URL, FIXED_NOW

ADD = "/add-ticket-from-other-source.html/v.2.0"
UPDATE = "/update-ticket-from-other-source.html/v.2.0"
GET = "/search-ticket-by-ticket-id.html/v.2.0"
PULL = "/select-ticket-between-start-and-end-dates.html/v.2.0"
OBJECT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SUMMARY_DATE = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$")
TODAY = "2025-06-15"  # FIXED_NOW on the tenant's clock (21:30 IST)


def failed(message: str) -> dict[str, str]:
    return {"message": message, "status": "failed"}


async def pull(client: httpx.AsyncClient, day: str = TODAY, **extra: Any) -> Any:
    response = await client.post(PULL, json=[{"start_date": day, "end_date": day, **extra}])
    assert response.status_code == 200
    return response.json()


def some_ticket(desk: KaptureDesk) -> str:
    return next(iter(desk.tickets))


# --------------------------------------------------------------------------------------
# Routes and the key
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/v.2.0"])
async def test_routes_with_and_without_the_version(client: httpx.AsyncClient, suffix: str) -> None:
    response = await client.post(
        f"/select-ticket-between-start-and-end-dates.html{suffix}",
        json=[{"start_date": TODAY, "end_date": TODAY}],
    )
    assert response.json()["status"] == "success"


async def test_post_only_and_unknown_paths(client: httpx.AsyncClient) -> None:
    wrong_verb = await client.get(PULL)
    assert wrong_verb.status_code == 405
    assert wrong_verb.headers["allow"] == "POST"
    missing = await client.post("/delete-ticket.html/v.2.0", json=[])
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic wrong"},
        {"Authorization": f"Bearer {AUTH['Authorization'][6:]}"},
    ],
)
async def test_a_missing_or_wrong_key(desk: KaptureDesk, headers: dict[str, str]) -> None:
    app, _ = app_for_desk(desk)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        response = await http.post(PULL, json=[{"start_date": TODAY}], headers=headers)
    assert response.status_code == 401
    assert response.json() == failed("Invalid Auth Key")


async def test_each_api_has_its_own_key(desk: KaptureDesk) -> None:
    app, _ = app_for_desk(desk, keys=OPERATION_KEYS)
    body = [{"start_date": TODAY, "end_date": TODAY}]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        own = await http.post(
            PULL, json=body, headers={"Authorization": f"Basic {OPERATION_KEYS['pull']}"}
        )
        other = await http.post(
            PULL, json=body, headers={"Authorization": f"Basic {OPERATION_KEYS['add']}"}
        )
    assert own.json()["status"] == "success"
    assert other.status_code == 401


# --------------------------------------------------------------------------------------
# Body shapes
# --------------------------------------------------------------------------------------


async def test_body_shapes(client: httpx.AsyncClient, desk: KaptureDesk) -> None:
    ref = some_ticket(desk)
    as_array = await client.post(GET, json=[{"ticket_ids": ref}])
    assert as_array.json() == failed("Invalid Json.")
    pull_object = await client.post(PULL, json={"start_date": TODAY, "end_date": TODAY})
    assert pull_object.json() == failed("Invalid Json.")
    not_json = await client.post(PULL, content=b"[{start_date: 2025-06-15}]")
    assert not_json.status_code == 400
    assert not_json.json() == failed("Invalid Json.")
    # Add and Update take the documented array, and the object production clients send.
    for body in ([{"title": "Array body"}], {"title": "Object body"}):
        added = await client.post(ADD, json=body)
        assert added.json()["status"] == "success"


async def test_documented_refusals(client: httpx.AsyncClient, desk: KaptureDesk) -> None:
    ref = some_ticket(desk)
    assert (await client.post(ADD, json=[{"title": "  "}])).json() == failed("title is missing")
    assert (await client.post(UPDATE, json=[{"sub_status": "P"}])).json() == failed(
        "No Data found/ticket_id is missing"
    )
    bad_time = [{"ticket_id": ref, "sub_status": "P", "callback_time": "22-04-2024 15:30"}]
    assert (await client.post(UPDATE, json=bad_time)).json() == failed(
        "Invalid Format.callback_date should be yyyy-MM-dd hh:mm:ss."
    )
    assert (await client.post(GET, json={"ticket_ids": ""})).json() == failed(
        "ticket_ids are missing."
    )
    # The older Pull page's capitalised keys.
    assert (await client.post(PULL, json=[{"end_date": TODAY}])).json() == {
        "Message": "either start_date is null or blank",
        "Status": "failed",
    }


# --------------------------------------------------------------------------------------
# Pull
# --------------------------------------------------------------------------------------


async def test_pull_covers_at_most_24_hours(client: httpx.AsyncClient) -> None:
    response = await client.post(
        PULL, json=[{"start_date": "2025-06-14", "end_date": "2025-06-15"}]
    )
    assert response.json()["status"] == "failed"
    assert "24 hours" in response.json()["message"]


async def test_pull_is_the_tickets_created_that_day(
    client: httpx.AsyncClient, desk: KaptureDesk
) -> None:
    answer = await pull(client)
    assert answer["totalCount"] is None  # no limit: everything, no count
    start = FIXED_NOW + TIMEZONE_OFFSET
    start -= start % 86400
    start -= TIMEZONE_OFFSET
    expected = {t.ticket_id for t in desk.created_between(start, start + 86400)}
    assert {item["ticketId"] for item in answer["message"]} == expected
    assert expected


async def test_pull_pages_with_limit_and_offset(client: httpx.AsyncClient) -> None:
    everything = (await pull(client))["message"]
    first = await pull(client, limit=5)
    second = await pull(client, limit=5, offset=5)
    assert first["totalCount"] == second["totalCount"] == len(everything)
    ids = [item["ticketId"] for item in first["message"] + second["message"]]
    assert ids == [item["ticketId"] for item in everything[:10]]
    past_the_end = await pull(client, limit=5, offset=len(everything))
    assert past_the_end["message"] == "No Data Found"  # a string, not a list


async def test_an_empty_day_answers_a_string(client: httpx.AsyncClient) -> None:
    answer = await pull(client, day="2020-01-01")
    assert answer == {"totalCount": None, "message": "No Data Found", "status": "success"}


# --------------------------------------------------------------------------------------
# Two ids, three date formats
# --------------------------------------------------------------------------------------


async def test_two_ids_and_the_date_formats(client: httpx.AsyncClient, desk: KaptureDesk) -> None:
    summary = (await pull(client))["message"][0]
    ticket = desk.tickets[summary["ticketId"]]
    assert summary["taskId"] == ticket.id and isinstance(summary["taskId"], int)
    # ticketId: the creation time in milliseconds without its leading digit.
    assert summary["ticketId"].isdigit() and len(summary["ticketId"]) == 12
    assert int("1" + summary["ticketId"]) // 1000 == ticket.created
    assert SUMMARY_DATE.match(summary["date"])
    detail = (await client.post(GET, json={"ticket_ids": ticket.ticket_id})).json()[0]
    assert detail["task_details"]["taskId"] == ticket.id
    assert SUMMARY_DATE.match(detail["task_details"]["date"])
    updated = await client.post(
        UPDATE, json=[{"ticket_id": ticket.ticket_id, "sub_status": ticket.substatus}]
    )
    obj = updated.json()["ticket"]
    assert obj["id"] == ticket.id and obj["ticketId"] == ticket.ticket_id
    assert OBJECT_DATE.match(obj["date"])
    assert isinstance(obj["lastConversationTime"], int)
    assert obj["lastConversationTime"] > 10**12  # milliseconds
    # The same moment in each format, on the tenant's clock.
    local = obj["date"]
    assert summary["date"] == f"{local[8:10]}-{local[5:7]}-{local[0:4]} {local[11:16]}"


# --------------------------------------------------------------------------------------
# Update and Get
# --------------------------------------------------------------------------------------


async def test_update_applies_known_keys_and_ignores_others(
    client: httpx.AsyncClient, desk: KaptureDesk
) -> None:
    ref = next(t.ticket_id for t in desk.tickets.values() if t.substatus == "P")
    answer = (
        await client.post(
            UPDATE,
            json=[
                {
                    "ticket_id": ref,
                    "sub_status": "CL",
                    "queue": "NOC",
                    "comment": "Closed from the test",
                    "callback_time": "2025-06-20 10:00:00",
                    "disposition": "Support|Query|How-to",
                    "customer_info": [{"site": "Bristol"}],
                    "not_configured": "dropped",
                }
            ],
        )
    ).json()
    assert answer["status"] == "success"
    assert answer["message"] == "Status and Comment have been updated.\n"
    obj = answer["ticket"]
    assert (obj["substatus"], obj["substatusName"], obj["statusName"]) == (
        "CL",
        "Closed",
        "Complete",
    )
    assert (obj["queueKey"], obj["queueName"]) == ("NOC", "Network operations")
    assert obj["nextFollowUp"] == "2025-06-20 10:00:00" and obj["isCallBack"] is True
    ignored = (
        await client.post(UPDATE, json=[{"ticket_id": ref, "sub_status": "ZZ", "queue": "NOPE"}])
    ).json()["ticket"]
    assert (ignored["substatus"], ignored["queueKey"]) == ("CL", "NOC")
    got = (await client.post(GET, json={"ticket_ids": ref, "conversation_type": "notes"})).json()[0]
    assert got["additional_info"]["customer_info"]["site"] == "Bristol"
    assert "not_configured" not in str(got["additional_info"])
    assert got["task_details"]["disposition"] == "Support|Query|How-to"
    notes = got["conversation_type"]["notes"]
    assert notes[-1]["chat_message"] == "Closed from the test"
    assert notes[-1]["id"] == obj["lastConversationId"]


async def test_get_batches_and_skips_unknown_ids(
    client: httpx.AsyncClient, desk: KaptureDesk
) -> None:
    first, second = list(desk.tickets)[:2]
    answer = (await client.post(GET, json={"ticket_ids": f"{first},999999999999,{second}"})).json()
    assert [item["task_details"]["ticketId"] for item in answer] == [first, second]
    assert all("conversation_type" not in item for item in answer)  # none asked for
    assert (await client.post(GET, json={"ticket_ids": "999999999999"})).json() == []


# --------------------------------------------------------------------------------------
# The seeded desk
# --------------------------------------------------------------------------------------


def test_the_seeded_desk() -> None:
    desk = generate_desk(seed=1, now=FIXED_NOW)
    tickets = list(desk.tickets.values())
    assert len(tickets) >= 400
    span = max(t.created for t in tickets) - min(t.created for t in tickets)
    assert 12 * 86400 < span <= 14 * 86400
    assert len(Counter(t.queue for t in tickets if t.queue)) >= 5
    assert set(Counter(t.substatus for t in tickets)) == set(SUB_STATUS_BY_KEY)
    lengths = [len(desk.conversation(t)) for t in tickets[:50]]
    assert max(lengths) >= 4
    kinds = {m.kind for t in tickets[:50] for m in desk.conversation(t)}
    assert kinds == {"chat", "email", "notes"}
    assert all(t.fields.get("customer_info") for t in tickets)
    assert sum(t.hostile >= 0 for t in tickets) >= 6
    assert len(generate_desk(tickets=30, seed=1, now=FIXED_NOW).tickets) == 30


def test_the_same_seed_gives_the_same_desk() -> None:
    one = generate_desk(tickets=50, seed=9, now=FIXED_NOW)
    two = generate_desk(tickets=50, seed=9, now=FIXED_NOW)
    assert list(one.tickets) == list(two.tickets)
    ticket = next(iter(one.tickets.values()))
    assert one.conversation(ticket) == two.conversation(two.tickets[ticket.ticket_id])


async def test_create_app_takes_a_ticket_count() -> None:
    app = create_app(tickets=12, seed=2)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=AUTH
    ) as http:
        total = 0
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=TIMEZONE_OFFSET)
        for day in range(16):
            date = (when - dt.timedelta(days=day)).strftime("%Y-%m-%d")
            answer = (await http.post(PULL, json=[{"start_date": date, "end_date": date}])).json()
            total += len(answer["message"]) if isinstance(answer["message"], list) else 0
    assert total == 12
