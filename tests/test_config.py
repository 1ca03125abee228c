"""Settings are layered: defaults -> file -> STELSEL_* environment -> flags."""

from pathlib import Path

import pytest

from stelsel.config import Config, load_config
from stelsel.errors import ConfigError


def test_each_layer_overrides_the_one_before(tmp_path):
    cfg_file = tmp_path / "stelsel.toml"
    cfg_file.write_text('store = "/from/file"\nport = 7000\nquery_timeout = 5\n')
    env = {"STELSEL_PORT": "8000"}
    cfg = load_config(cfg_file, environ=env, query_timeout=2.5)
    assert cfg.store == Path("/from/file")      # file beats default
    assert cfg.port == 8000                     # environment beats file
    assert cfg.query_timeout == 2.5             # flag beats everything
    assert cfg.base_iri == Config().base_iri    # untouched default


def test_a_flag_given_as_none_does_not_override(tmp_path):
    cfg = load_config(None, environ={"STELSEL_STORE": str(tmp_path / "s")}, store=None)
    assert cfg.store == tmp_path / "s"


@pytest.mark.parametrize("env, words", [
    ({"STELSEL_PORT": "eighty"}, "setting 'port' must be int"),
    ({"STELSEL_COLOUR": "blue"}, "unknown setting 'colour'"),
])
def test_bad_settings_are_named(env, words):
    with pytest.raises(ConfigError, match=words):
        load_config(None, environ=env)


def test_missing_and_malformed_config_files_are_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})
    bad = tmp_path / "bad.toml"
    bad.write_text("store = \n")
    with pytest.raises(ConfigError, match="bad.toml is not valid TOML"):
        load_config(bad, environ={})


def test_cli_reports_config_errors_without_traceback(cli, monkeypatch):
    monkeypatch.setenv("STELSEL_PORT", "x")
    result = cli("graphs")
    assert result.exit_code == 2
    assert "error: environment (STELSEL_*): setting 'port' must be int" in result.stderr
