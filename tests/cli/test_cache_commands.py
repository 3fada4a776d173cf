"""``triage tickets`` with the local cache: a second run asks only for changes, ``--cached``
needs no network, a listing that breaks part-way prints what it got, ``cache clear``."""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.kayako.sim_data import KayakoDesk, generate_desk
from adapters.kayako.simulator import API_KEY, DEMO_STAFF_ID, SECRET_KEY, app_for_desk
from tui.cache import default_cache_path
from tui.cli import main

Scope = MutableMapping[str, Any]


class Desk:
    """A simulated desk that counts listing requests and can break a page's XML."""

    def __init__(self, tickets: int) -> None:
        self.desk: KayakoDesk = generate_desk(tickets=tickets, seed=9)
        self.app = app_for_desk(self.desk)
        self.routes: list[str] = []
        self.break_from_offset: int | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            route = scope["query_string"].decode().split("&")[0].replace("%2F", "/")
            self.routes.append(route)
            parts = route.split("/")
            broken = self.break_from_offset
            if broken is not None and "ListAll" in parts and int(parts[9]) >= broken:
                headers = [(b"content-type", b"text/xml")]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": b"<tickets><ticket id="})
                return
        await self.app(scope, receive, send)

    def listing_requests(self) -> list[str]:
        return [r for r in self.routes if "ListAll" in r or "GetTicketCount" in r]


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        "[connections.acme]\n"
        'vendor = "kayako"\n'
        'url = "http://acme.test/api/index.php"\n'
        f'api_key = "{API_KEY}"\n'
        f'secret_key = "{SECRET_KEY}"\n'
        f"staff_id = {DEMO_STAFF_ID}\n"
        "rate_limit = 1000\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], config: Path) -> Run:
    def run(*argv: str, desk: Desk | None = None) -> tuple[int, str, str]:
        transports = {} if desk is None else {"acme": httpx.ASGITransport(app=desk)}
        code = main(["--config", str(config), *argv], transports=transports)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def keys(out: str) -> list[str]:
    return [":".join(item["key"]) for item in json.loads(out)]


def test_a_second_run_asks_only_for_changes(run: Run) -> None:
    desk = Desk(tickets=700)
    code, first, err = run("tickets", "--json", desk=desk)
    assert code == 0, err
    assert len(keys(first)) == 700
    cold = len(desk.listing_requests())
    assert cold == 5  # the count and four pages of 200
    ticket = next(iter(desk.desk.tickets.values()))
    desk.desk.update_ticket(ticket, subject="changed on the desk")
    desk.routes.clear()
    code, second, err = run("tickets", "--json", desk=desk)
    assert code == 0, err
    assert len(desk.listing_requests()) == 1
    items = {":".join(i["key"]): i for i in json.loads(second)}
    assert len(items) == 700
    assert items[f"acme:{ticket.id}"]["subject"] == "changed on the desk"


def test_cached_reads_without_the_network(run: Run) -> None:
    desk = Desk(tickets=50)
    _, online, _ = run("tickets", "--json", desk=desk)
    # No transport: a request would go to acme.test on the real network and fail.
    code, offline, err = run("tickets", "--json", "--cached")
    assert code == 0, err
    assert keys(offline) == keys(online)
    assert "acme: cached just now" in err


def test_cached_with_nothing_cached_says_so(run: Run) -> None:
    code, out, err = run("tickets", "--json", "--cached")
    assert code == 0
    assert json.loads(out) == []
    assert "acme: nothing cached" in err


def test_a_listing_that_breaks_part_way_prints_what_it_got(run: Run) -> None:
    desk = Desk(tickets=1000)
    desk.break_from_offset = 600
    code, out, err = run("tickets", "--json", desk=desk)
    assert code == 1
    assert len(keys(out)) == 600  # was [] before the cache
    assert "acme:" in err and "incomplete" in err and "600 tickets" in err
    # The cache kept them too.
    code, cached, err = run("tickets", "--json", "--cached")
    assert len(keys(cached)) == 600
    assert "incomplete" in err
    # Once the desk answers again, the whole desk.
    desk.break_from_offset = None
    code, out, err = run("tickets", "--json", desk=desk)
    assert code == 0, err
    assert len(keys(out)) == 1000


def test_cache_clear_one_connection_or_all(run: Run) -> None:
    desk = Desk(tickets=20)
    run("tickets", "--json", desk=desk)
    code, out, _ = run("cache", "clear", "--connection", "other")
    assert code == 0 and "nothing cached for 'other'" in out
    code, out, _ = run("cache", "clear", "--connection", "acme")
    assert code == 0 and "removed the cached tickets of 'acme'" in out
    _, cached, err = run("tickets", "--json", "--cached")
    assert json.loads(cached) == [] and "nothing cached" in err
    run("tickets", "--json", desk=desk)
    assert default_cache_path().exists()
    code, out, _ = run("cache", "clear")
    assert code == 0 and "removed the cache" in out
    assert not default_cache_path().exists()
    code, out, _ = run("cache", "clear")
    assert "no cache at" in out


def test_cache_clear_needs_no_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["--config", str(tmp_path / "missing.toml"), "cache", "clear"])
    assert code == 0
    assert "no cache at" in capsys.readouterr().out


def test_the_demo_keeps_no_cache(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "tickets", "--json", "--limit", "3"]) == 0
    capsys.readouterr()
    assert not default_cache_path().exists()
    assert main(["--demo", "tickets", "--json", "--cached"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "keeps no cache" in captured.err


def test_the_cache_file_is_private(run: Run) -> None:
    run("tickets", "--json", desk=Desk(tickets=5))
    path = default_cache_path()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
