"""The OAuth2 client-credentials token endpoint: issuing, checking, expiring tokens."""

from __future__ import annotations

import base64
import json

from adapters.simulation import SimRequest, SimResponse, TokenIssuer

FORM = {"content-type": "application/x-www-form-urlencoded"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_request(body: str, headers: dict[str, str] | None = None) -> SimRequest:
    return SimRequest(
        method="POST", path="/token", headers={**FORM, **(headers or {})}, body=body.encode()
    )


def bearer(token: str) -> SimRequest:
    return SimRequest(method="GET", path="/api", headers={"authorization": f"Bearer {token}"})


def payload(response: SimResponse) -> dict[str, object]:
    result: dict[str, object] = json.loads(response.body_bytes())
    return result


def test_client_credentials_grant_issues_a_bearer_token_that_validates() -> None:
    issuer = TokenIssuer({"app": "s3cret"}, lifetime=600, clock=Clock())
    response = issuer.token_endpoint(
        token_request("grant_type=client_credentials&client_id=app&client_secret=s3cret")
    )
    assert response.status == 200
    assert ("Cache-Control", "no-store") in response.headers
    body = payload(response)
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert issuer.client_of(bearer(str(body["access_token"]))) == "app"
    assert issuer.client_of(bearer("forged")) is None
    assert issuer.client_of(SimRequest(method="GET", path="/api")) is None


def test_basic_auth_credentials_are_accepted_and_bad_ones_challenged() -> None:
    issuer = TokenIssuer({"app": "s3cret"})
    good = base64.b64encode(b"app:s3cret").decode()
    ok = issuer.token_endpoint(
        token_request("grant_type=client_credentials", {"authorization": f"Basic {good}"})
    )
    assert ok.status == 200
    bad = base64.b64encode(b"app:wrong").decode()
    refused = issuer.token_endpoint(
        token_request("grant_type=client_credentials", {"authorization": f"Basic {bad}"})
    )
    assert refused.status == 401
    assert payload(refused)["error"] == "invalid_client"
    assert ("WWW-Authenticate", 'Basic realm="token"') in refused.headers


def test_token_request_errors_follow_rfc_6749() -> None:
    issuer = TokenIssuer({"app": "s3cret"})
    missing = issuer.token_endpoint(token_request("client_id=app&client_secret=s3cret"))
    assert (missing.status, payload(missing)["error"]) == (400, "invalid_request")
    password = issuer.token_endpoint(token_request("grant_type=password&username=u"))
    assert (password.status, payload(password)["error"]) == (400, "unsupported_grant_type")
    unknown = issuer.token_endpoint(
        token_request("grant_type=client_credentials&client_id=x&client_secret=y")
    )
    assert (unknown.status, payload(unknown)["error"]) == (401, "invalid_client")
    get = issuer.token_endpoint(SimRequest(method="GET", path="/token"))
    assert get.status == 400


def test_tokens_expire_with_time_and_on_demand_and_can_be_revoked() -> None:
    clock = Clock()
    issuer = TokenIssuer({"app": "s3cret"}, lifetime=60, clock=clock)
    first, second, third = (issuer.issue("app") for _ in range(3))
    clock.now += 59
    assert issuer.client_of(bearer(first)) == "app"
    clock.now += 1
    assert issuer.client_of(bearer(first)) is None
    fresh = issuer.issue("app")
    issuer.expire(fresh)
    assert issuer.client_of(bearer(fresh)) is None
    again = issuer.issue("app")
    issuer.revoke(again)
    assert issuer.client_of(bearer(again)) is None
    assert issuer.issued_count == 5 and issuer.live_tokens == 0
    challenge = issuer.challenge(bearer(second))
    assert challenge.status == 401
    assert ("WWW-Authenticate", 'Bearer realm="api", error="invalid_token"') in challenge.headers
    assert issuer.challenge(SimRequest(method="GET", path="/")).headers == (
        ("WWW-Authenticate", 'Bearer realm="api"'),
    )
    del third
