"""Ticket list at scale: triage's TicketList next to Textual's DataTable, same data, same run.

For each widget, in its own child process (so that RSS is the widget's, not the sum):
time to first paint; cursor-down latency and bytes written to the terminal per press over
runs of ↓ through three pages (median, mean bytes, and split into presses that move within
the page and presses that scroll); page-down latency and bytes; filter-keystroke latency
(typing queries one character at a time into an Input); RSS. Then the ratios and the
issue's targets.

Usage (from the project's venv)::

    python bench/list.py                 # 100 000 tickets, 160x48
    python bench/list.py --quick         # 20 000 tickets, fewer repetitions
    python bench/list.py --rows 50000 --budget 120 --cursor-style row

How it measures: the app runs under ``App.run_test`` with a driver that is the headless one
except that it reports itself as a real terminal, so Textual renders every frame to
escape sequences and the driver counts the bytes. After each key press the frame is
rendered at once (``Screen._on_timer_update``) instead of waiting for the next 60 Hz tick,
so a latency is the key's handling plus its render, without frame pacing. DataTable has
no filter of its own; its keystroke is what an app would have to do: ``clear()`` and
``add_rows()`` the tickets that match (found with the same ``tui.listing`` filter).
DataTable is given a time budget (``--budget``, seconds for the whole child); past it the
child is stopped and the figures it had not reached read ``> budget``, and DataTable is
measured again at a tenth of the rows, labelled as such.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = ROOT / "styles" / "ticket_list.tcss"
NOW = datetime(2025, 11, 24, 12, 0, tzinfo=UTC)

TARGETS = {
    "down_ms": 4.0,
    "pgdn_ms": 15.0,
    "down_bytes": 500.0,
    "filter_ms": 30.0,
    "rss_mb": 250.0,
}
QUERIES = ("printer", "status:open", "assignee:ana", "kayako:12", "-status:closed refund")


# --------------------------------------------------------------------------- data


def build_tickets(count: int, seed: int = 7) -> list[Any]:
    """``count`` deterministic tickets over five desks, shaped like real list pages:
    lookups shared per desk, a pool of requesters, a year of update times."""
    from adapters.model import Choice, Person, StatusCategory, Ticket, TicketKey

    rnd = random.Random(seed)
    desks = ["kayako", "halo", "cwise", "invgate", "kapture"]
    status_names = [
        ("New", StatusCategory.NEW),
        ("Open", StatusCategory.OPEN),
        ("In Progress", StatusCategory.OPEN),
        ("Waiting on customer", StatusCategory.PENDING),
        ("On Hold", StatusCategory.PENDING),
        ("Resolved", StatusCategory.RESOLVED),
        ("Closed", StatusCategory.CLOSED),
    ]
    statuses = {
        desk: [Choice(id=str(i), label=n, category=c) for i, (n, c) in enumerate(status_names)]
        for desk in desks
    }
    priorities = {
        desk: [
            Choice(id=str(rank), label=label, rank=rank)
            for rank, label in enumerate(["Critical", "High", "Medium", "Low", "Lowest"], 1)
        ]
        for desk in desks
    }
    groups = {
        desk: [Choice(id=str(i), label=g) for i, g in enumerate(["Support", "Billing", "Ops"])]
        for desk in desks
    }
    first = ["Ana", "Bo", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo"]
    last = ["Lima", "Ng", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka"]
    agents = [
        Person(id=str(i), name=f"{first[i % 10]} {last[i % 8]}", email=f"agent{i}@example.com")
        for i in range(24)
    ]
    requesters = [
        Person(name=f"{rnd.choice(first)} {rnd.choice(last)}", email=f"user{i}@customer.test")
        for i in range(5000)
    ]
    words = [
        *("printer", "fire", "invoice", "refund", "login", "password", "reset", "vpn"),
        *("laptop", "screen", "slow", "email", "outage", "billing", "upgrade", "cancel"),
        *("contract", "report", "error", "crash", "sync", "mobile", "app", "license"),
        *("access", "request", "urgent", "broken", "update", "install", "network"),
    ]
    tickets = []
    for index in range(count):
        desk = desks[index % len(desks)]
        display_id = str(10_000 + index)
        updated = NOW - timedelta(seconds=rnd.randint(0, 365 * 86_400))
        due = updated + timedelta(hours=rnd.randint(-48, 96)) if rnd.random() < 0.4 else None
        tickets.append(
            Ticket(
                key=TicketKey(desk, display_id),
                display_id=display_id,
                subject=" ".join(rnd.choices(words, k=rnd.randint(3, 9))).capitalize(),
                status=rnd.choice(statuses[desk]),
                priority=rnd.choice(priorities[desk]) if rnd.random() < 0.9 else None,
                requester=rnd.choice(requesters),
                assignee=rnd.choice(agents) if rnd.random() < 0.7 else None,
                group=rnd.choice(groups[desk]),
                created=updated - timedelta(days=rnd.randint(0, 30)),
                updated=updated,
                due=due,
            )
        )
    return tickets


# --------------------------------------------------------------------------- child


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB, from /proc/self/status."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def run_child(widget: str, rows: int, size: tuple[int, int], quick: bool, style: str) -> None:
    """Measure one widget and print one JSON object on stdout."""
    os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "truecolor")
    from textual import events
    from textual.app import App, ComposeResult
    from textual.drivers.headless_driver import HeadlessDriver
    from textual.widgets import DataTable, Input

    from tui.listing import cell_text, parse_filter, sort_tickets
    from tui.widgets.ticket_list import TicketList
    from tui.workers import settle_heap

    started_build = time.perf_counter()
    tickets = build_tickets(rows)
    build_s = time.perf_counter() - started_build
    rss_data, _ = rss_mb()
    result: dict[str, Any] = {"widget": widget, "rows": rows, "build_s": build_s}
    result["rss_data_mb"] = rss_data

    columns = ("key", "subject", "status", "priority", "assignee", "group", "updated", "due")

    def table_row(ticket: Any) -> tuple[str, ...]:
        return tuple(cell_text(name, ticket, NOW, UTC) for name in columns)

    writes: list[tuple[float, int, str]] = []

    class CountingDriver(HeadlessDriver):
        """The headless driver, but Textual renders to it as to a terminal."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            writes.append((time.perf_counter(), len(data.encode("utf-8")), data))

    top = sort_tickets(tickets)[0] if widget == "ticketlist" else tickets[0]
    top_text = f"{top.key.connection}:{top.display_id}"

    class Bench(App[None]):
        CSS_PATH = str(STYLESHEET)
        CSS = "Input { dock: top; }"

        def compose(self) -> ComposeResult:
            yield Input(id="filter")
            if widget == "ticketlist":
                yield TicketList(tickets, now=lambda: NOW, tz=UTC, cursor_style=style)  # type: ignore[arg-type]
            else:
                yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            if widget == "datatable":
                table = self.query_one(DataTable)
                table.add_columns(*columns)
                table.add_rows(table_row(ticket) for ticket in tickets)
            self.query_one("#filter").can_focus = True

        def on_input_changed(self, event: Input.Changed) -> None:
            if widget == "ticketlist":
                self.query_one(TicketList).apply_filter(event.value)
            else:
                table = self.query_one(DataTable)
                matching = parse_filter(event.value)
                table.clear()
                table.add_rows(table_row(t) for t in tickets if matching.matches(t))

    app = Bench(driver_class=CountingDriver)

    async def measure() -> None:
        started = time.perf_counter()
        async with app.run_test(headless=False, size=size) as pilot:
            screen = app.screen

            def frame() -> None:
                screen._on_timer_update()

            # First paint: the first frame that shows the top row.
            while not any(top_text in data for _, _, data in writes):
                await asyncio.sleep(0.005)
                frame()
            painted = next(t for t, _, data in writes if top_text in data)
            result["first_paint_s"] = painted - started
            # What the app does once a desk's first listing is in (tui.workers): without it
            # a full collection walks every ticket now and then, a pause under some key.
            settle_heap()
            emit(result)

            nodes = [app, *screen.walk_children(with_self=True)]

            async def settle() -> None:
                # The key travels app -> focused widget -> bindings; wait until every queue
                # on the way is empty (Pilot.press would also sleep until the CPU idles).
                await pilot._wait_for_screen()
                while any(node._message_queue.qsize() for node in nodes):
                    await pilot._wait_for_screen()

            def pending() -> bool:
                # DataTable measures new rows on its next idle; count that work too.
                if widget == "ticketlist":
                    return False
                table = app.query_one(DataTable)
                return bool(table._require_update_dimensions or table._new_rows)

            async def timed(key: str) -> tuple[float, int]:
                character = {"space": " ", "colon": ":", "minus": "-"}.get(key, key)
                before = len(writes)
                t0 = time.perf_counter()
                app.post_message(events.Key(key, character if len(character) == 1 else None))
                await settle()
                frame()
                while pending():
                    await asyncio.sleep(0)
                    await settle()
                    frame()
                elapsed = time.perf_counter() - t0
                return elapsed * 1000, sum(n for _, n, _ in writes[before:])

            target = app.query_one(TicketList if widget == "ticketlist" else DataTable)
            target.focus()
            await pilot.pause()
            frame()
            page = size[1] - 3  # input box and header take the rest
            reps = 3 if quick else 10

            # ↓ through three pages from the top, several times: the presses that move
            # within the page and those that scroll, as a user holding ↓ would mix them.
            steps: list[tuple[float, int, bool]] = []
            for _ in range(reps):
                await pilot.press("home")
                frame()
                for _ in range(3 * page):
                    top = target.scroll_offset.y
                    elapsed, written = await timed("down")
                    steps.append((elapsed, written, target.scroll_offset.y != top))
            pgdn: list[tuple[float, int]] = []
            await pilot.press("home")
            frame()
            for _ in range(reps * 5):
                pgdn.append(await timed("pagedown"))
            moved = [(t, b) for t, b, scrolled in steps if not scrolled]
            scrolled = [(t, b) for t, b, scrolled in steps if scrolled]
            result["down_ms"] = median([t for t, _, _ in steps])
            result["down_bytes"] = median([float(b) for _, b, _ in steps])
            result["down_mean_bytes"] = statistics.fmean(float(b) for _, b, _ in steps)
            result["down_scroll_share"] = len(scrolled) / len(steps)
            result["in_page_ms"] = median([t for t, _ in moved])
            result["in_page_bytes"] = median([float(b) for _, b in moved])
            result["edge_ms"] = median([t for t, _ in scrolled])
            result["edge_bytes"] = median([float(b) for _, b in scrolled])
            result["pgdn_ms"] = median([t for t, _ in pgdn])
            result["pgdn_bytes"] = median([float(b) for _, b in pgdn])
            result["moves"] = len(steps) + len(pgdn)
            emit(result)

            filter_box = app.query_one(Input)
            filter_box.focus()
            await pilot.pause()
            keystrokes: list[float] = []
            for query in QUERIES[:2] if quick else QUERIES:
                filter_box.value = ""
                await pilot.pause()
                frame()
                for character in query:
                    key = {" ": "space", ":": "colon", "-": "minus"}.get(character, character)
                    elapsed, _ = await timed(key)
                    keystrokes.append(elapsed)
                    result.setdefault("filter_each", []).append(round(elapsed, 1))
                    result["filter_ms"] = median(keystrokes)
                    result["filter_max_ms"] = max(keystrokes)
                    result["filter_keys"] = len(keystrokes)
                    emit(result)
            result["done"] = True
            emit(result)

    asyncio.run(measure())


