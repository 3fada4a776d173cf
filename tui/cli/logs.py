"""``-v`` logging for one ``triage`` run: to stderr, or to a file while the app owns the
terminal, with every known secret (and credential-looking parameters) redacted from the
whole text, tracebacks included."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from pathlib import Path

    from adapters.http import Redactor
    from tui.config import AppConfig


def _redacting_formatter(redact: Redactor) -> logging.Formatter:
    """A formatter that formats as usual, then redacts the result."""
    import logging

    class RedactingFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return redact(super().format(record))

    return RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


class Logging:
    """``-v`` logging to stderr for the length of one :func:`tui.cli.main` call."""

    def __init__(self, verbosity: int) -> None:
        self.redactor: Redactor | None = None
        self.handler: logging.Handler | None = None
        self.saved: list[tuple[logging.Logger, int]] = []
        if verbosity <= 0:
            return
        import logging

        from adapters.http import Redactor

        self.redactor = Redactor()
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(_redacting_formatter(self.redactor))
        root = logging.getLogger()
        root.addHandler(self.handler)
        levels = {
            root: logging.INFO if verbosity == 1 else logging.DEBUG,
            # httpx logs every request URL at INFO; httpcore is wire-level noise.
            logging.getLogger("httpx"): logging.WARNING if verbosity == 1 else logging.INFO,
            logging.getLogger("httpcore"): logging.DEBUG if verbosity >= 3 else logging.WARNING,
        }
        for logger, level in levels.items():
            self.saved.append((logger, logger.level))
            logger.setLevel(level)

    def add_secrets(self, config: AppConfig) -> None:
        if self.redactor is None:
            return
        for settings in config.connections:
            for secret in settings.secrets():
                self.redactor.add(secret)

    def redirect_to_file(self, path: Path) -> None:
        """Move ``-v`` logging from stderr to ``path`` (the app owns the terminal).

        The log names tickets, desks and requests: the file is 0600 in a 0700 directory,
        made so before the first line is written (and tightened if an older run left them
        readable)."""
        if self.handler is None:
            return
        import logging
        import os

        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(self.handler.formatter)
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.addHandler(handler)
        self.handler = handler
        print(f"triage: logging to {path}", file=sys.stderr)

    def close(self) -> None:
        if self.handler is not None:
            self.handler.close()
            import logging

            logging.getLogger().removeHandler(self.handler)
        for logger, level in self.saved:
            logger.setLevel(level)
