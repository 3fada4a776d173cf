"""Front controller: URL forms, authentication, routing rules, status lines."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import httpx
import pytest

from adapters.kayako.sim_data import KayakoDesk
from adapters.kayako.simulator import API_KEY, SECRET_KEY, app_for_desk, expected_signature

Wire = Any  # the KayakoWire fixture object (conftest)

SALT = "1234567"


def sign(salt: str) -> str:
    """The test's own signature: base64(HMAC-SHA256(secret, salt))."""
    digest = hmac.new(SECRET_KEY.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def good_signature() -> str:
    return sign(SALT)


@pytest.mark.parametrize(
    "route",
    [
        "/Tickets/Ticket/5",
        "/Tickets/Ticket/ListAll/1,2/-1/-1/-1/20/0/lastactivity/DESC",
        "/Base/Department",
        "/Tickets/TicketPost/ListAll/5",
    ],
)
async def test_both_url_forms_answer_identically(
    kayako: Wire, kayako_standard: Wire, route: str
) -> None:
    by_e = await kayako.get(route)
    by_key = await kayako_standard.get(route)
    assert by_e.status_code == by_key.status_code == 200
    assert by_e.content == by_key.content
    assert by_e.headers["content-type"] == "text/xml;charset=UTF-8"


async def test_trailing_slash_and_case_of_names_are_harmless(kayako: Wire) -> None:
    plain = await kayako.get("/Tickets/Ticket/5")
    assert (await kayako.get("/Tickets/Ticket/5/")).content == plain.content
    assert (await kayako.get("tickets/ticket/5")).content == plain.content
    listed = await kayako.get("/Tickets/Ticket/ListAll/1/-1/-1/-1/5/0")
    assert (await kayako.get("/tickets/ticket/listall/1/-1/-1/-1/5/0/")).content == listed.content


async def test_missing_or_php_empty_salt_is_refused(client: httpx.AsyncClient) -> None:
    for params in (
        {"e": "/Base/Department", "apikey": API_KEY},
        {"e": "/Base/Department", "apikey": API_KEY, "salt": "", "signature": "x"},
        {"e": "/Base/Department", "apikey": API_KEY, "salt": "0", "signature": "x"},
    ):
        response = await client.get("/api/index.php", params=params)
        assert response.status_code == 401
        assert response.text == "NO SALT PROVIDED!"
        assert response.headers["content-type"] == "text/html; charset=UTF-8"


async def test_wrong_key_or_signature_fails_authentication(client: httpx.AsyncClient) -> None:
    wrong = [
        {"apikey": API_KEY, "salt": SALT, "signature": "bm9wZQ=="},
        {"apikey": "not-the-key", "salt": SALT, "signature": good_signature()},
        {"salt": SALT, "signature": good_signature()},
        {"apikey": API_KEY, "salt": SALT},
    ]
    for auth in wrong:
        response = await client.get("/api/index.php", params={"e": "/Base/Department", **auth})
        assert response.status_code == 401
        assert response.text == "FAILED TO AUTHENTICATE"


async def test_disabled_api_answers_403_with_an_empty_body(desk: KayakoDesk) -> None:
    transport = httpx.ASGITransport(app=app_for_desk(desk, api_enabled=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://kayako.sim") as client:
        params = {"e": "/Base/Department", "apikey": API_KEY, "salt": SALT}
        params["signature"] = good_signature()
        response = await client.get("/api/index.php", params=params)
    assert response.status_code == 403
    assert response.content == b""


async def test_unencoded_plus_in_signature_still_authenticates(client: httpx.AsyncClient) -> None:
    salt = next(str(n) for n in range(10_000) if "+" in sign(str(n)))
    signature = sign(salt)
    # A client that forgets to encode "+" sends it raw; the server decodes it to a space.
    raw = signature.replace("/", "%2F").replace("=", "%3D")
    url = f"/api/index.php?e=/Base/Department&apikey={API_KEY}&salt={salt}&signature={raw}"
    response = await client.get(url)
    assert response.status_code == 200


async def test_post_and_put_read_authentication_from_the_body_only(
    kayako: Wire, client: httpx.AsyncClient
) -> None:
    auth = kayako.auth()
    query_only = f"/api/index.php?e=/Tickets/TicketNote&{httpx.QueryParams(auth)}"
    posted = await client.post(query_only, data={"ticketid": "5", "staffid": "1", "contents": "x"})
    assert posted.status_code == 401
    assert posted.text == "NO SALT PROVIDED!"
    put_url = f"/api/index.php?e=/Tickets/Ticket/5&{httpx.QueryParams(auth)}"
    put = await client.put(put_url, data={"subject": "x"})
    assert put.status_code == 401
    # GET reads the query only: a signed body does not count.
    got = await client.request("GET", "/api/index.php?e=/Base/Department", data=auth)
    assert got.status_code == 401
    # The same fields in the body are accepted.
    assert (
        await kayako.post("/Tickets/TicketNote", {"ticketid": "5", "staffid": "1", "contents": "x"})
    ).status_code == 200


async def test_json_bodies_authenticate_but_reach_no_controller(
    kayako: Wire, client: httpx.AsyncClient
) -> None:
    body = {
        "subject": "From JSON",
        "fullname": "J Son",
        "email": "j@example.com",
        "contents": "hello",
        "departmentid": "1",
        "ticketstatusid": "1",
        "ticketpriorityid": "1",
        "tickettypeid": "1",
        "autouserid": "1",
        **kayako.auth(),
    }
    response = await client.post("/api/index.php?e=/Tickets/Ticket", json=body)
    assert response.status_code == 400
    assert response.text == "Subject is empty"


async def test_bare_gets_point_to_list_all(kayako: Wire) -> None:
    cases = {
        "/Tickets/Ticket": "Not Implemented, Call /Tickets/Ticket/ListAll instead.",
        "/Tickets/TicketPost": "Not Implemented, Call /Tickets/TicketPost/ListAll instead.",
        "/Tickets/TicketNote/": "Not Implemented, Call /Tickets/TicketNote/ListAll instead.",
        "/Tickets/TicketSearch": "Not Implemented, Call POST /Tickets/TicketSearch instead.",
        "/Base/UserSearch": "Not Implemented, Call POST /Base/UserSearch instead.",
    }
    for route, message in cases.items():
        response = await kayako.get(route)
        assert response.status_code == 400, route
        assert response.text == message
        assert response.headers["content-type"] == "text/xml;charset=UTF-8"


async def test_unknown_routes_and_paths(kayako: Wire, client: httpx.AsyncClient) -> None:
    for route in ("/Tickets/Nope/1", "/Nope/Ticket", "", "/Tickets"):
        response = await kayako.get(route)
        assert response.status_code == 404
        assert response.text == "Controller not Found"
    elsewhere = await client.get("/index.php", params={"e": "/Base/Department", **kayako.auth()})
    assert elsewhere.status_code == 404
    # Unknown routes are answered before authentication, as the router fails first.
    unsigned = await client.get("/api/index.php", params={"e": "/Tickets/Nope"})
    assert unsigned.status_code == 404


async def test_verbs_without_a_method_and_missing_arguments(kayako: Wire) -> None:
    # A lookup the server writes no methods for (Base writes exist: issue 14).
    assert (await kayako.put("/Base/CustomField/1", {"title": "x"})).status_code == 405
    assert (await kayako.delete("/Tickets/TicketStatus/1")).status_code == 405
    too_few = await kayako.get("/Tickets/TicketPost/5")
    assert too_few.status_code == 500
    assert "Too few arguments to function Tickets\\Api\\Controller_TicketPost::Get()" in (
        too_few.text
    )
    assert (await kayako.get("/Tickets/Ticket/ListAll")).status_code == 500


async def test_named_method_segment_wins_over_the_verb(kayako: Wire) -> None:
    # A method name in the route is called directly, whatever the verb says.
    by_name = await kayako.get("/Tickets/TicketStatus/Get/3")
    by_verb = await kayako.get("/Tickets/TicketStatus/3")
    assert by_name.content == by_verb.content
    assert kayako.xml(by_verb).find("ticketstatus/title").text == "Closed"


async def test_successful_delete_is_an_empty_200(kayako: Wire) -> None:
    response = await kayako.delete("/Tickets/Ticket/5")
    assert response.status_code == 200
    assert response.content == b""
    assert (await kayako.get("/Tickets/Ticket/5")).status_code == 404


def test_signature_known_answer() -> None:
    # The published vector (penguinboy/kayako-api), through the simulator's own check.
    secret = (
        "MDA4YzBiMWMtN2RiOC1hZTY0LTMxODgtMzE1MThjNmU5NDJl"
        "YTM1ZTgwY2YtYjA1ZS1jMzQ0LWY5MjktMzQ1ZjliMDA4ODIx"
    )
    assert (
        expected_signature("3777329113", secret) == "gFhgQ1Gydk+DLsn6BnHO/eqs1KxPwqmlj2bRWfjFFYs="
    )
    assert expected_signature(SALT) == sign(SALT)
