"""Checks shared by the shim tests and the packaging test."""

from __future__ import annotations

import re
import subprocess


def jupyter_output(python: str, *args: str, env: dict | None = None) -> str:
    """What `python -m jupyter ARGS` prints, without colour codes."""
    done = subprocess.run([str(python), "-m", "jupyter", *args], capture_output=True, text=True, env=env)
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


def assert_extension_enabled(python: str, env: dict | None = None) -> str:
    """jupyterlab-eos is listed enabled and OK as a labextension and as a server extension.

    Returns the labextension line (it names where the extension comes from).
    """
    labext = jupyter_output(python, "labextension", "list", env=env)
    line = next((ln for ln in labext.splitlines() if "jupyterlab-eos" in ln), None)
    assert line and "enabled" in line and "OK" in line, labext
    server = jupyter_output(python, "server", "extension", "list", env=env)
    assert re.search(r"jupyterlab_eos enabled\s+- Validating jupyterlab_eos\.\.\.\s+jupyterlab_eos [\w.]+ OK", server), server
    return line
