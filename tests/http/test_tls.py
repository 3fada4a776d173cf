"""TLS verification is on unless a connection turns it off: the client uses the context
that says so, and a real handshake with an untrusted certificate (on a loopback port) is
refused by default and accepted only with ``verify=False``."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from adapters.base import DeskUnavailable
from adapters.http import DeskHttp


def pool_context(http: DeskHttp) -> ssl.SSLContext:
    # httpx keeps the context in its connection pool; there is no public accessor.
    context = http.client._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, ssl.SSLContext)
    return context


async def test_tls_verification_is_on_by_default() -> None:
    async with DeskHttp("acme", "https://desk.example/api/index.php") as http:
        context = http.ssl_context
        assert context is not None
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
        assert pool_context(http) is context
        assert context.get_ca_certs() or context.cert_store_stats()["x509_ca"] > 0


async def test_tls_verification_off_only_when_asked(caplog: Any) -> None:
    caplog.set_level(logging.WARNING)
    async with DeskHttp("lab", "https://desk.internal/", verify=False) as http:
        context = http.ssl_context
        assert context is not None
        assert context.verify_mode == ssl.CERT_NONE
        assert context.check_hostname is False
        assert pool_context(http) is context
    assert any("lab: TLS certificate verification is off" in r.getMessage() for r in caplog.records)


async def test_verified_client_logs_no_tls_warning(caplog: Any) -> None:
    caplog.set_level(logging.WARNING)
    async with DeskHttp("acme", "https://desk.example/"):
        pass
    assert not [r for r in caplog.records if "TLS" in r.getMessage()]


async def test_an_injected_transport_needs_no_tls_context(make_http: Any) -> None:
    http, _ = make_http()
    assert http.ssl_context is None


@asynccontextmanager
async def self_signed_desk() -> AsyncIterator[str]:
    """A real TLS server on a loopback port, with a self-signed certificate (a test-only
    key, in selfsigned.pem) that no trust store accepts; it answers every request 200."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(Path(__file__).with_name("selfsigned.pem"))

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client refused the certificate and hung up: expected
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.loopback
async def test_untrusted_certificate_is_refused_and_not_retried(fake_time: Any) -> None:
    async with self_signed_desk() as url, DeskHttp("acme", url, sleep=fake_time.sleep) as http:
        with pytest.raises(DeskUnavailable) as raised:
            await http.request("GET", "/Tickets")
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
    assert raised.value.connection == "acme"
    # Retrying cannot fix a certificate: one attempt, no backoff.
    assert http.requests_sent == 1
    assert fake_time.sleeps == []


@pytest.mark.loopback
async def test_untrusted_certificate_is_accepted_only_with_verify_off() -> None:
    async with self_signed_desk() as url, DeskHttp("lab", url, verify=False) as http:
        response = await http.request("GET", "/Tickets")
    assert response.status_code == 200
    assert response.text == "ok"
