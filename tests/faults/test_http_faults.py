"""Hostile desks against the CLI, over real sockets: trickling status line, headers and
body; a refused port; a decompression bomb and an oversized body; credentials echoed in
prose; a desk that never answers beside a healthy one. Each case asserts its bound."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.cli import main

from .conftest import HostileServer, Received, at_once, gzip_bomb, response, trickle

TRIAGE = Path(sys.executable).with_name("triage")
OK_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<departments></departments>\n'
TIMEOUT = 1.0
"""The connections' ``timeout``: the deadline of one request, in seconds."""
CHECK_BOUND = 2 * TIMEOUT + 2.5
"""A check against a desk that never completes an answer: two attempts of one deadline
each, a backoff, and the start of the process."""


def trickled_status(request: Received) -> AsyncIterator[bytes]:
    return trickle(response(200, OK_XML), 0.05)


def trickled_headers(request: Received) -> AsyncIterator[bytes]:
    whole = response(200, OK_XML, {"X-Padding": "p" * 200})
    head, _, _ = whole.partition(b"\r\n")

    async def chunks() -> AsyncIterator[bytes]:
        yield head + b"\r\n"
        async for byte in trickle(whole[len(head) + 2 :], 0.05):
            yield byte

    return chunks()


def trickled_body(request: Received) -> AsyncIterator[bytes]:
    body = OK_XML + b"<!--" + b"x" * 400 + b"-->"
    whole = response(200, body)
    head = whole[: len(whole) - len(body)]

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        async for byte in trickle(body, 0.05):
            yield byte

    return chunks()