def emit(result: dict[str, Any]) -> None:
    # Progress lines: if the parent stops a slow child, it keeps the last figures. Written
    # to the file descriptor because a running App captures sys.stdout.
    result["rss_mb"], result["rss_peak_mb"] = rss_mb()
    os.write(1, (json.dumps(result) + "\n").encode())


# --------------------------------------------------------------------------- parent


def measure(
    widget: str, rows: int, size: tuple[int, int], quick: bool, budget: float, style: str
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        widget,
        "--rows",
        str(rows),
        "--size",
        f"{size[0]}x{size[1]}",
        "--cursor-style",
        style,
    ]
    if quick:
        command.append("--quick")
    last: dict[str, Any] = {"widget": widget, "rows": rows}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT) as child:
        assert child.stdout is not None
        deadline = time.monotonic() + budget
        for line in _lines_until(child, deadline):
            last = json.loads(line)
        if child.poll() is None:
            child.kill()
            last["over_budget"] = True
        child.wait()
    return last


def _lines_until(child: subprocess.Popen[str], deadline: float) -> Iterator[str]:
    import selectors

    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=remaining):
                continue
            line = child.stdout.readline()
            if not line:
                return
            yield line


ROWS: list[tuple[str, str, str, Callable[[float], str]]] = [
    ("first_paint_s", "time to first paint", "", lambda v: f"{v * 1000:.0f} ms"),
    ("down_ms", "↓ (median of a 3-page run)", "down_ms", lambda v: f"{v:.2f} ms"),
    ("down_bytes", "bytes per ↓ (median)", "down_bytes", lambda v: f"{v:.0f} B"),
    ("down_mean_bytes", "bytes per ↓ (mean)", "", lambda v: f"{v:.0f} B"),
    ("down_scroll_share", "  share of ↓ that scroll", "", lambda v: f"{v * 100:.0f} %"),
    ("in_page_ms", "  ↓ within the page", "", lambda v: f"{v:.2f} ms"),
    ("in_page_bytes", "  bytes per ↓ within the page", "", lambda v: f"{v:.0f} B"),
    ("edge_ms", "  ↓ that scrolls", "", lambda v: f"{v:.2f} ms"),
    ("edge_bytes", "  bytes per ↓ that scrolls", "", lambda v: f"{v:.0f} B"),
    ("pgdn_ms", "PgDn", "pgdn_ms", lambda v: f"{v:.2f} ms"),
    ("pgdn_bytes", "bytes per PgDn", "", lambda v: f"{v:.0f} B"),
    ("filter_ms", "filter keystroke (median)", "filter_ms", lambda v: f"{v:.2f} ms"),
    ("filter_max_ms", "filter keystroke (worst)", "", lambda v: f"{v:.2f} ms"),
    ("rss_mb", "RSS at the end", "rss_mb", lambda v: f"{v:.0f} MB"),
    ("rss_data_mb", "  of which the tickets + Python", "", lambda v: f"{v:.0f} MB"),
]


