"""The simulated API on the wire: routing and verbs, Basic auth, parameters from the query,
a form or JSON with PHP arrays, the three paging styles, ERROR bodies and their codes,
string mode, per-endpoint rate limits."""

from __future__ import annotations

import base64

import httpx
import pytest

from adapters.invgate.sim_data.records import ACTIVE, S_CLOSED, S_OPEN
from tests.invgate_simulator.conftest import BASE, Api

# --------------------------------------------------------------------------------------
# Routing and authentication
# --------------------------------------------------------------------------------------


async def test_unknown_endpoint_and_wrong_verb(api: Api) -> None:
    missing = await api.client.get("/incidents.by.mood")
    assert missing.status_code == 404
    assert missing.json() == {"status": "ERROR", "error": "Unknown endpoint incidents.by.mood"}
    wrong = await api.client.post("/incident.reopen", data={"request_id": "1"})
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "PUT"
    assert wrong.json()["status"] == "ERROR"
    outside = await api.client.get("http://invgate.sim/api/v2/incident")
    assert outside.status_code == 404


@pytest.mark.parametrize(
    "header",
    [None, "Basic " + base64.b64encode(b"api-user:wrong").decode(), "Bearer abc", "Basic %%%"],
)
async def test_basic_auth_failures(api: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    async with httpx.AsyncClient(
        transport=api.client._transport, base_url=BASE, headers=headers
    ) as bare:
        response = await bare.get("/sd.version")
    assert response.status_code == 401
    assert response.json() == {"status": "ERROR", "error": "Invalid credentials"}
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_version_is_cheap(api: Api) -> None:
    assert (await api.client.get("/sd.version")).json() == {"version": "6.12.3"}


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


async def test_arrays_repeated_or_indexed(api: Api) -> None:
    repeated = await api.client.get("/incidents?ids[]=1&ids[]=2")
    indexed = await api.client.get("/incidents?ids[0]=1&ids[1]=2")
    assert repeated.json() == indexed.json()
    assert sorted(repeated.json()) == ["1", "2"]  # an object keyed by request ID
    assert (await api.client.get("/incidents?ids[]=9999")).json() == []


@pytest.mark.parametrize("style", ["query", "form", "json"])
async def test_writes_read_query_form_or_json(api: Api, style: str) -> None:
    request = next(r for r in api.desk.requests.values() if r.status_id in ACTIVE)
    fields = {"request_id": request.id, "author_id": 2, "comment": f"via {style}"}
    if style == "query":
        response = await api.client.post("/incident.comment", params=fields)
    elif style == "form":
        response = await api.client.post("/incident.comment", data=fields)
    else:
        response = await api.client.post("/incident.comment", json=fields)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "OK"
    assert api.desk.kids(request).comments[-1].message == f"via {style}"


async def test_json_list_and_malformed_json(api: Api) -> None:
    first, second = sorted(api.desk.requests)[:2]
    linked = await api.client.post(
        "/incident.link", json={"request_id": first, "request_ids": [second]}
    )
    assert linked.json()["status"] == "OK"
    assert second in api.desk.requests[first].links
    broken = await api.client.post(
        "/incident.link", content=b'{"request_id": 1,', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json() == {"status": "ERROR", "error": "Malformed JSON body"}


async def test_booleans_one_zero_or_words(api: Api) -> None:
    request = next(r for r in api.desk.requests.values() if r.status_id in ACTIVE)
    for flag in ("0", "false"):
        await api.client.post(
            "/incident.comment",
            data={
                "request_id": request.id,
                "author_id": 2,
                "comment": flag,
                "customer_visible": flag,
            },
        )
        assert api.desk.kids(request).comments[-1].customer_visible is False
    bad = await api.client.post(
        "/incident.comment",
        data={
            "request_id": request.id,
            "author_id": 2,
            "comment": "x",
            "customer_visible": "maybe",
        },
    )
    assert bad.status_code == 400


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


async def test_error_bodies_and_codes(api: Api) -> None:
    missing = await api.client.get("/incident")
    assert (missing.status_code, missing.json()) == (
        400,
        {"status": "ERROR", "error": "The parameter id is required"},
    )
    unknown = await api.client.get("/incident", params={"id": 99999})
    assert unknown.status_code == 404 and "doesn't exist" in unknown.json()["error"]
    closed = next(r for r in api.desk.requests.values() if r.status_id == S_CLOSED)
    refused = await api.client.post("/incident.waitingfor.customer", data={"request_id": closed.id})
    assert refused.status_code == 200  # a logical failure: HTTP 200, status ERROR
    assert refused.json()["status"] == "ERROR"
    opened = await api.client.put("/incident.reopen", data={"request_id": closed.id})
    assert opened.json()["status"] == "OK"
    again = await api.client.put("/incident.reopen", data={"request_id": closed.id})
    assert again.json() == {"status": "ERROR", "info": "The request is already open"}
    assert api.desk.requests[closed.id].status_id == S_OPEN


async def test_solution_acceptance_rules(api: Api) -> None:
    request = next(r for r in api.desk.requests.values() if r.status_id in ACTIVE)
    early = await api.client.put("/incident.solution.accept", data={"id": request.id, "rating": 5})
    assert early.json()["status"] == "ERROR"
    await api.client.post(
        "/incident.comment",
        data={"request_id": request.id, "author_id": 2, "comment": "fixed", "is_solution": 1},
    )
    low = await api.client.put("/incident.solution.accept", data={"id": request.id, "rating": 2})
    assert low.json() == {
        "status": "ERROR",
        "error": "A comment is required for a rating lower than 4",
    }
    fine = await api.client.put(
        "/incident.solution.accept", data={"id": request.id, "rating": 2, "comment": "slow"}
    )
    assert fine.json()["status"] == "OK"
    assert api.desk.requests[request.id].status_id == S_CLOSED


# --------------------------------------------------------------------------------------
# Paging styles
# --------------------------------------------------------------------------------------


async def test_by_status_offset_limit_total(api: Api) -> None:
    every = {"status_ids[]": [str(s) for s in range(1, 9)]}
    first = (await api.client.get("/incidents.by.status", params={**every, "limit": 25})).json()
    rest = (
        await api.client.get("/incidents.by.status", params={**every, "limit": 25, "offset": 50})
    ).json()
    assert (first["limit"], first["offset"], first["total"]) == (25, 0, 60)
    assert first["requestIds"] == list(range(1, 26))
    assert rest["requestIds"] == list(range(51, 61))


async def test_by_helpdesk_has_no_paging(api: Api) -> None:
    answer = (await api.client.get("/incidents.by.helpdesk", params={"helpdesk_id": 1})).json()
    assert set(answer) == {"status", "info", "requestIds"}
    expected = sorted(
        r.id
        for r in api.desk.requests.values()
        if r.status_id in ACTIVE and r.assigned_group_id in (1, 11, 12)
    )
    assert answer["requestIds"] == expected


async def test_by_agent_page_keys(api: Api) -> None:
    agent = next(
        r.assigned_id for r in api.desk.requests.values() if r.assigned_id and r.status_id in ACTIVE
    )
    seen: list[str] = []
    key: str | None = None
    for _ in range(50):
        params: dict[str, object] = {"id": agent, "limit": 1}
        if key:
            params["page_key"] = key
        answer = (await api.client.get("/incidents.by.agent", params=params)).json()
        assert isinstance(answer["requests"], dict)
        seen.extend(answer["requests"])
        key = answer["next_page_key"]
        if key is None:
            break
    expected = [
        str(r.id)
        for r in sorted(api.desk.requests.values(), key=lambda r: r.id)
        if r.assigned_id == agent and r.status_id in ACTIVE
    ]
    assert seen == expected
    bad = await api.client.get("/incidents.by.agent", params={"id": agent, "page_key": "zzz"})
    assert bad.status_code == 400


async def test_by_view_offsets(api: Api) -> None:
    answer = (
        await api.client.get("/incidents.by.view", params={"view_id": 4, "limit": 10, "offset": 55})
    ).json()
    assert answer["requestIds"] == list(range(56, 61))
    assert "total" not in answer


# --------------------------------------------------------------------------------------
# String mode and shapes
# --------------------------------------------------------------------------------------


async def test_string_mode_writes_every_scalar_as_text(old_api: Api, api: Api) -> None:
    old = (await old_api.client.get("/incident", params={"id": 1})).json()
    new = (await api.client.get("/incident", params={"id": 1})).json()
    assert old["id"] == "1" and new["id"] == 1
    assert isinstance(old["created_at"], str) and old["created_at"] == str(new["created_at"])
    assert old["data_cleaned"] == "0" and new["data_cleaned"] is False
    assert old["assigned_id"] is None or isinstance(old["assigned_id"], str)


async def test_request_shape(api: Api) -> None:
    empty = api.desk.requests[2]
    empty.custom_fields.clear()
    body = (await api.client.get("/incident", params={"id": empty.id, "comments": "true"})).json()
    assert body["custom_fields"] == []  # PHP's empty array
    assert body["pretty_id"] == f"HL-#{empty.id}"
    assert isinstance(body["comments"], list)
    iso = (await api.client.get("/incident", params={"id": 1, "date_format": "iso8601"})).json()
    assert iso["created_at"].endswith("+00:00") and "T" in iso["created_at"]
    comments = (await api.client.get("/incident.comment", params={"request_id": 1})).json()
    assert isinstance(comments, list)  # a bare array
    assert all("attached_files" in c for c in comments)


# --------------------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------------------


async def test_per_endpoint_limits_by_plan(starter_api: Api) -> None:
    api = starter_api
    for _ in range(75):
        assert (await api.client.get("/incident", params={"id": 1})).status_code == 200
    refused = await api.client.get("/incident", params={"id": 1})
    assert refused.status_code == 429
    assert refused.json() == {"status": "ERROR", "error": "Too many requests"}
    assert int(refused.headers["retry-after"]) >= 1
    # Another endpoint has its own window.
    assert (await api.client.get("/incidents", params={"ids[]": "1"})).status_code == 200
    api.clock.now += 61
    assert (await api.client.get("/incident", params={"id": 1})).status_code == 200


async def test_overall_limit(api: Api) -> None:
    for _ in range(1000):
        assert (await api.client.get("/sd.version")).status_code == 200
    assert (await api.client.get("/sd.version")).status_code == 429


async def test_details_by_view_rows_sorted_by_last_update(api: Api) -> None:
    answer = (
        await api.client.get(
            "/incidents.details.by.view",
            params={"view_id": 4, "sort_by": "last_update", "order_by": "desc"},
        )
    ).json()
    assert answer["next_page_key"] is None  # 60 rows: one page of up to 1 000
    stamps = [row["last_update"]["value"] for row in answer["data"]]
    assert stamps == sorted(stamps, reverse=True) and len(stamps) == 60
    row = answer["data"][0]
    assert set(row["priority"]) == {"id", "label"} and "formatted" in row["last_update"]
    assert answer["metadata"]["columns"]["last_update"] == "Last update"
    bad = await api.client.get("/incidents.details.by.view", params={"view_id": 4, "sort_by": "x"})
    assert bad.status_code == 400