def run_cli(*args: str, transports: Any = None) -> tuple[int, str, str, float]:
    """``main(args)`` in this process with stdout and stderr captured; its duration."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), transports=transports)
    return code, out.getvalue(), err.getvalue(), time.monotonic() - started


@pytest.mark.parametrize(
    "behaviour",
    [trickled_status, trickled_headers, trickled_body],
    ids=["status-line", "headers", "body"],
)
def test_a_trickling_desk_fails_check_within_the_deadline(
    behaviour: Callable[[Received], AsyncIterator[bytes]],
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    server = hostile(behaviour, lifetime=30.0)
    path = kayako_config(timeout=TIMEOUT, slow=server.url)
    code, out, _, elapsed = run_cli("--config", str(path), "check")
    assert code == 1
    assert elapsed < CHECK_BOUND, f"check took {elapsed:.1f} s"
    [line] = out.splitlines()
    assert line.startswith("slow") and "unreachable" in line
    assert f"no complete answer within {TIMEOUT:g} s" in line
    # Two attempts at most, each cut at the deadline.
    assert len(server.received) <= 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_refused_port_is_tried_twice_and_said_once(
    kayako_config: Callable[..., Path],
) -> None:
    path = kayako_config(timeout=TIMEOUT, gone=f"http://127.0.0.1:{_free_port()}")
    code, out, err, elapsed = run_cli("--config", str(path), "check")
    assert code == 1
    assert elapsed < 3.0
    assert "gave up after 2 attempts" in out
    # The default verbosity prints nothing per attempt: the check's line is all.
    assert err == ""


def test_a_name_that_does_not_resolve_is_tried_once(
    kayako_config: Callable[..., Path],
) -> None:
    path = kayako_config(timeout=TIMEOUT, nowhere="http://desk.invalid")
    code, out, err, _ = run_cli("--config", str(path), "check")
    assert code == 1
    assert "nowhere" in out and "unreachable" in out
    assert "gave up after" not in out  # one attempt: nothing to give up on
    assert err.count("\n") <= 1  # at most the plain-http warning


def test_tickets_does_not_wait_for_a_desk_that_never_answers(
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    from adapters.kayako import simulator

    os.environ["HOSTILE_KAYAKO_KEY"] = simulator.API_KEY
    os.environ["HOSTILE_KAYAKO_SECRET"] = simulator.SECRET_KEY
    server = hostile(trickled_status, lifetime=30.0)
    path = kayako_config(timeout=TIMEOUT, healthy="https://healthy.test", slow=server.url)
    app = simulator.create_app(tickets=12)
    code, out, err, elapsed = run_cli(
        "--config",
        str(path),
        "tickets",
        "--csv",
        transports={"healthy": httpx.ASGITransport(app=app)},
    )
    assert code == 1
    assert elapsed < CHECK_BOUND + 1.0, f"tickets took {elapsed:.1f} s"
    rows = out.splitlines()[1:]
    assert len(rows) == 12 and all(row.startswith("healthy:") for row in rows)
    [line] = [line for line in err.splitlines() if "warning" not in line]
    assert line.startswith("triage: slow: ") and "no complete answer" in line


def _peak_rss_of(argv: list[str], limit: float) -> tuple[int, str, int, float]:
    """Run ``argv``; its exit status, stderr, peak resident memory in MB, and duration."""
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    try:
        stderr = asyncio.run(asyncio.wait_for(asyncio.to_thread(process.stderr.read), limit))
    finally:
        process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stderr.decode(), usage.ru_maxrss // 1024, time.monotonic() - started


def test_a_gzip_bomb_stops_early_with_a_protocol_error(
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    server = hostile(lambda request: gzip_bomb(5 * 1024**3), lifetime=30.0)
    path = kayako_config(timeout=10.0, bomb=server.url)
    code, err, rss_mb, elapsed = _peak_rss_of(
        [str(TRIAGE), "--config", str(path), "tickets"], limit=20
    )
    assert code == 1
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "warning" not in line]
    assert line.startswith("triage: bomb: malformed response: the body expands more than 100")
    assert rss_mb < 200, f"peak RSS {rss_mb} MB"
    assert elapsed < 10


def test_an_oversized_body_stops_at_the_configured_cap(
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    async def endless(request: Received) -> AsyncIterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n<a>"
        for _ in range(200):
            yield b"x" * (1024 * 1024)

    server = hostile(endless, lifetime=30.0)
    path = kayako_config(timeout=10.0, big=server.url)
    path.write_text(path.read_text() + "max_response_mb = 8\n", encoding="utf-8")
    code, err, rss_mb, elapsed = _peak_rss_of(
        [str(TRIAGE), "--config", str(path), "tickets"], limit=20
    )
    assert code == 1
    assert "Traceback" not in err
    assert "the body is larger than 8.0 MB decoded" in err
    # Without the cap the 200 MB body alone would be held, on top of the interpreter and
    # the app's modules (about 100 MB here); with it, a few 8 MB answers at most.
    assert rss_mb < 200, f"peak RSS {rss_mb} MB"
    assert elapsed < 10


def test_echoed_credentials_in_prose_are_redacted(
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    def echo(request: Received) -> AsyncIterator[bytes]:
        params = request.params
        prose = (
            f"Access denied. We computed a different signature than {params['signature']} "
            f"for the salt {params['salt']} and key {params['apikey']}; please check."
        )
        return at_once(response(401, prose.encode()))

    server = hostile(echo, lifetime=30.0)
    path = kayako_config(timeout=TIMEOUT, echo=server.url)
    code, out, err, _ = run_cli("-v", "--config", str(path), "check")
    assert code == 1
    [request] = server.received
    params = request.params
    for value in (params["signature"], params["salt"], params["apikey"]):
        assert value not in out and value not in err
    assert "We computed a different signature than ***" in out


@pytest.mark.parametrize("command", [["check"], ["tickets"], ["show", "slow:1"]])
def test_the_whole_command_is_bounded_by_its_deadline(
    command: list[str],
    hostile: Callable[..., HostileServer],
    kayako_config: Callable[..., Path],
) -> None:
    # Each request may take 5 s (and two attempts), but the command gives the desk 1 s.
    server = hostile(trickled_status, lifetime=30.0)
    path = kayako_config(timeout=5.0, slow=server.url)
    code, out, err, elapsed = run_cli("--config", str(path), "--deadline", "1", *command)
    assert code == 1
    assert elapsed < 2.5, f"{command[0]} took {elapsed:.1f} s"
    assert "no complete answer within 1 s (the command's --deadline)" in out + err
