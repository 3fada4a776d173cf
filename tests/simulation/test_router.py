"""The toolkit's router: patterns, parameters, request bodies, the vendor's 404 and 405."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import httpx
import pytest

from adapters.simulation import Router, SimRequest, SimResponse, asgi_app
from adapters.simulation.router import RouteHandler, compile_pattern


def echo(name: str) -> RouteHandler:
    def handler(request: SimRequest, params: Mapping[str, str]) -> SimResponse:
        return SimResponse.json({"route": name, "params": dict(params)})

    return handler


def test_patterns_match_segments_digits_and_the_rest_of_a_path() -> None:
    assert compile_pattern("/tickets/{id:int}").fullmatch("/tickets/42")
    assert not compile_pattern("/tickets/{id:int}").fullmatch("/tickets/abc")
    assert not compile_pattern("/tickets/{id}").fullmatch("/tickets/1/2")
    rest = compile_pattern("/files/{rest:path}").fullmatch("/files/a/b.txt")
    assert rest is not None and rest.group("rest") == "a/b.txt"
    with pytest.raises(ValueError, match="twice"):
        compile_pattern("/a/{x}/{x}")
    with pytest.raises(ValueError, match="start with"):
        compile_pattern("tickets")
    mounted = compile_pattern("{prefix:path}/api/index.php")
    assert mounted.fullmatch("/api/index.php") and mounted.fullmatch("/desk/api/index.php")
    assert not mounted.fullmatch("/deskapi/index.php")


async def test_router_dispatches_by_method_and_path_with_decoded_parameters() -> None:
    router = Router()
    router.add("GET", "/tickets", echo("list"))
    router.add("GET", "/tickets/{id:int}", echo("get"))
    router.add("POST", "/tickets/{id:int}/notes", echo("note"))
    router.add("*", "/health", echo("health"))
    transport = httpx.ASGITransport(app=asgi_app(router))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        assert (await client.get("/tickets/")).json() == {"route": "list", "params": {}}
        got = (await client.get("/tickets/7")).json()
        assert got == {"route": "get", "params": {"id": "7"}}
        assert (await client.post("/tickets/7/notes")).json()["route"] == "note"
        assert (await client.delete("/health")).json()["route"] == "health"
        missing = await client.get("/nothing")
        assert missing.status_code == 404
        wrong_verb = await client.put("/tickets/7")
        assert wrong_verb.status_code == 405
        assert wrong_verb.headers["allow"] == "GET"


async def test_router_hooks_answer_404_and_405_the_vendors_way() -> None:
    def not_found(request: SimRequest) -> SimResponse:
        return SimResponse.json({"message": f"No route {request.path}"}, status=404)

    def not_allowed(request: SimRequest, allowed: Sequence[str]) -> SimResponse:
        return SimResponse.json({"allowed": list(allowed)}, status=405)

    router = Router(not_found=not_found, not_allowed=not_allowed, case_sensitive=False)
    router.add("GET", "/Tickets/{id}", echo("get"))
    router.add("PATCH", "/Tickets/{id}", echo("patch"))
    assert (await _call(router, "GET", "/tickets/9"))[1]["route"] == "get"
    status, body = await _call(router, "DELETE", "/tickets/9")
    assert (status, body) == (405, {"allowed": ["GET", "PATCH"]})
    status, body = await _call(router, "GET", "/nope")
    assert (status, body) == (404, {"message": "No route /nope"})


async def test_handlers_read_query_form_and_json_bodies() -> None:
    router = Router()

    def reader(request: SimRequest, params: Mapping[str, str]) -> SimResponse:
        body = request.json() if request.content_type == "application/json" else None
        return SimResponse.json(
            {"q": request.query_value("q"), "form": request.form(), "json": body}
        )

    router.add("POST", "/read", reader)
    transport = httpx.ASGITransport(app=asgi_app(router))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        form = (await client.post("/read?q=x", data={"a": "1"})).json()
        assert form == {"q": "x", "form": [["a", "1"]], "json": None}
        sent = (await client.post("/read", json={"b": [1, 2]})).json()
        assert sent == {"q": None, "form": [], "json": {"b": [1, 2]}}


async def _call(router: Router, method: str, path: str) -> tuple[int, dict[str, object]]:
    result = router(SimRequest(method=method, path=path))
    response = result if isinstance(result, SimResponse) else await result
    return response.status, json.loads(response.body_bytes())
