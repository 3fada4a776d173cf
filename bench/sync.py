"""Sync at scale: what a start and a refresh cost against a big Kayako desk.

Serves ``triage simulate --vendor kayako --tickets N`` (100 000 by default) in its own
process and measures the client against it over loopback, with the connection's default
settings (Kayako's 5 requests a second), in child processes so that each RSS is the
client's alone:

* **baseline** — what triage did before the cache: a cold full listing of the desk
  (requests, wall time) and a refresh after 10 tickets changed, which lists the whole
  desk again (requests, wall time), RSS at the end; and, in a new process, the app
  starting: the time from its construction to the first frame that shows tickets (which
  needed the desk's first page), the requests and time until it is current, its RSS.
* **ours** — the same cold listing through :class:`tui.sync.DeskSync` into an empty cache,
  then 10 changes and the incremental refresh; and the app starting on that cache (the
  warm start): first rows from the cache, then its sync to current (lookups and changes).

First rows are also given in CPU time: on a loaded machine wall time is mostly waiting
for a core (the load average is printed).

Usage (from the project's venv)::

    python bench/sync.py                    # 100 000 tickets, default rate limit
    python bench/sync.py --tickets 20000    # smaller desk
    python bench/sync.py --rate 50          # override the rate limit (faster, less real)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHANGES = 10
SYNC_ROUTES = frozenset(
    {
        "Tickets/TicketStatus",
        "Tickets/TicketPriority",
        "Tickets/TicketType",
        "Base/Department",
        "Base/Staff",
        "Tickets/Ticket/ListAll",
        "Tickets/Ticket/GetTicketCount",
    }
)


# --------------------------------------------------------------------------- helpers


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB, from /proc/self/status."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def triage_command() -> list[str]:
    script = Path(sys.executable).with_name("triage")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def counting_transport(counter: Counter[str]) -> Any:
    """An HTTP transport that counts requests by Kayako route (``e=/Tickets/Ticket/…``)."""
    import httpx

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            # ``?e=/Route&…`` or ``?/Route&…``: the route is the query's first item.
            route = request.url.query.decode().split("&", 1)[0].removeprefix("e=")
            parts = [p for p in route.replace("%2F", "/").split("/") if p][:3]
            counter["/".join(parts) or request.url.path] += 1
            counter["total"] += 1
            return await super().handle_async_request(request)

    return Counting()


def load_adapter(config_path: Path, counter: Counter[str], rate: float | None) -> Any:
    from tui.config import AppConfig, build_adapters, load_config

    config = load_config(config_path)
    (settings,) = config.connections
    if rate is not None:
        settings = settings.model_copy(update={"rate_limit": rate})
    config = AppConfig(path=config.path, connections=[settings], ui=config.ui)
    (adapter,) = build_adapters(config, {settings.name: counting_transport(counter)})
    return adapter


async def full_listing(adapter: Any) -> list[Any]:
    """Every ticket of the desk, as ``triage tickets`` and the app's first sync list it."""
    from adapters.model import TicketQuery

    tickets: list[Any] = []
    async for page in adapter.list_tickets(TicketQuery()):
        tickets.extend(page.tickets)
    return tickets


async def change_tickets(adapter: Any, tickets: list[Any]) -> list[str]:
    """Edit the subject of ``CHANGES`` of the oldest tickets (as an agent elsewhere would)."""
    from adapters.model import Change

    oldest = sorted(tickets, key=lambda ticket: ticket.updated)[:CHANGES]
    for ticket in oldest:
        await adapter.update(ticket.key.native_id, Change(subject=f"{ticket.subject} (edited)"))
    return [ticket.key.native_id for ticket in oldest]


# --------------------------------------------------------------------------- children


async def run_baseline(config_path: Path, rate: float | None) -> dict[str, Any]:
    counter: Counter[str] = Counter()
    adapter = load_adapter(config_path, counter, rate)
    result: dict[str, Any] = {"mode": "baseline"}
    async with adapter:
        started = time.perf_counter()
        tickets = await full_listing(adapter)
        result["cold_s"] = time.perf_counter() - started
        result["cold_requests"] = counter["total"]
        result["cold_tickets"] = len(tickets)
        result["cold_routes"] = dict(counter)
        changed = await change_tickets(adapter, tickets)
        counter.clear()
        started = time.perf_counter()
        tickets = await full_listing(adapter)
        result["refresh_s"] = time.perf_counter() - started
        result["refresh_requests"] = counter["total"]
        edited = {t.key.native_id for t in tickets if t.subject.endswith("(edited)")}
        result["refresh_saw_changes"] = len(edited & set(changed))
    result["rss_mb"], result["peak_rss_mb"] = rss_mb()
    return result


