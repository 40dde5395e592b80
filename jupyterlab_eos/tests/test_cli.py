"""The ``eos`` console script: its environment from Jupyter's config, and the real command end to end."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jupyterlab_eos
from jupyterlab_eos import cli, config

EOS = Path(sys.executable).parent / "eos"
USER = "d3fcaf74-2152-4ed5-9834-9ecb1db4dd6c"


def write_config(directory: Path, root: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "jupyter_server_config.py").write_text(
        f"c.EOS.user_id = {USER!r}\n"
        "c.EOS.endpoint_url = 'http://127.0.0.1:1'\n"
        "c.EOS.disk_limit_gb = 1.5\n"
        f"c.ServerApp.root_dir = {str(root)!r}\n"
    )


def test_jupyter_config_fills_in_what_the_environment_leaves_unset(tmp_path, monkeypatch):
    root = tmp_path / "root"
    root.mkdir()
    write_config(tmp_path / "cfg", root)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "cfg"))
    env = cli.cli_environment({"HOME": str(tmp_path), "EOS_REGION": "eu-west-1"})
    assert env["GENCOVE_USER_ID"] == USER
    assert env["EOS_ENDPOINT_URL"] == "http://127.0.0.1:1"
    assert env["EOS_DISK_LIMIT"] == str(1_500_000_000)
    assert env["EOS_ROOT_DIR"] == os.path.realpath(root)
    assert env["EOS_REGION"] == "eu-west-1"
    # The environment wins over the config files.
    env = cli.cli_environment({"GENCOVE_USER_ID": "from-env", "EOS_ROOT_DIR": "/elsewhere"})
    assert env["GENCOVE_USER_ID"] == "from-env"
    assert env["EOS_ROOT_DIR"] == "/elsewhere"


def test_without_config_the_root_is_left_to_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "empty"))
    env = cli.cli_environment({"HOME": str(tmp_path)})
    assert "EOS_ROOT_DIR" not in env  # the command line then uses the current directory


def test_the_shim_imports_no_traitlets_without_a_config_file(tmp_path):
    # Each eos command runs the shim first: traitlets (~45 ms of imports) only when a config file needs it.
    probe = (
        "import sys; from jupyterlab_eos import cli; env = cli.cli_environment(); cli.node_executable(env); "
        "print('traitlets' in sys.modules, 'jupyter_server' in sys.modules)"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "JUPYTER_CONFIG_DIR": str(tmp_path / "none")}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
    write_config(tmp_path / "cfg", tmp_path)
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "cfg")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False"]


def test_the_server_extension_hands_terminals_its_root(tmp_path, monkeypatch):
    monkeypatch.delenv("EOS_ROOT_DIR", raising=False)
    contents = SimpleNamespace(get_kernel_path=lambda path, model=None: "")
    server = SimpleNamespace(
        root_dir=str(tmp_path), base_url="/", log=logging.getLogger("test"), contents_manager=contents
    )
    try:
        jupyterlab_eos._load_jupyter_server_extension(server)
        assert os.environ["EOS_ROOT_DIR"] == os.path.realpath(tmp_path)
    finally:
        config._SERVER = None


def run_eos(args, s3, cwd, **extra):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "JUPYTER_CONFIG_DIR": str(cwd / "no-config"),
        "GENCOVE_USER_ID": s3["userId"],
        "GENCOVE_ORGANIZATION_ID": s3["orgId"],
        "EOS_ORG_BUCKET": s3["orgBucket"],
        "EOS_GENCOVE_BUCKET": s3["gencoveBucket"],
        "EOS_ENDPOINT_URL": s3["endpoint"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }
    return subprocess.run([str(EOS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_the_console_script_runs_the_bundled_command_line(s3, tmp_path):
    assert EOS.exists(), "the editable install provides the eos script (make install)"
    version = run_eos(["--version"], s3, tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == jupyterlab_eos.__version__
    # Node keeps the bundle's compiled code under ~/.cache for the next start (HOME is tmp_path here).
    cache = tmp_path / ".cache" / "jupyterlab-eos" / "node-compile-cache"
    assert any(p.is_file() for p in cache.rglob("*")), "the compile cache was written"
    listed = run_eos(["ls", "e://org/"], s3, tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "README.txt" in listed.stdout.splitlines()
    # The current directory is the root when none is configured: a file there uploads, one above is refused.
    (tmp_path / "here.txt").write_text("here")
    up = run_eos(["cp", "-q", "here.txt", "e://users/me/tmp/test-cli-script/here.txt"], s3, tmp_path)
    assert up.returncode == 0, up.stderr
    cat = run_eos(["cat", "e://users/me/tmp/test-cli-script/here.txt"], s3, tmp_path)
    assert cat.stdout == "here"
    outside = run_eos(["cp", "../x.txt", "e://users/me/tmp/"], s3, tmp_path)
    assert outside.returncode == 1 and "is outside the Jupyter root" in outside.stderr
    gone = run_eos(["rm", "-q", "e://users/me/tmp/test-cli-script/here.txt"], s3, tmp_path)
    assert gone.returncode == 0, gone.stderr
