"""The config file as an attacker or an accident would shape it: permissions, plain http,
numbers that would hang triage, names a terminal would act on, secret commands that hang."""

from __future__ import annotations

import logging
import os
import stat
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import ConfigError, ConfigSecurityWarning, load_config
from tui.secrets import SecretError, resolve_secret

WriteConfig = Callable[[str], Path]

REFERENCE = """
[connections.desk]
vendor = "fakedesk"
url = "https://desk.example.com"
token = { env = "DESK_TOKEN" }
"""
PLAIN = REFERENCE.replace('{ env = "DESK_TOKEN" }', '"plain-token-value"')


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch, fake_vendor: str) -> None:
    monkeypatch.setenv("DESK_TOKEN", "token-from-env")


def _security_warnings(path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_config(path)
    return [str(w.message) for w in caught if issubclass(w.category, ConfigSecurityWarning)]


# -- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602, 0o660])
def test_a_file_others_can_write_is_refused(
    mode: int, write_config: WriteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(REFERENCE)
    path.chmod(mode)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.path == path
    assert f"writable by others (mode {mode:04o})" in str(caught.value)
    assert f"chmod 600 {path}" in str(caught.value)

    assert main(["--config", str(path), "check"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"triage: {caught.value}\n"


def test_a_readable_file_with_plain_secrets_warns_without_the_secret(
    write_config: WriteConfig,
) -> None:
    path = write_config(PLAIN)
    path.chmod(0o644)
    [message] = _security_warnings(path)
    assert message.startswith(f"{path}: readable by others (mode 0644)")
    assert "desk.token" in message
    assert "plain-token-value" not in message


def test_a_readable_file_of_references_or_a_private_plain_one_is_quiet(
    write_config: WriteConfig,
) -> None:
    path = write_config(REFERENCE)
    path.chmod(0o644)
    assert _security_warnings(path) == []
    path = write_config(PLAIN)
    path.chmod(0o600)
    assert _security_warnings(path) == []


# -- plain http --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://desk.example.com", "HTTP://10.0.0.7:8080/api", "http://[2001:db8::1]/"],
)
def test_plain_http_elsewhere_warns_naming_the_connection(
    url: str, write_config: WriteConfig
) -> None:
    path = write_config(REFERENCE.replace("https://desk.example.com", url))
    [message] = _security_warnings(path)
    assert message.startswith(f"{path}: connection 'desk': field 'url': plain http://")
    assert "replay" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://desk.example.com",
        "http://127.0.0.1:8765/api/index.php",
        "http://127.8.9.10/",
        "http://localhost:9000",
        "http://[::1]:9000/",
        "http://sim.localhost/",
    ],
)
def test_https_and_loopback_do_not_warn(url: str, write_config: WriteConfig) -> None:
    path = write_config(REFERENCE.replace("https://desk.example.com", url))
    assert _security_warnings(path) == []


# -- numbers that would hang triage or stop it acting ------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("timeout = inf", "timeout"),
        ("timeout = 1e300", "timeout"),
        ("timeout = nan", "timeout"),
        ("timeout = 86400", "timeout"),
        ("rate_limit = 1e-300", "rate_limit"),
        ("rate_limit = 0.001", "rate_limit"),
        ("rate_limit = inf", "rate_limit"),
        ("refresh_interval = inf", "refresh_interval"),
        ("refresh_interval = 1e300", "refresh_interval"),
    ],
)
def test_absurd_numbers_are_refused_in_one_line(
    line: str, field: str, write_config: WriteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(REFERENCE + line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert (caught.value.connection, caught.value.field) == ("desk", field)
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert err == f"triage: {caught.value}\n"
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "line", ["timeout = 600", "timeout = 0.5", "rate_limit = 0.02", "refresh_interval = 0"]
)
def test_sensible_limits_are_accepted(line: str, write_config: WriteConfig) -> None:
    load_config(write_config(REFERENCE + line + "\n"))


# -- connection names a terminal would act on --------------------------------------------


@pytest.mark.parametrize(
    "escaped",
    ["a\\u202eb", "a\\u001b[31mb", "a\\u200bb", "a\\u2028b", "a\\u0085b", "desk\\u2066"],
)
def test_names_with_control_or_bidi_characters_are_refused(
    escaped: str, write_config: WriteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(REFERENCE.replace("[connections.desk]", f'[connections."{escaped}"]'))
    with pytest.raises(ConfigError, match="control, bidi or invisible characters"):
        load_config(path)
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    # The name is shown escaped: nothing in the line acts on the terminal.
    assert all(char.isprintable() for char in err.rstrip("\n"))


def test_names_in_other_scripts_are_fine(write_config: WriteConfig) -> None:
    path = write_config(REFERENCE.replace("[connections.desk]", '[connections."Zürich-東京"]'))
    assert load_config(path).connections[0].name == "Zürich-東京"


# -- a secret command that hangs ---------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0) until its parent reaps it: read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_hanging_secret_command_is_killed_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = tmp_path / "hang.py"
    script.write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    with pytest.raises(SecretError, match="timed out after 1 s"):
        resolve_secret(
            {"command": f"{sys.executable} {script}"}, field="token", command_timeout=1.0
        )
    elapsed = time.monotonic() - started
    assert elapsed < 4.0
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the secret command's child outlived the timeout"


def test_a_command_whose_child_keeps_stdout_open_is_bounded(tmp_path: Path) -> None:
    # The command prints and exits, but leaves a child holding its stdout: reading to the
    # end would wait for the child; the timeout still ends it, child and all.
    pid_file = tmp_path / "child.pid"
    script = tmp_path / "daemonish.py"
    script.write_text(
        "import subprocess, sys\n"
        "print('secret', flush=True)\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    with pytest.raises(SecretError, match="timed out"):
        resolve_secret(
            {"command": f"{sys.executable} {script}"}, field="token", command_timeout=1.0
        )
    assert time.monotonic() - started < 4.0
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


# -- the log file and an empty config ----------------------------------------------------


def test_the_log_file_is_private_in_a_private_directory(tmp_path: Path) -> None:
    from tui.cli.logs import Logging

    old = tmp_path / "state" / "log"
    old.mkdir(parents=True, mode=0o755)
    old.chmod(0o755)
    (old / "triage.log").write_text("from an older run\n")
    (old / "triage.log").chmod(0o644)
    for directory in (old, tmp_path / "fresh" / "log"):
        logs = Logging(1)
        try:
            logs.redirect_to_file(directory / "triage.log")
            logging.getLogger("triage.test").warning("a line")
        finally:
            logs.close()
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        assert stat.S_IMODE((directory / "triage.log").stat().st_mode) == 0o600
        assert "a line" in (directory / "triage.log").read_text()


def test_check_with_no_connection_is_an_error(
    write_config: WriteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    for text in ("", "[ui]\ntheme = 'triage-ansi'\n"):
        path = write_config(text)
        assert main(["--config", str(path), "check"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"triage: {path}: no connections to check: add a [connections.NAME] table\n"
        )