async def run_ours_cold(config_path: Path, rate: float | None) -> dict[str, Any]:
    """The cold listing through :class:`tui.sync.DeskSync` into an empty cache, then ten
    changes and the refresh that follows (one process, as an app left running)."""
    from datetime import UTC, datetime

    from tui.cache import Cache
    from tui.sync import DeskSync

    counter: Counter[str] = Counter()
    adapter = load_adapter(config_path, counter, rate)
    result: dict[str, Any] = {"mode": "ours"}
    held: dict[str, Any] = {}

    def on_page(page: Any) -> None:
        held.update((ticket.key.native_id, ticket) for ticket in page.tickets)

    async with adapter:
        with Cache() as cache:
            desk_sync = DeskSync(
                adapter, cache=cache.desk(adapter.settings), clock=lambda: datetime.now(UTC)
            )
            started = time.perf_counter()
            # As the app's first sync does: the lookups (kept in the cache), then the listing.
            cache.desk(adapter.settings).save_lookups(await adapter.lookups())
            outcome = await desk_sync.run(on_page, lambda: set(held))
            assert outcome.complete, outcome.error
            result["cold_s"] = time.perf_counter() - started
            result["cold_requests"] = counter["total"]
            result["cold_tickets"] = len(held)
            result["cold_routes"] = dict(counter)
            changed = await change_tickets(adapter, list(held.values()))
            counter.clear()
            started = time.perf_counter()
            outcome = await desk_sync.run(on_page, lambda: set(held))
            assert outcome.complete, outcome.error
            result["refresh_s"] = time.perf_counter() - started
            result["refresh_requests"] = counter["total"]
            result["refresh_routes"] = dict(counter)
            edited = {i for i, t in held.items() if t.subject.endswith("(edited)")}
            result["refresh_saw_changes"] = len(edited & set(changed))
    result["rss_mb"], result["peak_rss_mb"] = rss_mb()
    return result


