"""End to end over a real socket: ``triage simulate`` in one process, its printed config
used by ``triage tickets --json`` in another."""

from __future__ import annotations

import json
import os
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
        # The simulator's published demo credentials sit in the snippet in clear: they
        # are no secret, so there is no plain-text warning for them.
        assert "plain text" not in listing.stderr
        assert listing.stderr == ""
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


FILTER = """
import json, sys
tickets = json.load(sys.stdin)
chosen = [t for t in tickets if t["status"] and t["status"]["category"] in ("new", "open")]
json.dump(chosen[:3], sys.stdout)
"""


@pytest.mark.loopback
def test_tickets_json_through_a_filter_into_close(tmp_path: Path) -> None:
    """``triage tickets --json | <filter> | triage close -`` over a real socket, as a
    script on a jump host would do it; then ``show`` confirms each ticket is closed."""
    server = subprocess.Popen(
        [str(TRIAGE), "simulate", "--vendor", "kayako", "--port", "0", "--tickets", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(90, server.kill)
    watchdog.start()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    try:
        assert server.stdout is not None
        lines: list[str] = []
        for line in server.stdout:
            lines.append(line)
            if line.rstrip("\n") == SIMULATE_SERVING:
                break
        config = tmp_path / "sim.toml"
        config.write_text("".join(lines), encoding="utf-8")
        base = [str(TRIAGE), "--config", str(config)]
        listing = subprocess.Popen(
            [*base, "tickets", "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        chooser = subprocess.Popen(
            [sys.executable, "-c", FILTER],
            stdin=listing.stdout,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert listing.stdout is not None
        listing.stdout.close()  # the chooser owns the pipe now
        closing = subprocess.run(
            [*base, "close", "-", "--note", "Closed from a script", "--json"],
            stdin=chooser.stdout,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert listing.wait(timeout=30) == 0
        assert chooser.wait(timeout=30) == 0
        assert closing.returncode == 0, closing.stderr
        results = json.loads(closing.stdout)
        assert len(results) == 3
        assert all(item["ok"] and item["action"] == "close" for item in results)
        for item in results:
            shown = subprocess.run(
                [*base, "show", item["key"], "--json"],
                capture_output=True,
                text=True,
                timeout=60,
                env=env,
            )
            assert shown.returncode == 0, shown.stderr
            detail = json.loads(shown.stdout)
            assert detail["ticket"]["status"]["category"] in ("closed", "resolved")
            assert any("Closed from a script" in post["body"] for post in detail["posts"])
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        finally:
            watchdog.cancel()
            if server.poll() is None:
                server.kill()
            for stream in (server.stdout, server.stderr):
                if stream is not None:
                    stream.close()