RATIO_FIELDS = {
    "first_paint_s",
    "down_ms",
    "down_bytes",
    "down_mean_bytes",
    "in_page_ms",
    "in_page_bytes",
    "edge_ms",
    "edge_bytes",
    "pgdn_ms",
    "pgdn_bytes",
    "filter_ms",
    "filter_max_ms",
    "rss_mb",
}


def report(results: list[dict[str, Any]], budget: float) -> None:
    headers = [_label(result) for result in results]
    print(f"{'':34}" + "".join(f"{h:>22}" for h in headers) + f"{'ratio':>10}{'target':>12}")
    for field, label, target_field, show in ROWS:
        cells = []
        for result in results:
            value = result.get(field)
            if value is None:
                cells.append("> budget" if result.get("over_budget") else "n/a")
            else:
                cells.append(show(value))
        ours, base = results[0].get(field), results[1].get(field)
        comparable = results[1]["rows"] == results[0]["rows"] and field in RATIO_FIELDS
        ratio = f"{base / ours:.1f}x" if ours and base and comparable else ""
        target = ""
        if target_field and ours is not None:
            limit = TARGETS[target_field]
            unit = {"down_bytes": " B", "rss_mb": " MB"}.get(target_field, " ms")
            target = f"<= {limit:g}{unit} {'ok' if ours <= limit else 'MISS'}"
        print(f"{label:34}" + "".join(f"{c:>22}" for c in cells) + f"{ratio:>10}  {target}")
    for result in results:
        if result.get("over_budget"):
            if "first_paint_s" not in result:
                reached = "the first paint"
            elif "down_ms" not in result:
                reached = "cursor moves"
            else:
                reached = "the filter"
            keys = result.get("filter_keys", 0)
            print(
                f"{_label(result)}: stopped at the {budget:g} s budget, in {reached}"
                + (f"; its filter figures cover {keys} keystrokes" if keys else "")
                + "; its RSS is at that moment"
            )
    for result in results[2:]:
        print(f"(also measured at a tenth of the rows: {_label(result)})")
    print(f"ratio = DataTable / TicketList at the same row count; budget {budget:g} s per widget")


