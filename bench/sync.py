"""Sync at scale: what a start and a refresh cost against a big Kayako desk.

Serves ``triage simulate --vendor kayako --tickets N`` (100 000 by default) in its own
process and measures the client against it over loopback, with the connection's default
settings (Kayako's 5 requests a second), in child processes so that each RSS is the
client's alone:

* **baseline** — what triage did before the cache: a cold full listing of the desk
  (requests, wall time), the time until the first rows could be shown (the first page to
  arrive, since there was nothing else to show), and a refresh after 10 tickets changed,
  which lists the whole desk again (requests, wall time); RSS at the end.

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
            route = request.url.params.get("e", "") or request.url.query.decode()
            parts = [p for p in route.split("/") if p][:3]
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


async def full_listing(adapter: Any, on_first: Any = None) -> list[Any]:
    """Every ticket of the desk, as ``triage tickets`` and the app's first sync list it."""
    from adapters.model import TicketQuery

    tickets: list[Any] = []
    async for page in adapter.list_tickets(TicketQuery()):
        if not tickets and page.tickets and on_first is not None:
            on_first()
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
        first: list[float] = []
        tickets = await full_listing(adapter, lambda: first.append(time.perf_counter()))
        result["cold_s"] = time.perf_counter() - started
        result["cold_requests"] = counter["total"]
        result["cold_tickets"] = len(tickets)
        result["first_rows_s"] = first[0] - started if first else None
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


def run_child(mode: str, config_path: Path, rate: float | None) -> None:
    result = asyncio.run(run_baseline(config_path, rate))
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


ROWS = [
    ("cold_requests", "cold full listing: requests", ""),
    ("cold_s", "cold full listing: wall", "s"),
    ("first_rows_s", "start: time to first rows", "s"),
    ("refresh_requests", f"refresh after {CHANGES} changes: requests", ""),
    ("refresh_s", f"refresh after {CHANGES} changes: wall", "s"),
    ("refresh_saw_changes", "  changes the refresh picked up", ""),
    ("rss_mb", "RSS at the end", "MB"),
]


def report(results: list[dict[str, Any]]) -> None:
    print(f"{'':40}" + "".join(f"{r['mode']:>16}" for r in results))
    for field, label, unit in ROWS:
        print(f"{label:40}" + "".join(f"{show(r.get(field), unit):>16}" for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="desk size (100 000)")
    parser.add_argument("--rate", type=float, default=None, help="requests/s (vendor default)")
    parser.add_argument("--child", choices=("baseline",), help=argparse.SUPPRESS)
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
            baseline = measure("baseline", simulator.config, args.rate, directory / "data")
        finally:
            simulator.stop()
    report([baseline])


if __name__ == "__main__":
    main()
