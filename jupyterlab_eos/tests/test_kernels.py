"""Kernels of documents opened from EOS start in the open plugin's ``kernelFolder``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psutil
import pytest
import requests

from jupyterlab_eos.kernels import clean_folder

from .conftest import start_jupyter


@pytest.mark.parametrize(
    ("value", "folder"),
    [("", ""), ("work", "work"), ("./work/eos/", "work/eos"), ("/etc", None), ("../up", None), ("a/../b", None), (3, None)],
)
def test_clean_folder(value, folder):
    assert clean_folder(value) == folder


def kernel_cwd(server, session: dict, timeout: float = 60) -> Path:
    """The working folder of the session's kernel process."""
    kernel_id = session["kernel"]["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in psutil.Process(server.proc.pid).children(recursive=True):
            try:
                if any(kernel_id in part for part in child.cmdline()):
                    return Path(child.cwd())
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.2)
    raise AssertionError(f"no process for kernel {kernel_id}")


def start_session(server, path: str) -> dict:
    r = requests.post(
        server.url + "api/sessions",
        headers={"Authorization": f"token {server.token}"},
        json={"path": path, "type": "notebook", "name": Path(path).name, "kernel": {"name": "python3"}},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def server(s3, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kernels")
    settings = tmp / "lab-settings"
    server = start_jupyter(tmp, s3, env={"JUPYTERLAB_SETTINGS_DIR": str(settings)})
    server.settings = settings / "jupyterlab-eos" / "open.jupyterlab-settings"
    server.settings.parent.mkdir(parents=True)
    (server.root / "work" / "eos").mkdir(parents=True)
    (server.root / "local").mkdir()
    yield server
    server.stop()


def test_eos_kernels_start_in_the_setting_folder(server):
    # Unset: the Jupyter root, as before.
    assert kernel_cwd(server, start_session(server, "EOS:org/run-7/a.ipynb")) == server.root
    # Read when the kernel starts: no restart needed.
    server.settings.write_text(json.dumps({"kernelFolder": "work/eos"}))
    assert kernel_cwd(server, start_session(server, "EOS:org/run-7/b.ipynb")) == server.root / "work" / "eos"
    # Local documents keep their own folder.
    assert kernel_cwd(server, start_session(server, "local/c.ipynb")) == server.root / "local"
    # A folder outside the root is not followed.
    server.settings.write_text(json.dumps({"kernelFolder": "../outside"}))
    assert kernel_cwd(server, start_session(server, "EOS:users/me/d.ipynb")) == server.root
