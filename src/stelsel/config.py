"""Settings, layered: defaults -> config file -> STELSEL_* environment -> command-line flags.

A :class:`Config` is a plain frozen value; nothing reads settings from module state. The config
file is TOML (``stelsel.toml`` in the working directory, or ``--config FILE`` /
``STELSEL_CONFIG``), with the same names as the fields below, e.g.::

    store = "/var/lib/stelsel/store"
    base_iri = "https://w3id.org/stelsel/"
    query_timeout = 10
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError
from .vocab import DEFAULT_BASE

CONTENT_FOLDERS = ("ontology", "data", "shapes", "queries")


def _find_content_root() -> Path:
    """The repository that holds ontology/ and data/: the working directory or a parent of
    it, else the checkout this package was installed from."""
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "ontology").is_dir() and (candidate / "data").is_dir():
            return candidate
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Config:
    store: Path = Path(".stelsel/store")
    content_root: Path = field(default_factory=_find_content_root)
    base_iri: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 5000
    query_timeout: float = 10.0
    max_query_timeout: float = 60.0
    max_result_rows: int = 10_000

    @property
    def ontology_dir(self) -> Path:
        return self.content_root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.content_root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.content_root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.content_root / "queries"

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **_coerce(changes, source="arguments"))


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def _coerce(values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Check names and turn values into the field's type, with a sentence on failure."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in _FIELDS:
            raise ConfigError(f"{source}: unknown setting '{name}'",
                              hint="known settings: " + ", ".join(sorted(_FIELDS)))
        kind = _FIELDS[name].type
        try:
            if kind in ("Path",):
                value = Path(value).expanduser()
            elif kind == "int":
                value = int(value)
            elif kind == "float":
                value = float(value)
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{source}: setting '{name}' must be {kind}, got {value!r}") from None
        out[name] = value
    return out


def load_config(config_file: str | os.PathLike | None = None,
                environ: Mapping[str, str] | None = None,
                **flags: Any) -> Config:
    """Build the settings from every layer; flags that are None do not override."""
    environ = os.environ if environ is None else environ
    layered: dict[str, Any] = {}
    path = config_file or environ.get("STELSEL_CONFIG")
    if path is None and Path("stelsel.toml").is_file():
        path = "stelsel.toml"
    if path is not None:
        try:
            with open(path, "rb") as fh:
                layered.update(_coerce(tomllib.load(fh), source=str(path)))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist",
                              hint="check the path given with --config or STELSEL_CONFIG") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    env = {key[len("STELSEL_"):].lower(): value for key, value in environ.items()
           if key.startswith("STELSEL_") and key != "STELSEL_CONFIG"}
    layered.update(_coerce(env, source="environment (STELSEL_*)"))
    layered.update(_coerce(flags, source="command line"))
    return Config(**layered)
