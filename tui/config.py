"""The configuration file: where it lives, reading and validating it, writing it back.

``config.toml`` holds one ``[connections.NAME]`` table per desk and an optional ``[ui]``
table. Each connection is validated with its vendor's settings model (the adapter's
``settings_class``); secret fields are written as references and resolved here (see
:mod:`tui.secrets`). Every problem becomes a :class:`ConfigError` whose text is one line
naming the file, the connection and the field.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

from adapters.base import ConnectionSettings
from tui.secrets import SecretError, resolve_secret

if TYPE_CHECKING:
    import httpx

    from adapters.base import Adapter

THEMES = ("triage", "triage-ansi")
CONFIG_NAME = "config.toml"


class ConfigError(Exception):
    """A configuration problem; ``str()`` is one line naming file, connection and field."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        connection: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.connection = connection
        self.field = field
        self.message = " ".join(message.split())
        super().__init__(self._render())

    def _render(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.connection is not None:
            parts.append(f"connection {self.connection!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        parts.append(self.message)
        return ": ".join(parts)

    def __str__(self) -> str:
        return self._render()

    @property
    def problems(self) -> tuple[ConfigError, ...]:
        """Every problem found, each one line (this one alone, for a single problem)."""
        return (self,)


class ConfigProblems(ConfigError):
    """Several problems in one file, all reported at once so the agent fixes them in one
    go; ``str()`` is one line per problem. Its path, connection and field are the first
    problem's."""

    def __init__(self, problems: Sequence[ConfigError]) -> None:
        self._problems = tuple(problem for each in problems for problem in each.problems)
        first = self._problems[0]
        super().__init__(
            first.message, path=first.path, connection=first.connection, field=first.field
        )

    @property
    def problems(self) -> tuple[ConfigError, ...]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self._problems)


def raise_problems(problems: Sequence[ConfigError]) -> None:
    """Raise ``problems`` (one, or all together); nothing when there are none."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigProblems(problems)


class ConfigMissing(ConfigError):
    """There is no configuration file where one was looked for."""

    def __init__(self, path: Path) -> None:
        super().__init__("no configuration file", path=path)


class UiSettings(BaseModel):
    """The ``[ui]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    theme: str = "triage"
    mouse: bool = True
    keys: dict[str, str] = {}
    view: Literal["open", "all"] = "open"
    """What the list shows at start: the open work (resolved and closed tickets hidden
    until the filter or ``O`` asks for them), or every ticket."""

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"unknown theme {value!r} (known: {', '.join(THEMES)})")
        return value


class AppConfig(BaseModel):
    """A loaded configuration: connections in file order, and the UI settings."""

    model_config = ConfigDict(frozen=True)

    path: Path | None
    connections: list[ConnectionSettings]
    ui: UiSettings

    def connection(self, name: str) -> ConnectionSettings:
        """The connection called ``name``; :class:`ConfigError` naming the known ones."""
        for settings in self.connections:
            if settings.name == name:
                return settings
        known = ", ".join(repr(settings.name) for settings in self.connections) or "none"
        raise ConfigError(f"no connection named {name!r} (configured: {known})", path=self.path)


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/triage/config.toml``, else the platform's user config directory."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "triage" / CONFIG_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("triage", appauthor=False)) / CONFIG_NAME


def load_config(path: Path | None = None) -> AppConfig:
    """Read and validate the config file (the default path when ``path`` is ``None``).

    Raises :class:`ConfigMissing` when the file does not exist and :class:`ConfigError`
    for anything wrong in it. Plain-text secrets are accepted with a
    :class:`tui.secrets.PlainTextSecretWarning`.
    """
    path = default_config_path() if path is None else path
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigMissing(path) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_message(exc), path=path) from None
    return parse_config(data, path=path)


def parse_config(data: Mapping[str, Any], *, path: Path | None = None) -> AppConfig:
    """Validate an already-parsed TOML document (see :func:`load_config`).

    Every problem in the file is reported, not only the first (:class:`ConfigProblems`).
    """
    problems: list[ConfigError] = []
    for key in data:
        if key not in ("connections", "ui"):
            problems.append(
                ConfigError(
                    "unknown setting (the file holds [connections.NAME] tables and a [ui] table)",
                    path=path,
                    field=key,
                )
            )
    connections_table = data.get("connections", {})
    connections: list[ConnectionSettings] = []
    if not isinstance(connections_table, Mapping):
        problems.append(
            ConfigError(
                "must be a table of [connections.NAME] tables", path=path, field="connections"
            )
        )
    else:
        for name, table in connections_table.items():
            try:
                connections.append(connection_settings(name, table, path=path))
            except ConfigError as exc:
                problems.append(exc)
    ui_table = data.get("ui", {})
    ui = UiSettings()
    if not isinstance(ui_table, Mapping):
        problems.append(ConfigError("must be a table", path=path, field="ui"))
    else:
        try:
            ui = UiSettings.model_validate(ui_table)
        except ValidationError as exc:
            problems += [
                ConfigError(message, path=path, field=f"ui.{field}")
                for field, message in _all_errors(exc, UiSettings)
            ]
    raise_problems(problems)
    return AppConfig(path=path, connections=connections, ui=ui)