def _label(result: dict[str, Any]) -> str:
    name = "TicketList" if result["widget"] == "ticketlist" else "DataTable"
    return f"{name} {result['rows']:,}".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="tickets (default 100 000)")
    parser.add_argument("--quick", action="store_true", help="20 000 tickets, fewer repeats")
    parser.add_argument("--size", default="160x48", help="terminal size (default 160x48)")
    parser.add_argument("--budget", type=float, default=90.0, help="seconds per widget")
    parser.add_argument("--cursor-style", choices=("arrow", "row"), default="arrow")
    parser.add_argument("--child", choices=("ticketlist", "datatable"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = args.rows or (20_000 if args.quick else 100_000)
    width, _, height = args.size.partition("x")
    size = (int(width), int(height))
    if args.child:
        run_child(args.child, rows, size, args.quick, args.cursor_style)
        return
    print(
        f"{rows:,} tickets, {size[0]}x{size[1]}, cursor style {args.cursor_style}".replace(",", " ")
    )
    ours = measure("ticketlist", rows, size, args.quick, args.budget, args.cursor_style)
    base = measure("datatable", rows, size, args.quick, args.budget, args.cursor_style)
    results = [ours, base]
    if not base.get("done") and rows >= 10_000:
        results.append(
            measure("datatable", rows // 10, size, args.quick, args.budget, args.cursor_style)
        )
    report(results, args.budget)


if __name__ == "__main__":
    main()
