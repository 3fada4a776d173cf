"""End to end over a real socket: ``triage simulate`` in one process, its printed config
used by ``triage tickets --json`` in another."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.cli.simulate import SIMULATE_SERVING

TRIAGE = Path(sys.executable).with_name("triage")


@pytest.mark.loopback
def test_simulate_then_list_its_tickets(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [str(TRIAGE), "simulate", "--vendor", "kayako", "--port", "0", "--tickets", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Reading the snippet blocks; a server that never gets ready must not hang the suite.
    watchdog = threading.Timer(60, server.kill)
    watchdog.start()
    try:
        assert server.stdout is not None
        lines: list[str] = []
        for line in server.stdout:
            lines.append(line)
            if line.rstrip("\n") == SIMULATE_SERVING:
                break
        snippet = "".join(lines)
        assert SIMULATE_SERVING in snippet, snippet
        port = re.search(r'url = "http://127\.0\.0\.1:(\d+)/', snippet)
        assert port is not None, snippet
        assert int(port.group(1)) > 0
        assert f"127.0.0.1:{port.group(1)} " in lines[0]

        config = tmp_path / "sim.toml"
        config.write_text(snippet, encoding="utf-8")
        listing = subprocess.run(
            [str(TRIAGE), "--config", str(config), "tickets", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listing.returncode == 0, listing.stderr
        tickets = json.loads(listing.stdout)
        assert len(tickets) == 30
        assert {ticket["key"][0] for ticket in tickets} == {"kayako"}
        # The simulator's demo credentials sit in the snippet in clear: said on stderr.
        assert "plain text" in listing.stderr
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        finally:
            watchdog.cancel()
            if server.poll() is None:
                server.kill()
            if server.stdout is not None:
                server.stdout.close()
            if server.stderr is not None:
                server.stderr.close()
    assert server.returncode == 0
