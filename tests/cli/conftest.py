"""Fixtures for the config, secrets and command-line tests.

``fake_vendor`` registers a tiny vendor whose settings model has the secret shapes the
loader must handle (required, optional); the real Kayako vendor is used wherever the
adapter or its simulator is exercised.
"""

from __future__ import annotations

import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from pydantic import SecretStr

from adapters import registry
from adapters.base import Adapter, ConnectionSettings

FAKE_VENDOR = "fakedesk"


class FakeSettings(ConnectionSettings):
    token: SecretStr
    password: SecretStr | None = None
    count: int = 1


class FakeAdapter(Adapter):
    """Abstract on purpose: the loader reads only ``settings_class`` and never builds it."""

    vendor = FAKE_VENDOR
    settings_class = FakeSettings


@pytest.fixture
def fake_vendor(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # The registry imports adapters by dotted path: make this one importable by a name.
    module = types.ModuleType("triage_tests_fakedesk")
    module.FakeAdapter = FakeAdapter  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    record = registry.Vendor(
        name=FAKE_VENDOR,
        title="Fake desk",
        adapter=f"{module.__name__}:FakeAdapter",
        simulator=module.__name__,
    )
    with registry.registered(record):
        yield FAKE_VENDOR


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        # Private, as the README asks and as triage writes it; tests of other modes chmod.
        path.chmod(0o600)
        return path

    return write


@pytest.fixture
def secret_command(tmp_path: Path) -> Callable[..., str]:
    """A command line that runs a tiny Python script printing ``secret`` (or failing)."""

    def make(secret: str = "", *, exit_status: int = 0, stderr: str = "") -> str:
        script = tmp_path / f"secret_{len(list(tmp_path.glob('secret_*')))}.py"
        script.write_text(
            "import sys\n"
            f"sys.stdout.write({secret!r} + '\\n')\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({exit_status})\n",
            encoding="utf-8",
        )
        return f"{sys.executable} {script}"

    return make


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
