"""Serving a simulator on a real loopback port.

``triage simulate`` and the loopback tests need a desk that answers over a socket, exactly
as a remote server would; in-process ``httpx.ASGITransport`` covers everything else. A
correct HTTP/1.1 server is not code we should write, so this runs uvicorn in a daemon
thread and only adds what a test needs: a free port chosen up front, a start that waits
until the server answers, and a stop that does not hang on keep-alive connections.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from adapters.simulation.asgi import ASGIApp


class ServerThread:
    """Serve an ASGI app with uvicorn on ``host:port`` from a daemon thread.

    ``port=0`` picks a free port; :attr:`port` and :attr:`base_url` are valid once
    :meth:`start` (or ``with``) returns. :meth:`stop` asks uvicorn to finish open requests
    and waits for the thread.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("server not started")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("server already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            lifespan="on",
            loop="asyncio",
            http="h11",
            ws="none",
            log_config=None,  # never reconfigure the host program's logging
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # uvicorn exits with SystemExit on startup errors
                self._failure = exc
            finally:
                sock.close()

        thread = threading.Thread(target=run, name=f"sim-server-{self._port}", daemon=True)
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(
                    f"simulator server on {self.host}:{self._port} failed to start"
                ) from self._failure
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"simulator server on {self.host}:{self._port} did not start")
            time.sleep(0.005)

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            # Open keep-alive connections outlived the graceful period: force the exit.
            server.force_exit = True
            thread.join(timeout)
        self._server = None
        self._thread = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
