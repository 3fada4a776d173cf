"""Secret references: env, command, keyring and plain strings, and how each one fails."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from tui.secrets import PlainTextSecretWarning, SecretError, is_reference, resolve_secret


def test_env_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_TEST_KEY", "s3cr3t-value")
    secret = resolve_secret({"env": "TRIAGE_TEST_KEY"}, field="api_key")
    assert secret.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t" not in repr(secret)


def test_env_reference_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_TEST_KEY", raising=False)
    with pytest.raises(SecretError) as caught:
        resolve_secret({"env": "TRIAGE_TEST_KEY"}, field="api_key")
    assert str(caught.value) == ("field 'api_key': environment variable TRIAGE_TEST_KEY is not set")
    assert caught.value.field == "api_key"


def test_env_reference_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_TEST_KEY", "")
    with pytest.raises(SecretError, match="TRIAGE_TEST_KEY is empty"):
        resolve_secret({"env": "TRIAGE_TEST_KEY"}, field="api_key")


def test_command_reference_strips_the_trailing_newline(
    secret_command: Callable[..., str],
) -> None:
    secret = resolve_secret({"command": secret_command("from command")}, field="secret_key")
    assert secret.get_secret_value() == "from command"


def test_command_reference_keeps_inner_whitespace(secret_command: Callable[..., str]) -> None:
    secret = resolve_secret({"command": secret_command("  two  words ")}, field="secret_key")
    assert secret.get_secret_value() == "  two  words "


def test_command_is_not_run_through_a_shell(tmp_path: Any) -> None:
    marker = tmp_path / "created-by-shell"
    command = f"{sys.executable} -c 'print(42)' ; touch {marker}"
    # Without a shell, ";" and "touch" are just more arguments to the Python program.
    secret = resolve_secret({"command": command}, field="secret_key")
    assert secret.get_secret_value() == "42"
    assert not marker.exists()


def test_failing_command_names_program_and_status_but_not_output(
    secret_command: Callable[..., str],
) -> None:
    command = secret_command("leaked-stdout", exit_status=3, stderr="leaked-stderr")
    with pytest.raises(SecretError) as caught:
        resolve_secret({"command": command}, field="secret_key")
    message = str(caught.value)
    assert message.startswith("field 'secret_key': command ")
    assert sys.executable in message
    assert "exit status 3" in message
    assert "leaked" not in message


def test_missing_command_program() -> None:
    with pytest.raises(SecretError) as caught:
        resolve_secret({"command": "/nonexistent/pass show kayako"}, field="secret_key")
    assert str(caught.value) == "field 'secret_key': command '/nonexistent/pass' not found"


def test_command_that_prints_nothing(secret_command: Callable[..., str]) -> None:
    with pytest.raises(SecretError, match="printed nothing"):
        resolve_secret({"command": secret_command("")}, field="secret_key")


def test_command_timeout() -> None:
    command = f"{sys.executable} -c 'import time; time.sleep(30)'"
    with pytest.raises(SecretError) as caught:
        resolve_secret({"command": command}, field="secret_key", command_timeout=0.2)
    assert "timed out after 0.2 s" in str(caught.value)


def test_command_with_unbalanced_quotes() -> None:
    with pytest.raises(SecretError, match="cannot be split into arguments"):
        resolve_secret({"command": "pass show 'kayako"}, field="secret_key")


def test_keyring_reference(memory_keyring: Any) -> None:
    memory_keyring.set_password("triage/acme", "agent@example.com", "from-keyring")
    secret = resolve_secret({"keyring": "triage/acme/agent@example.com"}, field="api_key")
    assert secret.get_secret_value() == "from-keyring"


def test_keyring_entry_missing(memory_keyring: Any) -> None:
    with pytest.raises(SecretError) as caught:
        resolve_secret({"keyring": "triage/nobody"}, field="api_key")
    assert "no password for user 'nobody' of service 'triage'" in str(caught.value)


def test_keyring_without_backend_suggests_env_or_command() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(SecretError) as caught:
            resolve_secret({"keyring": "triage/agent"}, field="api_key")
    finally:
        keyring.set_keyring(previous)
    message = str(caught.value)
    assert "no keyring backend is available" in message
    assert "env" in message and "command" in message


def test_keyring_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    with pytest.raises(SecretError) as caught:
        resolve_secret({"keyring": "triage/agent"}, field="api_key")
    message = str(caught.value)
    assert "keyring package is not installed" in message
    assert "env" in message and "command" in message


def test_keyring_reference_needs_service_and_user() -> None:
    with pytest.raises(SecretError, match="not of the form service/user"):
        resolve_secret({"keyring": "just-a-service"}, field="api_key")


def test_plain_string_is_accepted_with_a_warning() -> None:
    with pytest.warns(PlainTextSecretWarning) as warned:
        secret = resolve_secret("plain-value", field="api_key", where="config.toml: ")
    assert secret.get_secret_value() == "plain-value"
    message = str(warned[0].message)
    assert message.startswith("config.toml: field 'api_key': secret stored in plain text")
    assert "plain-value" not in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, "got a number"),
        (["a"], "got a list"),
        ({"file": "/tmp/x"}, "got a table with 'file'"),
        ({"env": "A", "command": "b"}, "got a table with 'env', 'command'"),
        ({}, "got a table with nothing"),
        ({"env": 5}, "env must be a non-empty string"),
        ({"command": "  "}, "command must be a non-empty string"),
        ("", "is empty"),
    ],
)
def test_malformed_references(value: object, expected: str) -> None:
    with pytest.raises(SecretError) as caught:
        resolve_secret(value, field="api_key")
    assert str(caught.value).startswith("field 'api_key': ")
    assert expected in str(caught.value)


def test_is_reference() -> None:
    assert is_reference({"env": "X"})
    assert is_reference({"keyring": "a/b"})
    assert not is_reference("plain")
    assert not is_reference({"env": "X", "command": "y"})
