"""The simulated site at the wire: companyinfo, codebases, auth, limits, lists."""

from __future__ import annotations

import re

import pytest

from adapters.connectwise.simulator import CLIENT_ID, PRIVATE_KEY, PUBLIC_KEY
from tests.connectwise_simulator.conftest import API, HEADERS, Wire, basic


async def test_companyinfo_needs_no_auth_and_says_null_for_strangers(wire: Wire) -> None:
    known = await wire.client.get("/login/companyinfo/HARBOURLINE", headers=HEADERS)
    assert known.json()["Codebase"] == "v2025_1/" and known.json()["CompanyID"] == "harbourline"
    unknown = await wire.client.get("/login/companyinfo/acme")
    assert (unknown.status_code, unknown.text) == (200, "null")


async def test_codebases(wire: Wire) -> None:
    for codebase in ("v4_6_release", "v2025_1", "V4_6_RELEASE"):
        response = await wire.client.get(f"/{codebase}/apis/3.0/system/info", headers=HEADERS)
        assert response.status_code == 200, codebase
    moved = await wire.client.get("/v2019_5/apis/3.0/system/info", headers=HEADERS)
    assert moved.status_code == 404 and moved.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "headers",
    [
        {"clientId": CLIENT_ID},
        {"Authorization": basic(f"harbourline+{PUBLIC_KEY}", "wrong"), "clientId": CLIENT_ID},
        {"Authorization": basic(f"other+{PUBLIC_KEY}", PRIVATE_KEY), "clientId": CLIENT_ID},
        {"Authorization": basic(f"harbourline+{PUBLIC_KEY}", PRIVATE_KEY)},
    ],
)
async def test_auth_and_client_id(wire: Wire, headers: dict[str, str]) -> None:
    response = await wire.client.get(API + "/service/tickets", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "Unauthorized"
    ok = await wire.client.get(API + "/service/tickets", headers={**HEADERS, "ClientID": CLIENT_ID})
    assert ok.status_code == 200


async def test_rate_limit_answers_429_with_retry_after(wire: Wire) -> None:
    wire.server.limiter.limit = 3
    codes = [(await wire.get("/system/info")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = await wire.get("/system/info")
    assert int(refused.headers["Retry-After"]) >= 1
    body = refused.json()
    assert body["error"] == "ConnectWiseAPI" and body["message"].startswith("Too many requests.")


async def test_link_paging_ends_with_page(wire: Wire) -> None:
    first = await wire.get(
        "/service/tickets", pageSize=30, conditions="closedFlag=False OR closedFlag=True"
    )
    assert len(first.json()) == 30
    link = first.headers["link"]
    assert re.search(r'page=2>; rel="next"', link) and 'rel="last"' in link
    assert "conditions=closedFlag" in link and 'rel="prev"' not in link
    last = await wire.get("/service/tickets", pageSize=30, page=3)
    assert len(last.json()) == 20 and 'rel="next"' not in last.headers["link"]
    beyond = await wire.get("/service/tickets", pageSize=30, page=9)
    assert beyond.json() == []
    big = await wire.get("/service/tickets", pageSize=5000)
    assert len(big.json()) == 80


async def test_forward_only_paging(wire: Wire) -> None:
    seen: list[int] = []
    page_id = 0
    while True:
        response = await wire.client.get(
            API + "/service/tickets",
            params={"pageSize": 25, "pageId": page_id},
            headers={**HEADERS, "pagination-type": "forward-only"},
        )
        items = response.json()
        assert "pageId=" in response.headers["link"]
        if not items:
            break
        seen += [i["id"] for i in items]
        page_id = items[-1]["id"]
    assert seen == sorted(seen) and len(seen) == 80


async def test_conditions_grammar(wire: Wire) -> None:
    async def ids(conditions: str, **extra: str) -> list[int]:
        response = await wire.get("/service/tickets", pageSize=1000, conditions=conditions, **extra)
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()]

    everything = await ids("id > 0")
    assert len(everything) == 80
    open_ = await ids("closedFlag = False")
    closed = await ids("closedFlag=true")
    assert sorted(open_ + closed) == everything
    boards = await ids("board/id in (21, 23)")
    assert boards == await ids('(board/name = "service desk" OR board/name like "Billing*")')
    assert await ids("NOT board/id not in (21, 23)") == boards
    assert await ids("board/id=21 and board/id=22") == []
    recent = await ids("lastUpdated > [2025-06-01T00:00:00Z]")
    assert recent == await ids("_info/lastUpdated > [2025-06-01T00:00:00Z]")
    assert 0 < len(recent) < 80
    assert await ids("owner/id = null") == await ids("owner = null")
    assert await ids('summary contains "\\"no such\\""') == []
    assert await ids("summary contains 'locked'", orderBy="id desc") == sorted(
        await ids("summary contains 'LOCKED'"), reverse=True
    )
    custom = await ids("id > 0", customFieldConditions='caption="Affected users" AND value > 100')
    assert 0 < len(custom) < 80


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ("ticket = 1", "ticket is not a recognized name."),
        ("board/colour = 1", "board/colour is not a recognized name."),
        ('summary = "open', "Unexpected character"),
        ("summary =", "Unexpected end of conditions."),
        ("(id = 1", "Expected ')'"),
        ("lastUpdated > [yesterday]", "[yesterday] is not a valid date."),
        ("id = 1 id = 2", "Unexpected 'id'"),
    ],
)
async def test_bad_conditions_are_400(wire: Wire, conditions: str, message: str) -> None:
    response = await wire.get("/service/tickets", conditions=conditions)
    assert response.status_code == 400
    assert response.json()["code"] == "ApiFindCondition"
    assert message in response.json()["message"]


async def test_count_fields_and_order(wire: Wire) -> None:
    count = await wire.get("/service/tickets/count", conditions="board/id=22")
    listed = await wire.get("/service/tickets", conditions="board/id=22", pageSize=1000)
    assert count.json() == {"count": len(listed.json())}
    trimmed = await wire.get("/service/tickets", fields="id,summary,status/name", pageSize=2)
    assert all(
        set(t) == {"id", "summary", "status"} and set(t["status"]) == {"name"}
        for t in trimmed.json()
    )
    ordered = await wire.get("/service/tickets", orderBy="_info/lastUpdated desc", pageSize=1000)
    stamps = [t["_info"]["lastUpdated"] for t in ordered.json()]
    assert stamps == sorted(stamps, reverse=True)
    bad = await wire.get("/service/tickets", orderBy="colour asc")
    assert bad.status_code == 400


async def test_records_are_shaped_like_the_api(wire: Wire) -> None:
    ticket = (await wire.get("/service/tickets", pageSize=1)).json()[0]
    assert ticket["recordType"] == "ServiceTicket"
    assert ticket["board"]["_info"]["board_href"].startswith(
        "http://connectwise.sim/v4_6_release/apis/3.0/service/boards/"
    )
    assert all(isinstance(v, str) for v in ticket["_info"].values())
    assert ticket["severity"] in ("Low", "Medium", "High")
    assert all(v is not None for v in ticket.values())  # unset fields are left out
    priorities = (await wire.get("/service/priorities")).json()
    assert {p["color"] for p in priorities} <= {"Red", "Orange", "Yellow", "Green", "Gray"}
    members = (await wire.get("/system/members")).json()
    assert all(m["licenseClass"] in "ACFX" for m in members)
    unknown = await wire.get("/service/nothing")
    assert unknown.status_code == 404 and unknown.json()["code"] == "NotFound"
    verb = await wire.send("DELETE", "/service/boards", None)
    assert verb.status_code == 405
