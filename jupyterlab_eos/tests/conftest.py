"""Fixtures: a seeded moto S3 server and real Jupyter servers with the extension."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from devtools.demo import free_port, service_env  # noqa: E402


@pytest.fixture(scope="session")
def s3():
    """moto's S3 server on loopback, seeded with the demo data."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "devtools.s3server", "--seed", "demo", "--stdin"],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    info = json.loads(proc.stdout.readline())
    yield info
    proc.stdin.close()
    proc.terminate()
    proc.wait(10)


@dataclass
class JupyterServer:
    url: str
    token: str
    root: Path
    proc: subprocess.Popen
    log: Path
    env: dict = field(default_factory=dict)

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, headers={"Authorization": f"token {self.token}"}, timeout=60, **kw)

    def service_process(self, timeout: float = 30):
        """The node process of the EOS service (started on first request)."""
        import psutil

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                try:
                    if any("eos-service" in part for part in child.cmdline()):
                        return child
                except psutil.NoSuchProcess:
                    continue
            time.sleep(0.2)
        raise AssertionError("no EOS service process")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_jupyter(tmp: Path, s3: dict, args: list[str] = (), env: dict | None = None) -> JupyterServer:
    root = tmp / "root"
    root.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    port = free_port(0)
    full_env = {
        **os.environ,
        **service_env(s3["endpoint"]),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "EOS_STATE_DIR": str(tmp / "state"),
        **(env or {}),
    }
    log = tmp / "jupyter.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_unauthenticated_access=False",
        *(["--allow-root"] if os.geteuid() == 0 else []),
        *args,
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    server = JupyterServer(f"http://127.0.0.1:{port}/", token, root, proc, log, full_env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"jupyter server exited:\n{log.read_text()}")
        try:
            if server.get("api/status").status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"jupyter server did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def jupyter(s3, tmp_path_factory):
    server = start_jupyter(tmp_path_factory.mktemp("jupyter"), s3)
    yield server
    server.stop()
