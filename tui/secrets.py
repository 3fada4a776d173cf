"""Resolving secret references from the config file into secret values.

A secret in ``config.toml`` is written as one of:

* ``{ env = "VAR" }``: the value of an environment variable;
* ``{ command = "pass show kayako" }``: what a command prints on stdout (split with
  :func:`shlex.split` and run without a shell, with a timeout; the trailing newline dropped);
* ``{ keyring = "service/user" }``: the system keyring (the optional ``keyring`` package);
* a plain string: accepted, with a :class:`PlainTextSecretWarning`, because it sits in the
  file in clear.

Errors never contain a secret, nor a command's output (which may be one); they name the
field, and the command's program and exit status.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import warnings
from collections.abc import Mapping

from pydantic import SecretStr

COMMAND_TIMEOUT = 10.0
"""Seconds a secret command may take; a password manager waiting for a PIN must not hang us."""
KILL_WAIT = 2.0
"""Seconds to wait for a killed secret command to be reaped."""

_KINDS = ("env", "command", "keyring")
_EXPECTED = (
    'a string, { env = "VAR" }, { command = "program args" } or { keyring = "service/user" }'
)
_ALTERNATIVES = 'use { env = "VAR" } or { command = "program args" } instead'


class SecretError(Exception):
    """A secret reference could not be resolved. ``field`` names the setting."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"field {field!r}: {message}")
        self.field = field
        self.message = message


class PlainTextSecretWarning(UserWarning):
    """A secret is written in the config file in plain text."""


def is_reference(value: object) -> bool:
    """Whether ``value`` is a secret reference table (rather than a plain string)."""
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in _KINDS


def resolve_secret(
    value: object,
    *,
    field: str,
    where: str = "",
    command_timeout: float = COMMAND_TIMEOUT,
) -> SecretStr:
    """The secret ``value`` refers to.

    ``where`` prefixes the plain-text warning (e.g. ``"config.toml: connection 'acme': "``).
    Raises :class:`SecretError` naming ``field``.
    """
    if isinstance(value, str):
        if not value:
            raise SecretError(field, "is empty")
        warnings.warn(
            PlainTextSecretWarning(
                f"{where}field {field!r}: secret stored in plain text; prefer "
                '{ env = "VAR" }, { command = "..." } or { keyring = "service/user" }'
            ),
            stacklevel=2,
        )
        return SecretStr(value)
    if not isinstance(value, Mapping):
        raise SecretError(field, f"expected {_EXPECTED}, got {_type_name(value)}")
    if len(value) != 1 or next(iter(value)) not in _KINDS:
        keys = ", ".join(repr(str(key)) for key in value) or "nothing"
        raise SecretError(field, f"expected {_EXPECTED}, got a table with {keys}")
    kind, reference = next(iter(value.items()))
    if not isinstance(reference, str) or not reference.strip():
        raise SecretError(field, f"{kind} must be a non-empty string")
    if kind == "env":
        secret = _from_env(field, reference)
    elif kind == "command":
        secret = _from_command(field, reference, command_timeout)
    else:
        secret = _from_keyring(field, reference)
    return SecretStr(secret)


def _from_env(field: str, variable: str) -> str:
    secret = os.environ.get(variable)
    if secret is None:
        raise SecretError(field, f"environment variable {variable} is not set")
    if not secret:
        raise SecretError(field, f"environment variable {variable} is empty")
    return secret


def _from_command(field: str, command: str, timeout: float) -> str:
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise SecretError(field, f"command cannot be split into arguments: {exc}") from None
    if not argv:
        raise SecretError(field, "command is empty")
    program = argv[0]
    try:
        # No shell (nothing in the config is interpreted twice), no stdin (a prompt would
        # hang), stderr captured too: its text may echo the secret and is never shown. Its
        # own process group, so that a timeout kills whatever it started too.
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            process_group=0,
        )
    except FileNotFoundError:
        raise SecretError(field, f"command {program!r} not found") from None
    except PermissionError:
        raise SecretError(field, f"command {program!r} is not executable") from None
    except OSError as exc:
        raise SecretError(field, f"command {program!r} could not run: {exc.strerror}") from None
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise SecretError(field, f"command {program!r} timed out after {timeout:g} s") from None
    except BaseException:
        _kill_group(process)
        raise
    if process.returncode != 0:
        raise SecretError(
            field,
            f"command {program!r} failed with exit status {process.returncode} "
            "(its output is not shown; run it yourself to see why)",
        )
    try:
        output = stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretError(
            field, f"command {program!r} printed something that is not UTF-8"
        ) from None
    secret = output.rstrip("\r\n")
    if not secret:
        raise SecretError(field, f"command {program!r} printed nothing")
    return secret


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and everything it started (its process group), then reap it.

    The pipes are closed rather than drained: a child that escaped the group could hold
    them open for ever, and nothing it printed is wanted any more.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=KILL_WAIT)


def _from_keyring(field: str, reference: str) -> str:
    # The service may itself contain "/" (e.g. "triage/acme"); a user name never does.
    service, sep, user = reference.rpartition("/")
    if not sep or not service or not user:
        raise SecretError(field, f"keyring reference {reference!r} is not of the form service/user")
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise SecretError(
            field,
            "the keyring package is not installed (pip install 'triage[keyring]'); "
            + _ALTERNATIVES,
        ) from None
    try:
        secret = keyring.get_password(service, user)
    except keyring.errors.NoKeyringError:
        raise SecretError(
            field, "no keyring backend is available on this host; " + _ALTERNATIVES
        ) from None
    except keyring.errors.KeyringError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise SecretError(field, f"keyring failed: {reason}") from None
    if not secret:
        raise SecretError(
            field, f"no password for user {user!r} of service {service!r} in the keyring"
        )
    return str(secret)


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), type(value).__name__)
