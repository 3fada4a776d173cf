"""What a real instance can throw at the adapter: malformed JSON, ERROR bodies with any
HTTP code, credentials refused, old string-typed scalars, the per-minute limits; and one
run over a real loopback port."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from adapters.errors import (
    AuthFailed,
    DeskError,
    DeskUnavailable,
    InvalidInput,
    NotFound,
    ProtocolError,
)
from adapters.invgate.adapter import InvGateAdapter, InvGateSettings, api_root
from adapters.invgate.client import encode, field_of
from adapters.invgate.limits import EndpointLimits
from adapters.invgate.simulator import PASSWORD, USERNAME, create_app
from adapters.invgate.wire import custom_fields as cf
from adapters.invgate.wire import values
from adapters.invgate.wire.catalog import Catalog, Named
from adapters.model import FieldType, HealthState, TicketQuery
from adapters.simulation import ServerThread
from tests.invgate.conftest import MakeAdapter, MakeSim

Handler = Callable[[httpx.Request], httpx.Response]


def adapter_over(handler: Handler) -> InvGateAdapter:
    settings = InvGateSettings(
        name="ig", vendor="invgate", url="https://acme.cloud.invgate.net", username="u",
        password="hunter2-secret", acting_user_id=7, rate_limit=1000,
    )  # fmt: skip
    return InvGateAdapter(settings, transport=httpx.MockTransport(handler))


# --------------------------------------------------------------------------------------
# Answers the adapter must survive
# --------------------------------------------------------------------------------------


async def test_malformed_json_is_a_protocol_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"id": 1, "title": "trunc')

    async with adapter_over(handler) as adapter:
        with pytest.raises(ProtocolError) as caught:
            await adapter.get_ticket("1")
    assert "not JSON" in caught.value.message


async def test_wrong_shapes_are_protocol_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "OK", "requestIds": "not a list"})

    async with adapter_over(handler) as adapter:
        adapter.catalog.set(await _tiny_catalog(adapter))
        with pytest.raises(ProtocolError):
            async for _ in adapter.list_tickets(TicketQuery(status_ids=("1",))):
                pass


async def _tiny_catalog(adapter: InvGateAdapter) -> Catalog:
    return Catalog(
        statuses=[Named("1", "New")], priorities=[Named("1", "Low")],
        types=[Named("1", "Incident")], sources=[], categories=[], groups=[], users={},
    )  # fmt: skip


@pytest.mark.parametrize("status", [200, 400, 500])
async def test_error_bodies_whatever_the_code(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"status": "ERROR", "error": "The request 5 doesn't exist"}
        return httpx.Response(status, json=body, headers={"Retry-After": "0"})

    async with adapter_over(handler) as adapter:
        adapter.http.max_retries = 0
        with pytest.raises(DeskError) as caught:
            await adapter.call("GET", "incident", {"id": 5})
    expected = {200: NotFound, 400: InvalidInput, 500: DeskUnavailable}[status]
    assert isinstance(caught.value, expected)
    assert "doesn't exist" in caught.value.message


async def test_refusals_name_the_field() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "ERROR", "info": "Only agents can do that"})

    async with adapter_over(handler) as adapter:
        with pytest.raises(InvalidInput) as caught:
            await adapter.call("POST", "incident.reject", {"request_id": 1}, field="status_id")
    assert caught.value.field == "status_id" and caught.value.reason == "Only agents can do that"
    assert field_of("The parameter request_ids is required") == "request_ids"


async def test_bad_password_is_auth_failed_and_redacted(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    async with make_adapter(make_sim(), password="wrong-password-123") as adapter:
        health = await adapter.check()
        with pytest.raises(AuthFailed) as caught:
            await adapter.lookups()
    assert health.state is HealthState.AUTH_FAILED
    assert "check username and password" in caught.value.message
    assert "wrong-password-123" not in caught.value.message + health.message


def test_encoding_and_urls() -> None:
    pairs = encode({"ids": [1, 2], "comments": True, "skip": None, "id": 5}, form=False)
    assert pairs == [("ids[]", "1"), ("ids[]", "2"), ("comments", "true"), ("id", "5")]
    assert encode({"is_solution": False}, form=True) == [("is_solution", "0")]
    assert api_root("https://acme.cloud.invgate.net/") == "https://acme.cloud.invgate.net/api/v1"
    assert api_root("https://sd.example/api/v1") == "https://sd.example/api/v1"


def test_config_shape_of_the_issue() -> None:
    settings = InvGateSettings.model_validate(
        {
            "name": "ig", "vendor": "invgate", "url": "https://acme.cloud.invgate.net",
            "username": "api-user", "password": "secret-value", "helpdesks": [1, 2],
            "acting_user_id": 7,
        }
    )  # fmt: skip
    assert settings.helpdesks == [1, 2] and settings.acting_user_id == 7
    assert "secret-value" not in repr(settings)
    with pytest.raises(ValueError):
        InvGateSettings.model_validate({**settings.model_dump(), "helpdesks": [0]})


# --------------------------------------------------------------------------------------
# Scalars
# --------------------------------------------------------------------------------------


def test_scalars_as_strings_or_typed() -> None:
    stamp = datetime(2014, 9, 5, 7, 4, 9, tzinfo=UTC)
    assert values.moment("1409900649") == values.moment(1409900649) == stamp
    assert values.moment("2014-09-05T07:04:09+00:00") == stamp
    assert values.moment("2014-09-05 07:04") == stamp.replace(second=0)
    assert values.moment(None) is None and values.moment("0") is None
    assert values.ident("206") == values.ident(206) == "206"
    assert values.ident("0") is None and values.ident(None) is None
    assert [values.flag(v) for v in (True, 1, "1", "true", False, 0, "0", "", None)] == [
        True, True, True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert values.ids({"data": [{"id": "3"}, 4]}) == ["3", "4"]
    with pytest.raises(values.BadValue):
        values.flag("maybe")
    with pytest.raises(values.BadValue):
        values.ident("abc")


def test_custom_field_values() -> None:
    select = cf.Definition("3", "Impact", FieldType.SELECT, "List", False)
    assert cf.value_of({"high": "High"}, select) == "High"
    assert cf.value_of([], select) is None
    box = cf.Definition("5", "VIP", FieldType.CHECKBOX, "Checkbox", False)
    assert cf.value_of("1", box) is True and cf.value_of(None, box) is False
    assert cf.field_type("Tree") is FieldType.SELECT
    assert cf.field_type("Decimal number") is FieldType.NUMBER
    with pytest.raises(values.BadValue):
        cf.fields_of("oops", {}, ())
    tree = cf.tree_options(
        [{"hash": "a", "name": "UK", "children": [{"hash": "b", "name": "Leeds", "children": []}]}]
    )
    assert [(o.id, o.label) for o in tree] == [("a", "UK"), ("b", "UK › Leeds")]
    assert cf.list_options({"key-value": {"k": "Label"}})[0].id == "k"


# --------------------------------------------------------------------------------------
# Per-minute limits on the client side
# --------------------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_plan_sets_each_endpoints_minute() -> None:
    fake = FakeTime()
    limits = EndpointLimits("starter", clock=fake.clock, sleep=fake.sleep)
    assert limits.limit_of("incident", "get") == 75
    assert limits.limit_of("incidents", "GET") == 50
    assert limits.limit_of("incident.comment", "POST") == 1000


async def test_adapter_keeps_the_plan_limits_and_is_never_refused(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    fake = FakeTime()
    sim = make_sim(plan="starter", clock=fake.clock)
    async with make_adapter(sim, plan="starter") as adapter:
        adapter.limits = EndpointLimits("starter", clock=fake.clock, sleep=fake.sleep)
        for _ in range(80):
            await adapter.call("GET", "incident", {"id": 1})
    # 75 at once, then one wait until the first of them leaves the minute.
    assert fake.slept == [pytest.approx(60.0)]
    assert [e for _, e in sim.server.calls].count("incident") == 80


# --------------------------------------------------------------------------------------
# A real socket
# --------------------------------------------------------------------------------------


async def test_over_a_loopback_port() -> None:
    with ServerThread(create_app(tickets=40, seed=2)) as server:
        settings = InvGateSettings.model_validate(
            {
                "name": "ig-port", "vendor": "invgate", "url": server.base_url,
                "username": USERNAME, "password": PASSWORD, "plan": "enterprise",
            }
        )  # fmt: skip
        async with InvGateAdapter(settings) as adapter:
            health = await adapter.check()
            pages = [page async for page in adapter.list_tickets(TicketQuery(page_size=15))]
            detail = await adapter.get_ticket(pages[0].tickets[0].key.native_id)
    assert health.state is HealthState.OK, health.message
    assert sum(len(p.tickets) for p in pages) == 40 and {p.total for p in pages} == {40}
    assert detail.ticket.key == pages[0].tickets[0].key
    assert json.dumps(detail.raw)  # the raw payload is plain JSON


async def test_hostile_requests_come_out_inert(
    make_sim: MakeSim, make_adapter: MakeAdapter
) -> None:
    sim = make_sim(tickets=60)
    hostile = [
        r.id
        for r, s in ((sim.desk.requests[k], v) for k, v in sim.desk.stories.items())
        if s[4] >= 0
    ]
    assert hostile
    async with make_adapter(sim) as adapter:
        for rid in hostile:
            detail = await adapter.get_ticket(str(rid))
            texts = [detail.ticket.subject, *(p.body for p in detail.posts)]
            for text in texts:
                assert not any(ch in text for ch in ("\x1b", "\x9b", "\x9d", "\u202e", "\x07"))
                assert "<script" not in text and "document.cookie" not in text
