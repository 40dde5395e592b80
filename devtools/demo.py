"""The demo: JupyterLab with jupyterlab-eos on an embedded, seeded S3 server.

    python -m devtools.demo            # the README's demo command (via make demo)
    python -m devtools.demo --galata   # the server the browser tests drive
    python -m devtools.demo --big-folder 100000   # also e://users/me/huge-folder/ with 100,000 objects

Starts moto's S3 server on 127.0.0.1 in this process, seeds the three
namespaces, then runs JupyterLab on a fresh root directory and prints its URL.
Ctrl-C (or SIGTERM) stops JupyterLab, the EOS service and the S3 server.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import s3server, seed

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def fresh_root(path: Path) -> Path:
    """A new Jupyter root with a little local data to move around."""
    if path.exists():
        shutil.rmtree(path)
    (path / "project-1").mkdir(parents=True)
    (path / "README.md").write_text(
        "# Demo root\n\nThis folder stands for /home/explorer. Open the EOS panel in the right sidebar (the EOS tab).\n"
    )
    (path / "project-1" / "counts.tsv").write_text("sample\treads\nS1\t1000000\nS2\t1250000\n")
    return path


def quiet_news(config: Path) -> None:
    """The demo does not ask to fetch Jupyter's news (its toast sits where job notifications show); a choice made later stays."""
    setting = config / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    if not setting.exists():
        setting.parent.mkdir(parents=True, exist_ok=True)
        setting.write_text(json.dumps({"fetchNews": "false"}) + "\n")


def service_env(endpoint: str) -> dict[str, str]:
    return {
        "GENCOVE_USER_ID": seed.DEMO_USER_ID,
        "GENCOVE_ORGANIZATION_ID": seed.DEMO_ORG_ID,
        "EOS_ENDPOINT_URL": endpoint,
        "EOS_REGION": seed.REGION,
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
        # keep the demo's AWS settings from leaking in or out
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def die_with_parent() -> None:
    """In the child: get SIGTERM if the demo dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: Ctrl-C and SIGTERM still clean up
        pass


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--galata", action="store_true", help="serve for the Galata browser tests (port $EOS_UI_PORT or 8888, no token)")
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--ip", default=os.environ.get("EOS_DEMO_IP", "127.0.0.1"))
    parser.add_argument("--dir", default=str(PROJECT / ".demo"), help="where the demo keeps its root and config")
    parser.add_argument(
        "--big-folder",
        type=int,
        default=int(os.environ.get("EOS_DEMO_BIG_FOLDER") or 0),
        metavar="N",
        help="also seed e://users/me/huge-folder/ with N objects (default $EOS_DEMO_BIG_FOLDER or 0)",
    )
    args = parser.parse_args(argv)

    work = Path(args.dir).resolve()
    root = fresh_root(work / ("galata-root" if args.galata else "root"))
    started = time.monotonic()
    server, endpoint, dataset = s3server.start(0, "demo", args.big_folder)
    seeded = time.monotonic() - started
    # Where the S3 server is, for tests that play another client writing to EOS.
    (work / "s3.json").write_text(
        json.dumps(
            {
                "endpoint": endpoint,
                "orgBucket": dataset.org_bucket,
                "userId": dataset.user_id,
                "bigFolder": args.big_folder,
                "bigFolderLast": seed.huge_name(args.big_folder) if args.big_folder > 0 else None,
                "seedSeconds": round(seeded, 2),
            }
        )
    )

    env = {**os.environ, **service_env(endpoint)}
    # JupyterLab's terminals find this environment's `eos` command first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_CONFIG_DIR"] = str(work / "config")
    quiet_news(work / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(work / "runtime")
    # The jobs journal belongs to this run's S3 server: start without the last run's jobs.
    shutil.rmtree(work / "state", ignore_errors=True)
    env["EOS_STATE_DIR"] = str(work / "state")
    lab = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.root_dir={root}"]
    # Terminals run the user's shell without `-l` (which Jupyter adds when its
    # output is not a terminal): a login shell resets PATH, and the demo's
    # terminals should find `eos` and the EOS settings as a user's would.
    lab.append(f"--ServerApp.terminado_settings=shell_command={os.environ.get('SHELL') or '/bin/sh'}")
    if os.geteuid() == 0:
        lab.append("--allow-root")
    if args.galata:
        lab += ["--config", str(PROJECT / "ui-tests" / "jupyter_server_test_config.py")]
        port, token = int(os.environ.get("EOS_UI_PORT", "8888")), ""
        lab += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    else:
        port, token = free_port(args.port), secrets.token_hex(24)
        lab += [f"--ServerApp.ip={args.ip}", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}"]
        lab += ["--ServerApp.port_retries=0"]
    # Its own session, so a terminal's Ctrl-C reaches only the demo, which then
    # stops JupyterLab without its interactive shutdown prompt.
    # Terminals open in the Jupyter root, as on an instance (home is the root there).
    proc = subprocess.Popen(lab, env=env, cwd=root, start_new_session=True, preexec_fn=die_with_parent)
    # Whose children are this run's: a test that kills the EOS service finds it under this process.
    (work / "lab.pid").write_text(f"{proc.pid}\n")

    def stop(*_):
        raise KeyboardInterrupt

    # Also for SIGINT: a shell starts background jobs with SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler of its own.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/status?token={token}", proc)
        url = f"http://{args.ip}:{port}/lab" + (f"?token={token}" if token else "")
        huge = (
            f" (+{args.big_folder} in e://users/me/{seed.HUGE_FOLDER}/, seeded in {seeded:.1f} s)" if args.big_folder > 0 else ""
        )
        print(
            f"\nEOS demo: {len(dataset.objects)} objects{huge} in s3://{dataset.org_bucket} and s3://{dataset.gencove_bucket}"
            f" on {endpoint}\nJupyter root: {root}\nPress Ctrl-C to stop.\n\n    {url}\n",
            flush=True,
        )
        proc.wait()
        return proc.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
