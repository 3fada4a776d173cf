"""Fixtures of the fault suite: a hostile HTTP server posing as a desk, a config that
points a connection at it, and a real terminal (tmux) to run triage in and hang up on.

The hostile server speaks raw HTTP/1.1 over asyncio sockets on 127.0.0.1 (no framework
between it and the bytes), so that it can trickle the status line, the headers or the body
a byte at a time, stream a decompression bomb lazily, or answer with anything at all. It
runs in a thread of its own (the CLI under test runs its own event loop), answers at most
``max_requests`` requests, and stops by itself after ``lifetime`` seconds, whatever the
test does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import subprocess
import threading
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest


@dataclass
class Received:
    """One request as the hostile server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters together (Kayako signs in either)."""
        query = urlsplit(self.target).query
        values = dict(parse_qsl(query, keep_blank_values=True))
        if self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            values.update(parse_qsl(self.body.decode("latin-1"), keep_blank_values=True))
        return values


Behaviour = Callable[[Received], AsyncIterator[bytes]]
"""What the server sends back for one request: chunks, each written and drained in turn
(an empty chunk is a pause point only)."""


@dataclass
class HostileServer:
    """A desk that misbehaves as ``behaviour`` says, on 127.0.0.1, for a bounded time."""

    behaviour: Behaviour
    max_requests: int = 20
    lifetime: float = 60.0
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HostileServer:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has ended already
                loop.call_soon_threadsafe(stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.run(self._serve(ready))

    async def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        tasks: set[asyncio.Task[None]] = set()

        async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            if task is not None:
                tasks.add(task)
            try:
                await self._answer(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
                pass
            finally:
                writer.close()
                if task is not None:
                    tasks.discard(task)

        server = await asyncio.start_server(connected, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        async with server:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.lifetime)
            server.close()
            for task in list(tasks):
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while len(self.received) < self.max_requests:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            body = await reader.readexactly(length) if length else b""
            request = Received(method, target, headers, body)
            self.received.append(request)
            async for chunk in self.behaviour(request):
                if chunk:
                    writer.write(chunk)
                await writer.drain()
            # Every answer here ends the connection (no keep-alive to reason about).
            return


def response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response that closes the connection."""
    lines = [f"HTTP/1.1 {status} Whatever"]
    merged = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    lines += [f"{name}: {value}" for name, value in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def trickle(data: bytes, interval: float) -> AsyncIterator[bytes]:
    """``data`` one byte at a time, ``interval`` seconds apart."""

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(len(data)):
            yield data[index : index + 1]
            await asyncio.sleep(interval)

    return chunks()


async def at_once(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def gzip_bomb(decoded_limit: int) -> AsyncIterator[bytes]:
    """Headers claiming gzip, then a gzip stream of zeros made lazily: about a thousandth
    of the decoded size on the wire, and only as much as the client reads."""
    yield (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n"
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1024 * 1024)
    produced = 0
    while produced < decoded_limit:
        produced += len(zeros)
        chunk = compressor.compress(zeros)
        if chunk:
            yield chunk
    yield compressor.flush()


@pytest.fixture
def hostile() -> Iterator[Callable[..., HostileServer]]:
    """Start a :class:`HostileServer` (``hostile(behaviour, max_requests=…)``); every one
    started is stopped at the end of the test."""
    started: list[HostileServer] = []

    def start(behaviour: Behaviour, **options: float) -> HostileServer:
        server = HostileServer(behaviour, **options)  # type: ignore[arg-type]
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


KAYAKO_BLOCK = """
[connections.{name}]
vendor = "kayako"
url = "{url}/api/index.php"
api_key = {{ env = "HOSTILE_KAYAKO_KEY" }}
secret_key = {{ env = "HOSTILE_KAYAKO_SECRET" }}
staff_id = 1
timeout = {timeout}
"""
API_KEY = "hostile-api-key-5a1t"
SECRET_KEY = "hostile-secret-key-9c2e"


@pytest.fixture
def kayako_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """A private config file with one Kayako connection per ``name=url`` given."""
    monkeypatch.setenv("HOSTILE_KAYAKO_KEY", API_KEY)
    monkeypatch.setenv("HOSTILE_KAYAKO_SECRET", SECRET_KEY)

    def write(timeout: float = 2.0, **urls: str) -> Path:
        path = tmp_path / "hostile.toml"
        text = "".join(
            KAYAKO_BLOCK.format(name=name, url=url, timeout=timeout) for name, url in urls.items()
        )
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        return path

    return write


class Terminal:
    """A private tmux server (its own socket) running sessions of 80x24."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
        )
        return result.stdout

    def start(self, session: str, argv: Sequence[str]) -> int:
        """Run ``argv`` in a new session; the pid of the process in its pane."""
        command = shlex.join(["env", *(f"{k}={v}" for k, v in self.env.items()), *argv])
        self.tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
        # ``env`` execs the command: the pane's process is the command itself.
        return int(self.tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def screen(self, session: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", session)

    def keys(self, session: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", session, *keys)

    def type(self, session: str, text: str) -> None:
        self.tmux("send-keys", "-t", session, "-l", text)

    def hang_up(self, session: str) -> None:
        """Close the session's terminal, as a dropped SSH link does: the process in it gets
        SIGHUP from the kernel and from tmux."""
        self.tmux("kill-session", "-t", session)

    def wait(
        self, session: str, condition: Callable[[str], bool], what: str, limit: float = 60.0
    ) -> str:
        """The screen once ``condition`` holds; fails naming ``what`` on a hang."""
        deadline = time.monotonic() + limit
        while True:
            text = self.screen(session)
            try:
                met = condition(text)
            except (ValueError, IndexError, StopIteration):
                met = False
            if met:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"never happened: {what}\n--- screen ---\n{text}")
            time.sleep(0.05)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server whose sessions keep triage's files in the test's directory."""
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    term = Terminal(f"triage-faults-{os.getpid()}-{uuid.uuid4().hex[:8]}", env)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=10)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / term.socket).unlink(missing_ok=True)
