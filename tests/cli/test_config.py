"""Loading, validating and writing config.toml, and how a bad file is reported."""

from __future__ import annotations

import stat
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from tui.cli import main
from tui.config import (
    AppConfig,
    ConfigError,
    ConfigMissing,
    UiSettings,
    build_adapters,
    default_config_path,
    load_config,
    write_config,
)
from tui.secrets import PlainTextSecretWarning

WriteConfig = Callable[[str], Path]


# --------------------------------------------------------------------------------------
# The documented shape, with the real Kayako settings model
# --------------------------------------------------------------------------------------


KAYAKO_SHAPE = """\
[connections.acme]
vendor = "kayako"
url = "https://support.example.com/api/index.php"
api_key = { env = "KAYAKO_KEY" }
secret_key = { command = "SECRET_COMMAND" }
departments = [2, 3]
"""


def test_the_documented_kayako_shape(
    write_config: WriteConfig,
    secret_command: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from adapters.kayako import KayakoSettings

    monkeypatch.setenv("KAYAKO_KEY", "key-from-env")
    path = write_config(KAYAKO_SHAPE.replace("SECRET_COMMAND", secret_command("from-pass")))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # references never warn
        config = load_config(path)
    assert config.path == path
    [acme] = config.connections
    assert isinstance(acme, KayakoSettings)
    assert acme.name == "acme"
    assert acme.vendor == "kayako"
    assert acme.url == "https://support.example.com/api/index.php"
    assert acme.api_key.get_secret_value() == "key-from-env"
    assert acme.secret_key.get_secret_value() == "from-pass"
    assert acme.departments == [2, 3]
    assert "key-from-env" not in repr(acme) and "from-pass" not in repr(config)
    assert sorted(acme.secrets()) == ["from-pass", "key-from-env"]
    assert config.ui == UiSettings()


def test_build_adapters_uses_the_vendor_adapter_and_transport(
    write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch, secret_command: Callable[..., str]
) -> None:
    from adapters.kayako import ADAPTER

    monkeypatch.setenv("KAYAKO_KEY", "key-from-env")
    config = load_config(
        write_config(KAYAKO_SHAPE.replace("SECRET_COMMAND", secret_command("x-secret")))
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    [adapter] = build_adapters(config, {"acme": transport})
    assert isinstance(adapter, ADAPTER)
    assert adapter.name == "acme"
    assert adapter.transport is transport
    with pytest.raises(ValueError, match="unknown connections: other"):
        build_adapters(config, {"other": transport})


def test_kayako_missing_env_var_message(
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("KAYAKO_KEY", raising=False)
    path = write_config(KAYAKO_SHAPE.replace("SECRET_COMMAND", "unused"))
    assert main(["--config", str(path), "tickets"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # Every problem, each on its own line: the agent fixes them all at once.
    assert captured.err == (
        f"triage: {path}: connection 'acme': field 'api_key': "
        "environment variable KAYAKO_KEY is not set\n"
        f"triage: {path}: connection 'acme': field 'secret_key': command 'unused' not found\n"
    )


# --------------------------------------------------------------------------------------
# Secret kinds and settings, with a minimal vendor
# --------------------------------------------------------------------------------------


def test_secret_kinds_in_a_file(
    fake_vendor: str,
    write_config: WriteConfig,
    secret_command: Callable[..., str],
    memory_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DESK_TOKEN", "token-env")
    memory_keyring.set_password("triage", "second", "token-keyring")
    path = write_config(
        f"""
        [connections.first]
        vendor = "{fake_vendor}"
        url = "https://first.example.com"
        token = {{ env = "DESK_TOKEN" }}
        password = {{ command = "{secret_command("pw-command")}" }}

        [connections.second]
        vendor = "{fake_vendor}"
        url = "https://second.example.com"
        token = {{ keyring = "triage/second" }}
        count = 7
        """
    )
    config = load_config(path)
    assert [c.name for c in config.connections] == ["first", "second"]
    first, second = config.connections
    assert first.secrets() == ["token-env", "pw-command"]
    assert second.secrets() == ["token-keyring"]
    values = second.model_dump()
    assert values["password"] is None  # optional secrets may be left out
    assert values["count"] == 7


def test_plain_string_secret_warns_naming_file_connection_field(
    fake_vendor: str, write_config: WriteConfig
) -> None:
    path = write_config(
        f"""
        [connections.desk]
        vendor = "{fake_vendor}"
        url = "https://desk.example.com"
        token = "plain-token-value"
        """
    )
    with pytest.warns(PlainTextSecretWarning) as warned:
        config = load_config(path)
    assert config.connections[0].secrets() == ["plain-token-value"]
    [warning] = warned
    message = str(warning.message)
    assert message.startswith(f"{path}: connection 'desk': field 'token': ")
    assert "plain text" in message
    assert "plain-token-value" not in message


def test_plain_string_warning_goes_to_stderr_not_stdout(
    fake_vendor: str, write_config: WriteConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    # The fake vendor has no working adapter, so the command stops at an unknown
    # --connection: a ConfigError raised after the file (and its warning) was read.
    path = write_config(
        f"""
        [connections.desk]
        vendor = "{fake_vendor}"
        url = "https://desk.example.com"
        token = "plain-token-value"
        """
    )
    assert main(["--config", str(path), "tickets", "--connection", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith("triage: warning: ") and "plain text" in lines[0]
    assert lines[1] == f"triage: {path}: no connection named 'nope' (configured: 'desk')"
    assert "plain-token-value" not in captured.err


def test_ui_table(write_config: WriteConfig) -> None:
    path = write_config(
        """
        [ui]
        theme = "triage-ansi"
        mouse = false
        keys = { reply = "R,ctrl+r", refresh = "f5" }
        """
    )
    config = load_config(path)
    assert config.connections == []
    assert config.ui == UiSettings(
        theme="triage-ansi", mouse=False, keys={"reply": "R,ctrl+r", "refresh": "f5"}
    )


def test_missing_file_raises_config_missing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.toml"
    with pytest.raises(ConfigMissing) as caught:
        load_config(path)
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: no configuration file"
    assert isinstance(caught.value, ConfigError)


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_config_path() == tmp_path / "triage" / "config.toml"
    (tmp_path / "triage").mkdir()
    (tmp_path / "triage" / "config.toml").write_text('[ui]\ntheme = "triage-ansi"\n')
    assert load_config().ui.theme == "triage-ansi"


def test_default_path_without_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    path = default_config_path()
    assert path.parts[-2:] == ("triage", "config.toml")
    assert path.is_relative_to(tmp_path)


def test_config_error_renders_one_line() -> None:
    error = ConfigError(
        "bad\nvalue", path=Path("config.toml"), connection="acme", field="departments[0]"
    )
    assert str(error) == "config.toml: connection 'acme': field 'departments[0]': bad value"
    assert (error.connection, error.field, error.message) == ("acme", "departments[0]", "bad value")
    assert str(ConfigError("oops")) == "oops"


def test_write_config_is_private_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    data = {
        "connections": {
            "acme": {
                "vendor": "kayako",
                "url": "https://support.example.com/api/index.php",
                "api_key": {"env": "KAYAKO_KEY"},
                "departments": [2, 3],
            }
        },
        "ui": {"mouse": False},
    }
    write_config(path, data)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    import tomllib

    assert tomllib.loads(path.read_text()) == data
    # Overwriting an existing, too-open file leaves it private too.
    path.chmod(0o644)
    write_config(path, {"ui": {"theme": "triage"}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_config(path).ui.theme == "triage"
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_write_config_refuses_resolved_secrets(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ValueError, match=r"connections\.acme\.api_key: refusing"):
        write_config(path, {"connections": {"acme": {"api_key": SecretStr("x-secret")}}})
    assert not path.exists()


def test_app_config_connection_lookup(fake_vendor: str, write_config: WriteConfig) -> None:
    path = write_config(
        f"""
        [connections.desk]
        vendor = "{fake_vendor}"
        url = "https://desk.example.com"
        token = {{ env = "PATH" }}
        """
    )
    config: AppConfig = load_config(path)
    assert config.connection("desk").name == "desk"
    with pytest.raises(ConfigError, match="no connection named 'other'"):
        config.connection("other")


# --------------------------------------------------------------------------------------
# Bad files: exit 2, one line naming file, connection and field, no traceback
# --------------------------------------------------------------------------------------

GOOD = """
[connections.acme]
vendor = "fakedesk"
url = "https://desk.example.com"
token = { env = "DESK_TOKEN" }
"""

BAD_FILES = [
    pytest.param(
        '[connections.acme]\nvendor = "fakedesk"\nurl = \n',
        None,
        None,
        "line 3, column 7: invalid TOML: Invalid value",
        id="toml-syntax",
    ),
    pytest.param(
        GOOD.replace('"fakedesk"', '"zendesk"'),
        "acme",
        "vendor",
        "unknown vendor 'zendesk' (known: ",
        id="unknown-vendor",
    ),
    pytest.param(
        GOOD.replace('vendor = "fakedesk"\n', ""),
        "acme",
        "vendor",
        "required field is missing",
        id="missing-vendor",
    ),
    pytest.param(
        GOOD.replace('url = "https://desk.example.com"\n', ""),
        "acme",
        "url",
        "required field is missing",
        id="missing-field",
    ),
    pytest.param(
        GOOD + "count = 'many'\n",
        "acme",
        "count",
        "Input should be a valid integer",
        id="invalid-field",
    ),
    pytest.param(
        GOOD + "timeout = -1\n",
        "acme",
        "timeout",
        "Input should be greater than 0",
        id="out-of-range",
    ),
    pytest.param(
        GOOD + "tokn = 3\n",
        "acme",
        "tokn",
        "unknown field (did you mean 'token'?)",
        id="unknown-field",
    ),
    pytest.param(
        GOOD + "name = 'other'\n",
        "acme",
        "name",
        "not a setting: the name comes from [connections.acme]",
        id="name-field",
    ),
    pytest.param(
        GOOD.replace('{ env = "DESK_TOKEN" }', '{ file = "/etc/token" }'),
        "acme",
        "token",
        "got a table with 'file'",
        id="bad-secret-reference",
    ),
    pytest.param(
        GOOD.replace('{ env = "DESK_TOKEN" }', '{ command = "FAILING" }'),
        "acme",
        "token",
        "failed with exit status 4",
        id="failing-secret-command",
    ),
    pytest.param(
        GOOD.replace("DESK_TOKEN", "TRIAGE_SURELY_UNSET"),
        "acme",
        "token",
        "environment variable TRIAGE_SURELY_UNSET is not set",
        id="missing-env-var",
    ),
    pytest.param(
        GOOD.replace("[connections.acme]", '[connections."a:b"]'),
        "a:b",
        None,
        "without ':'",
        id="bad-connection-name",
    ),
    pytest.param(
        "connections = 3\n",
        None,
        "connections",
        "must be a table of [connections.NAME] tables",
        id="connections-not-a-table",
    ),
    pytest.param(
        "[connections]\nacme = 1\n",
        "acme",
        None,
        "must be a table: [connections.acme]",
        id="connection-not-a-table",
    ),
    pytest.param("[colours]\n", None, "colours", "unknown setting", id="unknown-table"),
    pytest.param('[ui]\ntheme = "neon"\n', None, "ui.theme", "unknown theme 'neon'", id="theme"),
    pytest.param("[ui]\nmouse = 'sometimes'\n", None, "ui.mouse", "valid boolean", id="mouse"),
    pytest.param("[ui]\nkeyz = {}\n", None, "ui.keyz", "unknown field", id="ui-unknown"),
]


@pytest.mark.parametrize(("text", "connection", "field", "message"), BAD_FILES)
def test_bad_file_exits_2_with_one_line(
    text: str,
    connection: str | None,
    field: str | None,
    message: str,
    fake_vendor: str,
    write_config: WriteConfig,
    secret_command: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DESK_TOKEN", "token-env")
    text = text.replace("FAILING", secret_command("leaked", exit_status=4))
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert (error.path, error.connection, error.field) == (path, connection, field)
    expected_prefix = f"{path}: "
    if connection is not None:
        expected_prefix += f"connection {connection!r}: "
    if field is not None:
        expected_prefix += f"field {field!r}: "
    assert str(error).startswith(expected_prefix)
    assert message in str(error)

    assert main(["--config", str(path), "check"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"triage: {error}\n"
    assert "Traceback" not in captured.err
    assert "leaked" not in captured.err


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"[ui]\ntheme = '\xff'\n")
    assert main(["--config", str(binary), "check"]) == 2
    assert capsys.readouterr().err == f"triage: {binary}: not UTF-8 text (byte 14)\n"
    assert main(["--config", str(tmp_path), "check"]) == 2
    assert capsys.readouterr().err == f"triage: {tmp_path}: is a directory, not a file\n"


def test_every_problem_of_a_file_is_listed(
    fake_vendor: str,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Not "(and 1 more problem)": each problem on its own line, naming its field."""
    monkeypatch.setenv("DESK_TOKEN", "token-env")
    path = write_config(
        GOOD
        + "count = 'many'\ntimeout = -1\n"
        + GOOD.replace("acme", "globex").replace("url = ", "uri = ")
        + '[ui]\ntheme = "neon"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = [str(problem) for problem in caught.value.problems]
    assert problems == [
        f"{path}: connection 'acme': field 'timeout': Input should be greater than 0",
        f"{path}: connection 'acme': field 'count': Input should be a valid integer, "
        "unable to parse string as an integer",
        f"{path}: connection 'globex': field 'url': required field is missing",
        f"{path}: connection 'globex': field 'uri': unknown field (did you mean 'url'?)",
        f"{path}: field 'ui.theme': unknown theme 'neon' (known: triage, triage-ansi)",
    ]
    assert "more problem" not in str(caught.value)
    assert main(["--config", str(path), "check"]) == 2
    err = capsys.readouterr().err
    assert err == "".join(f"triage: {problem}\n" for problem in problems)
