"""The CLI's JSON is as clean as the screen: a desk's hostile text (C1 controls, escape
sequences, bidi overrides) inside the vendor payload (``raw``) of ``show --json`` is cleaned,
the structure kept."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import httpx
import pytest

from tui.cli import main
from tui.cli.output import clean_strings

ACTIVE = {"\x1b", "\x9b", "\x9d", "\x9c", "\x90", "\x07", "\u202e", "\u2066", "\u200f"}


def _active(text: str) -> set[str]:
    return {
        char
        for char in text
        if char in ACTIVE or (unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t")
    }


def test_show_json_cleans_the_vendor_payload(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "tickets", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    hostile = [
        ":".join(item["key"])
        for item in listed
        if "PAPER JAM" in item["subject"] or "fdp.exe" in item["subject"]
    ]
    assert hostile, "the demo desks carry hostile tickets"
    for key in hostile:
        assert main(["--demo", "show", key, "--json"]) == 0
        out = capsys.readouterr().out
        assert _active(out) == set(), key
        data = json.loads(out)
        assert data["raw"], "the payload is still there, cleaned"


def test_clean_strings_keeps_the_structure_and_survives_depth() -> None:
    value = {"a\u202eb": ["x\x9b31my", {"k": "\x1b]0;t\x07ok", "n": 3, "z": None}], "t": True}
    assert clean_strings(value) == {"ab": ["xy", {"k": "ok", "n": 3, "z": None}], "t": True}
    deep: object = "\x9b31mleaf"
    for _ in range(100_000):
        deep = [deep]
    cleaned = clean_strings(deep)
    for _ in range(100_000):
        assert isinstance(cleaned, list)
        cleaned = cleaned[0]
    assert cleaned == "leaf"


class OneGarbledTicket(httpx.AsyncBaseTransport):
    """The simulator, but the ticket list's first ticket carries an invalid character
    reference (``&#1;``) after its subject: the document as a whole is not XML."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if "/Tickets/Ticket/ListAll/" not in str(request.url):
            return response
        body = await response.aread()
        garbled = body.replace(b"</subject>", b"&#1;</subject>", 1)
        return httpx.Response(response.status_code, headers=response.headers, content=garbled)


def test_one_unreadable_ticket_is_left_out_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from adapters.kayako import simulator

    monkeypatch.setenv("GARBLED_KEY", simulator.API_KEY)
    monkeypatch.setenv("GARBLED_SECRET", simulator.SECRET_KEY)
    path = tmp_path / "garbled.toml"
    path.write_text(
        "[connections.acme]\n"
        'vendor = "kayako"\n'
        'url = "https://acme.test/api/index.php"\n'
        'api_key = { env = "GARBLED_KEY" }\n'
        'secret_key = { env = "GARBLED_SECRET" }\n'
        "rate_limit = 100\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    app = simulator.create_app(tickets=30)
    transport = OneGarbledTicket(httpx.ASGITransport(app=app))
    code = main(["--config", str(path), "tickets", "--csv"], transports={"acme": transport})
    captured = capsys.readouterr()
    assert code == 0
    rows = captured.out.splitlines()[1:]
    assert len(rows) == 29
    [warning] = captured.err.splitlines()
    assert warning.startswith("triage: warning: acme: ticket ")
    assert "left out" in warning and "not well-formed" in warning
    left_out = warning.split("ticket ", 1)[1].split(" ", 1)[0]
    assert not any(row.startswith(f"acme:{left_out},") for row in rows)