def run_app_start(config_path: Path, rate: float | None, *, use_cache: bool) -> dict[str, Any]:
    """A new process starting the app (on the cache the cold run left, or without one, as
    before): the time from the app's construction to the first frame that shows tickets
    (wall and CPU), then its sync to current (requests, wall); the app's RSS at the end."""
    started_process = time.perf_counter()
    from textual.drivers.headless_driver import HeadlessDriver

    from tui.app import TriageApp
    from tui.cache import Cache
    from tui.config import AppConfig, load_config
    from tui.outbox import Outbox

    counter: Counter[str] = Counter()
    config = load_config(config_path)
    adapter = load_adapter(config_path, counter, rate)
    config = AppConfig(path=config.path, connections=[adapter.settings], ui=config.ui)
    frames: list[tuple[float, float, int]] = []
    first_tickets: list[float] = []

    class CountingDriver(HeadlessDriver):
        """The headless driver, but Textual renders to it as to a terminal."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            frames.append((time.perf_counter(), time.process_time(), len(data)))

    result: dict[str, Any] = {"mode": "ours" if use_cache else "baseline"}

    async def measure() -> None:
        started, started_cpu = time.perf_counter(), time.process_time()
        outbox = Outbox(Path(os.environ["XDG_DATA_HOME"]) / "bench-outbox.json")
        app = TriageApp(config, [adapter], cache=Cache() if use_cache else None, outbox=outbox)
        app.driver_class = CountingDriver
        async with app.run_test(headless=False, size=(160, 48)):
            screen = app.screen
            # The first frame (not the terminal set-up) written once tickets were in the store.
            while True:
                if not first_tickets and app.store.tickets:
                    first_tickets.append(time.perf_counter())
                painted = [
                    f for f in frames if f[2] > 1000 and first_tickets and f[0] >= first_tickets[0]
                ]
                if painted:
                    break
                await asyncio.sleep(0.002)
                screen._on_timer_update()
            result["first_rows_s"] = painted[0][0] - started
            result["first_rows_cpu_s"] = painted[0][1] - started_cpu
            result["first_rows_from_process_s"] = painted[0][0] - started_process
            desk = app.store.desk(adapter.name)
            while desk.last_sync is None and desk.healthy:  # noqa: ASYNC110 - polling the app
                await asyncio.sleep(0.01)
            result["start_sync_s"] = time.perf_counter() - started
            # The sync's own requests: the lookups and the listing (the detail pane also
            # fetches the cursor ticket's conversation; that is not the sync).
            result["start_sync_requests"] = sum(
                count for route, count in counter.items() if route in SYNC_ROUTES
            )
            result["start_routes"] = dict(counter)
            result["start_tickets"] = len(app.store.tickets)
            result["rss_app_mb"], _ = rss_mb()

    asyncio.run(measure())
    return result


def run_child(mode: str, config_path: Path, rate: float | None) -> None:
    if mode == "baseline":
        result = asyncio.run(run_baseline(config_path, rate))
    elif mode == "ours-cold":
        result = asyncio.run(run_ours_cold(config_path, rate))
    else:
        result = run_app_start(config_path, rate, use_cache=mode == "ours-app")
    print(json.dumps(result), flush=True)


# --------------------------------------------------------------------------- parent


class Simulator:
    """``triage simulate --vendor kayako`` in its own process, its config in a file."""

    def __init__(self, tickets: int, directory: Path) -> None:
        self.config = directory / "sim.toml"
        self.process = subprocess.Popen(
            [*triage_command(), "simulate", "--vendor", "kayako", "--tickets", str(tickets)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        from tui.cli.simulate import SIMULATE_SERVING

        assert self.process.stdout is not None
        lines = []
        for line in self.process.stdout:
            if line.startswith(SIMULATE_SERVING):
                break
            lines.append(line)
        else:
            raise RuntimeError("the simulator stopped before serving")
        self.config.write_text("".join(lines), encoding="utf-8")
        self.config.chmod(0o600)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(mode: str, config: Path, rate: float | None, data_home: Path) -> dict[str, Any]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    command = [sys.executable, __file__, "--child", mode, "--config", str(config)]
    if rate is not None:
        command += ["--rate", str(rate)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} child failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def show(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value}"


APP_FIELDS = (
    "first_rows_s",
    "first_rows_cpu_s",
    "first_rows_from_process_s",
    "start_sync_s",
    "start_sync_requests",
    "rss_app_mb",
)
ROWS = [
    ("cold_requests", "cold full listing: requests", ""),
    ("cold_s", "cold full listing: wall", "s"),
    ("first_rows_s", "app start: first rows painted, wall", "s"),
    ("first_rows_cpu_s", "  the same in CPU time", "s"),
    ("first_rows_from_process_s", "  from process start (imports too)", "s"),
    ("start_sync_requests", "app start: requests to be current", ""),
    ("start_sync_s", "app start: wall until current", "s"),
    ("refresh_requests", f"refresh after {CHANGES} changes: requests", ""),
    ("refresh_s", f"refresh after {CHANGES} changes: wall", "s"),
    ("refresh_saw_changes", "  changes the refresh picked up", ""),
    ("rss_mb", "RSS at the end (listing + refresh)", "MB"),
    ("rss_app_mb", "RSS of the app once current", "MB"),
]


def report(results: list[dict[str, Any]]) -> None:
    print(f"{'':40}" + "".join(f"{r['mode']:>16}" for r in results))
    for field, label, unit in ROWS:
        print(f"{label:40}" + "".join(f"{show(r.get(field), unit):>16}" for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="desk size (100 000)")
    parser.add_argument("--rate", type=float, default=None, help="requests/s (vendor default)")
    parser.add_argument(
        "--child",
        choices=("baseline", "baseline-app", "ours-cold", "ours-app"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.config, args.rate)
        return
    rate = "default rate limit" if args.rate is None else f"{args.rate:g} requests/s"
    size = f"{args.tickets:,}".replace(",", " ")
    print(f"Kayako simulator, {size} tickets, {rate}", flush=True)
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as temp:
        directory = Path(temp)
        simulator = Simulator(args.tickets, directory)
        try:
            baseline = measure("baseline", simulator.config, args.rate, directory / "base")
            base_app = measure("baseline-app", simulator.config, args.rate, directory / "base")
            ours = measure("ours-cold", simulator.config, args.rate, directory / "ours")
            ours_app = measure("ours-app", simulator.config, args.rate, directory / "ours")
        finally:
            simulator.stop()
    for mine, app in ((baseline, base_app), (ours, ours_app)):
        for name in APP_FIELDS:
            mine[name] = app[name]
    report([baseline, ours])
    sync_routes = {r: n for r, n in ours_app["start_routes"].items() if r in SYNC_ROUTES}
    print(f"ours, the app's sync at a warm start, requests by route: {sync_routes}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    targets = [
        ("warm first rows <= 300 ms", ours["first_rows_s"] <= 0.3),
        (f"refresh after {CHANGES} changes <= 3 requests", ours["refresh_requests"] <= 3),
        ("RSS <= 194 MB", max(ours["rss_mb"], ours["rss_app_mb"]) <= 194),
    ]
    print("targets: " + "; ".join(f"{name}: {'ok' if ok else 'MISS'}" for name, ok in targets))


if __name__ == "__main__":
    main()
