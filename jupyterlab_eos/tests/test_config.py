"""The environment the shim hands the service."""

from __future__ import annotations

import pytest
from traitlets.config import Config, Configurable

from jupyterlab_eos import config


class FakeServer(Configurable):
    """Stands for ServerApp: a config parent with a root_dir."""

    def __init__(self, root_dir: str, **eos):
        c = Config()
        for name, value in eos.items():
            setattr(c.EOS, name, value)
        super().__init__(config=c)
        self.root_dir = root_dir


def test_root_dir_and_config(tmp_path, monkeypatch):
    server = FakeServer(str(tmp_path / ".." / tmp_path.name), endpoint_url="http://127.0.0.1:9", disk_limit_gb=1.5)
    monkeypatch.setattr(config, "_SERVER", server)
    env = config.service_environment()
    assert env["EOS_ROOT_DIR"] == str(tmp_path.resolve())
    assert env["EOS_ENDPOINT_URL"] == "http://127.0.0.1:9"
    assert env["EOS_DISK_LIMIT"] == str(1_500_000_000)
    # unset traits are left to the environment
    assert "GENCOVE_USER_ID" not in env and "EOS_ORG_BUCKET" not in env


def test_without_server_uses_cwd(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "_SERVER", None)
    monkeypatch.chdir(tmp_path)
    assert config.service_environment()["EOS_ROOT_DIR"] == str(tmp_path.resolve())


def test_disk_gauge_config(tmp_path, monkeypatch):
    server = FakeServer(str(tmp_path), disk_mode="quota", disk_refresh=2.5)
    monkeypatch.setattr(config, "_SERVER", server)
    env = config.service_environment()
    assert env["EOS_DISK_MODE"] == "quota"
    assert env["EOS_DISK_REFRESH"] == "2.5"
    # unset: the service decides (auto mode, 60 s)
    monkeypatch.setattr(config, "_SERVER", FakeServer(str(tmp_path)))
    env = config.service_environment()
    assert "EOS_DISK_MODE" not in env and "EOS_DISK_REFRESH" not in env


def test_transfer_concurrency_config(tmp_path, monkeypatch):
    server = FakeServer(
        str(tmp_path), transfer_threads=0, files_in_flight=128, ranges_in_flight=6, parts_in_flight=3
    )
    monkeypatch.setattr(config, "_SERVER", server)
    env = config.service_environment()
    # 0 is a setting (downloads on the service's own thread), not "unset"
    assert env["EOS_TRANSFER_THREADS"] == "0"
    assert env["EOS_FILES_IN_FLIGHT"] == "128"
    assert env["EOS_RANGES_IN_FLIGHT"] == "6"
    assert env["EOS_PARTS_IN_FLIGHT"] == "3"
    # unset: the service sizes them from the machine
    monkeypatch.setattr(config, "_SERVER", FakeServer(str(tmp_path)))
    env = config.service_environment()
    assert not {"EOS_TRANSFER_THREADS", "EOS_FILES_IN_FLIGHT", "EOS_RANGES_IN_FLIGHT", "EOS_PARTS_IN_FLIGHT"} & env.keys()


def test_transfer_concurrency_refuses_out_of_range(tmp_path, monkeypatch):
    from traitlets import TraitError

    monkeypatch.setattr(config, "_SERVER", FakeServer(str(tmp_path), files_in_flight=0))
    with pytest.raises(TraitError):
        config.service_environment()


def test_node_compile_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "_SERVER", FakeServer(str(tmp_path)))
    monkeypatch.delenv("NODE_COMPILE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = str(tmp_path / "xdg" / "jupyterlab-eos" / "node-compile-cache")
    assert config.service_environment()["NODE_COMPILE_CACHE"] == cache
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.compile_cache() == {"NODE_COMPILE_CACHE": str(tmp_path / "home" / ".cache" / "jupyterlab-eos" / "node-compile-cache")}
    # The user's own setting is left alone.
    monkeypatch.setenv("NODE_COMPILE_CACHE", str(tmp_path / "mine"))
    assert "NODE_COMPILE_CACHE" not in config.service_environment()
    assert config.compile_cache({"NODE_COMPILE_CACHE": "x"}) == {}
