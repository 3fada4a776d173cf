"""OAuth2 client credentials (adapters.oauth) against a tiny token endpoint in the test."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from adapters.errors import AuthFailed, ProtocolError
from adapters.http import DeskHttp
from adapters.oauth import OAuth2ClientCredentials

TOKEN_URL = "https://desk.test/auth/token?tenant=acme"
SECRET = "client-secret-value-123"


class TokenDesk:
    """Issues ``tok-N`` tokens living ``lifetime`` seconds of ``now``; the API accepts
    only the tokens not revoked and not expired."""

    def __init__(self, lifetime: float = 3600) -> None:
        self.lifetime = lifetime
        self.now = 0.0
        self.issued: dict[str, float] = {}
        self.revoked: set[str] = set()
        self.token_requests = 0
        self.forms: list[dict[str, str]] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/token":
            self.token_requests += 1
            await asyncio.sleep(0.01)  # long enough for parallel requests to pile up
            form = dict(httpx.QueryParams(request.content.decode()))
            self.forms.append(form)
            assert request.url.params["tenant"] == "acme"
            if (
                form.get("client_secret") != SECRET
                or form.get("grant_type") != "client_credentials"
            ):
                return httpx.Response(401, json={"error": "invalid_client"})
            token = f"tok-{self.token_requests}"
            self.issued[token] = self.now + self.lifetime
            return httpx.Response(200, json={"access_token": token, "expires_in": self.lifetime})
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        valid = bearer in self.issued and bearer not in self.revoked
        if not valid or self.now >= self.issued[bearer]:
            return httpx.Response(401, text="token expired")
        return httpx.Response(200, json={"token": bearer})


def client(desk: TokenDesk, secret: str = SECRET) -> tuple[DeskHttp, OAuth2ClientCredentials]:
    auth = OAuth2ClientCredentials(
        "halo", TOKEN_URL, "client-1", secret, scope="all", clock=lambda: desk.now
    )
    http = DeskHttp(
        "halo",
        "https://desk.test/api",
        rate_limit=10_000,
        burst=100,
        max_concurrency=20,
        auth=auth,
        transport=httpx.MockTransport(desk.handle),
    )
    return http, auth


async def test_one_token_serves_many_requests_and_carries_the_scope() -> None:
    desk = TokenDesk()
    http, auth = client(desk)
    async with http:
        for _ in range(5):
            assert (await http.request("GET", "/Tickets")).json() == {"token": "tok-1"}
    assert desk.token_requests == auth.tokens_fetched == 1
    assert desk.forms[0] == {
        "grant_type": "client_credentials",
        "client_id": "client-1",
        "client_secret": SECRET,
        "scope": "all",
    }


async def test_parallel_requests_share_one_token_fetch() -> None:
    desk = TokenDesk()
    http, _ = client(desk)
    async with http:
        answers = await asyncio.gather(*(http.request("GET", "/Tickets") for _ in range(12)))
    assert {a.json()["token"] for a in answers} == {"tok-1"}
    assert desk.token_requests == 1


async def test_a_token_is_renewed_shortly_before_it_expires() -> None:
    desk = TokenDesk(lifetime=300)
    http, _ = client(desk)
    async with http:
        await http.request("GET", "/Tickets")
        desk.now = 265  # 35 s left: more than the margin (30 s, a tenth of 300 s)
        assert (await http.request("GET", "/Tickets")).json()["token"] == "tok-1"
        desk.now = 275  # 25 s left: renewed before use, so no request meets a 401
        assert (await http.request("GET", "/Tickets")).json()["token"] == "tok-2"
    assert desk.token_requests == 2


async def test_a_revoked_token_is_replaced_once_and_the_request_repeated() -> None:
    desk = TokenDesk()
    http, _ = client(desk)
    async with http:
        await http.request("GET", "/Tickets")
        desk.revoked.add("tok-1")
        assert (await http.request("GET", "/Tickets")).json()["token"] == "tok-2"
        # A desk that refuses every token: one refresh, then its 401 is the answer.
        desk.revoked.update({"tok-2", "tok-3"})
        desk.issued["tok-3"] = 0
        response = await http.request("GET", "/Tickets")
    assert response.status_code == 401
    assert desk.token_requests == 3


async def test_parallel_401s_refresh_once() -> None:
    desk = TokenDesk()
    http, _ = client(desk)
    async with http:
        await http.request("GET", "/Tickets")
        desk.revoked.add("tok-1")
        answers = await asyncio.gather(*(http.request("GET", "/Tickets") for _ in range(8)))
    assert {a.json()["token"] for a in answers} == {"tok-2"}
    assert desk.token_requests == 2


async def test_a_refused_client_is_auth_failed_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    desk = TokenDesk()
    http, _ = client(desk, secret="wrong-secret-value")
    async with http:
        with pytest.raises(AuthFailed) as caught:
            await http.request("GET", "/Tickets")
    assert "invalid_client" in caught.value.message
    assert "wrong-secret-value" not in str(caught.value)
    assert "wrong-secret-value" not in caplog.text


async def test_tokens_and_the_secret_are_redacted_and_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    desk = TokenDesk()
    http, _ = client(desk)
    async with http:
        await http.request("GET", "/Tickets")
        assert http.redact(f"token tok-1 secret {SECRET}") == "token *** secret ***"
    assert "tok-1" not in caplog.text
    assert SECRET not in caplog.text


async def test_an_unreadable_token_answer_is_a_protocol_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>login</html>")

    auth = OAuth2ClientCredentials("halo", TOKEN_URL, "client-1", SECRET)
    http = DeskHttp(
        "halo", "https://desk.test/api", auth=auth, transport=httpx.MockTransport(handler)
    )
    async with http:
        with pytest.raises(ProtocolError, match="token response"):
            await http.request("GET", "/Tickets")
