"""The connection: the config shape, the site and codebase, authentication headers."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from adapters.base import AuthFailed, InvalidInput
from adapters.connectwise.client import ACCEPT, site_url
from adapters.connectwise.simulator import CLIENT_ID, PRIVATE_KEY, PUBLIC_KEY
from adapters.model import HealthState, TicketQuery
from tests.connectwise.conftest import Site
from tui.config import load_config


def test_the_issue_config_shape_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[connections.cw]\n"
        'vendor = "connectwise"\n'
        'url = "https://api-na.myconnectwise.net"\n'
        'company = "acme"\n'
        'public_key = "AbCdEfGh"\n'
        'private_key = { env = "CW_PRIVATE_KEY" }\n'
        'client_id = "0b3a5c1d-0000-4000-8000-000000000000"\n'
        'codebase = "v4_6_release/"\n'
        'conditions = "closedFlag=false"\n'
    )
    path.chmod(0o600)
    monkeypatch.setenv("CW_PRIVATE_KEY", "s3cret-private")
    config = load_config(path)
    [settings] = config.connections
    assert settings.vendor == "connectwise"
    assert settings.codebase == "v4_6_release/"  # type: ignore[attr-defined]
    assert settings.conditions == "closedFlag=false"  # type: ignore[attr-defined]
    assert "s3cret-private" not in repr(settings)
    assert settings.secrets() == ["s3cret-private"]


@pytest.mark.parametrize(
    ("given", "site"),
    [
        ("https://na.myconnectwise.net", "https://api-na.myconnectwise.net"),
        ("https://eu.myconnectwise.net/", "https://api-eu.myconnectwise.net"),
        ("https://api-au.myconnectwise.net", "https://api-au.myconnectwise.net"),
        ("https://psa.example.com", "https://psa.example.com"),
        ("http://127.0.0.1:8080/connectwise/", "http://127.0.0.1:8080/connectwise"),
    ],
)
def test_cloud_sites_get_their_api_host(given: str, site: str) -> None:
    assert site_url(given) == site


async def test_codebase_is_looked_up_once_and_headers_are_sent(site: Site) -> None:
    async with site.make() as adapter:
        await adapter.lookups()
        await adapter.get_ticket("250101")
    paths = site.recorder.paths()
    assert paths[0] == "GET /login/companyinfo/harbourline"
    assert paths.count("GET /login/companyinfo/harbourline") == 1
    api = [r for r in site.recorder.requests if "/apis/3.0/" in r.url.path]
    assert api and all(r.url.path.startswith("/v2025_1/apis/3.0/") for r in api)
    for request in api:
        assert request.headers["clientId"] == CLIENT_ID
        assert request.headers["Accept"] == ACCEPT
        user, password = base64.b64decode(request.headers["Authorization"][6:]).decode().split(":")
        assert (user, password) == (f"harbourline+{PUBLIC_KEY}", PRIVATE_KEY)


async def test_a_pinned_codebase_is_used_and_a_moved_one_looked_up_again(site: Site) -> None:
    async with site.make(codebase="v4_6_release") as adapter:
        await adapter.get_ticket("250101")
    assert not any("companyinfo" in p for p in site.recorder.paths())
    site.recorder.requests.clear()
    async with site.make(codebase="v2019_5/") as adapter:
        detail = await adapter.get_ticket("250101")
        await adapter.get_ticket("250102")
    assert detail.ticket.key.native_id == "250101"
    paths = site.recorder.paths()
    assert paths[0].startswith("GET /v2019_5/apis/3.0/")
    assert paths.count("GET /login/companyinfo/harbourline") == 1
    assert adapter.codebase == "v2025_1/"


async def test_unknown_company_is_an_auth_failure(site: Site) -> None:
    async with site.make(company="nosuchco") as adapter:
        with pytest.raises(AuthFailed, match="does not know company 'nosuchco'"):
            await adapter.lookups()


async def test_bad_keys_say_which_settings_to_check(site: Site) -> None:
    async with site.make(public_key="WrongKey") as adapter:
        health = await adapter.check()
    assert health.state is HealthState.AUTH_FAILED
    assert "check company, public_key, private_key and client_id" in health.message
    assert PRIVATE_KEY not in health.message


async def test_a_bad_connection_condition_is_invalid_input(site: Site) -> None:
    async with site.make(conditions="ticket = 1") as adapter:
        with pytest.raises(InvalidInput, match="ticket is not a recognized name"):
            async for _ in adapter.list_tickets():
                pass


async def test_connection_conditions_narrow_the_listing(site: Site) -> None:
    async with site.make(conditions="closedFlag=false AND board/name = 'Service Desk'") as adapter:
        tickets = [t async for page in adapter.list_tickets(TicketQuery()) for t in page.tickets]
    assert tickets
    assert all(not t.is_done and t.group is not None for t in tickets)
    assert {t.group.label for t in tickets if t.group} == {"Service Desk"}