def connection_settings(
    name: str,
    table: object,
    *,
    path: Path | None = None,
    plain_secrets_ok: bool = False,
) -> ConnectionSettings:
    """Validate one ``[connections.NAME]`` table with its vendor's settings model.

    Secret fields are resolved from their references first. ``plain_secrets_ok`` accepts
    plain-string secrets without the warning; a simulator's published demo credential
    (:func:`published_demo_secret`) is accepted without it anyway.
    """
    from adapters import registry

    def error(message: str, field: str | None = None) -> ConfigError:
        return ConfigError(message, path=path, connection=name, field=field)

    if not name or ":" in name or name != name.strip():
        raise error("a connection name must be non-empty, without ':' or surrounding spaces")
    if not isinstance(table, Mapping):
        raise error(f"must be a table: [connections.{name}]")
    if "name" in table:
        raise error(f"not a setting: the name comes from [connections.{name}]", "name")
    vendor = table.get("vendor")
    if vendor is None:
        raise error("required field is missing", "vendor")
    if not isinstance(vendor, str):
        raise error("must be a string", "vendor")
    try:
        settings_class = registry.adapter_class(vendor).settings_class
    except registry.UnknownVendor as exc:
        raise error(str(exc), "vendor") from None
    values: dict[str, Any] = dict(table)
    values["name"] = name
    where = f"{path}: " if path is not None else ""
    where += f"connection {name!r}: "
    problems: list[ConfigError] = []
    unresolved: set[str] = set()
    for field_name in secret_fields(settings_class):
        if field_name not in values or values[field_name] is None:
            continue
        raw = values[field_name]
        if isinstance(raw, str) and (
            plain_secrets_ok or raw == published_demo_secret(vendor, field_name)
        ):
            values[field_name] = SecretStr(raw)
            continue
        try:
            values[field_name] = resolve_secret(raw, field=field_name, where=where)
        except SecretError as exc:
            problems.append(error(exc.message, exc.field))
            unresolved.add(field_name)
            # A stand-in, so the other fields are still checked; never used.
            values[field_name] = SecretStr("")
    try:
        settings = settings_class.model_validate(values)
    except ValidationError as exc:
        problems += [
            error(message, field)
            for field, message in _all_errors(exc, settings_class)
            if field not in unresolved
        ]
    raise_problems(problems)
    return settings


def published_demo_secret(vendor: str, field: str) -> str | None:
    """The credential ``vendor``'s simulator publishes for ``field`` (what ``triage
    simulate`` prints), or ``None``. Such a value is no secret: a file holding it in plain
    text (the simulator's printed config, saved) gets no warning."""
    from adapters import registry

    try:
        block = registry.simulator_module(vendor).connection_block("http://127.0.0.1")
    except (ImportError, AttributeError, registry.UnknownVendor):
        return None
    value = block.get(field)
    return value if isinstance(value, str) else None


def secret_fields(settings_class: type[BaseModel]) -> list[str]:
    """Names of the fields typed ``SecretStr`` (or ``SecretStr | None``)."""
    return [
        name
        for name, info in settings_class.model_fields.items()
        if _mentions_secret(info.annotation)
    ]


def build_adapters(
    config: AppConfig, transports: Mapping[str, httpx.AsyncBaseTransport] | None = None
) -> list[Adapter]:
    """One adapter per connection, in config order.

    ``transports`` maps connection names to an httpx transport (the in-process simulators
    of the demo, or tests); a name that is not a connection is a programming error.
    """
    from adapters import registry

    transports = transports or {}
    names = {settings.name for settings in config.connections}
    stray = sorted(set(transports) - names)
    if stray:
        raise ValueError(f"transports given for unknown connections: {', '.join(stray)}")
    return [
        registry.adapter_class(settings.vendor)(settings, transport=transports.get(settings.name))
        for settings in config.connections
    ]


def write_config(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as TOML to ``path`` with mode 0600, atomically.

    Secrets must be references (``{ env = … }`` etc.); a resolved ``SecretStr`` is refused
    so that a secret never lands in the file by accident.
    """
    import tomli_w

    _refuse_secrets(data, "")
    text = tomli_w.dumps(dict(data))
    directory = path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file 0600 from the start: no moment where others could read it.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------


_TOML_POSITION = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    text = " ".join(str(exc).split())
    match = _TOML_POSITION.match(text)
    if match is None:
        return f"invalid TOML: {text}"
    return f"line {match['line']}, column {match['col']}: invalid TOML: {match['message']}"


def _all_errors(exc: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """Every validation error as (field path, message); inputs are never echoed because a
    mistyped secret could be one."""
    found: list[tuple[str, str]] = []
    for each in exc.errors(include_input=False, include_url=False):
        field = _location(each["loc"])
        if each["type"] == "missing":
            message = "required field is missing"
        elif each["type"] == "extra_forbidden":
            message = "unknown field"
            close = difflib.get_close_matches(str(each["loc"][0]), list(model.model_fields), n=1)
            if close and close[0] != "name":
                message += f" (did you mean {close[0]!r}?)"
        else:
            message = each["msg"].removeprefix("Value error, ")
        found.append((field, message))
    return found


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "?"


def _mentions_secret(annotation: object) -> bool:
    if annotation is SecretStr:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return any(_mentions_secret(arg) for arg in typing.get_args(annotation))
    return False


def _refuse_secrets(value: object, where: str) -> None:
    if isinstance(value, SecretStr):
        raise ValueError(f"{where or 'value'}: refusing to write a resolved secret to the file")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_secrets(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_secrets(item, f"{where}[{index}]")
