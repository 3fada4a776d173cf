"""Fault injection shared by every simulator: latency, 5xx, dropped connections, switches."""

from __future__ import annotations

import time

import httpx
import pytest

from adapters.simulation import (
    ConnectionDropped,
    Faults,
    ServerThread,
    SimRequest,
    SimResponse,
    asgi_app,
)


def ok(request: SimRequest) -> SimResponse:
    return SimResponse.text(200, "fine")


async def test_scripted_errors_and_resets_come_before_the_handler() -> None:
    calls: list[str] = []

    def handler(request: SimRequest) -> SimResponse:
        calls.append(request.path)
        return SimResponse.text(200, "fine")

    def vendor_page(request: SimRequest, status: int) -> SimResponse:
        return SimResponse(status, "<html>maintenance</html>", "text/html")

    faults = Faults(error_page=vendor_page)
    faults.fail_next(1, status=502)
    faults.reset_next(1)
    transport = httpx.ASGITransport(app=asgi_app(handler, faults=faults))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        failed = await client.get("/a")
        assert (failed.status_code, failed.text) == (502, "<html>maintenance</html>")
        with pytest.raises(httpx.ReadError):
            await client.get("/b")
        assert (await client.get("/c")).text == "fine"
    assert calls == ["/c"]


def test_rates_are_reproducible_and_validated() -> None:
    def outcomes(seed: int) -> list[str]:
        faults = Faults(error_rate=0.2, reset_rate=0.1, seed=seed)
        return [getattr(faults.decide(), "kind", "ok") for _ in range(500)]

    run = outcomes(3)
    assert run == outcomes(3)
    assert 60 < run.count("error") < 140 and 20 < run.count("reset") < 80
    assert Faults().decide() is None
    with pytest.raises(ValueError):
        Faults(error_rate=1.5)
    with pytest.raises(ValueError):
        Faults(error_rate=0.7, reset_rate=0.4)
    with pytest.raises(ValueError):
        Faults(latency=(2.0, 1.0))
    with pytest.raises(ValueError):
        asgi_app(ok, latency=(0.0, 0.1), faults=Faults())


def test_latency_draws_are_reproducible_and_independent_of_error_rates() -> None:
    plain = Faults(latency=(0.0, 1.0), seed=9)
    failing = Faults(latency=(0.0, 1.0), error_rate=0.5, seed=9)
    delays = []
    for _ in range(20):
        delays.append((plain.delay(), failing.delay()))
        failing.decide()
    assert all(a == b for a, b in delays)
    assert Faults().delay() == 0.0


def test_switches_turn_vendor_faults_on_and_off() -> None:
    faults = Faults(switches=["php-notices"])
    assert faults.is_on("php-notices")
    faults.switch("php-notices", on=False)
    faults.switch("slow-search")
    assert faults.switches == frozenset({"slow-search"})


@pytest.mark.loopback
def test_a_dropped_connection_is_a_transport_error_over_a_socket() -> None:
    faults = Faults()
    with ServerThread(asgi_app(ok, faults=faults)) as server:
        faults.reset_next()
        with httpx.Client(base_url=server.base_url) as client:
            started = time.monotonic()
            with pytest.raises(httpx.TransportError):
                client.get("/x")
            assert time.monotonic() - started < 5
            assert client.get("/x").text == "fine"


def test_connection_dropped_is_a_read_error() -> None:
    assert isinstance(ConnectionDropped(), httpx.ReadError)
