"""The demo command: prints a working URL; Ctrl-C leaves no process behind."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

PROJECT = Path(__file__).resolve().parent.parent


def start_demo(tmp_path: Path, ignore_sigint: bool = False) -> subprocess.Popen:
    """`make demo`'s program, on a free port, keeping its files in tmp_path.

    With ignore_sigint it starts as a shell's background job does: SIGINT ignored.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "devtools.demo", "--port", "0", "--dir", str(tmp_path)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None,
    )


def test_demo_serves_seeded_eos_and_stops_cleanly(tmp_path):
    proc = start_demo(tmp_path)
    family: list[psutil.Process] = []
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "the demo exited before printing its URL"
            match = re.search(r"(http://127\.0\.0\.1:\d+/)lab\?token=(\w+)", line)
            if match:
                url, token = match.groups()
        assert url, "no URL within 120 s"
        headers = {"Authorization": f"token {token}"}
        assert requests.get(url + "lab", headers=headers, timeout=30).status_code == 200
        listing = requests.get(url + "eos/api/list", params={"uri": "e://users/me/"}, headers=headers, timeout=60)
        assert listing.status_code == 200, listing.text
        names = {e["name"] for e in listing.json()["entries"]}
        assert {"project-1", "project-2", "big-folder", "odd names", "notes.txt"} <= names
        for uri, expected in [("e://org/", "cohort-2026"), ("e://gencove/", "reference"), ("e://users/", None)]:
            r = requests.get(url + "eos/api/list", params={"uri": uri}, headers=headers, timeout=60)
            assert r.status_code == 200 and r.json()["entries"], (uri, r.text)
            if expected:
                assert expected in {e["name"] for e in r.json()["entries"]}
        family = psutil.Process(proc.pid).children(recursive=True)
        assert any("eos-service" in " ".join(p.cmdline()) for p in family), "the EOS service runs"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    gone, alive = psutil.wait_procs(family, timeout=15)
    assert not alive, [p.cmdline() for p in alive]
    assert (tmp_path / "root" / "README.md").exists()


@pytest.mark.parametrize(
    "sig, ignore_sigint",
    [(signal.SIGKILL, False), (signal.SIGINT, True)],
    ids=["SIGKILL, as a test runner may send", "Ctrl-C to a demo started with SIGINT ignored"],
)
def test_stopped_demo_leaves_no_process(tmp_path, sig, ignore_sigint):
    proc = start_demo(tmp_path, ignore_sigint)
    deadline = time.monotonic() + 120
    while "Press Ctrl-C" not in proc.stdout.readline():
        assert proc.poll() is None and time.monotonic() < deadline
    family = psutil.Process(proc.pid).children(recursive=True)
    assert family
    proc.send_signal(sig)
    proc.wait(60)
    gone, alive = psutil.wait_procs(family, timeout=20)
    assert not alive, [p.cmdline() for p in alive]


def test_demo_does_not_ask_for_news_but_keeps_a_later_choice(tmp_path):
    from devtools.demo import quiet_news

    quiet_news(tmp_path)
    setting = tmp_path / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    assert json.loads(setting.read_text()) == {"fetchNews": "false"}
    setting.write_text('{"fetchNews": "true"}')
    quiet_news(tmp_path)
    assert json.loads(setting.read_text()) == {"fetchNews": "true"}
